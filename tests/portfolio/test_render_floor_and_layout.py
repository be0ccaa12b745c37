"""Layout shortcuts change nothing on paper, and the raw-ReportLab floor draws the same story."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.platypus import Flowable, NextPageTemplate, Paragraph

from apdesk.portfolio import render_portfolio
from apdesk.portfolio.document import SECTION_TITLES, plain_story, render_raw_reportlab
from apdesk.portfolio.pages import AnchoredHeading, ContentsLine, WrapOnceParagraph
from apdesk.portfolio.styles import portfolio_styles
from apdesk.services.portfolio_views import Portfolio
from tests.helpers.portfolio_samples import (
    LONG_DIGEST,
    SAMPLE_DIGEST,
    long_portfolio,
    sample_portfolio,
)

SAMPLES = {
    "sample": (sample_portfolio, SAMPLE_DIGEST),
    "long": (long_portfolio, LONG_DIGEST),
}


def pdf_bytes(portfolio: Portfolio, digest: str) -> bytes:
    out = io.BytesIO()
    render_portfolio(portfolio, digest, out)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_breaking_lines_once_per_width_gives_the_very_same_pdf(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    make, digest = SAMPLES[name]
    portfolio = make()
    monkeypatch.setattr(rl_config, "invariant", 1)  # no dates or random ids in the file
    shortcut = pdf_bytes(portfolio, digest)
    monkeypatch.setattr(WrapOnceParagraph, "wrap", Paragraph.wrap)
    stock = pdf_bytes(portfolio, digest)
    assert shortcut == stock


def test_a_paragraph_is_broken_again_at_another_width_and_after_a_failed_split() -> None:
    words = " ".join(f"word{n}" for n in range(200))
    paragraph = WrapOnceParagraph(words, portfolio_styles().body)
    wide = paragraph.wrap(400, 1000)
    assert paragraph.wrap(400, 50) == wide
    narrow = paragraph.wrap(200, 1000)
    assert narrow[1] > wide[1]
    assert paragraph.split(200, 5) == []  # too little room: ReportLab drops its broken lines
    assert paragraph.wrap(200, 1000) == narrow
    first, rest = paragraph.split(200, 100)
    assert isinstance(first, WrapOnceParagraph) and isinstance(rest, WrapOnceParagraph)
    assert first.wrap(200, 100)[1] + rest.wrap(200, 1000)[1] == pytest.approx(narrow[1])


def test_the_plain_story_has_no_page_furniture() -> None:
    story = plain_story(sample_portfolio(), SAMPLE_DIGEST)
    furniture = (AnchoredHeading, ContentsLine, NextPageTemplate)

    def flatten(flowables: list[Flowable]) -> list[Flowable]:
        found: list[Flowable] = []
        for flowable in flowables:
            found.append(flowable)
            found += flatten(getattr(flowable, "_content", []))
        return found

    assert not [f for f in flatten(story) if isinstance(f, furniture)]


def test_the_raw_reportlab_floor_draws_the_same_content_without_furniture() -> None:
    portfolio = sample_portfolio()
    out = io.BytesIO()
    pages = render_raw_reportlab(portfolio, SAMPLE_DIGEST, out)
    reader = PdfReader(out)
    assert len(reader.pages) == pages
    app_pages = len(PdfReader(io.BytesIO(pdf_bytes(portfolio, SAMPLE_DIGEST))).pages)
    assert abs(pages - app_pages) <= 2  # the same text area; only headings' keeping differs
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for number, title in enumerate(SECTION_TITLES, start=1):
        assert f"{number}. {title}" in text
    assert portfolio.apprentice.name in text and SAMPLE_DIGEST in text
    assert "Page 2 of" not in text and not reader.outline
