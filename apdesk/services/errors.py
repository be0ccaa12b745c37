"""Errors a person can act on, raised by services and shown by the UI in these words."""

from __future__ import annotations

from collections.abc import Mapping


class ActionRefusedError(ValueError):
    """The action cannot be done as asked (bad input, a rule it breaks); nothing was saved."""


class RecordNotFoundError(LookupError):
    """The record asked for no longer exists (deleted or never there)."""


class ProblemsRefusedError(ActionRefusedError):
    """A save refused because of what was entered; ``problems`` maps each field to its
    message, so a form can show each under its field and keep what was typed."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("\n".join(sentence(message) for message in self.problems.values()))


def sentence(message: str) -> str:
    """A rule's message as a sentence on its own: "cohort is required" → "Cohort is required"."""
    return message[:1].upper() + message[1:]
