"""Timing, one table row per scenario with its floor, and the table as text and Markdown."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


def timed(work: Callable[[], object], repeats: int) -> list[float]:
    """Seconds taken by each of ``repeats`` calls of ``work``."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


def p95(values: Sequence[float]) -> float:
    """The nearest-rank 95th percentile: with few samples, the slowest one."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Target:
    """What the issue asks of a scenario: an absolute limit on the median, a limit on its
    ratio to the floor, or both; neither means the issue sets no target."""

    below: float | None = None  # in the row's unit (seconds, or MB)
    ratio_at_most: float | None = None

    def text(self, unit: str) -> str:
        parts = []
        if self.below is not None:
            limit = self.below
            if unit == "MB":
                parts.append(f"< {limit:g} MB")
            else:
                parts.append(f"< {limit * 1000:g} ms" if limit < 1 else f"< {limit:g} s")
        if self.ratio_at_most is not None:
            parts.append(f"≤ {self.ratio_at_most:g}× floor")
        return " and ".join(parts) if parts else "—"

    def met(self, median: float, ratio: float | None) -> bool | None:
        if self.below is None and self.ratio_at_most is None:
            return None
        ok = self.below is None or median < self.below
        if self.ratio_at_most is not None:
            ok = ok and ratio is not None and ratio <= self.ratio_at_most
        return ok


@dataclass
class Row:
    scenario: str
    samples: list[float]
    floor_samples: list[float]
    floor_name: str
    target: Target = field(default_factory=Target)
    unit: str = "s"  # "s" (shown as ms below a second) or "MB"

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return p95(self.samples)

    @property
    def floor(self) -> float:
        return statistics.median(self.floor_samples)

    @property
    def ratio(self) -> float | None:
        return self.median / self.floor if self.floor > 0 else None

    @property
    def met(self) -> bool | None:
        return self.target.met(self.median, self.ratio)


def format_value(value: float, unit: str) -> str:
    if unit == "MB":
        return f"{value:,.0f} MB"
    if value < 0.001:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def _cells(row: Row) -> list[str]:
    ratio = row.ratio
    met = {True: "yes", False: "NO", None: "—"}[row.met]
    return [
        row.scenario,
        format_value(row.median, row.unit),
        format_value(row.p95, row.unit),
        f"{format_value(row.floor, row.unit)} ({row.floor_name})",
        "—" if ratio is None else f"{ratio:,.0f}×" if ratio >= 100 else f"{ratio:.1f}×",
        row.target.text(row.unit),
        met,
    ]


HEADER = ["scenario", "median", "p95", "floor", "ratio", "target", "met?"]


def text_table(rows: Sequence[Row]) -> str:
    lines = [HEADER, *(_cells(row) for row in rows)]
    widths = [max(len(line[column]) for line in lines) for column in range(len(HEADER))]
    numeric = {1, 2, 4}  # right-aligned, so figures line up

    def render(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(width) if column in numeric else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(lines[0]), rule, *(render(cells) for cells in lines[1:])])


def markdown_table(rows: Sequence[Row]) -> str:
    def render(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    align = ["---", "---:", "---:", "---", "---:", "---", ":---:"]
    return "\n".join(
        [render(HEADER), "| " + " | ".join(align) + " |", *(render(_cells(r)) for r in rows)]
    )
