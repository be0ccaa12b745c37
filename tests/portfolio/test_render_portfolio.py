"""The evidence-portfolio PDF, read back the way an assessor's viewer (or the verifier) reads it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from apdesk.domain.calendar import format_day
from apdesk.portfolio import render_portfolio
from apdesk.services.portfolio_views import Portfolio, SignoffLine
from tests.helpers.portfolio_samples import (
    EMPTY_DIGEST,
    LONG_DIGEST,
    SAMPLE_DIGEST,
    empty_portfolio,
    long_portfolio,
    sample_portfolio,
)

REPO = Path(__file__).resolve().parents[2]
SECTIONS = (
    "Personal and programme details",
    "Entry criteria",
    "Day-release attendance",
    "Care Certificate",
    "Progress reviews",
    "Supervised practice",
    "KSB coverage",
    "Band progression",
    "Gateway checklist",
    "Verification",
)
MM = 72 / 25.4
A4_WIDTH, A4_HEIGHT = 595.2756, 841.8898


def squeeze(text: str) -> str:
    """Whitespace as one space: line wraps in the PDF are not part of what is said."""
    return " ".join(text.split())


def local(moment: datetime) -> str:
    shown = moment.astimezone()
    return f"{format_day(shown.date())} {shown:%H:%M}"


@dataclass
class Rendered:
    portfolio: Portfolio
    digest: str
    data: bytes
    page_count: int

    @cached_property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.data))

    @cached_property
    def pages(self) -> list[str]:
        return [squeeze(page.extract_text()) for page in self.reader.pages]

    @cached_property
    def text(self) -> str:
        return " ".join(self.pages)

    def page_starting_with(self, heading: str) -> int:
        """1-based number of the page whose text begins with ``heading``."""
        found = [n for n, text in enumerate(self.pages, start=1) if text.startswith(heading)]
        assert len(found) == 1, f"{heading!r} starts pages {found}"
        return found[0]

    def first_page_after_contents_with(self, title: str) -> int:
        return next(n for n, text in enumerate(self.pages, start=1) if n > 2 and title in text)


def render(portfolio: Portfolio, digest: str) -> Rendered:
    out = io.BytesIO()
    pages = render_portfolio(portfolio, digest, out)
    return Rendered(portfolio, digest, out.getvalue(), pages)


@pytest.fixture(scope="module")
def sample() -> Rendered:
    return render(sample_portfolio(), SAMPLE_DIGEST)


@pytest.fixture(scope="module")
def long() -> Rendered:
    return render(long_portfolio(), LONG_DIGEST)


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """Rendered to a file, the way the export writes it."""
    target = tmp_path_factory.mktemp("portfolio") / "portfolio.pdf"
    portfolio = empty_portfolio()
    pages = render_portfolio(portfolio, EMPTY_DIGEST, target)
    return Rendered(portfolio, EMPTY_DIGEST, target.read_bytes(), pages)


def contents_entries(portfolio: Portfolio) -> list[tuple[str, int]]:
    """(title, outline level) of every contents line, in order."""
    entries: list[tuple[str, int]] = []
    for number, title in enumerate(SECTIONS, start=1):
        entries.append((f"{number}. {title}", 0))
        if title == "Care Certificate":
            entries += [
                (f"Standard {s.number}: {s.title}", 1) for s in portfolio.care_certificate.standards
            ]
        if title == "Supervised practice":
            entries += [(f"{g.code}: {g.title}", 1) for g in portfolio.supervised_practice.groups]
    return entries


def outline_titles(outline: list[Any], level: int = 0) -> Iterator[tuple[str, int]]:
    for item in outline:
        if isinstance(item, list):
            yield from outline_titles(item, level + 1)
        else:
            yield item.title, level


# ---- the document as a whole ------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample", "long", "empty"])
def test_the_returned_page_count_is_the_pdfs(name: str, request: pytest.FixtureRequest) -> None:
    rendered: Rendered = request.getfixturevalue(name)
    assert rendered.page_count == len(rendered.reader.pages)
    assert rendered.page_count >= 10


def test_metadata_carries_the_digest_and_trainee_for_the_verifier(sample: Rendered) -> None:
    meta = sample.reader.metadata
    assert meta is not None
    assert meta.title == "Evidence portfolio — Aisha Thompson"
    assert meta.author == "Priya Shah"
    assert meta.subject == "APDesk evidence portfolio"
    assert meta.creator == "APDesk"
    assert f"apdesk-digest:{SAMPLE_DIGEST}" in (meta.get("/Keywords") or "")
    assert "apdesk-trainee:42" in (meta.get("/Keywords") or "")


def _fonts(resources: Any) -> Iterator[Any]:
    resources = resources.get_object() if resources is not None else {}
    yield from (font.get_object() for font in resources.get("/Font", {}).values())
    for xobject in resources.get("/XObject", {}).values():
        form = xobject.get_object()
        if form.get("/Subtype") == "/Form":
            yield from _fonts(form.get("/Resources"))


def test_every_font_on_every_page_is_embedded(sample: Rendered) -> None:
    names = set()
    for page in sample.reader.pages:
        for font in _fonts(page.get("/Resources")):
            names.add(str(font["/BaseFont"]))
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
    assert any(name.endswith("BitstreamVeraSans-Roman") for name in names)
    assert any(name.endswith("BitstreamVeraSans-Bold") for name in names)


def test_cover_names_the_apprentice_and_programme_without_a_footer(sample: Rendered) -> None:
    p, a = sample.portfolio, sample.portfolio.apprentice
    cover = sample.pages[0]
    assert cover.startswith("Evidence portfolio Aisha Thompson")
    for fact in (
        f"Unique learner number (ULN) {a.uln}",
        f"Employer {a.employer}",
        f"Cohort {a.cohort}",
        f"Mentor {a.mentor}",
        f"Programme {a.programme}",
        f"Competency framework {a.competency_framework}",
        "Start date 9 Sep 2024",
        "Planned end date 8 Sep 2026",
        f"Status {a.status}",
        f"Exported {local(p.exported_at)}",
        f"Exported by {p.exported_by}",
    ):
        assert fact in cover
    assert "Page 1 of" not in cover


def test_every_later_page_has_the_footer_with_page_x_of_n(sample: Rendered) -> None:
    total = len(sample.reader.pages)
    for number, text in enumerate(sample.pages[1:], start=2):
        assert f"Page {number} of {total}" in text
        assert "Exported 16 Mar 2026" in text
        assert "Aisha Thompson" in text


def test_sections_start_new_pages_in_order_and_verification_is_last(sample: Rendered) -> None:
    starts = [
        sample.page_starting_with(f"{number}. {title}")
        for number, title in enumerate(SECTIONS, start=1)
    ]
    assert starts == sorted(starts)
    assert starts[0] == 3  # after the cover and a one-page contents
    assert starts[-1] == len(sample.pages)


# ---- contents and outline ---------------------------------------------------------------


def _expected_pages(rendered: Rendered) -> list[tuple[str, int]]:
    return [
        (title, rendered.first_page_after_contents_with(title))
        for title, _ in contents_entries(rendered.portfolio)
    ]


def test_contents_gives_each_entry_the_page_it_is_on(sample: Rendered) -> None:
    contents = sample.pages[1]
    assert contents.startswith("Contents")
    for title, page in _expected_pages(sample):
        assert f"{title} {page}" in contents


def test_contents_lines_link_to_their_headings(sample: Rendered) -> None:
    page_numbers = {
        page.indirect_reference.idnum: n for n, page in enumerate(sample.reader.pages, start=1)
    }
    annotations = [a.get_object() for a in sample.reader.pages[1]["/Annots"]]
    targets = [page_numbers[a["/Dest"][0].idnum] for a in annotations if a["/Subtype"] == "/Link"]
    assert targets == [page for _, page in _expected_pages(sample)]


def test_outline_holds_every_section_standard_and_group(sample: Rendered) -> None:
    outline = list(outline_titles(sample.reader.outline))
    assert outline == [("Cover", 0), ("Contents", 0), *contents_entries(sample.portfolio)]
    pages = [
        sample.reader.get_destination_page_number(d) + 1
        for d in sample.reader.outline
        if not isinstance(d, list)
    ]
    assert pages[2:] == [
        sample.page_starting_with(f"{n}. {t}") for n, t in enumerate(SECTIONS, start=1)
    ]


# ---- what the sections say ----------------------------------------------------------------


def test_personal_details_and_entry_criteria(sample: Rendered) -> None:
    details = sample.pages[sample.page_starting_with("1. Personal") - 1]
    for fact in (
        "Employee number E104522",
        "Email aisha.thompson@nhs.net",
        "Contracted hours per week 37.5 hours",
        "Care pathway Psychosis and early intervention",
        "3 Feb 2025 3 Mar 2025 Sickness absence",
    ):
        assert fact in details
    entry = sample.pages[sample.page_starting_with("2. Entry criteria") - 1]
    assert "Maths Achieved 3 Sep 2024" in entry
    assert "English Working towards Not recorded" in entry
    assert "Level 2" in entry


def test_attendance_table_otj_figures_and_chart(sample: Rendered) -> None:
    page = sample.pages[sample.page_starting_with("3. Day-release attendance") - 1]
    assert "Foundations of mental health practice 10 9 0 1 0 90.0%" in page
    assert "451.2 h 338.4 h 291.0 h" in page
    assert "Warning: Actual hours are more than 10% behind the plan." in page
    # The chart's legend and axis labels are text inside the drawing.
    assert "Planned: hours the OTJ plan expects by then" in page
    assert "Actual: hours counted" in page
    assert "Oct 2024" in page


def test_every_care_certificate_standard_and_criterion_is_printed(sample: Rendered) -> None:
    cc = sample.portfolio.care_certificate
    assert len(cc.standards) == 16
    for standard in cc.standards:
        assert f"Standard {standard.number}: {standard.title}" in sample.text
        for outcome in standard.outcomes:
            for criterion in outcome.criteria:
                assert f"{criterion.code} {squeeze(criterion.text)}" in sample.text


def _signature_words(line: SignoffLine) -> str:
    s = line.signature
    registration = f", {s.registration}" if s.registration else ""
    return (
        f"Signed by {s.name} ({s.role}{registration}) on {local(s.signed_at)}, "
        f"meaning “{s.meaning}”"
    )


def test_every_record_prints_its_signature_manifestation(sample: Rendered) -> None:
    records = [
        line
        for group in sample.portfolio.supervised_practice.groups
        for competency in group.competencies
        for line in competency.records
    ] + [
        line
        for standard in sample.portfolio.care_certificate.standards
        for outcome in standard.outcomes
        for criterion in outcome.criteria
        for line in criterion.records
    ]
    assert len(records) > 200
    for line in records:
        assert _signature_words(line) in sample.text, line.record_id
    assert "(Mentor, Clinical team leader) on" in sample.text  # no registration, no comma


def test_signed_competencies_show_signer_date_and_status(sample: Rendered) -> None:
    practice = sample.text[sample.text.index("6. Supervised practice") :]
    signed = [
        c
        for g in sample.portfolio.supervised_practice.groups
        for c in g.competencies
        if c.status == "Competent"
    ]
    assert len(signed) == 23
    for competency in signed:
        last = competency.records[-1]
        assert f"{competency.code} {competency.title}" in practice
        assert f"Record {last.record_id} · Competent · assessed {format_day(last.assessed_on)}" in (
            practice
        )
        assert f"{last.signature.name} " in practice


def test_revocations_are_shown_with_their_reason(sample: Rendered) -> None:
    revocations = [
        line
        for g in sample.portfolio.supervised_practice.groups
        for c in g.competencies
        for line in c.records
        if line.is_revocation
    ]
    assert revocations
    for line in revocations:
        assert (
            f"REVOCATION · record {line.record_id} withdraws record {line.revokes_id}"
            in sample.text
        )
        assert f"Reason: {line.revocation_reason}" in sample.text
        assert f"REVOKED by record {line.record_id}, no longer counts" in sample.text


def test_reviews_ksbs_bands_and_gateway(sample: Rendered) -> None:
    text = sample.text
    assert "Review 1: Due 9 Dec 2024, held 12 Dec 2024" in text
    assert (
        "Employer: signed by Priya Shah, Ward manager on "
        + local(sample.portfolio.reviews[0].employer_signed_at or datetime.now(UTC))
        in text
    )
    assert "Provider: not signed" in text  # the last review
    ksb = sample.pages[sample.page_starting_with("7. KSB coverage") - 1]
    assert "KSB Kind Statement Mapped to Signed off Covered" in ksb
    bands = sample.pages[sample.page_starting_with("8. Band progression") - 1]
    assert "Current band: Band 4." in bands
    assert "Decided despite: Attendance 84.0% (85% needed)" in bands
    assert "Attendance NOT MET Attendance 84.0% (90% needed)" in bands
    gateway = sample.pages[sample.page_starting_with("9. Gateway checklist") - 1]
    assert "2 of 8 gateway checks met on 16 Mar 2026." in gateway
    assert "Maths Level 2 Met Maths Level 2 achieved" in gateway
    assert "At risk • OTJ hours more than 10% behind the plan" in gateway


def test_verification_page_prints_digest_audit_head_and_command(sample: Rendered) -> None:
    last = sample.pages[-1]
    assert SAMPLE_DIGEST in last
    assert (sample.portfolio.audit_head or "") in last
    assert "apdesk verify-portfolio FILE.pdf" in last
    assert "APDESK-PORTFOLIO:<digest>" in last


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="needs poppler-utils and zbar-tools to read the QR code back",
)
def test_qr_code_holds_the_digest(sample: Rendered, tmp_path: Path) -> None:
    pdf = tmp_path / "portfolio.pdf"
    pdf.write_bytes(sample.data)
    last = str(sample.page_count)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            last,
            "-l",
            last,
            "-singlefile",
            str(pdf),
            str(tmp_path / "last"),
        ],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "last.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert decoded == [f"APDESK-PORTFOLIO:{SAMPLE_DIGEST}"]


# ---- a new starter and the stress case --------------------------------------------------


def test_new_starter_portfolio_says_what_is_not_there_yet(empty: Rendered) -> None:
    text = empty.text
    for sentence in (
        "Unique learner number (ULN) Not recorded",
        "No breaks in learning recorded.",
        "No day-release sessions have been marked yet.",
        "There is nothing to chart yet",
        "0 of 215 criteria signed off",
        "No progress reviews have been recorded yet.",
        "0 of 29 competencies signed off competent.",
        "No current band is recorded.",
        "No band decisions have been recorded.",
        "No at-risk reasons on the export date.",
        "No audit-trail entry was recorded when this was exported.",
    ):
        assert sentence in text
    assert "Planned: hours the OTJ plan expects" not in text
    assert "Signed by" not in text


def test_long_portfolio_prints_user_text_literally(long: Rendered) -> None:
    cc = long.portfolio.care_certificate
    assert sum(len(o.criteria) for s in cc.standards for o in s.outcomes) == 200
    assert sum(len(g.competencies) for g in long.portfolio.supervised_practice.groups) == 40
    # Reading 100+ pages back is slow; the pages that matter are enough.
    pages = long.reader.pages
    attendance, first_criteria, last = (
        squeeze(pages[n].extract_text()) for n in (5, 8, long.page_count - 1)
    )
    assert attendance.startswith("3. Day-release attendance")
    assert "Warning 3: <b>not bold</b> & a detail" in attendance
    assert "acute admissions ward <Ward 7 & Ward 9>" in first_criteria
    assert f"Page {long.page_count} of {long.page_count}" in last
    assert LONG_DIGEST in last


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">')


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils' pdftotext")
def test_long_text_stays_inside_the_margins(long: Rendered, tmp_path: Path) -> None:
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(long.data)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = [tuple(map(float, match.groups())) for match in _WORD.finditer(boxes)]
    assert len(words) > 10_000
    tolerance = 0.5
    for x_min, y_min, x_max, y_max in words:
        assert x_min >= 18 * MM - tolerance
        assert x_max <= A4_WIDTH - 18 * MM + tolerance
        assert y_min >= 18 * MM - 3
        assert y_max <= A4_HEIGHT - 11 * MM + 3  # the footer's baseline, descenders allowed


# ---- ReportLab stays out of the rest of the app ------------------------------------------


def test_importing_the_portfolio_package_does_not_load_reportlab() -> None:
    check = "import sys, apdesk.portfolio; print('reportlab' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "False"


_IMPORTS_REPORTLAB = re.compile(r"^\s*(?:import|from)\s+reportlab\b", re.MULTILINE)


def test_only_the_printing_packages_import_reportlab() -> None:
    printing = (REPO / "apdesk" / "portfolio", REPO / "apdesk" / "reports")
    offenders = [
        str(path.relative_to(REPO))
        for path in sorted((REPO / "apdesk").rglob("*.py"))
        if not any(path.is_relative_to(package) for package in printing)
        and _IMPORTS_REPORTLAB.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
