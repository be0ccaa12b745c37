"""``apdesk report``: the dashboard's summary PDF, lists and cohort table, from a script.

Every report shows what the Dashboard tab shows for the same filter and date.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from apdesk.domain.calendar import format_day
from apdesk.services.actors import Actor
from apdesk.services.dashboard import programme_dashboard
from apdesk.services.dashboard_views import Dashboard, DashboardFilter, ListKind

LIST_NAMES = {
    "behind-otj": ListKind.BEHIND_OTJ,
    "low-attendance": ListKind.LOW_ATTENDANCE,
    "review-overdue": ListKind.REVIEW_OVERDUE,
    "ready-for-band": ListKind.READY_FOR_BAND,
    "ready-for-gateway": ListKind.READY_FOR_GATEWAY,
    "at-risk": ListKind.AT_RISK,
}
FORMATS = ("csv", "xlsx")


def add_report_commands(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report",
        help="programme reports: the summary PDF, dashboard lists, the cohort table",
        description="Reports for steering groups, as the Dashboard tab shows them. "
        "Needs --user (an education lead or administrator).",
    )
    kinds = report.add_subparsers(dest="report", required=True, metavar="REPORT")

    summary = kinds.add_parser("summary", help="the one-page programme summary PDF")
    summary.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    _add_filters(summary)

    at_risk = kinds.add_parser("at-risk", help="apprentices at risk, with the reasons")
    _add_file_arguments(at_risk)

    listing = kinds.add_parser(
        "list",
        help="one dashboard list",
        description="Lists: " + "; ".join(f"{name}: {kind}" for name, kind in LIST_NAMES.items()),
    )
    listing.add_argument("kind", choices=tuple(LIST_NAMES), metavar="KIND")
    _add_file_arguments(listing)

    cohorts = kinds.add_parser("cohorts", help="each cohort's planned places and starters")
    _add_file_arguments(cohorts)


def _add_file_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=FORMATS, help="csv (UTF-8, opens in Excel) or xlsx; default: --out's"
    )
    parser.add_argument("--out", type=Path, required=True, metavar="FILE")
    _add_filters(parser)


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", help="only trainees at employers in this NHS region")
    parser.add_argument("--employer", help="only this employer's trainees (its full name)")
    parser.add_argument("--cohort", help="only this cohort (by name)")
    parser.add_argument(
        "--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD", help="default today"
    )


def run_report(database: object, actor: Actor, args: argparse.Namespace) -> str:
    """Write the report asked for; returns the line to print. Raises the services' errors."""
    if args.report == "summary":
        out = _checked_path(args.out, "pdf", ())
    else:
        out = _checked_path(args.out, args.format, FORMATS)
    dashboard = programme_dashboard(
        database,  # type: ignore[arg-type]
        actor,
        DashboardFilter(region=args.region, employer=args.employer, cohort=args.cohort),
        as_of=args.as_of,
    )
    about = f"{dashboard.filter.describe()}, as of {format_day(dashboard.as_of)}"
    try:
        return f"{out}: {_write(dashboard, args, out)} ({about})"
    except PermissionError as error:
        raise ValueError(f"Cannot write {out}: is it open in another program?") from error
    except OSError as error:
        raise ValueError(f"Cannot write {out}: {error.strerror or error}") from error


def _write(dashboard: Dashboard, args: argparse.Namespace, out: Path) -> str:
    if args.report == "summary":
        from apdesk.reports.summary import render_summary  # ReportLab only when printing

        pages = render_summary(dashboard, out)
        return f"programme summary, {pages} page{'s' if pages != 1 else ''}"
    from apdesk.services.reports import export_attention_list, export_cohorts

    if args.report == "cohorts":
        count = export_cohorts(dashboard.cohorts, out)
        return f"{count} cohort{'s' if count != 1 else ''}"
    kind = ListKind.AT_RISK if args.report == "at-risk" else LIST_NAMES[args.kind]
    count = export_attention_list(kind, dashboard.lists[kind], out)
    return f"{kind}: {count} apprentice{'s' if count != 1 else ''}"


def _checked_path(path: Path, wanted: str | None, formats: tuple[str, ...]) -> Path:
    """The output file, its suffix agreeing with the format (added when it has none)."""
    suffix = path.suffix.lower().lstrip(".")
    if wanted is None and suffix not in formats:
        raise ValueError(f"{path.name}: give --format csv or xlsx, or end --out in one of them")
    if wanted is not None and not suffix:
        path = path.with_name(f"{path.name}.{wanted}")
    elif wanted is not None and suffix != wanted:
        other = f", or give --format {suffix}" if suffix in formats else ""
        raise ValueError(
            f"{path.name} does not end in .{wanted}: name it {path.stem}.{wanted}{other}"
        )
    if not path.parent.is_dir():
        raise ValueError(f"Cannot write {path}: there is no folder {path.parent}")
    return path
