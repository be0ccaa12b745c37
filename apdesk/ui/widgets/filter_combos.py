"""Filter combo boxes whose first item means "everyone" and whose choices can be refilled
without losing the person's current choice."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox


def filter_combo(accessible_name: str, everyone: str) -> QComboBox:
    """A combo starting with ``everyone`` ("All cohorts"), whose data is None."""
    combo = QComboBox()
    combo.setAccessibleName(accessible_name)
    combo.addItem(everyone, None)
    # Long employer names would otherwise widen the whole row; the list shows them in full.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


def refill(combo: QComboBox, values: Sequence[str]) -> None:
    """Offer ``values`` after the "All …" item, keeping the current choice if still offered.

    Quietly: the caller loads what the new choice shows, once.
    """
    keep = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(1)
    for value in values:
        combo.addItem(value, value)
    index = combo.findData(keep) if keep is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
