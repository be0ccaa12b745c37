"""Off-the-job training: the plan (hours required), the actual (hours that count) and progress.

One import point for the rest of the app; the rules themselves live in small modules:
:mod:`otj_plan` (regimes and required hours), :mod:`breaks` (pausing the clock) and
:mod:`otj_learning` (what counts, totals and progress).
"""

from __future__ import annotations

from apdesk.domain.breaks import BreakInLearning
from apdesk.domain.otj_learning import (
    LoggedLearning,
    OtjActual,
    OtjProgress,
    counts_towards_otj,
    learning_from_attendance,
    otj_actual,
    otj_progress,
)
from apdesk.domain.otj_plan import OtjPlan, OtjRegime, plan_otj, regime_for

__all__ = [
    "BreakInLearning",
    "LoggedLearning",
    "OtjActual",
    "OtjPlan",
    "OtjProgress",
    "OtjRegime",
    "counts_towards_otj",
    "learning_from_attendance",
    "otj_actual",
    "otj_progress",
    "plan_otj",
    "regime_for",
]
