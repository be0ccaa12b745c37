"""Renderers that fail on purpose, for batch-export tests.

They live in an importable module, not in a test, because a batch hands its renderer to
worker processes by reference (module and name). Which trainees fail is read from the
environment, which worker processes inherit.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from apdesk.portfolio import render_portfolio
from apdesk.services.portfolio_views import Portfolio

FAIL_TRAINEES = "APDESK_TEST_FAIL_TRAINEES"
CRASH_TRAINEES = "APDESK_TEST_CRASH_TRAINEES"
BROKEN_WORKERS = "APDESK_TEST_BROKEN_WORKERS"

if os.environ.get(BROKEN_WORKERS, str(os.getpid())) != str(os.getpid()):
    # $APDESK_TEST_BROKEN_WORKERS holds the test's process id: any other process importing
    # this to find its renderer (a worker) dies before drawing anything, as in a broken
    # installation.
    os._exit(71)


def _listed(variable: str, portfolio: Portfolio) -> bool:
    return str(portfolio.trainee_id) in os.environ.get(variable, "").split(",")


def render_or_fail(portfolio: Portfolio, digest: str, out: Any) -> int:
    """Raise for the trainees in $APDESK_TEST_FAIL_TRAINEES, as a damaged record would."""
    if _listed(FAIL_TRAINEES, portfolio):
        raise RuntimeError("simulated damaged record")
    return render_portfolio(portfolio, digest, out)


def render_or_die(portfolio: Portfolio, digest: str, out: Any) -> int:
    """End the whole process for the trainees in $APDESK_TEST_CRASH_TRAINEES, half-way
    through their file, as running out of memory would. Only ever use it in a worker."""
    if _listed(CRASH_TRAINEES, portfolio):
        Path(out).write_bytes(b"%PDF-1.4\n% cut short")
        os._exit(70)
    return render_portfolio(portfolio, digest, out)
