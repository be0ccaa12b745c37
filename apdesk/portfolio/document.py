"""The portfolio's story: one builder per section, in the order the assessor reads them.

Everything from users (names, notes, evidence) goes through :func:`markup` before it
reaches a Paragraph: ReportLab parses Paragraph text as XML, so an unescaped "<" or "&"
in a mentor's note would either vanish or stop the export.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.platypus import (
    Flowable,
    FrameBreak,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from apdesk.domain.calendar import format_day
from apdesk.domain.checks import Check
from apdesk.domain.units import format_hours, format_number, format_plain
from apdesk.portfolio.charts import otj_chart, qr_code
from apdesk.portfolio.pages import (
    BODY_TEMPLATE,
    AnchoredHeading,
    ContentsEntry,
    FooterText,
    PageLedger,
    PortfolioCanvas,
    PortfolioDocTemplate,
    WrapOnceParagraph,
    contents_lines,
    contents_style,
)
from apdesk.portfolio.styles import (
    BOTTOM_MARGIN,
    FONT,
    FRAME_WIDTH,
    LEFT_MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT_MARGIN,
    TOP_MARGIN,
    PortfolioStyles,
    grid_table_style,
    label_table_style,
    portfolio_styles,
    register_fonts,
)
from apdesk.services.portfolio_digest import QR_PREFIX
from apdesk.services.portfolio_views import (
    ApprenticeDetails,
    OtjSummary,
    Portfolio,
    ReviewLine,
    SignoffLine,
)

SECTION_TITLES = (
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
VERIFY_COMMAND = "apdesk verify-portfolio FILE.pdf"
NOT_RECORDED = "Not recorded"
_ITEM_MOVE_ROOM = 110.0  # points left on a page below which an item starts a new page

# Control characters are not text and make the Paragraph parser fail; tabs become spaces.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def markup(text: str) -> str:
    """User text made safe for a Paragraph, line breaks kept."""
    cleaned = _CONTROL_CHARACTERS.sub("", text.replace("\t", " ").replace("\r\n", "\n"))
    return escape(cleaned).replace("\n", "<br/>")


def local_moment(moment: datetime) -> str:
    """A stored UTC time as the reader's clock shows it: ``25 Nov 2026 14:05``."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    local = aware.astimezone()
    return f"{format_day(local.date())} {local:%H:%M}"


def _day(value: date | None, missing: str = NOT_RECORDED) -> str:
    return format_day(value) if value is not None else missing


def _hours(value: Decimal | None) -> str:
    return format_hours(value) if value is not None else "Not set"


def _met(check: Check) -> str:
    return "Met" if check.met else "<b>NOT MET</b>"


def section_key(number: int) -> str:
    return f"section-{number}"


def contents_entries(portfolio: Portfolio) -> tuple[ContentsEntry, ...]:
    """Every contents line, known before anything is laid out."""
    entries: list[ContentsEntry] = []
    for number, title in enumerate(SECTION_TITLES, start=1):
        entries.append(ContentsEntry(section_key(number), f"{number}. {title}", 0))
        if title == "Care Certificate":
            entries += [
                ContentsEntry(f"standard-{index}", f"Standard {s.number}: {s.title}", 1)
                for index, s in enumerate(portfolio.care_certificate.standards)
            ]
        elif title == "Supervised practice":
            entries += [
                ContentsEntry(f"group-{index}", f"{g.code}: {g.title}", 1)
                for index, g in enumerate(portfolio.supervised_practice.groups)
            ]
    return tuple(entries)


class _StoryBuilder:
    def __init__(
        self, portfolio: Portfolio, digest: str, ledger: PageLedger, *, plain: bool = False
    ) -> None:
        self.portfolio = portfolio
        self.digest = digest
        self.ledger = ledger
        self.plain = plain  # no page furniture: see plain_story()
        self.styles: PortfolioStyles = portfolio_styles()
        self.entries = {entry.key: entry for entry in ledger.entries}
        self.story: list[Flowable] = []
        # Headings waiting to be kept with the next item (see item()); ReportLab's own
        # keepWithNext cannot join a heading to a KeepTogether, so this does it instead.
        self.leads: list[Flowable] = []

    # ---- small pieces -------------------------------------------------------------------

    def add(self, *flowables: Flowable) -> None:
        self.story.extend(self.leads)
        self.leads.clear()
        self.story.extend(flowables)

    def para(self, text: str, style: Any = None) -> Paragraph:
        """A paragraph of plain text (escaped here)."""
        return WrapOnceParagraph(markup(text), style or self.styles.body)

    def cell(self, text: str, *, header: bool = False) -> Paragraph:
        return WrapOnceParagraph(
            markup(text), self.styles.cell_header if header else self.styles.cell
        )

    def number(self, text: str) -> Paragraph:
        return WrapOnceParagraph(markup(text), self.styles.cell_number)

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[str | Paragraph]],
        fractions: Sequence[float],
    ) -> Table:
        """A grid whose cells wrap; the header row repeats on every page it spans."""
        data: list[list[Any]] = [[self.cell(text, header=True) for text in header]]
        for row in rows:
            data.append(
                [value if isinstance(value, Flowable) else self.cell(value) for value in row]
            )
        widths = [FRAME_WIDTH * fraction for fraction in fractions]
        return Table(data, colWidths=widths, repeatRows=1, style=grid_table_style(), hAlign="LEFT")

    def label_table(self, pairs: Sequence[tuple[str, str]], label_fraction: float = 0.3) -> Table:
        data = [[self.cell(label, header=True), self.cell(value)] for label, value in pairs]
        widths = [FRAME_WIDTH * label_fraction, FRAME_WIDTH * (1 - label_fraction)]
        return Table(data, colWidths=widths, style=label_table_style(), hAlign="LEFT")

    def bullets(self, lines: Iterable[str], prefix: str = "") -> None:
        for line in lines:
            self.add(WrapOnceParagraph(prefix + markup(line), self.styles.bullet, bulletText="•"))

    def anchored(self, key: str, style: Any) -> Flowable:
        return self.anchored_entry(self.entries[key], markup(self.entries[key].title), style)

    def anchored_entry(self, entry: ContentsEntry, text: str, style: Any) -> Flowable:
        if self.plain:
            return WrapOnceParagraph(text, style)
        return AnchoredHeading(text, style, entry, self.ledger)

    def heading(self, key: str, style: Any) -> None:
        self.add(self.anchored(key, style))

    def section(self, number: int) -> None:
        self.add(PageBreak())
        self.heading(section_key(number), self.styles.heading1)

    def subheading(self, text: str) -> None:
        self.add(self.para(text, self.styles.heading2))

    # ---- cover and contents -------------------------------------------------------------

    def cover(self) -> None:
        p, a = self.portfolio, self.portfolio.apprentice
        cover_entry = ContentsEntry("cover", "Cover", 0)
        self.add(
            Spacer(1, 30),
            self.anchored_entry(cover_entry, "Evidence portfolio", self.styles.cover_title),
            self.para(a.name, self.styles.cover_name),
            Spacer(1, 12),
            self.label_table(
                [
                    ("Unique learner number (ULN)", a.uln or NOT_RECORDED),
                    ("Employer", a.employer),
                    ("Cohort", a.cohort),
                    ("Mentor", a.mentor or "None assigned"),
                    ("Programme", a.programme),
                    ("Competency framework", a.competency_framework),
                    ("Start date", format_day(a.start_date)),
                    ("Planned end date", format_day(a.planned_end_date)),
                    ("Status", a.status),
                    ("Exported", local_moment(p.exported_at)),
                    ("Exported by", p.exported_by),
                ],
                label_fraction=0.34,
            ),
            self.para(
                "Produced by APDesk from the records held on the export date. The last page "
                "carries this portfolio's verification digest and QR code; the same digest "
                "is stored in the PDF's document properties.",
                self.styles.cover_note,
            ),
        )
        if not self.plain:
            self.add(NextPageTemplate(BODY_TEMPLATE))
        self.add(PageBreak())

    def contents(self) -> None:
        entry = ContentsEntry("contents", "Contents", 0)
        self.add(self.anchored_entry(entry, "Contents", self.styles.contents_title))
        entries = self.ledger.entries
        titles = [markup(e.title) for e in entries]
        if self.plain:
            self.add(
                *(
                    WrapOnceParagraph(title, contents_style(line))
                    for line, title in zip(entries, titles, strict=True)
                )
            )
        else:
            self.add(*contents_lines(entries, titles))

    # ---- 1 personal and programme details -----------------------------------------------

    def details(self) -> None:
        a: ApprenticeDetails = self.portfolio.apprentice
        self.section(1)
        self.add(
            self.label_table(
                [
                    ("Name", a.name),
                    ("Unique learner number (ULN)", a.uln or NOT_RECORDED),
                    ("Employee number", a.employee_number),
                    ("Email", a.email or NOT_RECORDED),
                    ("Employer", a.employer),
                    ("Sector", a.sector),
                    ("Integrated care system area", a.ics_area),
                    ("Region", a.region),
                    ("Service area", a.service_area),
                    ("Care pathway", a.care_pathway or NOT_RECORDED),
                    ("Cohort", a.cohort),
                    ("Mentor", a.mentor or "None assigned"),
                    ("Status", a.status),
                    ("Start date", format_day(a.start_date)),
                    ("Planned end date", format_day(a.planned_end_date)),
                    (
                        "Contracted hours per week",
                        f"{format_plain(a.contracted_hours_per_week)} hours",
                    ),
                    ("Programme", a.programme),
                    ("Competency framework", a.competency_framework),
                    ("Care Certificate version", a.care_certificate_version),
                    ("Maths at Level 2", _level2(a.maths, a.maths_evidence_on)),
                    ("English at Level 2", _level2(a.english, a.english_evidence_on)),
                    ("Foundation degree credits", str(a.foundation_degree_credits)),
                    (
                        "Foundation degree awarded",
                        _day(a.foundation_degree_awarded_on, "Not yet awarded"),
                    ),
                    (
                        "Employer confirmed ready for gateway",
                        _day(a.employer_confirmed_gateway_on, "Not yet confirmed"),
                    ),
                ]
            )
        )
        self.subheading("Breaks in learning")
        if not self.portfolio.breaks:
            self.add(self.para("No breaks in learning recorded."))
            return
        rows = [
            (format_day(b.start_date), _day(b.end_date, "Continuing"), b.reason)
            for b in self.portfolio.breaks
        ]
        self.add(self.table(("Break started", "Returned", "Reason"), rows, (0.2, 0.2, 0.6)))

    # ---- 2 entry criteria ---------------------------------------------------------------

    def entry_criteria(self) -> None:
        a = self.portfolio.apprentice
        self.section(2)
        self.add(
            self.para(
                "Apprentices must hold maths and English at Level 2 (GCSE grade 4/C or above, "
                "or Functional Skills Level 2), or an exemption accepted for prior achievement, "
                "before they pass through the gateway to end-point assessment. Those who do "
                "not hold them on entry work towards them during the apprenticeship."
            ),
            self.table(
                ("Subject", "Level 2 status", "Evidence seen on"),
                [
                    ("Maths", a.maths, _day(a.maths_evidence_on)),
                    ("English", a.english, _day(a.english_evidence_on)),
                ],
                (0.25, 0.45, 0.3),
            ),
        )

    # ---- 3 attendance and OTJ -----------------------------------------------------------

    def attendance(self) -> None:
        section = self.portfolio.attendance
        self.section(3)
        self.add(self.para(section.summary))
        if section.modules:
            rows = [
                (
                    m.module,
                    *(
                        self.number(str(count))
                        for count in (
                            m.sessions_marked,
                            m.attended,
                            m.late,
                            m.absent,
                            m.annual_leave,
                        )
                    ),
                    self.number(
                        f"{format_number(m.percentage)}%" if m.percentage is not None else "–"
                    ),
                )
                for m in section.modules
            ]
            self.add(
                self.table(
                    (
                        "Module",
                        "Sessions marked",
                        "Attended",
                        "Late",
                        "Absent",
                        "Annual leave",
                        "Attendance",
                    ),
                    rows,
                    (0.34, 0.12, 0.11, 0.09, 0.1, 0.11, 0.13),
                )
            )
        else:
            self.add(self.para("No day-release sessions have been marked yet."))
        self.off_the_job(section.otj)

    def off_the_job(self, otj: OtjSummary) -> None:
        self.subheading("Off-the-job training")
        self.add(
            self.table(
                (
                    "Required over the apprenticeship",
                    f"Expected by {format_day(self.portfolio.as_of)}",
                    "Actual to date",
                ),
                [(_hours(otj.required), _hours(otj.expected_to_date), _hours(otj.actual))],
                (0.36, 0.34, 0.3),
            ),
            Spacer(1, 5),
            self.para(otj.sentence),
        )
        if otj.explanation:
            self.add(self.para("How the figures are worked out", self.styles.heading3))
            self.bullets(otj.explanation)
        if otj.warnings:
            self.add(self.para("Warnings", self.styles.heading3))
            self.bullets(otj.warnings, prefix="<b>Warning:</b> ")
        if otj.exclusions:
            self.add(self.para("Not counted", self.styles.heading3))
            self.bullets(otj.exclusions)
        self.add(
            Spacer(1, 4),
            self.para(
                f"Besides the day-release register, {otj.logged_entries} OTJ log "
                f"{'entry' if otj.logged_entries == 1 else 'entries'} recorded "
                f"{format_hours(otj.logged_hours)}."
            ),
        )
        self.add(self.para("Cumulative OTJ hours: planned and actual", self.styles.heading3))
        if otj.points:
            self.add(otj_chart(otj.points, FRAME_WIDTH))
            self.add(
                self.para(
                    "Dashed line: hours the OTJ plan expects by each month end. Solid line "
                    "with dots: hours counted by then.",
                    self.styles.small,
                )
            )
        else:
            self.add(
                self.para(
                    "There is nothing to chart yet: no OTJ plan is set, or no month has ended "
                    "since the start date."
                )
            )

    # ---- sign-off records ---------------------------------------------------------------

    def record(self, line: SignoffLine, evidence_label: str) -> Paragraph:
        """One record of a history with its full signature manifestation."""
        s = line.signature
        registration = f", {markup(s.registration)}" if s.registration else ""
        signed = (
            f"Signed by <b>{markup(s.name)}</b> ({markup(s.role)}{registration}) on "
            f"{local_moment(s.signed_at)}, meaning “{markup(s.meaning)}”"
        )
        if line.is_revocation:
            parts = [
                f"<b>REVOCATION</b> · record {line.record_id} withdraws record "
                f"{line.revokes_id} · dated {format_day(line.assessed_on)}",
                f"<b>Reason:</b> {markup(line.revocation_reason or 'No reason recorded')}",
                signed,
            ]
            return WrapOnceParagraph("<br/>".join(parts), self.styles.record_revocation)
        if line.revoked_by_id is not None:
            state = f"<b>REVOKED</b> by record {line.revoked_by_id}, no longer counts"
        else:
            state = "Standing"
        kind = f" · {evidence_label}: {markup(line.evidence_kind)}" if line.evidence_kind else ""
        parts = [
            f"<b>Record {line.record_id}</b> · {markup(line.outcome)} · assessed "
            f"{format_day(line.assessed_on)}{kind} · {state}",
            f"Evidence: {markup(line.evidence) if line.evidence else '–'}",
            signed,
        ]
        return WrapOnceParagraph("<br/>".join(parts), self.styles.record)

    def item(
        self, code: str, text: str, records: Sequence[SignoffLine], evidence_label: str
    ) -> None:
        """A criterion or competency, code in the margin, then its whole history.

        The item is kept with the headings before it and the start of its first record,
        but a long record may split rather than leave a third of a page empty: the group
        only moves to the next page when less than ``_ITEM_MOVE_ROOM`` is left.
        """
        item = WrapOnceParagraph(text, self.styles.item, bulletText=code)
        history = [self.record(line, evidence_label) for line in records]
        group = [*self.leads, item, *history[:1]]
        self.leads.clear()
        self.add(_kept(group), *history[1:])

    # ---- 4 Care Certificate -------------------------------------------------------------

    def care_certificate(self) -> None:
        cc = self.portfolio.care_certificate
        self.section(4)
        self.add(self.para(cc.version, self.styles.heading3), self.para(cc.summary))
        if not cc.standards:
            self.add(self.para("No Care Certificate standards are on file for this apprentice."))
            return
        rows = [
            (str(s.number), s.title, f"{s.signed} of {s.total}", _day(s.completed_on, "–"))
            for s in cc.standards
        ]
        self.add(
            self.table(
                ("No.", "Standard", "Criteria signed off", "Completed on"),
                rows,
                (0.07, 0.55, 0.2, 0.18),
            )
        )
        for index, standard in enumerate(cc.standards):
            completed = (
                f"; completed on {format_day(standard.completed_on)}"
                if standard.completed_on
                else ""
            )
            self.leads += [
                self.anchored(f"standard-{index}", self.styles.heading2),
                self.para(
                    f"{standard.signed} of {standard.total} criteria signed off{completed}.",
                    self.styles.small,
                ),
            ]
            for outcome in standard.outcomes:
                self.leads.append(
                    self.para(f"{outcome.code} {outcome.title}", self.styles.heading3)
                )
                for criterion in outcome.criteria:
                    observed = (
                        " · Observation in practice required"
                        if (criterion.requires_observation)
                        else ""
                    )
                    nothing = "" if criterion.records else " · Nothing recorded"
                    text = (
                        f"{markup(criterion.text)}<br/><font size=8>Status: "
                        f"<b>{markup(criterion.status)}</b>{observed}{nothing}</font>"
                    )
                    self.item(markup(criterion.code), text, criterion.records, "Evidence type")

    # ---- 5 progress reviews -------------------------------------------------------------

    def reviews(self) -> None:
        reviews = self.portfolio.reviews
        self.section(5)
        if not reviews:
            self.add(self.para("No progress reviews have been recorded yet."))
            return
        rows = [
            (
                str(number),
                format_day(r.due_date),
                _day(r.held_on, "Not held"),
                _hours(r.otj_hours_at_review),
                _signed_parties(r),
            )
            for number, r in enumerate(reviews, start=1)
        ]
        self.add(
            self.table(
                ("No.", "Due", "Held", "OTJ hours at review", "Signed by"),
                rows,
                (0.07, 0.17, 0.17, 0.19, 0.4),
            )
        )
        for number, review in enumerate(reviews, start=1):
            heading = self.para(f"Review {number}: {review.state}", self.styles.heading2)
            comments = [
                WrapOnceParagraph(f"<b>{who}:</b> {_comment(text)}", self.styles.body)
                for who, text in (
                    ("Apprentice's comments", review.apprentice_comments),
                    ("Employer's comments", review.employer_comments),
                    ("Provider's comments", review.provider_comments),
                )
            ]
            self.add(_kept([heading, comments[0]]), *comments[1:])
            self.add(WrapOnceParagraph("<b>Signatures:</b>", self.styles.body))
            self.bullets(_review_signatures(review))

    # ---- 6 supervised practice ----------------------------------------------------------

    def supervised_practice(self) -> None:
        sp = self.portfolio.supervised_practice
        self.section(6)
        self.add(self.para(sp.framework, self.styles.heading3), self.para(sp.summary))
        if not sp.groups:
            self.add(self.para("No competency framework is on file for this apprentice."))
        for index, group in enumerate(sp.groups):
            self.leads += [
                self.anchored(f"group-{index}", self.styles.heading2),
                self.para(
                    f"{group.signed} of {len(group.competencies)} competencies signed off "
                    "competent.",
                    self.styles.small,
                ),
            ]
            for competency in group.competencies:
                ksbs = ", ".join(competency.ksb_codes) or "none mapped"
                nothing = "" if competency.records else " · Nothing recorded"
                text = (
                    f"<b>{markup(competency.title)}</b><br/><font size=8>KSBs: {markup(ksbs)} · "
                    f"Status: <b>{markup(competency.status)}</b>{nothing}</font>"
                )
                self.item(markup(competency.code), text, competency.records, "Setting")

    # ---- 7 KSB coverage -----------------------------------------------------------------

    def ksb_coverage(self) -> None:
        lines = self.portfolio.ksb_coverage
        self.section(7)
        if not lines:
            self.add(self.para("No KSBs are on file for this apprentice's standard."))
            return
        covered = sum(1 for line in lines if line.covered)
        self.add(
            self.para(
                f"{covered} of {len(lines)} knowledge, skill and behaviour statements are "
                "evidenced by at least one competency signed off competent."
            )
        )
        rows = [
            (
                line.code,
                line.kind,
                line.text,
                ", ".join(line.competencies) or "–",
                ", ".join(line.signed) or "–",
                WrapOnceParagraph("Yes" if line.covered else "<b>No</b>", self.styles.cell),
            )
            for line in lines
        ]
        self.add(
            self.table(
                ("KSB", "Kind", "Statement", "Mapped to", "Signed off", "Covered"),
                rows,
                (0.06, 0.13, 0.43, 0.14, 0.14, 0.1),
            )
        )

    # ---- 8 band progression -------------------------------------------------------------

    def bands(self) -> None:
        bands = self.portfolio.bands
        self.section(8)
        current = (
            f"Current band: {bands.current_band}."
            if bands.current_band
            else ("No current band is recorded.")
        )
        self.add(self.para(current))
        self.subheading("Band history")
        if bands.history:
            rows = []
            for line in bands.history:
                change = f"{line.previous_band} to {line.band}" if line.previous_band else line.band
                reason = markup(line.reason)
                if line.overridden:
                    overrode = "; ".join(markup(text) for text in line.overridden)
                    reason += f"<br/><b>Decided despite:</b> {overrode}"
                rows.append(
                    (
                        format_day(line.effective_from),
                        change,
                        line.decided_by,
                        WrapOnceParagraph(reason, self.styles.cell),
                        local_moment(line.recorded_at),
                    )
                )
            self.add(
                self.table(
                    ("Effective from", "Band", "Decided by", "Reason", "Recorded"),
                    rows,
                    (0.14, 0.18, 0.17, 0.33, 0.18),
                )
            )
        else:
            self.add(self.para("No band decisions have been recorded."))
        self.subheading("Checklist for the next band")
        self.add(self.para(bands.next_band_summary))
        self.checks_table(bands.next_band_checks)

    def checks_table(self, checks: Sequence[Check]) -> None:
        if not checks:
            return
        rows = [
            (check.name, WrapOnceParagraph(_met(check), self.styles.cell), check.reason)
            for check in checks
        ]
        self.add(self.table(("Check", "Result", "Reason"), rows, (0.26, 0.14, 0.6)))

    # ---- 9 gateway ----------------------------------------------------------------------

    def gateway(self) -> None:
        checks = self.portfolio.gateway
        self.section(9)
        met = sum(1 for check in checks if check.met)
        self.add(
            self.para(
                f"{met} of {len(checks)} gateway checks met on {format_day(self.portfolio.as_of)}."
            )
        )
        self.checks_table(checks)
        self.subheading("At risk")
        if self.portfolio.risks:
            self.bullets(self.portfolio.risks)
        else:
            self.add(self.para("No at-risk reasons on the export date."))

    # ---- 10 verification ----------------------------------------------------------------

    def verification(self) -> None:
        self.section(10)
        self.add(
            self.para(
                "The digest below is a SHA-256 fingerprint of the records this portfolio "
                "prints: details, register counts, sign-offs with their signatures, reviews "
                "and band decisions. The assessments worked out on the export date (OTJ to "
                "date, readiness, gateway) are printed beside them but are not part of it."
            ),
            self.para("Portfolio digest (SHA-256)", self.styles.heading3),
            WrapOnceParagraph(markup(self.digest), self.styles.digest),
            Spacer(1, 8),
            KeepTogether(
                [
                    _Centred(qr_code(QR_PREFIX + self.digest, 130)),
                    self.para(
                        f"The QR code holds the text {QR_PREFIX}<digest>.",
                        self.styles.caption,
                    ),
                ]
            ),
            self.para("Audit trail head", self.styles.heading3),
        )
        if self.portfolio.audit_head:
            self.add(
                self.para(
                    "Hash of the newest audit-trail entry when this portfolio was exported. "
                    "The provider can compare it with the audit trail it holds."
                ),
                WrapOnceParagraph(markup(self.portfolio.audit_head), self.styles.digest),
            )
        else:
            self.add(self.para("No audit-trail entry was recorded when this was exported."))
        self.add(
            self.para("How to verify this portfolio", self.styles.heading3),
            self.para("On a PC with APDesk and access to the apprentice's records, run:"),
            WrapOnceParagraph(f"<b>{VERIFY_COMMAND}</b>", self.styles.digest),
            Spacer(1, 4),
            self.para(
                "It reads the digest stored in the PDF's document properties, checks that it is "
                "the one printed on this page, and compares it with a digest worked out afresh "
                "from the apprentice's records. A match means none of the printed records has "
                "changed since export; where this export was recorded, a mismatch is explained "
                "by a list of what changed. For a paper copy, compare the digest printed above "
                "(or scanned from the QR code) with the one APDesk reports for the apprentice."
            ),
        )

    def build(self) -> list[Flowable]:
        self.cover()
        self.contents()
        self.details()
        self.entry_criteria()
        self.attendance()
        self.care_certificate()
        self.reviews()
        self.supervised_practice()
        self.ksb_coverage()
        self.bands()
        self.gateway()
        self.verification()
        return self.story


class _Centred(Flowable):
    """Centres a drawing in the frame (Drawing has no hAlign of its own in every version)."""

    def __init__(self, drawing: Flowable) -> None:
        super().__init__()
        self._drawing = drawing

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, self.height = self._drawing.wrap(availWidth, availHeight)
        self.width = availWidth
        return self.width, self.height

    def draw(self) -> None:
        drawing_width = self._drawing.width
        self._drawing.drawOn(self.canv, (self.width - drawing_width) / 2, 0)


class _KeepStart(KeepTogether):
    """Starts a new page when the group does not fit and little room is left, else splits.

    Unlike a plain KeepTogether, a long record under its criterion does not leave a third
    of a page empty: it starts here and carries on overleaf.
    """

    def __init__(self, flowables: list[Flowable], room: float) -> None:
        super().__init__(flowables)
        self._room = room

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = list(self._content)
        if aH < min(self._H, self._room):
            return [FrameBreak(), *content]
        return content


def _kept(group: list[Flowable]) -> Flowable:
    """``group`` kept together unless more than ``_ITEM_MOVE_ROOM`` is left on the page.

    Their own keepWithNext is switched off: otherwise, once the group splits in place,
    ReportLab would re-join a heading to a long paragraph and move both after all.
    """
    if len(group) == 1:
        return group[0]
    for flowable in group:
        flowable.keepWithNext = 0
    return _KeepStart(group, _ITEM_MOVE_ROOM)


def _comment(text: str) -> str:
    return markup(text) if text.strip() else "<i>None recorded.</i>"


def _level2(status: str, evidence_on: date | None) -> str:
    if evidence_on is None:
        return status
    return f"{status} (evidence seen {format_day(evidence_on)})"


def _signed_parties(review: ReviewLine) -> str:
    signed = [
        who
        for who, moment in (
            ("Apprentice", review.apprentice_signed_at),
            ("Employer", review.employer_signed_at),
            ("Provider", review.provider_signed_at),
        )
        if moment is not None
    ]
    return ", ".join(signed) if signed else "Not signed"


def _review_signatures(review: ReviewLine) -> list[str]:
    def line(who: str, name: str | None, moment: datetime | None) -> str:
        if moment is None:
            return f"{who}: not signed"
        by = f" by {name}" if name else ""
        return f"{who}: signed{by} on {local_moment(moment)}"

    return [
        line("Apprentice", None, review.apprentice_signed_at),
        line("Employer", review.employer_signatory, review.employer_signed_at),
        line("Provider", review.provider_signatory, review.provider_signed_at),
    ]


def render(portfolio: Portfolio, digest: str, out: str | os.PathLike[str] | BinaryIO) -> int:
    """Lay the portfolio out in one pass and write it; return the page count."""
    register_fonts()
    ledger = PageLedger(contents_entries(portfolio))
    name = portfolio.apprentice.name
    exported_day = portfolio.exported_at
    if exported_day.tzinfo is None:
        exported_day = exported_day.replace(tzinfo=UTC)
    footer = FooterText(name, f"Exported {format_day(exported_day.astimezone().date())}")
    target = os.fspath(out) if isinstance(out, (str, os.PathLike)) else out
    document = PortfolioDocTemplate(
        target,
        footer=footer,
        title=f"Evidence portfolio — {name}",
        author=portfolio.exported_by,
        subject="APDesk evidence portfolio",
        keywords=f"apdesk-digest:{digest}, apdesk-trainee:{portfolio.trainee_id}",
        creator="APDesk",
    )
    canvases: list[PortfolioCanvas] = []

    def make_canvas(*args: Any, **kwargs: Any) -> PortfolioCanvas:
        canvas = PortfolioCanvas(*args, ledger=ledger, **kwargs)
        canvases.append(canvas)
        return canvas

    document.build(build_story(portfolio, digest, ledger), canvasmaker=make_canvas)
    return canvases[-1].pages_shown


def build_story(portfolio: Portfolio, digest: str, ledger: PageLedger) -> list[Flowable]:
    """The flowables render() lays out, headings recording their pages in ``ledger``."""
    return _StoryBuilder(portfolio, digest, ledger).build()


def plain_story(portfolio: Portfolio, digest: str) -> list[Flowable]:
    """The same story without its page furniture: headings are plain paragraphs (no PDF
    destinations, outline entries or page records), the contents lists titles without page
    numbers, and there is no page-template switch."""
    ledger = PageLedger(contents_entries(portfolio))
    return _StoryBuilder(portfolio, digest, ledger, plain=True).build()


def render_raw_reportlab(
    portfolio: Portfolio, digest: str, out: str | os.PathLike[str] | BinaryIO
) -> int:
    """The floor render() is measured against: plain_story() laid out by a stock
    SimpleDocTemplate on a stock canvas (no footer, "Page X of Y", contents forms, anchors or
    outline), with the same fonts and text area. Returns the page count. Benchmarks only."""
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    padding = 6  # the stock frame pads each side by 6 pt: margins less that give the same text area
    document = SimpleDocTemplate(
        os.fspath(out) if isinstance(out, (str, os.PathLike)) else out,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=LEFT_MARGIN - padding,
        rightMargin=RIGHT_MARGIN - padding,
        topMargin=TOP_MARGIN - padding,
        bottomMargin=BOTTOM_MARGIN - padding,
        initialFontName=FONT,
    )
    document.build(plain_story(portfolio, digest))
    return document.page


__all__ = [
    "SECTION_TITLES",
    "build_story",
    "contents_entries",
    "local_moment",
    "markup",
    "plain_story",
    "render",
    "render_raw_reportlab",
]
