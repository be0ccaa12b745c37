"""The programme dashboard on the demo programme, checked against the database itself
(independent SQL counts) and against each trainee's own assessment."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select

from apdesk.db.database import Database
from apdesk.db.models import AuditEntry, Cohort, Employer, IcsArea, OtjActivity, Trainee
from apdesk.domain.enums import Role, Sector, TraineeStatus
from apdesk.services.actors import Actor
from apdesk.services.dashboard import (
    filter_choices,
    planned_places_notes,
    programme_dashboard,
    set_planned_places,
)
from apdesk.services.dashboard_views import Dashboard, DashboardFilter, ListKind
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.permissions import PermissionDeniedError
from apdesk.services.programme_rules import load_programme_rules
from apdesk.services.progress import TraineeProgress, list_trainee_progress
from tests.helpers.fixtures import ADMIN_ACTOR, DEMO_DAY, TEST_ACTOR

MENTOR = Actor(name="Mo Mentor", user_id=999, role=Role.MENTOR)
APPRENTICE = Actor(name="Amy Apprentice", user_id=998, role=Role.APPRENTICE)


def _dashboard(database: Database, **chosen: str) -> Dashboard:
    return programme_dashboard(database, TEST_ACTOR, DashboardFilter(**chosen), as_of=DEMO_DAY)


def _trainees_by_status(database: Database, *where: object) -> dict[TraineeStatus, int]:
    query = (
        select(Trainee.status, func.count())
        .join(Employer, Employer.id == Trainee.employer_id)
        .join(IcsArea, IcsArea.id == Employer.ics_area_id)
        .join(Cohort, Cohort.id == Trainee.cohort_id)
        .where(*where)
        .group_by(Trainee.status)
    )
    with database.read() as session:
        return {row[0]: row[1] for row in session.execute(query)}


def _ids(rows: tuple) -> set[int]:
    return {row.trainee_id for row in rows}


def test_headline_counts_each_status_as_the_database_holds_it(demo_database: Database) -> None:
    headline = _dashboard(demo_database).headline
    counted = _trainees_by_status(demo_database)
    with demo_database.read() as session:
        planned = session.scalar(select(func.coalesce(func.sum(Cohort.planned_places), 0)))
        total = session.scalar(select(func.count(Trainee.id)))

    assert headline.in_training == counted.get(TraineeStatus.IN_TRAINING, 0) > 0
    assert headline.on_break == counted.get(TraineeStatus.BREAK_IN_LEARNING, 0)
    assert headline.at_gateway == counted.get(TraineeStatus.AT_GATEWAY, 0)
    assert headline.completed == counted.get(TraineeStatus.COMPLETED, 0)
    assert headline.withdrawn == counted.get(TraineeStatus.WITHDRAWN, 0)
    assert headline.started == total == 40
    assert headline.planned_places == planned > 0


def test_splits_match_sql_counts_and_come_largest_first(demo_database: Database) -> None:
    dashboard = _dashboard(demo_database)
    with demo_database.read() as session:
        sectors = dict(
            session.execute(
                select(Employer.sector, func.count())
                .join(Trainee, Trainee.employer_id == Employer.id)
                .group_by(Employer.sector)
            ).all()
        )
        ics_areas = dict(
            session.execute(
                select(IcsArea.name, func.count())
                .join(Employer, Employer.ics_area_id == IcsArea.id)
                .join(Trainee, Trainee.employer_id == Employer.id)
                .group_by(IcsArea.name)
            ).all()
        )

    assert {part.label: part.count for part in dashboard.by_sector} == {
        Sector(sector).label: count for sector, count in sectors.items()
    }
    assert {part.label: part.count for part in dashboard.by_ics_area} == ics_areas
    assert sum(part.count for part in dashboard.by_service_area) == 40
    for split in (dashboard.by_sector, dashboard.by_ics_area, dashboard.by_service_area):
        counts = [part.count for part in split]
        assert counts == sorted(counts, reverse=True)


def test_cohort_lines_show_each_cohorts_starters_and_planned_places(
    demo_database: Database,
) -> None:
    lines = _dashboard(demo_database).cohorts
    with demo_database.read() as session:
        expected = session.execute(
            select(Cohort.name, Cohort.planned_places, func.count(Trainee.id))
            .outerjoin(Trainee, Trainee.cohort_id == Cohort.id)
            .group_by(Cohort.id)
            .order_by(Cohort.start_date, Cohort.name)
        ).all()

    assert [(line.name, line.planned_places, line.started) for line in lines] == [
        tuple(row) for row in expected
    ]
    assert [line.start_date for line in lines] == sorted(line.start_date for line in lines)


def test_region_filter_counts_only_that_regions_trainees(demo_database: Database) -> None:
    region = filter_choices(demo_database, TEST_ACTOR).regions[0]
    dashboard = _dashboard(demo_database, region=region)
    counted = _trainees_by_status(demo_database, IcsArea.region == region)

    assert dashboard.headline.started == sum(counted.values())
    assert 0 < dashboard.headline.started < 40
    assert dashboard.headline.in_training == counted.get(TraineeStatus.IN_TRAINING, 0)
    assert sum(line.started for line in dashboard.cohorts) == dashboard.headline.started
    for rows in dashboard.lists.values():
        assert all(row.trainee_id in _ids_in_region(demo_database, region) for row in rows)
    assert "Planned places are for whole cohorts" in " ".join(planned_places_notes(dashboard))


def _ids_in_region(database: Database, region: str) -> set[int]:
    with database.read() as session:
        return set(
            session.scalars(
                select(Trainee.id)
                .join(Employer, Employer.id == Trainee.employer_id)
                .join(IcsArea, IcsArea.id == Employer.ics_area_id)
                .where(IcsArea.region == region)
            )
        )


def test_employer_and_cohort_filters_narrow_together(demo_database: Database) -> None:
    choices = filter_choices(demo_database, TEST_ACTOR)
    cohort = choices.cohorts[-1]
    employer_only = _dashboard(demo_database, employer=choices.employers[0])
    cohort_only = _dashboard(demo_database, cohort=cohort)
    with demo_database.read() as session:
        cohort_planned = session.scalar(select(Cohort.planned_places).where(Cohort.name == cohort))

    assert employer_only.headline.started == sum(
        _trainees_by_status(demo_database, Employer.name == choices.employers[0]).values()
    )
    assert cohort_only.headline.started == sum(
        _trainees_by_status(demo_database, Cohort.name == cohort).values()
    )
    assert [line.name for line in cohort_only.cohorts] == [cohort]
    assert cohort_only.headline.planned_places == cohort_planned
    both = _dashboard(demo_database, employer=choices.employers[0], cohort=cohort)
    assert both.headline.started == sum(
        _trainees_by_status(
            demo_database, Employer.name == choices.employers[0], Cohort.name == cohort
        ).values()
    )


def test_a_name_not_in_the_choices_is_refused_with_the_choices(demo_database: Database) -> None:
    with pytest.raises(ActionRefusedError, match=r"no region 'Narnia'.*North West"):
        _dashboard(demo_database, region="Narnia")


def _progress(database: Database) -> list[TraineeProgress]:
    return list_trainee_progress(database, TEST_ACTOR, as_of=DEMO_DAY)


def test_each_list_holds_exactly_the_trainees_their_assessment_puts_there(
    demo_database: Database,
) -> None:
    # Nobody in the demo is behind OTJ; take three apprentices' logged learning away.
    with demo_database.write() as session:
        in_training = session.scalars(
            select(Trainee.id)
            .where(Trainee.status == TraineeStatus.IN_TRAINING)
            .order_by(Trainee.id)
            .limit(3)
        ).all()
        session.execute(delete(OtjActivity).where(OtjActivity.trainee_id.in_(in_training)))
    lists = _dashboard(demo_database).lists
    rows = _progress(demo_database)
    training = [row for row in rows if row.status is TraineeStatus.IN_TRAINING]
    alert = load_programme_rules().attendance_alert_percent

    def ids(
        predicate: Callable[[TraineeProgress], bool], among: list[TraineeProgress] = training
    ) -> set[int]:
        return {row.trainee_id for row in among if predicate(row)}

    behind = ids(lambda row: row.assessment.otj is not None and row.assessment.otj.behind)
    assert behind and _ids(lists[ListKind.BEHIND_OTJ]) == behind
    assert _ids(lists[ListKind.LOW_ATTENDANCE]) == ids(
        lambda row: (
            row.assessment.attendance.percentage is not None
            and row.assessment.attendance.percentage < alert
        )
    )
    assert lists[ListKind.LOW_ATTENDANCE]
    assert _ids(lists[ListKind.REVIEW_OVERDUE]) == ids(
        lambda row: row.assessment.review is not None and row.assessment.review.overdue
    )
    assert lists[ListKind.REVIEW_OVERDUE]
    assert _ids(lists[ListKind.READY_FOR_BAND]) == ids(
        lambda row: row.assessment.band_readiness.ready, rows
    )
    assert lists[ListKind.READY_FOR_BAND]
    assert _ids(lists[ListKind.READY_FOR_GATEWAY]) == ids(
        lambda row: bool(row.assessment.gateway.checks) and row.assessment.gateway.met
    )
    assert _ids(lists[ListKind.AT_RISK]) == ids(lambda row: row.at_risk, rows)
    assert len(lists[ListKind.AT_RISK]) == _dashboard(demo_database).headline.at_risk > 0


def test_list_rows_carry_their_figure_and_reason_worst_first(demo_database: Database) -> None:
    lists = _dashboard(demo_database).lists
    by_id = {row.trainee_id: row for row in _progress(demo_database)}

    low = lists[ListKind.LOW_ATTENDANCE]
    assert [row.figure for row in low] == sorted(row.figure for row in low)  # type: ignore[type-var]
    for row in low:
        assert row.figure == by_id[row.trainee_id].assessment.attendance.percentage
        assert "below 85%" in row.reason
    overdue = lists[ListKind.REVIEW_OVERDUE]
    for row in overdue:
        review = by_id[row.trainee_id].assessment.review
        assert review is not None
        assert row.figure == Decimal(review.days_overdue)
        assert row.reason == review.reason
    assert [row.figure for row in overdue] == sorted(
        (row.figure for row in overdue),  # type: ignore[type-var]
        reverse=True,
    )
    for row in lists[ListKind.AT_RISK]:
        assert row.reason == "; ".join(by_id[row.trainee_id].assessment.risks)
        assert row.employer == by_id[row.trainee_id].employer


def test_distributions_count_each_trainee_in_training_once_in_the_right_bar(
    demo_database: Database,
) -> None:
    dashboard = _dashboard(demo_database)
    training = [row for row in _progress(demo_database) if row.status is TraineeStatus.IN_TRAINING]
    percentages = [
        row.assessment.attendance.percentage
        for row in training
        if row.assessment.attendance.percentage is not None
    ]

    assert sum(bar.count for bar in dashboard.attendance) == len(percentages) > 0
    for bar in dashboard.attendance:
        assert bar.count == sum(
            1
            for value in percentages
            if value >= bar.low and (bar.high is None or value < bar.high)
        )
    assert [bar.label for bar in dashboard.attendance] == [
        "Below 70%",
        "70–80%",
        "80–85%",
        "85–90%",
        "90–95%",
        "95% and over",
    ]
    # The programme's own "behind plan" line (90%) is a bar boundary.
    assert any(bar.low == Decimal(90) for bar in dashboard.otj)
    with_otj = [row for row in training if row.assessment.otj is not None]
    assert sum(bar.count for bar in dashboard.otj) == sum(
        1 for row in with_otj if row.assessment.otj.percent_of_expected is not None
    )


def test_only_education_leads_and_administrators_see_the_dashboard(
    demo_database: Database,
) -> None:
    assert programme_dashboard(demo_database, ADMIN_ACTOR, as_of=DEMO_DAY).headline.started == 40
    for actor in (MENTOR, APPRENTICE):
        with pytest.raises(PermissionDeniedError, match="education lead or administrator"):
            programme_dashboard(demo_database, actor, as_of=DEMO_DAY)
        with pytest.raises(PermissionDeniedError):
            filter_choices(demo_database, actor)
    with pytest.raises(PermissionDeniedError, match="Sign in"):
        programme_dashboard(demo_database, Actor(name="nobody"), as_of=DEMO_DAY)


def _cohort(database: Database, name: str) -> Cohort:
    with database.read() as session:
        cohort = session.scalar(select(Cohort).where(Cohort.name == name))
        assert cohort is not None
        return cohort


def _audit_entries(database: Database) -> list[AuditEntry]:
    with database.read() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "set_planned_places")
                .order_by(AuditEntry.id)
            )
        )


def test_planned_places_are_set_and_cleared_with_an_audit_entry_each(
    demo_database: Database,
) -> None:
    name = filter_choices(demo_database, TEST_ACTOR).cohorts[0]
    cohort_id = _cohort(demo_database, name).id
    before = _dashboard(demo_database).headline.planned_places
    old = _cohort(demo_database, name).planned_places

    set_planned_places(demo_database, TEST_ACTOR, cohort_id, 30)
    assert _cohort(demo_database, name).planned_places == 30
    set_planned_places(demo_database, ADMIN_ACTOR, cohort_id, None)
    assert _cohort(demo_database, name).planned_places is None

    dashboard = _dashboard(demo_database)
    assert dashboard.headline.planned_places == before - (old or 0)
    assert planned_places_notes(dashboard) == (
        f"1 cohort has no planned places set, counted as 0: {name}",
    )
    set_entry, cleared_entry = _audit_entries(demo_database)
    assert json.loads(set_entry.before or "") == {"planned_places": old}
    assert json.loads(set_entry.after or "") == {"planned_places": 30}
    assert set_entry.entity_id == cohort_id and set_entry.actor_name == TEST_ACTOR.name
    assert json.loads(cleared_entry.after or "") == {"planned_places": None}
    assert "cleared" in cleared_entry.summary


@pytest.mark.parametrize("places", [-1, 1001, 2.5, True, "20"])
def test_planned_places_out_of_range_are_refused_and_nothing_changes(
    demo_database: Database, places: object
) -> None:
    cohort = _cohort(demo_database, filter_choices(demo_database, TEST_ACTOR).cohorts[0])
    with pytest.raises(ActionRefusedError, match="whole number from 0 to 1000"):
        set_planned_places(demo_database, TEST_ACTOR, cohort.id, places)  # type: ignore[arg-type]
    assert _cohort(demo_database, cohort.name).planned_places == cohort.planned_places
    assert _audit_entries(demo_database) == []


def test_planned_places_refused_for_a_mentor_or_a_missing_cohort(demo_database: Database) -> None:
    with pytest.raises(PermissionDeniedError, match="Mo Mentor cannot set a cohort's planned"):
        set_planned_places(demo_database, MENTOR, 1, 10)
    with pytest.raises(RecordNotFoundError, match="No cohort with id 9999"):
        set_planned_places(demo_database, TEST_ACTOR, 9999, 10)
    set_planned_places(demo_database, TEST_ACTOR, 1, 0)
    assert _cohort(demo_database, _cohort_name(demo_database, 1)).planned_places == 0


def _cohort_name(database: Database, cohort_id: int) -> str:
    with database.read() as session:
        cohort = session.get(Cohort, cohort_id)
        assert cohort is not None
        return cohort.name
