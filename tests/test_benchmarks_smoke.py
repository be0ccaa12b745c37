"""The benchmark runner still runs: every scenario printed with a figure and its floor.

A smoke run on a 12-trainee demo, one repeat of each; no timing is asserted (figures on a
shared test machine say nothing), only that each row is there, measured and compared.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
VALUE = r"[\d.,]+ (?:µs|ms|s|MB)"
ROW = re.compile(
    rf"^(?P<scenario>\S.*?)\s{{2,}}(?P<median>{VALUE})\s{{2,}}(?P<p95>{VALUE})\s{{2,}}"
    rf"(?P<floor>{VALUE}) \((?P<floor_name>[^)]+)\)\s{{2,}}(?P<ratio>[\d.,]+×)\s{{2,}}"
    r"(?P<target>.+?)\s{2,}(?P<met>yes|NO|—)$"
)
SCENARIOS = (
    "cold start to a usable main window",
    "filter keystroke, Trainees tab (12 rows)",
    "switch to the Dashboard tab",
    "switch to the Trainees tab",
    "switch to the Attendance tab",
    "switch to the Supervised practice tab",
    "switch to the Care Certificate tab",
    "switch to the Bands tab",
    "load a register of",
    "save a register of",
    "open a competency tree",
    "OTJ and attendance figures for all 12 trainees",
    "one full portfolio",
    "batch of 2 portfolios",
    "peak RSS",
)


def test_the_runner_prints_every_scenario_with_its_floor(tmp_path: Path) -> None:
    markdown = tmp_path / "latest.md"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--trainees",
            "12",
            "--quick",
            "--batch",
            "2",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--markdown",
            str(markdown),
        ],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "Dataset: 12 trainees" in completed.stdout

    rows = {}
    for line in completed.stdout.splitlines():
        found = ROW.match(line)
        if found:
            rows[found["scenario"]] = found
    for scenario in SCENARIOS:
        matching = [name for name in rows if name.startswith(scenario)]
        assert len(matching) == 1, f"{scenario!r} not printed once in:\n{completed.stdout}"
        row = rows[matching[0]]
        assert row["floor_name"], scenario
    unexpected = [
        name
        for name in rows
        if not name.startswith(("switch to the", *SCENARIOS))  # a new tab gets a row of its own
    ]
    assert not unexpected
    assert rows[next(n for n in rows if n.startswith("peak RSS"))]["median"].endswith(" MB")

    # The same rows, as the Markdown table the README's Performance section is pasted from.
    table = [line for line in markdown.read_text(encoding="utf-8").splitlines() if line[:2] == "| "]
    assert table[0].startswith("| scenario | median | p95 | floor | ratio | target | met? |")
    assert len(table) == 2 + len(rows)
