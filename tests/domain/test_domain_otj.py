"""The otj module is the one import point the services use; keep its names."""

from __future__ import annotations

import apdesk.domain.otj as otj


def test_public_names() -> None:
    for name in (
        "OtjRegime",
        "regime_for",
        "BreakInLearning",
        "OtjPlan",
        "plan_otj",
        "LoggedLearning",
        "counts_towards_otj",
        "learning_from_attendance",
        "OtjActual",
        "otj_actual",
        "OtjProgress",
        "otj_progress",
    ):
        assert name in otj.__all__
        assert hasattr(otj, name)
