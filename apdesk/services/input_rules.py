"""What any typed or imported value must be before it is stored, whatever the form.

The database's column lengths and its refusal of the NUL character are PostgreSQL's: SQLite
would keep a 5,000-character name or a NUL without a word, and the same record would then
fail to copy to a central database. Checking here gives a message instead of a crash.
"""

from __future__ import annotations

import unicodedata
from datetime import date

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2099, 12, 31)
"""Dates outside these are slips of the keyboard (0026, 9999): no rule has to expect them."""

SPREADSHEET_FORMULA_STARTS = ("=", "+", "-", "@")
"""What makes a spreadsheet treat a cell as a formula when the text is exported again."""


def not_text(text: str, *, line_breaks: bool = False) -> str | None:
    """The first character that is not text (a control character), said with where it is:
    a form shows it as a space or not at all, so the person needs telling where.

    E.g. "a character that is not text (U+0007) after 'Men'".
    """
    allowed = "\n\r\t" if line_breaks else ""
    for index, character in enumerate(text):
        if character in allowed or unicodedata.category(character) not in ("Cc", "Cs"):
            continue
        before = text[max(0, index - 12) : index]
        where = f"after '{before}'" if before.strip() else "at the start"
        return f"a character that is not text (U+{ord(character):04X}) {where}"
    return None


def single_line_problem(words: str, text: str, limit: int) -> str | None:
    """Why ``text`` cannot be stored as a one-line value of at most ``limit`` characters.

    ``words`` starts the message, e.g. "first name" → "first name is 81 characters long:
    at most 80".
    """
    if len(text) > limit:
        return f"{words} is {len(text):,} characters long: at most {limit}"
    if "\n" in text or "\r" in text:
        return f"{words} holds a line break (pasted with it?): it must be on one line"
    found = not_text(text)
    return f"{words} holds {found}" if found else None


def multi_line_problem(words: str, text: str, *, plural: bool = False) -> str | None:
    """Why free text (comments, a reason, a note) cannot be stored: line breaks are fine."""
    found = not_text(text, line_breaks=True)
    return f"{words} {'hold' if plural else 'holds'} {found}" if found else None


def formula_start_problem(words: str, text: str) -> str | None:
    """A name or number starting like a spreadsheet formula: never a real one, and it would
    run as a formula in whoever opens an export of it."""
    if text.startswith(SPREADSHEET_FORMULA_STARTS):
        shown = text if len(text) <= 40 else f"{text[:40]}…"
        return f"{words} '{shown}' starts with '{text[0]}', which spreadsheets read as a formula"
    return None
