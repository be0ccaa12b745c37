"""``apdesk``: batch commands over the same services the desktop uses.

``--user NAME`` acts as that account (password from APDESK_PASSWORD, else asked for); the
services check what its role may do. Without it only set-up (a new, empty database) and the
integrity checks are open.

Exit codes: 0 success, 1 the action or the data was refused (bad import rows, a role that
may not do it, a wrong password), 2 wrong usage or a database/file that cannot be used.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from apdesk import __version__
from apdesk.cli_backup import add_backup_commands, back_up, check, list_rotating_backups, restore
from apdesk.cli_reports import add_report_commands, run_report
from apdesk.db.migrate import DatabaseTooNewError
from apdesk.db.reference_data import ReferenceDataError
from apdesk.domain.enums import Role
from apdesk.domain.units import format_percent_down
from apdesk.services.accounts import (
    NewUser,
    add_user,
    create_first_administrator,
    list_users,
    needs_first_administrator,
    reset_password,
    set_active,
    sign_in,
)
from apdesk.services.actors import Actor
from apdesk.services.audit import verify_audit_chain
from apdesk.services.demo import DatabaseNotEmptyError, load_demo_programme
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.exports import trainee_record, write_trainees_csv
from apdesk.services.progress import list_trainee_progress
from apdesk.services.spreadsheets import UnreadableFileError
from apdesk.services.startup import DatabaseUnavailableError, open_database
from apdesk.services.trainee_import import IMPORT_COLUMNS, import_trainees
from apdesk.services.trainees import find_trainee

EXIT_OK, EXIT_REFUSED, EXIT_UNUSABLE = 0, 1, 2
PASSWORD_VARIABLE = "APDESK_PASSWORD"

# Errors a user can act on: shown as one line, never as a traceback.
_USER_ERRORS = (
    DatabaseTooNewError,
    DatabaseNotEmptyError,
    DatabaseUnavailableError,
    ReferenceDataError,
    UnreadableFileError,
    FileNotFoundError,
    ValueError,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="apdesk", description="APDesk: Assistant Practitioner apprenticeships."
    )
    parser.add_argument("--version", action="version", version=f"APDesk {__version__}")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="SQLAlchemy URL or SQLite file path (default: APDESK_DATABASE_URL, else the "
        "url in apdesk.ini, else apdesk.sqlite3 in your data folder)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help=f"act as this APDesk account (password from {PASSWORD_VARIABLE}, else asked for)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="fill an empty database with a demo programme")
    demo.add_argument("--trainees", type=int, default=60, metavar="N", help="default 60")
    demo.add_argument("--seed", type=int, default=2019, help="same seed, same data (default 2019)")

    columns = "\n".join(
        f"  {c.name:<26}{'required' if c.required else 'optional'}  {c.meaning}"
        for c in IMPORT_COLUMNS
    )
    importing = commands.add_parser(
        "import-trainees",
        help="import trainees from CSV or XLSX (all or nothing)",
        description="Every row is checked first; if any row is wrong nothing is imported.",
        epilog=f"Columns (first row, any order, case-insensitive):\n{columns}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    importing.add_argument(
        "file", type=Path, help="an .xlsx workbook or a .csv file (UTF-8, Windows-1252 or UTF-16)"
    )
    importing.add_argument("--dry-run", action="store_true", help="check the file, save nothing")

    trainees = commands.add_parser("trainees", help="list trainees with their progress")
    trainees.add_argument("--cohort", help="only this cohort (by name)")
    trainees.add_argument("--format", choices=("table", "csv", "json"), default="table")
    trainees.add_argument(
        "--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD", help="default today"
    )

    commands.add_parser("info", help="show the database in use and the data folder")
    commands.add_parser(
        "verify-audit",
        help="recompute the audit trail's hash chain; exit 1 naming the first broken link",
    )
    _add_portfolio_commands(commands)
    _add_privacy_commands(commands)
    add_backup_commands(commands)
    _add_user_commands(commands)
    add_report_commands(commands)
    return parser


def _add_portfolio_commands(commands: argparse._SubParsersAction) -> None:
    portfolio = commands.add_parser(
        "portfolio",
        help="export evidence portfolios (PDF) for end-point assessment",
        description="One trainee's portfolio to a file, or every portfolio of a cohort to a "
        "folder (a trainee whose portfolio fails is reported; the others are still written).",
    )
    which = portfolio.add_mutually_exclusive_group(required=True)
    which.add_argument("--trainee", metavar="ID|ULN", help="a trainee id or ten-digit ULN")
    which.add_argument("--cohort", metavar="NAME", help="every trainee of this cohort")
    portfolio.add_argument("--out", type=Path, metavar="FILE.pdf", help="with --trainee")
    portfolio.add_argument("--out-dir", type=Path, metavar="DIR", help="with --cohort")
    portfolio.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="with --cohort: processes drawing PDFs at once (default: one per core)",
    )
    verify = commands.add_parser(
        "verify-portfolio",
        help="check an exported portfolio still matches the records; exit 1 saying what changed",
    )
    verify.add_argument("file", type=Path, metavar="FILE.pdf")


def _add_privacy_commands(commands: argparse._SubParsersAction) -> None:
    access = commands.add_parser(
        "subject-access",
        help="export everything held on one apprentice (JSON + PDF; administrators)",
        description="A subject access request: every record held on the apprentice as one "
        "JSON file, and a PDF to read (the evidence portfolio with a front page and an "
        "appendix of the account, exports and audit trail). The export is audited.",
    )
    access.add_argument(
        "--trainee", required=True, metavar="ID|ULN", help="a trainee id or ten-digit ULN"
    )
    access.add_argument("--out-dir", required=True, type=Path, metavar="DIR")
    anonymise = commands.add_parser(
        "anonymise",
        help="anonymise withdrawn apprentices past the retention period (administrators)",
        description="Replaces what identifies withdrawn apprentices (name, ULN, email, "
        "employee number, care pathway, free-text comments) and closes their account, keeping "
        "programme statistics. Only those who withdrew at least retention_years_after_withdrawal "
        "(resources/programme_rules.yaml) ago. Without --withdrawn-before or --trainee: "
        "everyone past that period. Audit entries and sign-offs already written are kept as "
        "they are (README, 'Data protection').",
    )
    which = anonymise.add_mutually_exclusive_group()
    which.add_argument(
        "--withdrawn-before", type=date.fromisoformat, metavar="YYYY-MM-DD", help="withdrew before"
    )
    which.add_argument("--trainee", metavar="ID|ULN", help="one withdrawn trainee")
    anonymise.add_argument("--dry-run", action="store_true", help="list who, change nothing")


def _add_user_commands(commands: argparse._SubParsersAction) -> None:
    user = commands.add_parser(
        "user",
        help="manage accounts (administrators; on a new database, creates the first one)",
    )
    actions = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add an account; asks for its first password")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="full name, as printed on sign-offs")
    add.add_argument("--role", required=True, choices=[role.value for role in Role])
    add.add_argument("--registration", help="professional registration (mentors), e.g. NMC …")
    add.add_argument(
        "--mentor-trained-on", type=date.fromisoformat, metavar="YYYY-MM-DD", help="(mentors)"
    )
    add.add_argument("--email")
    add.add_argument("--job-title")
    actions.add_parser("list", help="list accounts")
    reset = actions.add_parser("reset-password", help="set a new password and unlock")
    reset.add_argument("username")
    for verb in ("deactivate", "reactivate"):
        actions.add_parser(verb, help=f"{verb} an account (never deleted)").add_argument("username")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in _WITHOUT_OPENING:
        return _run_without_opening(args)
    try:
        opened = open_database(args.database)
    except _USER_ERRORS as error:
        print(f"apdesk: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    database = opened.database
    try:
        handler = {
            "demo": _demo,
            "import-trainees": _import_trainees,
            "trainees": _trainees,
            "info": _info,
            "verify-audit": _verify_audit,
            "portfolio": _portfolio,
            "verify-portfolio": _verify_portfolio,
            "subject-access": _subject_access,
            "anonymise": _anonymise,
            "user": _user,
            "backup": _backup,
            "report": _report,
        }[args.command]
        return handler(database, args)
    except (ActionRefusedError, RecordNotFoundError) as error:
        print(f"apdesk: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except _USER_ERRORS as error:
        print(f"apdesk: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:
        # Output piped into `head` and the like. Python's documented remedy: point stdout at
        # devnull so the flush at exit does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    finally:
        database.close()


# They must work on a database too damaged to open (opening refuses one).
_WITHOUT_OPENING = ("check", "backups", "restore")


def _run_without_opening(args: argparse.Namespace) -> int:
    try:
        if args.command == "check":
            return EXIT_OK if check(args) else EXIT_REFUSED
        if args.command == "backups":
            list_rotating_backups(args)
        else:
            restore(args, _password)
    except ActionRefusedError as error:
        print(f"apdesk: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except _USER_ERRORS as error:
        print(f"apdesk: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    return EXIT_OK


def _backup(database: Any, args: argparse.Namespace) -> int:
    back_up(database, _actor(database, args), args)
    return EXIT_OK


def _report(database: Any, args: argparse.Namespace) -> int:
    print(run_report(database, _actor(database, args), args))
    return EXIT_OK


def _password(prompt: str) -> str:
    return os.environ.get(PASSWORD_VARIABLE) or getpass.getpass(prompt)


def _actor(database: Any, args: argparse.Namespace) -> Actor:
    """The account named by --user, signed in; without --user, nobody (set-up only)."""
    if not args.user:
        return Actor.from_environment()
    return sign_in(database, args.user, _password(f"APDesk password for {args.user}: "))


def _demo(database: Any, args: argparse.Namespace) -> int:
    summary = load_demo_programme(
        database, _actor(database, args), trainees=args.trainees, seed=args.seed
    )
    print(
        f"Demo programme loaded into {database.display_name}: {summary.trainees} trainees in "
        f"{summary.cohorts} cohorts at {summary.employers} employers, {summary.mentors} mentors, "
        f"{summary.sessions} day-release sessions, {summary.attendance_marks} register marks, "
        f"{summary.competency_signoffs + summary.criterion_signoffs} sign-off records."
    )
    return EXIT_OK


def _import_trainees(database: Any, args: argparse.Namespace) -> int:
    report = import_trainees(database, args.file, _actor(database, args), dry_run=args.dry_run)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not report.ok:
        for problem in report.errors:
            print(str(problem), file=sys.stderr)
        print(
            f"{report.file_name}: {len(report.errors)} problem(s) in {report.rows_read} rows; "
            "nothing was imported.",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    if report.dry_run:
        print(f"{report.file_name}: all {report.rows_read} rows are valid (dry run: not saved).")
    else:
        print(f"{report.file_name}: imported {report.imported} trainees.")
    return EXIT_OK


def _trainees(database: Any, args: argparse.Namespace) -> int:
    rows = list_trainee_progress(
        database, _actor(database, args), cohort=args.cohort, as_of=args.as_of
    )
    if args.cohort and not rows:
        print(f"apdesk: no trainees in a cohort called '{args.cohort}'", file=sys.stderr)
        return EXIT_REFUSED
    records = [trainee_record(row) for row in rows]
    {"json": _write_json, "csv": write_trainees_csv, "table": _write_table}[args.format](
        records, sys.stdout
    )
    return EXIT_OK


def _info(database: Any, args: argparse.Namespace) -> int:
    from apdesk.paths import data_dir, log_dir

    print(f"Database:    {database.display_name}")
    print(f"Data folder: {data_dir()}")
    print(f"Logs:        {log_dir()}")
    return EXIT_OK


def _verify_audit(database: Any, args: argparse.Namespace) -> int:
    check = verify_audit_chain(database)
    if not check.intact:
        print(f"BROKEN: {check.problem}", file=sys.stderr)
        print(f"{check.entries} entries read; the chain was intact up to hash {check.head_hash}")
        return EXIT_REFUSED
    entries = "1 entry" if check.entries == 1 else f"{check.entries} entries"
    print(f"Audit trail intact: {entries}. Head hash: {check.head_hash}")
    print("Keep the head hash outside this database: it proves no entries were removed later.")
    return EXIT_OK


def _portfolio(database: Any, args: argparse.Namespace) -> int:
    from apdesk.portfolio.export import export_cohort, export_portfolio

    actor = _actor(database, args)
    if args.trainee is not None:
        if args.out is None:
            raise ValueError("--trainee needs --out FILE.pdf")
        exported = export_portfolio(
            database, actor, find_trainee(database, actor, args.trainee), args.out
        )
        print(f"{exported.path}: {exported.trainee_name}, {exported.pages} pages")
        print(f"Digest {exported.digest}")
        return EXIT_OK
    if args.out_dir is None:
        raise ValueError("--cohort needs --out-dir DIR")

    def report(done: int, total: int, name: str) -> None:
        print(f"[{done}/{total}] {name}", file=sys.stderr, flush=True)

    if args.workers is not None and args.workers < 1:
        raise ValueError("--workers needs a number of processes, 1 or more")
    result = export_cohort(
        database, actor, args.cohort, args.out_dir, progress=report, workers=args.workers
    )
    for name, why in result.failed:
        print(f"FAILED: {name}: {why}", file=sys.stderr)
    print(
        f"{len(result.written)} portfolios written to {args.out_dir}"
        + (f"; {len(result.failed)} failed" if result.failed else "")
    )
    return EXIT_REFUSED if result.failed else EXIT_OK


def _verify_portfolio(database: Any, args: argparse.Namespace) -> int:
    from apdesk.portfolio.verify import verify_portfolio

    check = verify_portfolio(database, _actor(database, args), args.file)
    if check.exported_at is not None:
        when = check.exported_at.astimezone().strftime("%d %b %Y %H:%M")
        print(f"Exported {when} by {check.exported_by}, for {check.trainee_name}.")
    if check.matches:
        print(
            f"MATCHES: {args.file} agrees with the records today (digest {check.current_digest})."
        )
        return EXIT_OK
    print(
        f"DOES NOT MATCH: the records of {check.trainee_name} changed since "
        f"{args.file} was exported."
    )
    if check.exported_at is None:
        print("This database holds no record of that export, so what changed cannot be listed.")
    for change in check.changes:
        print(f"  - {change}")
    return EXIT_REFUSED


def _subject_access(database: Any, args: argparse.Namespace) -> int:
    from apdesk.portfolio.subject_access import subject_access_export

    actor = _actor(database, args)
    files = subject_access_export(
        database, actor, find_trainee(database, actor, args.trainee), args.out_dir
    )
    held = sum(files.counts.values())
    print(f"Everything held on {files.trainee_name} ({held} records):")
    print(f"  {files.json_path}")
    print(f"  {files.pdf_path} ({files.pages} pages)")
    return EXIT_OK


def _anonymise(database: Any, args: argparse.Namespace) -> int:
    from apdesk.domain.calendar import format_day
    from apdesk.services.anonymisation import anonymise_trainee, anonymise_withdrawn

    actor = _actor(database, args)
    if args.trainee is not None:
        trainee_id = find_trainee(database, actor, args.trainee)
        report = anonymise_trainee(database, actor, trainee_id, dry_run=args.dry_run)
    else:
        report = anonymise_withdrawn(
            database, actor, withdrawn_before=args.withdrawn_before, dry_run=args.dry_run
        )
    years = report.retention_years
    print(
        f"Retention: {years} year{'' if years == 1 else 's'} after withdrawal "
        "(retention_years_after_withdrawal in programme_rules.yaml)."
    )
    count = len(report.trainees)
    people = "1 withdrawn apprentice" if count == 1 else f"{count} withdrawn apprentices"
    if not count:
        print("Nobody to anonymise: no withdrawn apprentice is past the retention period.")
    elif report.dry_run:
        print(f"Would anonymise {people} (dry run: nothing was changed).")
    else:
        print(f"Anonymised {people}.")
    for trainee in report.trainees:
        print(
            f"  {trainee.trainee_id:>6}  {trainee.name}  {trainee.cohort}  withdrew "
            f"{format_day(trainee.withdrawn_on)} ({trainee.basis})"
        )
    if count:
        print(
            f"Kept as written (append-only, see README 'Data protection'): "
            f"{report.retained.describe()}."
        )
    return EXIT_OK


def _user(database: Any, args: argparse.Namespace) -> int:
    if args.user_command == "add" and needs_first_administrator(database) and not args.user:
        return _add_first_administrator(database, args)
    actor = _actor(database, args)
    if args.user_command == "list":
        users = list_users(database, actor)
        for user in users:
            state = "active" if user.is_active else "deactivated"
            line = f"{user.username:<16} {user.role.value:<15} {state:<12} {user.full_name}"
            print(f"{line}  {user.professional_registration or ''}".rstrip())
        return EXIT_OK
    if args.user_command == "add":
        new = NewUser(
            username=args.username,
            full_name=args.name,
            role=Role(args.role),
            password=_new_password(args.username),
            email=args.email,
            job_title=args.job_title,
            professional_registration=args.registration,
            mentor_trained_on=args.mentor_trained_on,
        )
        add_user(database, actor, new)
        print(f"Added {new.role.label.lower()} account {new.username}.")
        return EXIT_OK
    target = _user_id(database, actor, args.username)
    if args.user_command == "reset-password":
        reset_password(database, actor, target, _new_password(args.username))
        print(f"New password set for {args.username}; the account is unlocked.")
    else:
        set_active(database, actor, target, args.user_command == "reactivate")
        print(f"{args.username} {args.user_command}d.")
    return EXIT_OK


def _add_first_administrator(database: Any, args: argparse.Namespace) -> int:
    if args.role != Role.ADMINISTRATOR.value:
        raise ActionRefusedError(
            "This database has no administrator yet: the first account must be one "
            "(--role administrator)"
        )
    create_first_administrator(
        database, username=args.username, full_name=args.name, password=_new_password(args.username)
    )
    print(f"Created the first administrator, {args.username}. Sign in with --user {args.username}.")
    return EXIT_OK


def _new_password(username: str) -> str:
    """The new account's password: APDESK_NEW_PASSWORD, else typed twice."""
    given = os.environ.get("APDESK_NEW_PASSWORD")
    if given:
        return given
    first = getpass.getpass(f"New password for {username}: ")
    if getpass.getpass("Type it again: ") != first:
        raise ActionRefusedError("The two passwords are different; nothing was changed")
    return first


def _user_id(database: Any, actor: Actor, username: str) -> int:
    for user in list_users(database, actor):
        if user.username.casefold() == username.casefold():
            return user.id
    raise ActionRefusedError(f"There is no account called {username}")


def _write_json(records: list[dict[str, Any]], out: TextIO) -> None:
    json.dump(records, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _write_table(records: list[dict[str, Any]], out: TextIO) -> None:
    columns = (
        ("Name", lambda r: r["name"]),
        ("Cohort", lambda r: r["cohort"]),
        ("Employer", lambda r: r["employer"]),
        ("Band", lambda r: r["band"] or "-"),
        ("Status", lambda r: r["status"].replace("_", " ")),
        ("Attend.", lambda r: _percent(r["attendance_percent"])),
        ("OTJ/plan", lambda r: _percent(r["otj_percent_of_plan"])),
        (
            "CC",
            lambda r: f"{r['care_certificate_standards']}/{r['care_certificate_standards_total']}",
        ),
        ("Comp.", lambda r: f"{r['competencies_signed']}/{r['competencies_total']}"),
        ("Risk", lambda r: "AT RISK" if r["at_risk"] else ""),
    )
    cells = [[str(get(record)) for _, get in columns] for record in records]
    widths = [
        max([len(title), *(len(row[i]) for row in cells)]) for i, (title, _) in enumerate(columns)
    ]
    out.write("  ".join(t.ljust(w) for (t, _), w in zip(columns, widths, strict=True)).rstrip())
    out.write("\n")
    for row in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
    at_risk = sum(1 for record in records if record["at_risk"])
    out.write(f"{len(records)} trainees, {at_risk} at risk\n")


def _percent(value: float | None) -> str:
    return "-" if value is None else format_percent_down(Decimal(str(value)))
