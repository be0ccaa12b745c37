"""Fonts, paragraph styles and table styles of the printed portfolio.

Everything is black, white and greys: the portfolio is printed on office laser printers,
so no meaning may rest on colour. Fonts are the Bitstream Vera TTFs shipped inside
ReportLab, registered as TrueType so they are embedded (the standard 14 PDF fonts are not).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "Vera"
FONT_BOLD = "Vera-Bold"
FONT_ITALIC = "Vera-Italic"
FONT_BOLD_ITALIC = "Vera-BoldItalic"

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN = RIGHT_MARGIN = 18 * mm
TOP_MARGIN = 18 * mm
BOTTOM_MARGIN = 22 * mm  # room for the footer below the frame
FOOTER_BASELINE = 11 * mm
FRAME_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN

FOOTER_FONT_SIZE = 8
CONTENTS_FONT_SIZE = 10

INK = colors.black
GREY_TEXT = colors.Color(0.3, 0.3, 0.3)
RULE = colors.Color(0.55, 0.55, 0.55)
HEADER_FILL = colors.Color(0.87, 0.87, 0.87)
ZEBRA_FILL = colors.Color(0.96, 0.96, 0.96)

_FONT_FILES = {
    FONT: "Vera.ttf",
    FONT_BOLD: "VeraBd.ttf",
    FONT_ITALIC: "VeraIt.ttf",
    FONT_BOLD_ITALIC: "VeraBI.ttf",
}


@cache
def register_fonts() -> None:
    """Register the Vera family once per process (ReportLab keeps a global registry)."""
    font_dir = Path(reportlab.__file__).parent / "fonts"
    for name, file_name in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(font_dir / file_name)))
    # The family lets <b> and <i> inside a Paragraph pick the right embedded face.
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )


@dataclass(frozen=True)
class PortfolioStyles:
    cover_title: ParagraphStyle
    cover_name: ParagraphStyle
    cover_note: ParagraphStyle
    heading1: ParagraphStyle
    heading2: ParagraphStyle
    heading3: ParagraphStyle
    body: ParagraphStyle
    bullet: ParagraphStyle
    small: ParagraphStyle
    caption: ParagraphStyle
    cell: ParagraphStyle
    cell_header: ParagraphStyle
    cell_number: ParagraphStyle  # counts and percentages, right-aligned
    item: ParagraphStyle  # a criterion or competency line, code hanging in the margin
    record: ParagraphStyle  # one signed record under an item
    record_revocation: ParagraphStyle
    contents_title: ParagraphStyle
    contents_level0: ParagraphStyle
    contents_level1: ParagraphStyle
    digest: ParagraphStyle


def _style(name: str, **overrides: object) -> ParagraphStyle:
    base: dict[str, object] = {
        "fontName": FONT,
        "bulletFontName": FONT,  # the default, Helvetica, would not be embedded
        "fontSize": 9.5,
        "leading": 12.5,
        "textColor": INK,
        "alignment": TA_LEFT,
        "splitLongWords": 1,  # a 300-character "word" must wrap, never overflow
        "allowWidows": 0,
        "allowOrphans": 0,
    }
    base.update(overrides)
    return ParagraphStyle(name, **base)  # type: ignore[arg-type]


@cache
def portfolio_styles() -> PortfolioStyles:
    register_fonts()
    return PortfolioStyles(
        cover_title=_style(
            "CoverTitle", fontName=FONT_BOLD, fontSize=28, leading=34, spaceAfter=10 * mm
        ),
        cover_name=_style("CoverName", fontName=FONT_BOLD, fontSize=18, leading=23, spaceAfter=8),
        cover_note=_style("CoverNote", fontSize=9, leading=12, textColor=GREY_TEXT, spaceBefore=8),
        heading1=_style(
            "Heading1",
            fontName=FONT_BOLD,
            fontSize=17,
            leading=21,
            spaceAfter=9,
            keepWithNext=1,
        ),
        heading2=_style(
            "Heading2",
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=15.5,
            spaceBefore=12,
            spaceAfter=5,
            keepWithNext=1,
        ),
        heading3=_style(
            "Heading3",
            fontName=FONT_BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        body=_style("Body", spaceAfter=5),
        bullet=_style("Bullet", leftIndent=12, bulletIndent=2, spaceAfter=2),
        small=_style("Small", fontSize=8, leading=10, textColor=GREY_TEXT, spaceAfter=4),
        caption=_style("Caption", fontSize=8, leading=10, textColor=GREY_TEXT, alignment=TA_CENTER),
        cell=_style("Cell", fontSize=8.5, leading=10.5),
        cell_header=_style("CellHeader", fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
        cell_number=_style("CellNumber", fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        item=_style(
            "Item",
            fontSize=9,
            leading=11.5,
            leftIndent=40,
            bulletIndent=0,
            bulletFontName=FONT_BOLD,
            bulletFontSize=9,
            spaceBefore=6,
        ),
        record=_style("Record", fontSize=8.5, leading=10.8, leftIndent=40, spaceBefore=3),
        record_revocation=_style(
            "RecordRevocation",
            fontSize=8.5,
            leading=10.8,
            leftIndent=44,
            rightIndent=4,  # the border is drawn outside the text: keep it inside the frame
            spaceBefore=6,
            spaceAfter=5,
            borderWidth=0.9,
            borderColor=INK,
            borderPadding=(3, 4, 3, 4),
        ),
        contents_title=_style(
            "ContentsTitle", fontName=FONT_BOLD, fontSize=17, leading=21, spaceAfter=12
        ),
        contents_level0=_style(
            "Contents0", fontName=FONT_BOLD, fontSize=CONTENTS_FONT_SIZE, leading=13, spaceBefore=5
        ),
        contents_level1=_style(
            "Contents1", fontSize=CONTENTS_FONT_SIZE - 0.5, leading=12, leftIndent=14, spaceBefore=1
        ),
        digest=_style("Digest", fontName=FONT_BOLD, fontSize=10, leading=14, alignment=TA_CENTER),
    )


def grid_table_style(*, header_rows: int = 1) -> list[tuple[object, ...]]:
    """Thin grey grid, shaded header, light zebra: reads the same on a mono printer."""
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the default, Helvetica, is never embedded
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, ZEBRA_FILL]),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL))
        commands.append(("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.9, INK))
    return commands


def label_table_style() -> list[tuple[object, ...]]:
    """Two-column label/value lists (cover, personal details): rules between rows only."""
    return [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
