"""Errors a person can act on, raised by services and shown by the UI in these words."""

from __future__ import annotations


class ActionRefusedError(ValueError):
    """The action cannot be done as asked (bad input, a rule it breaks); nothing was saved."""


class RecordNotFoundError(LookupError):
    """The record asked for no longer exists (deleted or never there)."""
