"""The programme dashboard: counts, splits, cohort fill, distributions and who needs attention.

Every figure comes from :func:`apdesk.services.progress.list_trainee_progress`, the same
assessment the Trainees tab shows, so the two can never disagree about a trainee.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from apdesk.db.database import Database
from apdesk.db.models import Cohort, Employer, IcsArea, Trainee
from apdesk.domain.enums import TraineeStatus
from apdesk.domain.units import format_plain
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.bands import ON_PROGRAMME
from apdesk.services.dashboard_views import (
    AttentionRow,
    Bucket,
    CohortLine,
    Dashboard,
    DashboardFilter,
    FilterChoices,
    Headline,
    ListKind,
    Slice,
)
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.permissions import STAFF_WHO_SEE_EVERYONE, require_role
from apdesk.services.programme_rules import ProgrammeRules, load_programme_rules
from apdesk.services.progress import TraineeProgress, list_trainee_progress

MAX_PLANNED_PLACES = 1000
"""Far above any real cohort; a bigger number is a typing slip (an extra zero)."""

_NAMED_IN_NOTE = 5  # a note naming thirty cohorts would crowd out the dashboard
_ATTENDANCE_EDGES = (Decimal(70), Decimal(80), Decimal(85), Decimal(90), Decimal(95))
_OTJ_EDGES = (Decimal(50), Decimal(70), Decimal(80), Decimal(90), Decimal(100))


def filter_choices(database: Database, actor: Actor) -> FilterChoices:
    """Regions and employers that have trainees, and every cohort (oldest first)."""
    require_role(actor, STAFF_WHO_SEE_EVERYONE, "see the programme dashboard")
    with database.read() as session:
        in_use = select(Trainee.employer_id).distinct()
        regions = session.scalars(
            select(IcsArea.region)
            .join(Employer, Employer.ics_area_id == IcsArea.id)
            .where(Employer.id.in_(in_use))
            .distinct()
            .order_by(IcsArea.region)
        )
        employers = session.scalars(
            select(Employer.name).where(Employer.id.in_(in_use)).order_by(Employer.name)
        )
        cohorts = session.scalars(select(Cohort.name).order_by(Cohort.start_date, Cohort.name))
        return FilterChoices(tuple(regions), tuple(employers), tuple(cohorts))


def programme_dashboard(
    database: Database,
    actor: Actor,
    dashboard_filter: DashboardFilter = DashboardFilter(),  # noqa: B008 - frozen, never mutated
    as_of: date | None = None,
) -> Dashboard:
    """The dashboard for the trainees ``dashboard_filter`` selects, at ``as_of`` (today).

    Splits count every trainee who started (all statuses); the distributions and the
    OTJ/attendance lists only trainees in training, the ones a lead can still help.
    """
    require_role(actor, STAFF_WHO_SEE_EVERYONE, "see the programme dashboard")
    day = as_of or date.today()
    _check_filter(database, actor, dashboard_filter)
    rules = load_programme_rules()
    rows = [
        row
        for row in list_trainee_progress(database, actor, cohort=dashboard_filter.cohort, as_of=day)
        if (dashboard_filter.region is None or row.region == dashboard_filter.region)
        and (dashboard_filter.employer is None or row.employer == dashboard_filter.employer)
    ]
    cohorts = _cohort_lines(database, dashboard_filter.cohort, rows)
    if dashboard_filter.region or dashboard_filter.employer:
        # Cohorts are not tied to a region or employer: keep only those the filter reaches.
        cohorts = tuple(line for line in cohorts if line.started)
    lists = attention_lists(rows, rules)
    statuses = Counter(row.status for row in rows)
    in_training = [row for row in rows if row.status is TraineeStatus.IN_TRAINING]
    return Dashboard(
        as_of=day,
        filter=dashboard_filter,
        headline=Headline(
            in_training=statuses[TraineeStatus.IN_TRAINING],
            on_break=statuses[TraineeStatus.BREAK_IN_LEARNING],
            at_gateway=statuses[TraineeStatus.AT_GATEWAY],
            completed=statuses[TraineeStatus.COMPLETED],
            withdrawn=statuses[TraineeStatus.WITHDRAWN],
            planned_places=sum(line.planned_places or 0 for line in cohorts),
            at_risk=len(lists[ListKind.AT_RISK]),
        ),
        by_service_area=_split(row.service_area for row in rows),
        by_sector=_split(row.sector.label for row in rows),
        by_ics_area=_split(row.ics_area for row in rows),
        cohorts=cohorts,
        attendance=_histogram(
            (row.assessment.attendance.percentage for row in in_training),
            _with_edge(_ATTENDANCE_EDGES, rules.attendance_alert_percent),
        ),
        otj=_histogram(
            (row.assessment.otj.percent_of_expected for row in in_training if row.assessment.otj),
            _with_edge(_OTJ_EDGES, rules.otj_behind_percent),
        ),
        lists=lists,
    )


def planned_places_notes(dashboard: Dashboard) -> tuple[str, ...]:
    """What a reader must know to read the planned-places figure right (empty when nothing)."""
    notes = []
    unset = [line.name for line in dashboard.cohorts if line.planned_places is None]
    if unset:
        cohorts = "1 cohort has" if len(unset) == 1 else f"{len(unset)} cohorts have"
        named = ", ".join(unset[:_NAMED_IN_NOTE])
        if len(unset) > _NAMED_IN_NOTE:
            named += f" and {len(unset) - _NAMED_IN_NOTE} more"
        notes.append(f"{cohorts} no planned places set, counted as 0: {named}")
    if dashboard.filter.region or dashboard.filter.employer:
        notes.append("Planned places are for whole cohorts, across every region and employer")
    return tuple(notes)


def set_planned_places(
    database: Database, actor: Actor, cohort_id: int, places: int | None
) -> None:
    """Set (or, with None, clear) how many apprentices a cohort is planned to take."""
    require_role(actor, STAFF_WHO_SEE_EVERYONE, "set a cohort's planned places")
    if places is not None and (
        isinstance(places, bool)
        or not isinstance(places, int)
        or not 0 <= places <= MAX_PLANNED_PLACES
    ):
        raise ActionRefusedError(
            f"Planned places must be a whole number from 0 to {MAX_PLANNED_PLACES}, or left "
            f"blank when not yet known (found {places!r})."
        )
    with database.write() as session:
        cohort = session.get(Cohort, cohort_id)
        if cohort is None:
            raise RecordNotFoundError(f"No cohort with id {cohort_id}: it may have been removed.")
        before = cohort.planned_places
        if before == places:
            return
        cohort.planned_places = places
        record_change(
            session,
            actor,
            action="set_planned_places",
            entity="cohort",
            entity_id=cohort.id,
            summary=(
                f"Planned places for {cohort.name} cleared"
                if places is None
                else f"Planned places for {cohort.name} set to {places}"
            ),
            before={"planned_places": before},
            after={"planned_places": places},
        )


def attention_lists(
    rows: Sequence[TraineeProgress], rules: ProgrammeRules
) -> dict[ListKind, tuple[AttentionRow, ...]]:
    """Every list, worst first where the list has a figure (else cohort then name)."""
    in_training = [row for row in rows if row.status is TraineeStatus.IN_TRAINING]
    behind = [
        _attention(row, otj.percent_of_expected, otj.reason)
        for row in in_training
        if (otj := row.assessment.otj) is not None and otj.behind
    ]
    low_attendance = [
        _attention(
            row,
            percent,
            f"{row.assessment.attendance.describe()}: below "
            f"{format_plain(rules.attendance_alert_percent)}%",
        )
        for row in in_training
        if (percent := row.assessment.attendance.percentage) is not None
        and percent < rules.attendance_alert_percent
    ]
    overdue = [
        _attention(row, Decimal(review.days_overdue), review.reason)
        for row in in_training
        if (review := row.assessment.review) is not None and review.overdue
    ]
    ready_for_band = [
        _attention(row, None, _band_reason(row))
        for row in rows
        if row.status in ON_PROGRAMME and row.assessment.band_readiness.ready
    ]
    ready_for_gateway = [
        _attention(row, None, "Every gateway check is met")
        for row in in_training
        if row.assessment.gateway.checks and row.assessment.gateway.met
    ]
    at_risk = [
        _attention(row, None, "; ".join(row.assessment.risks)) for row in rows if row.at_risk
    ]
    return {
        ListKind.BEHIND_OTJ: _worst_first(behind, lowest=True),
        ListKind.LOW_ATTENDANCE: _worst_first(low_attendance, lowest=True),
        ListKind.REVIEW_OVERDUE: _worst_first(overdue, lowest=False),
        ListKind.READY_FOR_BAND: tuple(ready_for_band),
        ListKind.READY_FOR_GATEWAY: tuple(ready_for_gateway),
        ListKind.AT_RISK: tuple(at_risk),
    }


def _check_filter(database: Database, actor: Actor, chosen: DashboardFilter) -> None:
    """A name not in the choices is a typing slip (from the CLI): say which names there are."""
    if chosen.region is None and chosen.employer is None and chosen.cohort is None:
        return
    choices = filter_choices(database, actor)
    for what, value, known in (
        ("region", chosen.region, choices.regions),
        ("employer", chosen.employer, choices.employers),
        ("cohort", chosen.cohort, choices.cohorts),
    ):
        if value is not None and value not in known:
            listed = ", ".join(known) if known else "none yet"
            raise ActionRefusedError(
                f"There is no {what} {value!r} to filter by. Choose from: {listed}."
            )


def _cohort_lines(
    database: Database, cohort: str | None, rows: Sequence[TraineeProgress]
) -> tuple[CohortLine, ...]:
    query = select(Cohort.id, Cohort.name, Cohort.start_date, Cohort.planned_places).order_by(
        Cohort.start_date, Cohort.name
    )
    if cohort is not None:
        query = query.where(Cohort.name == cohort)
    with database.read() as session:
        cohorts = session.execute(query).all()
    started = Counter(row.cohort for row in rows)
    training = Counter(row.cohort for row in rows if row.status is TraineeStatus.IN_TRAINING)
    return tuple(
        CohortLine(
            cohort_id=cohort_id,
            name=name,
            start_date=start,
            planned_places=planned,
            started=started[name],
            in_training=training[name],
        )
        for cohort_id, name, start, planned in cohorts
    )


def _split(labels: Iterable[str]) -> tuple[Slice, ...]:
    counts = Counter(labels)
    return tuple(
        Slice(label, count)
        for label, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )


def _with_edge(edges: tuple[Decimal, ...], threshold: Decimal) -> tuple[Decimal, ...]:
    """The programme's own alert line is always a bar boundary, whatever the policy file says."""
    return tuple(sorted({*edges, Decimal(threshold)} - {Decimal(0)}))


def _histogram(figures: Iterable[Decimal | None], edges: tuple[Decimal, ...]) -> tuple[Bucket, ...]:
    values = [figure for figure in figures if figure is not None]
    lows = (Decimal(0), *edges)
    highs: tuple[Decimal | None, ...] = (*edges, None)
    buckets = []
    for low, high in zip(lows, highs, strict=True):
        count = sum(1 for v in values if (low == 0 or v >= low) and (high is None or v < high))
        buckets.append(Bucket(_bucket_label(low, high), low, high, count))
    return tuple(buckets)


def _bucket_label(low: Decimal, high: Decimal | None) -> str:
    if low == 0 and high is not None:
        return f"Below {format_plain(high)}%"
    if high is None:
        return f"{format_plain(low)}% and over"
    return f"{format_plain(low)}–{format_plain(high)}%"


def _attention(row: TraineeProgress, figure: Decimal | None, reason: str) -> AttentionRow:
    return AttentionRow(
        trainee_id=row.trainee_id,
        name=row.name,
        uln=row.uln,
        cohort=row.cohort,
        employer=row.employer,
        service_area=row.service_area,
        mentor=row.mentor,
        figure=figure,
        reason=reason,
    )


def _band_reason(row: TraineeProgress) -> str:
    readiness = row.assessment.band_readiness
    current = f"Band {readiness.current_band}" if readiness.current_band else "No band recorded"
    return f"{current}: meets every check for Band {readiness.next_band}"


def _worst_first(rows: list[AttentionRow], *, lowest: bool) -> tuple[AttentionRow, ...]:
    # sorted is stable, also reversed: equal figures keep the cohort-then-name order.
    return tuple(sorted(rows, key=lambda row: row.figure or Decimal(0), reverse=not lowest))
