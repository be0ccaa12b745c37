"""The floor for portfolios: the same flowables, built and drawn by a plain SimpleDocTemplate.

No page templates, footers, "Page X of Y" or contents page numbers: only the story itself,
laid out and drawn by ReportLab. apdesk.portfolio.document.render_raw_reportlab does this
(headings as plain paragraphs); without it, the story is drawn as the app builds it, the
contents lines' page-number forms defined empty and page-template switches dropped.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apdesk.services.portfolio_views import Portfolio


def _story(portfolio: Portfolio, digest: str) -> tuple[list[Any], list[str]]:
    """The portfolio's flowables, and the names of the contents forms they draw."""
    from apdesk.portfolio import document
    from apdesk.portfolio.pages import PageLedger, contents_form

    entries = document.contents_entries(portfolio)
    ledger = PageLedger(entries)
    build_story = getattr(document, "build_story", None)  # a public hook, once there is one
    if build_story is not None:
        story = build_story(portfolio, digest, ledger)
    else:
        story = document._StoryBuilder(portfolio, digest, ledger).build()
    return story, [contents_form(entry.key) for entry in entries]


def render_raw(portfolio: Portfolio, digest: str, out: str | os.PathLike[str]) -> int:
    """Build the story and draw it with SimpleDocTemplate; return the page count."""
    from apdesk.portfolio import document

    hook = getattr(document, "render_raw_reportlab", None)
    if hook is not None:
        return int(hook(portfolio, digest, out))
    return _render_app_story_raw(portfolio, digest, out)


def _render_app_story_raw(portfolio: Portfolio, digest: str, out: str | os.PathLike[str]) -> int:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import NextPageTemplate, SimpleDocTemplate

    from apdesk.portfolio.styles import (
        BOTTOM_MARGIN,
        LEFT_MARGIN,
        RIGHT_MARGIN,
        TOP_MARGIN,
        register_fonts,
    )

    register_fonts()
    story, forms = _story(portfolio, digest)
    story = [flowable for flowable in story if not isinstance(flowable, NextPageTemplate)]

    class FloorCanvas(Canvas):
        pages = 0

        def showPage(self) -> None:
            FloorCanvas.pages += 1
            super().showPage()

        def save(self) -> None:
            for name in forms:
                self.beginForm(name)
                self.endForm()
            super().save()

    padding = 6  # SimpleDocTemplate's frame pads by 6 pt: the same text area as the app's
    document = SimpleDocTemplate(
        os.fspath(out),
        pagesize=A4,
        leftMargin=LEFT_MARGIN - padding,
        rightMargin=RIGHT_MARGIN - padding,
        topMargin=TOP_MARGIN - padding,
        bottomMargin=BOTTOM_MARGIN - padding,
    )
    document.build(story, canvasmaker=FloorCanvas)
    return FloorCanvas.pages


def render_raw_job(job: tuple[Portfolio, str, str]) -> int:
    """For a process pool: one (portfolio, digest, path)."""
    return render_raw(*job)
