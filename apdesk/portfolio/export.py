"""Export portfolios to files: one for a trainee, or a whole cohort's in a folder.

A PDF is written beside its target under a temporary name and moved into place only when
complete, so a failure never leaves half a portfolio where an earlier good one was.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from apdesk.portfolio import render_portfolio
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError
from apdesk.services.portfolio import portfolio_filename, prepare_portfolio, record_export
from apdesk.services.progress import cohort_names, list_trainee_progress

if TYPE_CHECKING:
    from apdesk.db.database import Database

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # done, total, whose portfolio is next


@dataclass(frozen=True)
class ExportedPortfolio:
    path: Path
    trainee_name: str
    pages: int
    digest: str


@dataclass
class BatchResult:
    written: list[ExportedPortfolio] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (trainee, why)
    cancelled: bool = False


class PortfolioWriteError(ActionRefusedError):
    """The PDF could not be written where asked (the folder, the disk, a viewer holding it)."""


def export_portfolio(
    database: Database, actor: Actor, trainee_id: int, path: Path, *, as_of: date | None = None
) -> ExportedPortfolio:
    """Write one trainee's portfolio to ``path`` and keep a record of what it covered."""
    prepared = prepare_portfolio(database, actor, trainee_id, as_of=as_of)
    pages = _write_atomically(
        path, lambda out: render_portfolio(prepared.portfolio, prepared.digest, out)
    )
    record_export(database, actor, prepared)
    return ExportedPortfolio(path, prepared.portfolio.apprentice.name, pages, prepared.digest)


def export_cohort(
    database: Database,
    actor: Actor,
    cohort: str,
    out_dir: Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> BatchResult:
    """Every portfolio of a cohort the actor may see, one file each; a trainee whose
    portfolio fails is reported and the batch goes on."""
    if cohort not in cohort_names(database):
        raise ActionRefusedError(f"There is no cohort named '{cohort}'")
    trainees = list_trainee_progress(database, actor, cohort=cohort)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = BatchResult()
    for done, trainee in enumerate(trainees):
        if cancelled():
            result.cancelled = True
            break
        if progress is not None:
            progress(done, len(trainees), trainee.name)
        path = out_dir / portfolio_filename(trainee.name, trainee.uln, trainee.trainee_id)
        try:
            result.written.append(export_portfolio(database, actor, trainee.trainee_id, path))
        except ActionRefusedError as error:
            result.failed.append((trainee.name, str(error)))
        except Exception as error:  # one bad record must not stop a cohort's batch
            log.exception("Portfolio of %s (id %s) failed", trainee.name, trainee.trainee_id)
            result.failed.append((trainee.name, f"{type(error).__name__}: {error}"))
    if progress is not None and not result.cancelled:
        progress(len(trainees), len(trainees), "")
    return result


def _write_atomically(path: Path, write: Callable[[str], int]) -> int:
    directory = path.parent
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.stem}-", suffix=".partial", dir=directory
        )
        os.close(handle)
    except OSError as error:
        raise PortfolioWriteError(f"Cannot write in {directory}: {error.strerror}") from error
    try:
        pages = write(temporary)
        Path(temporary).replace(path)
    except PermissionError as error:
        raise PortfolioWriteError(
            f"Cannot replace {path}: it may be open in another program. Close it and try again."
        ) from error
    except OSError as error:
        raise PortfolioWriteError(f"Cannot write {path}: {error.strerror or error}") from error
    finally:
        Path(temporary).unlink(missing_ok=True)
    return pages
