"""Page furniture in one rendering pass: page templates, footer, contents and outline.

"Page X of Y" and the contents' page numbers are forward references. Instead of laying the
story out twice (``multiBuild``), each page draws a named form XObject where the unknown
number goes; the canvas defines those forms in ``save()``, when every number is known.
A PDF form is referenced by name and may be defined after the pages that use it, and
link annotations may name destinations bookmarked later, so one pass is enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from apdesk.portfolio.styles import (
    BOTTOM_MARGIN,
    FONT,
    FOOTER_BASELINE,
    FOOTER_FONT_SIZE,
    FRAME_WIDTH,
    INK,
    LEFT_MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT_MARGIN,
    RULE,
    TOP_MARGIN,
    portfolio_styles,
)

TOTAL_PAGES_FORM = "apdesk-total-pages"
COVER_TEMPLATE = "cover"
BODY_TEMPLATE = "body"

_LEADER_CALLBACK = "apdeskContentsLeader"
_NUMBER_ROOM = 30.0  # right-hand column of the contents that holds page numbers
_DOT_PITCH = 4.5  # dots sit on a fixed grid from the right, so columns of dots line up
_DOT_SIZE = 0.9


def contents_form(key: str) -> str:
    return f"apdesk-toc-{key}"


class WrapOnceParagraph(Paragraph):
    """A Paragraph that breaks its lines once for a given width, however often it is asked.

    Platypus wraps most paragraphs two or three times at the same width: a KeepTogether
    measures its content, then the frame measures each piece again as it places it, and a
    table re-measures its cells each time it splits across a page. Line breaking is about
    half of the portfolio's layout time, and its answer depends only on the width.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # A failed split deletes blPara (the broken lines): then the lines are broken afresh.
        if self._wrapped is not None and self._wrapped[0] == availWidth and "blPara" in vars(self):
            return self._wrapped[1]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the contents and one outline entry: ``key`` is the PDF destination."""

    key: str
    title: str
    level: int  # 0 for a section, 1 for a standard or competency group inside one


@dataclass
class PageLedger:
    """The page each heading landed on, filled in while the story is drawn."""

    entries: tuple[ContentsEntry, ...]
    pages: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class FooterText:
    apprentice: str
    exported: str  # "Exported 25 Nov 2026"


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis so it fits ``width`` on one line."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # longest prefix that still fits with the ellipsis
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


class PortfolioCanvas(Canvas):
    """Counts pages as they are shown and defines the forward-referenced forms on save."""

    def __init__(self, *args: Any, ledger: PageLedger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ledger = ledger
        self.pages_shown = 0

    def showPage(self) -> None:
        self.pages_shown += 1
        super().showPage()

    def save(self) -> None:
        self._define_total_pages_form()
        self._define_contents_forms()
        super().save()

    def _define_total_pages_form(self) -> None:
        self.beginForm(TOTAL_PAGES_FORM, lowerx=-2, lowery=-4, upperx=60, uppery=12)
        self.setFont(FONT, FOOTER_FONT_SIZE)
        self.setFillColor(INK)
        self.drawString(0, 0, str(self.pages_shown))
        self.endForm()

    def _define_contents_forms(self) -> None:
        for entry in self.ledger.entries:
            style = contents_style(entry)
            # Every contents line references its form, so each must exist even if its
            # heading was somehow never drawn; a dash is honest about that.
            page = self.ledger.pages.get(entry.key)
            self.beginForm(contents_form(entry.key), lowerx=-60, lowery=-4, upperx=2, uppery=14)
            self.setFont(style.fontName, style.fontSize)
            self.setFillColor(INK)
            self.drawRightString(0, 0, str(page) if page is not None else "–")
            self.endForm()


class AnchoredHeading(Flowable):
    """A heading that is a PDF destination and outline entry and records its page."""

    def __init__(
        self,
        markup: str,
        style: Any,
        entry: ContentsEntry,
        ledger: PageLedger,
    ) -> None:
        super().__init__()
        self._paragraph = WrapOnceParagraph(markup, style)
        self.entry = entry
        self._ledger = ledger
        self.keepWithNext = bool(getattr(style, "keepWithNext", False))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self._paragraph.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # a heading moves to the next page whole

    def getSpaceBefore(self) -> float:
        return self._paragraph.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self._paragraph.getSpaceAfter()

    def draw(self) -> None:
        canvas = self.canv
        canvas.bookmarkHorizontal(self.entry.key, 0, self.height + 4)
        canvas.addOutlineEntry(self.entry.title, self.entry.key, level=self.entry.level)
        self._ledger.pages[self.entry.key] = canvas.getPageNumber()
        self._paragraph.drawOn(canvas, 0, 0)


class ContentsLine(Flowable):
    """A contents entry: wrapped title, dot leader, page number form, whole line a link."""

    def __init__(self, markup: str, style: Any, entry: ContentsEntry) -> None:
        super().__init__()
        self.entry = entry
        self._style = style
        self._paragraph = WrapOnceParagraph(
            f'{markup}<onDraw name="{_LEADER_CALLBACK}" label="{entry.key}"/>', style
        )
        self._text_end: tuple[float, float] = (0.0, 0.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        _, self.height = self._paragraph.wrap(availWidth - _NUMBER_ROOM, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def getSpaceBefore(self) -> float:
        return self._paragraph.getSpaceBefore()

    def draw(self) -> None:
        canvas = self.canv
        canvas.setNamedCB(_LEADER_CALLBACK, self._note_text_end)
        self._paragraph.drawOn(canvas, 0, 0)
        # Drawn after the title so text extraction and screen readers meet title, then number.
        text_end, baseline = self._text_end
        canvas.saveState()
        leader_end = self.width - _NUMBER_ROOM + 4
        leader_start = leader_end - _DOT_PITCH * ((leader_end - text_end - 6) // _DOT_PITCH)
        if leader_start < leader_end:
            # Round zero-length dashes: dots that are graphics, not text to extract.
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(_DOT_SIZE)
            canvas.setLineCap(1)
            canvas.setDash([0, _DOT_PITCH])
            canvas.line(leader_start, baseline + 1.2, leader_end, baseline + 1.2)
        canvas.translate(self.width, baseline)
        canvas.doForm(contents_form(self.entry.key))
        canvas.restoreState()
        canvas.linkRect("", self.entry.key, (0, 0, self.width, self.height), relative=1)

    def _note_text_end(self, canvas: Canvas, kind: str, label: str | None) -> None:
        # Called by the paragraph where its last word ends, in paragraph coordinates.
        info = canvas._curr_tx_info
        self._text_end = (float(info["cur_x"]), float(info["cur_y"]))


def _draw_footer(canvas: Canvas, footer: FooterText) -> None:
    canvas.saveState()
    right = PAGE_WIDTH - RIGHT_MARGIN
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(LEFT_MARGIN, FOOTER_BASELINE + 10, right, FOOTER_BASELINE + 10)
    canvas.setFillColor(INK)
    canvas.setFont(FONT, FOOTER_FONT_SIZE)

    # The total is drawn by a form defined at save(); room is kept for three digits.
    page_words = f"Page {canvas.getPageNumber()} of "
    total_room = stringWidth("999", FONT, FOOTER_FONT_SIZE)
    page_x = right - total_room - stringWidth(page_words, FONT, FOOTER_FONT_SIZE)
    canvas.drawString(page_x, FOOTER_BASELINE, page_words)
    canvas.saveState()
    canvas.translate(page_x + stringWidth(page_words, FONT, FOOTER_FONT_SIZE), FOOTER_BASELINE)
    canvas.doForm(TOTAL_PAGES_FORM)
    canvas.restoreState()

    exported_width = stringWidth(footer.exported, FONT, FOOTER_FONT_SIZE)
    canvas.drawCentredString(PAGE_WIDTH / 2, FOOTER_BASELINE, footer.exported)
    name_room = PAGE_WIDTH / 2 - exported_width / 2 - LEFT_MARGIN - 12
    canvas.drawString(
        LEFT_MARGIN,
        FOOTER_BASELINE,
        fit_text(footer.apprentice, FONT, FOOTER_FONT_SIZE, name_room),
    )
    canvas.restoreState()


class PortfolioDocTemplate(BaseDocTemplate):
    """A4, a footer-less cover template and a body template with the footer."""

    def __init__(self, out: Any, *, footer: FooterText, **metadata: Any) -> None:
        super().__init__(
            out,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            leftMargin=LEFT_MARGIN,
            rightMargin=RIGHT_MARGIN,
            topMargin=TOP_MARGIN,
            bottomMargin=BOTTOM_MARGIN,
            initialFontName=FONT,  # otherwise every page names an unembedded Helvetica
            displayDocTitle=1,
            lang="en-GB",
            **metadata,
        )
        frame = Frame(
            LEFT_MARGIN,
            BOTTOM_MARGIN,
            FRAME_WIDTH,
            PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates(
            [
                PageTemplate(COVER_TEMPLATE, frames=[frame]),
                PageTemplate(
                    BODY_TEMPLATE,
                    frames=[frame],
                    # Drawn last so text extraction reads the page before its footer.
                    onPageEnd=lambda canvas, _doc: _draw_footer(canvas, footer),
                ),
            ]
        )


def contents_style(entry: ContentsEntry) -> ParagraphStyle:
    styles = portfolio_styles()
    return styles.contents_level0 if entry.level == 0 else styles.contents_level1


def contents_lines(entries: Sequence[ContentsEntry], markup: Sequence[str]) -> list[ContentsLine]:
    """One line per entry; ``markup`` is each title already escaped for a Paragraph."""
    return [
        ContentsLine(text, contents_style(entry), entry)
        for entry, text in zip(entries, markup, strict=True)
    ]
