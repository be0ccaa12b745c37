"""Putting PDFs on disk safely, and the part of a batch export that runs in worker processes.

A PDF is drawn into a temporary file beside its target and moved into place only when
complete, so a failure never leaves half a portfolio where an earlier good one was.

This module is what a worker process imports, so it stays light: no database, no Qt, and
ReportLab only when the first portfolio is drawn.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from apdesk.services.errors import ActionRefusedError

if TYPE_CHECKING:
    from apdesk.services.portfolio_views import Portfolio

Renderer = Callable[["Portfolio", str, "str | os.PathLike[str] | BinaryIO"], int]

PARTIAL_SUFFIX = ".partial"


class PortfolioWriteError(ActionRefusedError):
    """The PDF could not be written where asked (the folder, the disk, a viewer holding it)."""


def temporary_beside(path: Path) -> Path:
    """A new empty file in ``path``'s folder to write into before it becomes ``path``."""
    directory = path.parent
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.stem}-", suffix=PARTIAL_SUFFIX, dir=directory
        )
        os.close(handle)
    except OSError as error:
        raise PortfolioWriteError(f"Cannot write in {directory}: {error.strerror}") from error
    return Path(temporary)


def move_into_place(temporary: Path, path: Path) -> None:
    """Replace ``path`` with the finished ``temporary`` in one step."""
    try:
        temporary.replace(path)
    except PermissionError as error:
        raise PortfolioWriteError(
            f"Cannot replace {path}: it may be open in another program. Close it and try again."
        ) from error
    except OSError as error:
        raise cannot_write(path, error) from error


def cannot_write(path: Path, error: OSError) -> PortfolioWriteError:
    """The message for a PDF that could not be written (disk full, folder gone, ...)."""
    return PortfolioWriteError(f"Cannot write {path}: {error.strerror or error}")


# ---- in a worker process ------------------------------------------------------------------

_renderer: Renderer | None = None


def use_renderer(render: Renderer) -> None:
    """Pool initializer: the renderer arrives by reference (module and name), so the one the
    batch was started with is the one every worker uses."""
    global _renderer
    _renderer = render


def render_into(portfolio: Portfolio, digest: str, temporary: str) -> int:
    """Draw one portfolio into its (already created) temporary file; return its pages."""
    if _renderer is None:
        raise RuntimeError("use_renderer() was not called in this worker")
    return _renderer(portfolio, digest, temporary)
