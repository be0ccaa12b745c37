"""A subject access request's two files: the JSON of everything held, and a PDF to read.

The PDF is the evidence portfolio (the same renderer, so it never disagrees with what the
apprentice was given) between a front page saying what the request holds and an appendix of
what the portfolio does not print: the account, RPL, portfolio exports and audit trail.
pypdf joins the three parts; the portfolio's pages keep their own "Page X of Y".

Imports ReportLab: callers import this module when they export, not at start-up.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from pypdf import PdfReader, PdfWriter
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from apdesk.domain.calendar import format_day
from apdesk.portfolio import render_portfolio
from apdesk.portfolio.document import local_moment, markup
from apdesk.portfolio.styles import (
    BOTTOM_MARGIN,
    FONT,
    FOOTER_BASELINE,
    FOOTER_FONT_SIZE,
    FRAME_WIDTH,
    LEFT_MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT_MARGIN,
    TOP_MARGIN,
    grid_table_style,
    label_table_style,
    portfolio_styles,
)
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError
from apdesk.services.portfolio import PreparedPortfolio, prepare_portfolio
from apdesk.services.subject_access import (
    SECTIONS,
    SubjectAccessRecord,
    record_subject_access_export,
    subject_access_record,
)

if TYPE_CHECKING:
    from apdesk.db.database import Database

PDF_TITLE = "Subject access request"


@dataclass(frozen=True)
class SubjectAccessFiles:
    json_path: Path
    pdf_path: Path
    trainee_name: str
    pages: int
    counts: dict[str, int]

    @property
    def paths(self) -> tuple[Path, Path]:
        return self.json_path, self.pdf_path


class SubjectAccessWriteError(ActionRefusedError):
    """A file could not be written in the folder asked for."""


def subject_access_stem(name: str, uln: str | None, trainee_id: int, on: date) -> str:
    """E.g. "SubjectAccess_Kieran_Singh_1234567890_2026-11-25": ASCII, safe everywhere."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^A-Za-z0-9]+", "_", ascii_name).strip("_") or "trainee"
    return f"SubjectAccess_{words}_{uln or f'id{trainee_id}'}_{on.isoformat()}"


def subject_access_export(
    database: Database, actor: Actor, trainee_id: int, folder: Path
) -> SubjectAccessFiles:
    """Write both files into ``folder`` (administrators only) and audit the export."""
    record = subject_access_record(database, actor, trainee_id)
    prepared = prepare_portfolio(database, actor, trainee_id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SubjectAccessWriteError(
            f"Cannot create the folder {folder}: {error.strerror}"
        ) from error
    stem = subject_access_stem(
        record.name, record.uln, trainee_id, record.produced_at.astimezone().date()
    )
    json_path, pdf_path = folder / f"{stem}.json", folder / f"{stem}.pdf"
    text = json.dumps(record.content, indent=2, ensure_ascii=False) + "\n"
    _write_atomically(json_path, lambda out: Path(out).write_text(text, encoding="utf-8"))
    pages = _write_atomically(
        pdf_path, lambda out: render_subject_access_pdf(record, prepared, json_path.name, out)
    )
    record_subject_access_export(database, actor, record, [json_path.name, pdf_path.name])
    return SubjectAccessFiles(json_path, pdf_path, record.name, pages, record.counts)


def render_subject_access_pdf(
    record: SubjectAccessRecord,
    prepared: PreparedPortfolio,
    json_name: str,
    out: str | os.PathLike[str] | BinaryIO,
) -> int:
    """Front page, evidence portfolio, appendix, in one PDF with a bookmark for each part."""

    front, portfolio, appendix = BytesIO(), BytesIO(), BytesIO()
    _render_story(_front_page(record, json_name), record, front)
    render_portfolio(prepared.portfolio, prepared.digest, portfolio)
    _render_story(_appendix(record), record, appendix)
    writer = PdfWriter()
    writer.append(PdfReader(front), outline_item=f"{PDF_TITLE}: what this holds")
    # Keep the portfolio's annotations: its contents page links to its sections.
    writer.append(PdfReader(portfolio), outline_item="Evidence portfolio", excluded_fields=())
    writer.append(PdfReader(appendix), outline_item="Appendix: account, exports, audit trail")
    writer.add_metadata(
        {"/Title": f"{PDF_TITLE}: {record.name}", "/Author": "APDesk", "/Subject": PDF_TITLE}
    )
    writer.write(out)
    return len(writer.pages)


# -- the two parts drawn here ------------------------------------------------------------


def _render_story(story: list[Flowable], record: SubjectAccessRecord, out: BinaryIO) -> None:
    produced = format_day(record.produced_at.astimezone().date())
    footer = f"{PDF_TITLE}: {record.name} · produced {produced}"

    def draw_footer(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, FOOTER_FONT_SIZE)
        canvas.drawString(LEFT_MARGIN, FOOTER_BASELINE, footer)
        canvas.restoreState()

    document = BaseDocTemplate(
        out,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        initialFontName=FONT,  # otherwise every page names an unembedded Helvetica
        title=f"{PDF_TITLE}: {record.name}",
        author="APDesk",
        lang="en-GB",
    )
    # No frame padding, as in the portfolio: tables are exactly FRAME_WIDTH wide.
    frame = Frame(
        LEFT_MARGIN,
        BOTTOM_MARGIN,
        FRAME_WIDTH,
        PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document.addPageTemplates([PageTemplate("page", frames=[frame], onPageEnd=draw_footer)])
    document.build(story)


def _front_page(record: SubjectAccessRecord, json_name: str) -> list[Flowable]:
    styles = portfolio_styles()
    about = record.content["about"]
    counts = about["counts"]
    story: list[Flowable] = [
        Paragraph(PDF_TITLE, styles.cover_title),
        Paragraph(markup(record.name), styles.cover_name),
        _label_table(
            [
                ("Trainee id", str(record.trainee_id)),
                ("ULN", record.uln or "Not recorded"),
                ("Produced", local_moment(record.produced_at)),
                ("Produced by", about["produced_by"]),
                ("APDesk version", about["apdesk_version"]),
            ]
        ),
        Spacer(1, 10),
        Paragraph(
            markup(
                f"This document and the file {json_name} hold everything APDesk holds on "
                f"{record.name}. The JSON file lists every stored field of every record "
                "(dates as YYYY-MM-DD, times in UTC); this document prints them to be read. "
                "Password hashes are never exported."
            ),
            styles.body,
        ),
        Paragraph("What is held", styles.heading2),
        _grid(
            ["Section of the JSON file", "What it holds", "Records"],
            [[key, meaning, str(counts[key])] for key, meaning in SECTIONS],
            widths=(0.3, 0.58, 0.12),
        ),
        Spacer(1, 8),
        Paragraph(
            markup(
                "Next comes the evidence portfolio as printed for end-point assessment (its "
                "pages keep their own numbers), then an appendix: the sign-in account, "
                "recognition of prior learning, the portfolios exported and every audit "
                "trail entry. Each register mark and off-the-job log entry is in the JSON file; "
                "the portfolio prints their totals."
            ),
            styles.body,
        ),
    ]
    return story


def _appendix(record: SubjectAccessRecord) -> list[Flowable]:
    styles = portfolio_styles()
    content = record.content
    story: list[Flowable] = [Paragraph("Appendix", styles.heading1)]

    story.append(Paragraph("Sign-in account", styles.heading2))
    account = content["account"]
    if account is None:
        story.append(Paragraph("No sign-in account is linked to this record.", styles.body))
    else:
        story.append(
            _label_table(
                [
                    ("User name", account["username"]),
                    ("Full name", account["full_name"]),
                    ("Role", str(account["role"]).replace("_", " ")),
                    ("Email", account["email"] or "Not recorded"),
                    ("Active", "Yes" if account["is_active"] else "No (deactivated)"),
                    ("Created", _moment(account["created_at"])),
                    ("Locked until", _moment(account["locked_until"]) or "Not locked"),
                ]
            )
        )

    story.append(Paragraph("Recognition of prior learning", styles.heading2))
    rpl = content["rpl_reductions"]
    if rpl:
        story.append(
            _grid(
                ["Agreed", "Hours", "Reason"],
                [[_day(row["agreed_on"]), f"{row['hours']:g}", row["reason"]] for row in rpl],
                widths=(0.18, 0.12, 0.7),
            )
        )
    else:
        story.append(Paragraph("None recorded.", styles.body))

    story.append(Paragraph("Evidence portfolios exported", styles.heading2))
    exports = content["portfolio_exports"]
    if exports:
        story.append(
            _grid(
                ["Exported", "By", "Digest (SHA-256)"],
                [
                    [_moment(row["exported_at"]), row["exported_by_name"], row["digest"]]
                    for row in exports
                ],
                widths=(0.2, 0.25, 0.55),
            )
        )
    else:
        story.append(Paragraph("None exported.", styles.body))

    story.append(Paragraph("Audit trail entries", styles.heading2))
    story.append(
        Paragraph(
            markup(
                "Every change recorded about this apprentice or their account, and every "
                "change they made, oldest first. The values before and after each change are "
                "in the JSON file."
            ),
            styles.small,
        )
    )
    if record.audit_entries:
        story.append(
            _grid(
                ["When", "Who", "Action", "What"],
                [
                    [
                        local_moment(line.occurred_at),
                        line.actor_name,
                        line.action.replace("_", " "),
                        line.summary,
                    ]
                    for line in record.audit_entries
                ],
                widths=(0.17, 0.2, 0.16, 0.47),
            )
        )
    else:
        story.append(Paragraph("No entries.", styles.body))
    return story


def _label_table(pairs: Sequence[tuple[str, str]]) -> Table:
    styles = portfolio_styles()
    rows = [
        [Paragraph(markup(label), styles.cell_header), Paragraph(markup(value), styles.cell)]
        for label, value in pairs
    ]
    return Table(rows, colWidths=[FRAME_WIDTH * 0.3, FRAME_WIDTH * 0.7], style=label_table_style())


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Table:
    styles = portfolio_styles()
    cells = [[Paragraph(markup(text), styles.cell_header) for text in header]]
    cells += [[Paragraph(markup(str(text)), styles.cell) for text in row] for row in rows]
    return Table(
        cells,
        colWidths=[FRAME_WIDTH * share for share in widths],
        repeatRows=1,  # a long audit trail splits across pages under its header
        style=grid_table_style(),
    )


def _moment(text: str | None) -> str:
    return local_moment(datetime.fromisoformat(text)) if text else ""


def _day(text: str | None) -> str:
    return format_day(date.fromisoformat(text)) if text else ""


def _write_atomically(path: Path, write: Callable[[str], Any]) -> Any:
    """Write beside the target and move into place, so a failure leaves no half file."""
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.stem}-", suffix=".partial", dir=path.parent
        )
        os.close(handle)
    except OSError as error:
        raise SubjectAccessWriteError(f"Cannot write in {path.parent}: {error.strerror}") from error
    try:
        result = write(temporary)
        Path(temporary).replace(path)
    except PermissionError as error:
        raise SubjectAccessWriteError(
            f"Cannot replace {path}: it may be open in another program. Close it and try again."
        ) from error
    except OSError as error:
        raise SubjectAccessWriteError(f"Cannot write {path}: {error.strerror or error}") from error
    finally:
        Path(temporary).unlink(missing_ok=True)
    return result
