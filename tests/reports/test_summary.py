"""The one-page programme summary PDF, read back with pypdf as a steering group's viewer would."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from apdesk.db.database import Database
from apdesk.reports.summary import render_summary
from apdesk.services.dashboard import programme_dashboard
from apdesk.services.dashboard_views import (
    Bucket,
    CohortLine,
    Dashboard,
    DashboardFilter,
    Headline,
    ListKind,
    Slice,
)
from tests.helpers.fixtures import DEMO_DAY, TEST_ACTOR


def _render(dashboard: Dashboard) -> tuple[int, PdfReader]:
    buffer = io.BytesIO()
    pages = render_summary(dashboard, buffer)
    buffer.seek(0)
    return pages, PdfReader(buffer)


def _text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def demo_dashboard(demo_database: Database) -> Dashboard:
    return programme_dashboard(demo_database, TEST_ACTOR, as_of=DEMO_DAY)


def test_the_demo_summary_is_one_a4_landscape_page(demo_dashboard: Dashboard) -> None:
    pages, reader = _render(demo_dashboard)
    assert pages == len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_the_text_holds_every_headline_count_the_filter_and_the_date(
    demo_dashboard: Dashboard,
) -> None:
    text = _text(_render(demo_dashboard)[1])
    headline = demo_dashboard.headline
    assert "Assistant Practitioner programme summary" in text
    assert "As of 25 Nov 2026" in text
    assert "Selection: all regions · all employers · all cohorts" in text
    for label, count in (
        ("Started", headline.started),
        ("In training", headline.in_training),
        ("On a break", headline.on_break),
        ("At gateway", headline.at_gateway),
        ("Completed", headline.completed),
        ("Withdrawn", headline.withdrawn),
        ("Planned places", headline.planned_places),
        ("At risk", headline.at_risk),
    ):
        assert re.search(rf"\b{count} {label}\b", text), (label, count)
    for kind, rows in demo_dashboard.lists.items():
        assert f"{len(rows)} {kind}" in text


def test_the_charts_carry_their_labels_and_counts_as_text(demo_dashboard: Dashboard) -> None:
    text = _text(_render(demo_dashboard)[1])
    for part in demo_dashboard.by_sector:
        assert f"{part.label}: {part.count} (" in text
    for chart_title in (
        "Started, by sector",
        "Started, by service area",
        "Started, by ICS area",
        "Cohorts: started against planned places",
        "Attendance, in training (%)",
        "OTJ hours, % of plan to date",
    ):
        assert chart_title in text
    assert demo_dashboard.by_ics_area[0].label in text
    assert demo_dashboard.cohorts[0].name in text


def test_a_filtered_summary_names_its_filter(demo_database: Database) -> None:
    chosen = DashboardFilter(region="North West", cohort="NW Mar 2026")
    dashboard = programme_dashboard(demo_database, TEST_ACTOR, chosen, as_of=DEMO_DAY)
    pages, reader = _render(dashboard)
    text = _text(reader)
    assert pages == 1
    assert "Selection: North West region · all employers · NW Mar 2026" in text
    assert re.search(rf"\b{dashboard.headline.started} Started\b", text)
    assert "Planned places are for whole cohorts" in text
    assert reader.metadata is not None
    assert reader.metadata.subject == chosen.describe()


def _fonts(resources: Any) -> Iterator[Any]:
    resources = resources.get_object() if resources is not None else {}
    yield from (font.get_object() for font in resources.get("/Font", {}).values())
    for xobject in resources.get("/XObject", {}).values():
        form = xobject.get_object()
        if form.get("/Subtype") == "/Form":
            yield from _fonts(form.get("/Resources"))


def test_every_font_is_embedded_vera(demo_dashboard: Dashboard) -> None:
    _, reader = _render(demo_dashboard)
    names = set()
    for font in _fonts(reader.pages[0].get("/Resources")):
        names.add(str(font["/BaseFont"]))
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
    assert names and all("BitstreamVera" in name for name in names)


def _huge_programme() -> Dashboard:
    """A national programme: far more cohorts, areas and words than a page holds at ease."""
    long_name = "A very long employer name & <partners> NHS Foundation Trust of the North"
    cohorts = tuple(
        CohortLine(
            cohort_id=number,
            name=f"Cohort {number} with a long name",
            start_date=date(2015, 1, 5) + timedelta(days=91 * number),
            planned_places=None if number % 3 else 30,
            started=number % 25,
            in_training=number % 7,
        )
        for number in range(40)
    )
    edges = (0, 70, 80, 85, 90, 95)
    return Dashboard(
        as_of=DEMO_DAY,
        filter=DashboardFilter(region="North West", employer=long_name),
        headline=Headline(1234, 5, 67, 890, 12, 480, 456),
        by_service_area=tuple(Slice(f"Service area number {n}", 100 - n) for n in range(20)),
        by_sector=(Slice("NHS", 1500), Slice("3rd sector", 708)),
        by_ics_area=tuple(Slice(f"ICS area {n}", 60 - n) for n in range(42)),
        cohorts=cohorts,
        attendance=tuple(
            Bucket(f"{low}", Decimal(low), Decimal(high) if high else None, 100 * (i + 1))
            for i, (low, high) in enumerate(zip(edges, (*edges[1:], None), strict=True))
        ),
        otj=(),
        lists=dict.fromkeys(ListKind, ()),
    )


def test_a_national_programme_still_fits_one_page_with_the_rest_folded(tmp_path: Path) -> None:
    dashboard = _huge_programme()
    path = tmp_path / "summary.pdf"
    assert render_summary(dashboard, path) == 1
    text = _text(PdfReader(path))
    assert len(PdfReader(path).pages) == 1
    assert "latest 12 of 40" in text
    assert "35 others" in text and "13 others" in text  # 42 ICS areas: 7 shown, 35 in one bar
    assert "& <partners>" in text  # escaped for ReportLab, printed as typed
    assert "26 cohorts have no planned places set" in text
    assert "and 21 more" in text


def test_an_empty_selection_says_so_rather_than_drawing_nothing(tmp_path: Path) -> None:
    empty = Dashboard(
        as_of=DEMO_DAY,
        filter=DashboardFilter(),
        headline=Headline(0, 0, 0, 0, 0, 0, 0),
        by_service_area=(),
        by_sector=(),
        by_ics_area=(),
        cohorts=(),
        attendance=(),
        otj=(),
        lists=dict.fromkeys(ListKind, ()),
    )
    pages, reader = _render(empty)
    text = _text(reader)
    assert pages == 1
    assert "No trainees in this selection" in text and "No cohorts in this selection" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_the_page_renders_to_an_image(demo_dashboard: Dashboard, tmp_path: Path) -> None:
    path = tmp_path / "summary.pdf"
    render_summary(demo_dashboard, path)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-singlefile", str(path), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "page.png").stat().st_size > 5_000
