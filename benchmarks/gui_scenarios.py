"""Scenarios 1–3 and 7: start-up, filter keystrokes, tab switches and peak memory, each measured
in a fresh offscreen process (see gui_probe) and compared with its floor."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import Row, Target, format_value

REPOSITORY = Path(__file__).resolve().parents[1]
CHILD_TIMEOUT_S = 1800


def _environment(work_dir: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.pop("APDESK_DATABASE_URL", None)  # the probe names its database itself
    environment.update(
        QT_QPA_PLATFORM="offscreen",
        APDESK_DATA_DIR=str(work_dir / "data"),  # logs and backups away from the user's own
        XDG_CONFIG_HOME=str(work_dir / "config"),  # no remembered window size or last tab
    )
    return environment


def probe(work_dir: Path, *arguments: str) -> dict[str, Any]:
    """Run one gui_probe process and return what it measured."""
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.gui_probe", arguments[0], repr(started), *arguments[1:]],
        cwd=REPOSITORY,
        env=_environment(work_dir),
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    results = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
    if completed.returncode != 0 or not results:
        raise RuntimeError(
            f"gui_probe {' '.join(arguments)} failed (exit {completed.returncode}):\n"
            f"{completed.stderr[-4000:]}"
        )
    return json.loads(results[-1].removeprefix("RESULT "))


def gui_rows(work_dir: Path, database: Path, repeats: int) -> tuple[list[Row], list[str]]:
    """The rows, and notes on what was measured (rows, first tab, what was typed)."""
    (work_dir / "data").mkdir(exist_ok=True)
    bare_runs, app_runs = [], []
    for _ in range(repeats):  # interleaved, so a busy moment on the machine hits both
        bare_runs.append(probe(work_dir, "bare"))
        app_runs.append(probe(work_dir, "start", str(database)))
    session = probe(work_dir, "session", str(database), str(repeats))

    rows = [
        Row(
            f"cold start to a usable main window ({app_runs[0]['tab']} tab loaded)",
            [run["seconds"] for run in app_runs],
            [run["seconds"] for run in bare_runs],
            "bare PySide6 window",
            Target(ratio_at_most=1.5),
        ),
        Row(
            f"filter keystroke, Trainees tab ({session['rows']:,} rows)",
            session["keystrokes"],
            session["keystroke_floor"],
            "list comprehension",
            Target(below=0.050),
        ),
    ]
    for title, times in session["tab_switches"].items():
        rows.append(
            Row(
                f"switch to the {title} tab",
                times,
                session["tab_floor"],
                "empty tab",
                Target(below=0.050),
            )
        )
    rows.append(
        Row(
            "peak RSS after start and a tour of every tab",
            [session["rss_mb"]],
            [run["rss_mb"] for run in bare_runs],
            "bare PySide6 window",
            Target(below=300),
            unit="MB",
        )
    )
    phases = {
        name: statistics.median(run["phases"][name] for run in app_runs)
        for name in app_runs[0]["phases"]
    }
    notes = [
        "Start-up, median of each step: "
        + ", ".join(f"{name} {format_value(seconds, 's')}" for name, seconds in phases.items())
        + "; all background work (e.g. the quick check) done after "
        + format_value(statistics.median(run["background_done"] for run in app_runs), "s")
        + ".",
        f"Filter typed {session['typed']!r} ({len(session['keystrokes'])} keys; "
        f"{session['shown_min']:,}–{session['shown_max']:,} rows shown).",
        f"Tab switches: {repeats} visits each; the first visit includes loading the tab's data.",
    ]
    return rows, notes
