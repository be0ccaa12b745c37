"""APDesk: run Assistant Practitioner apprenticeships (Level 5, Band 4) on a trust PC."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

UNKNOWN_VERSION = "0+unknown"


def _version() -> str:
    """pyproject.toml's ``version``, the one place it is written.

    Installed (and in the frozen bundle, which carries the package metadata) it comes from the
    metadata; a bare source tree with nothing installed reads pyproject.toml itself.
    """
    try:
        return version("apdesk")
    except PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        with pyproject.open("rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return UNKNOWN_VERSION


__version__ = _version()
