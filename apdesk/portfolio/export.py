"""Export portfolios to files: one for a trainee, or many (a cohort's, any list) in a folder.

A batch draws on every core. Gathering a portfolio's content takes tens of milliseconds and
drawing it hundreds, so this process gathers each portfolio (one reader), hands the value to
a pool of worker processes that only draw PDFs (they never open the database, so they work
the same against SQLite or PostgreSQL and with the "spawn" start method Windows uses), and
records each export itself (one writer, as SQLite wants).

Every PDF is drawn into a temporary file beside its target and moved into place only after
its export is recorded, so a failed, cancelled or interrupted export leaves no half-written
file and no file without its record.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from apdesk.portfolio import render_portfolio
from apdesk.portfolio.writing import (
    PortfolioWriteError,
    Renderer,
    cannot_write,
    move_into_place,
    render_into,
    temporary_beside,
    use_renderer,
)
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.portfolio import (
    PreparedPortfolio,
    portfolio_filename,
    prepare_portfolio,
    record_export,
)
from apdesk.services.progress import cohort_names, list_trainee_progress

if TYPE_CHECKING:
    from apdesk.db.database import Database

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # finished so far, total, whose portfolio finished

# This process gathers and records a portfolio in under 0.1 s while a worker draws one in about
# 0.5 s: past this many workers they would wait for it, and each costs memory.
MAX_WORKERS = 6

__all__ = [
    "MAX_WORKERS",
    "BatchResult",
    "ExportedPortfolio",
    "PortfolioWriteError",
    "Progress",
    "available_workers",
    "export_batch",
    "export_cohort",
    "export_portfolio",
]


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


def export_portfolio(
    database: Database, actor: Actor, trainee_id: int, path: Path, *, as_of: date | None = None
) -> ExportedPortfolio:
    """Write one trainee's portfolio to ``path`` and keep a record of what it covered."""
    prepared = prepare_portfolio(database, actor, trainee_id, as_of=as_of)
    temporary = temporary_beside(path)
    try:
        try:
            pages = render_portfolio(prepared.portfolio, prepared.digest, os.fspath(temporary))
        except OSError as error:
            raise cannot_write(path, error) from error
        record_export(database, actor, prepared)
        move_into_place(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return ExportedPortfolio(path, prepared.portfolio.apprentice.name, pages, prepared.digest)


def export_cohort(
    database: Database,
    actor: Actor,
    cohort: str,
    out_dir: Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    workers: int | None = None,
) -> BatchResult:
    """Every portfolio of a cohort the actor may see, one file each; a trainee whose
    portfolio fails is reported and the batch goes on."""
    if cohort not in cohort_names(database):
        raise ActionRefusedError(f"There is no cohort named '{cohort}'")
    trainees = list_trainee_progress(database, actor, cohort=cohort)
    return _export(
        database,
        actor,
        [_Target(t.trainee_id, t.name) for t in trainees],
        out_dir,
        progress=progress,
        cancelled=cancelled,
        as_of=None,
        workers=workers,
    )


def export_batch(
    database: Database,
    actor: Actor,
    trainee_ids: Sequence[int],
    out_dir: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    *,
    as_of: date | None = None,
    workers: int | None = None,
) -> BatchResult:
    """The portfolios of ``trainee_ids`` in ``out_dir``, named as portfolio_filename() says,
    drawn on up to ``workers`` processes (default: one per core, at most MAX_WORKERS).

    A trainee whose portfolio cannot be gathered, drawn, recorded or written is reported in
    ``failed`` and the batch goes on. ``progress`` hears of each portfolio as it finishes,
    written or failed. Once ``cancelled()`` says so, no more portfolios are started; those
    already being drawn are finished and written whole.
    """
    return _export(
        database,
        actor,
        [_Target(trainee_id, None) for trainee_id in trainee_ids],
        out_dir,
        progress=progress,
        cancelled=cancelled,
        as_of=as_of,
        workers=workers,
    )


def available_workers(jobs: int, workers: int | None = None) -> int:
    """How many processes to draw ``jobs`` portfolios on; 1 means this process alone."""
    if workers is None:
        affinity = getattr(os, "sched_getaffinity", None)
        cores = len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)
        workers = min(cores, MAX_WORKERS)
    return max(1, min(workers, jobs))


# ---- the batch ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    trainee_id: int
    name: str | None  # known up front for a cohort; otherwise once the portfolio is gathered

    @property
    def label(self) -> str:
        return self.name or f"trainee id {self.trainee_id}"


@dataclass(frozen=True)
class _Job:
    target: _Target
    prepared: PreparedPortfolio
    path: Path
    temporary: Path

    @property
    def name(self) -> str:
        return self.prepared.portfolio.apprentice.name


def _export(
    database: Database,
    actor: Actor,
    targets: list[_Target],
    out_dir: Path,
    *,
    progress: Progress | None,
    cancelled: Callable[[], bool],
    as_of: date | None,
    workers: int | None,
) -> BatchResult:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PortfolioWriteError(f"Cannot create {out_dir}: {error.strerror}") from error
    batch = _Batch(database, actor, out_dir, len(targets), progress, as_of)
    count = available_workers(len(targets), workers)
    # Looked up now, not imported by name, so a replaced renderer (tests) reaches the workers.
    render: Renderer = render_portfolio
    drawer: _Drawer = _InlineDrawer(render) if count == 1 else _PoolDrawer(render, count)
    pending: dict[Future[int], _Job] = {}
    queue: Iterator[_Target] = iter(targets)
    try:
        while True:
            while len(pending) < drawer.capacity and not batch.result.cancelled:
                if cancelled():
                    batch.result.cancelled = True
                    break
                target = next(queue, None)
                if target is None:
                    break
                job = batch.prepare(target)
                if job is not None:
                    pending[drawer.submit(job)] = job
            if batch.result.cancelled:
                for future in [f for f in pending if f.cancel()]:
                    batch.discard(pending.pop(future))
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                batch.finish(pending.pop(future), future)
    finally:
        drawer.close()
        for job in pending.values():  # interrupted: nothing half-written is left behind
            batch.discard(job)
    return batch.result


class _Batch:
    """This process's side of a batch: gather, then record and move into place."""

    def __init__(
        self,
        database: Database,
        actor: Actor,
        out_dir: Path,
        total: int,
        progress: Progress | None,
        as_of: date | None,
    ) -> None:
        self.database = database
        self.actor = actor
        self.out_dir = out_dir
        self.total = total
        self.progress = progress
        self.as_of = as_of
        self.result = BatchResult()
        self.done = 0

    def prepare(self, target: _Target) -> _Job | None:
        try:
            prepared = prepare_portfolio(
                self.database, self.actor, target.trainee_id, as_of=self.as_of
            )
        except Exception as error:  # one bad record must not stop the batch
            self.fail(target.label, target.trainee_id, error)
            return None
        apprentice = prepared.portfolio.apprentice
        path = self.out_dir / portfolio_filename(apprentice.name, apprentice.uln, target.trainee_id)
        # A folder that takes no files stops the batch: every portfolio would fail the same way.
        return _Job(target, prepared, path, temporary_beside(path))

    def finish(self, job: _Job, drawn: Future[int]) -> None:
        try:
            try:
                pages = drawn.result()
            except OSError as error:
                raise cannot_write(job.path, error) from error
            record_export(self.database, self.actor, job.prepared)
            move_into_place(job.temporary, job.path)
        except Exception as error:
            self.discard(job)
            self.fail(job.name, job.target.trainee_id, error)
            return
        self.result.written.append(
            ExportedPortfolio(job.path, job.name, pages, job.prepared.digest)
        )
        self._report(job.name)

    def fail(self, name: str, trainee_id: int, error: BaseException) -> None:
        if isinstance(error, (ActionRefusedError, RecordNotFoundError)):
            why = str(error)
        elif isinstance(error, BrokenProcessPool):
            why = "the process drawing it stopped unexpectedly (out of memory?)"
            log.error("Portfolio of %s (id %s): %s", name, trainee_id, why)
        else:
            log.error("Portfolio of %s (id %s) failed", name, trainee_id, exc_info=error)
            why = f"{type(error).__name__}: {error}"
        self.result.failed.append((name, why))
        self._report(name)

    def discard(self, job: _Job) -> None:
        job.temporary.unlink(missing_ok=True)

    def _report(self, name: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, name)


class _Drawer:
    capacity: int  # portfolios handed out at once

    def submit(self, job: _Job) -> Future[int]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class _InlineDrawer(_Drawer):
    """One portfolio, or one core: drawing here avoids starting a process."""

    capacity = 1

    def __init__(self, render: Renderer) -> None:
        self._render = render

    def submit(self, job: _Job) -> Future[int]:
        future: Future[int] = Future()
        try:
            portfolio = job.prepared.portfolio
            future.set_result(self._render(portfolio, job.prepared.digest, str(job.temporary)))
        except Exception as error:
            future.set_exception(error)
        return future


class _PoolDrawer(_Drawer):
    def __init__(self, render: Renderer, workers: int) -> None:
        self._render = render
        self._workers = workers
        # One waiting per worker, so a worker never idles while this process gathers.
        self.capacity = 2 * workers
        self._pool: ProcessPoolExecutor | None = self._start()
        self._pool_has_drawn = False
        self._here: _InlineDrawer | None = None

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self._workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=use_renderer,
            initargs=(self._render,),
        )

    def submit(self, job: _Job) -> Future[int]:
        if self._here is not None:
            return self._here.submit(job)
        assert self._pool is not None
        arguments = (job.prepared.portfolio, job.prepared.digest, str(job.temporary))
        try:
            future = self._pool.submit(render_into, *arguments)
        except BrokenProcessPool:
            # A worker died; the portfolios it had are reported failed.
            self._pool.shutdown(wait=False, cancel_futures=True)
            if not self._pool_has_drawn:
                # Workers that cannot draw even one (they fail to start) would fail every
                # portfolio: draw the rest here instead, one at a time.
                log.warning("Portfolio worker processes are failing; drawing in this process")
                self._pool = None
                self._here = _InlineDrawer(self._render)
                self.capacity = self._here.capacity
                return self._here.submit(job)
            self._pool = self._start()
            self._pool_has_drawn = False
            future = self._pool.submit(render_into, *arguments)
        future.add_done_callback(partial(self._note_drawn, self._pool))
        return future

    def _note_drawn(self, pool: ProcessPoolExecutor, future: Future[int]) -> None:
        if pool is self._pool and not future.cancelled() and future.exception() is None:
            self._pool_has_drawn = True

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
