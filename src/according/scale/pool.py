"""``--jobs N``: tasks analysed in N worker processes on this machine, outcomes in input order.

The parent reads inputs lazily and keeps only a few tasks in flight, so memory does not grow with the
corpus. A worker that dies (killed, out of memory, a crash in native code) breaks the pool: the pool is
started again and the tasks in flight are sent again; a task that keeps breaking it is retried one
article at a time, and the article that still kills its worker is reported as failed. Nothing is lost.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import signal
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional

from ..errors import AccordingError
from .work import Outcome, Task, WorkerSettings, analyze_task, worker_died

BREAKS_BEFORE_SPLIT = 2  # a task in flight when the pool broke this often is retried article by article


@dataclass
class _Entry:
    task: Task
    solo: bool = False  # one article, run with nothing else in flight so a break can be blamed on it
    breaks: int = 0
    future: Optional[Future] = None
    outcome: Optional[list[Outcome]] = None


def _init_worker() -> None:
    """Ctrl-C reaches the whole process group: the parent stops the pool; workers need not each complain.
    And a worker must not outlive its parent (killed, it could not stop the pool): Linux ends it then."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # What the worker inherits (the model, lexicons and caches) is never garbage: moved out of the
    # collector's sight, so no collection walks it and copies its pages from the parent's
    gc.freeze()
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@dataclass
class ProcessRunner:
    """Run tasks with :func:`analyze_task` in ``jobs`` processes (in this one when ``jobs`` is 1)."""

    jobs: int
    settings: WorkerSettings = field(default_factory=WorkerSettings)
    in_flight: int = 0  # tasks queued or running at once; 0 means 2 per worker

    def __post_init__(self) -> None:
        if self.jobs < 1:
            raise AccordingError("--jobs must be 1 or more")
        self.in_flight = self.in_flight or 2 * self.jobs

    def run(self, tasks: Iterable[Task]) -> Iterator[list[Outcome]]:
        if self.jobs == 1:
            for task in tasks:
                yield analyze_task(task, self.settings)
            return
        yield from self._run_pool(iter(tasks))

    def _new_pool(self) -> ProcessPoolExecutor:
        # fork: workers start at once and share the parent's loaded code; they never touch its open files
        return ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_init_worker)

    def _run_pool(self, tasks: Iterator[Task]) -> Iterator[list[Outcome]]:
        pool = self._new_pool()
        pending: deque[_Entry] = deque()
        try:
            while True:
                window = 1 if any(e.solo for e in pending) else self.in_flight
                while len(pending) < window:
                    task = next(tasks, None)
                    if task is None:
                        break
                    pending.append(_Entry(task))
                if not pending:
                    pool.shutdown(wait=True)
                    return
                head = pending[0]
                try:  # a worker may die at any moment: submit raises then too, not only result
                    for entry in list(pending)[:window]:
                        if entry.future is None and entry.outcome is None:
                            entry.future = pool.submit(analyze_task, entry.task, self.settings)
                    if head.outcome is None:
                        head.outcome = head.future.result()  # type: ignore[union-attr]
                except BrokenProcessPool:
                    _stop(pool)
                    pool = self._new_pool()
                    pending = _after_break(pending)
                    continue
                pending.popleft()
                yield head.outcome
        finally:
            _stop(pool)


def _after_break(pending: deque[_Entry]) -> deque[_Entry]:
    """The entries again, those in flight marked; split or fail the ones that broke the pool too often."""
    out: deque[_Entry] = deque()
    for entry in pending:
        if entry.future is not None:
            done = entry.future.done() and not entry.future.cancelled() and entry.future.exception() is None
            if done:  # finished before the break: keep it
                entry.outcome = entry.future.result()
            else:
                entry.breaks += 1
            entry.future = None
        if entry.outcome is not None or entry.breaks < BREAKS_BEFORE_SPLIT:
            out.append(entry)
        elif not entry.solo:
            out.extend(_Entry([item], solo=True) for item in entry.task)
        else:
            out.append(_Entry(entry.task, solo=True, outcome=[worker_died(item, entry.breaks) for item in entry.task]))
    return out


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop at once: queued tasks are dropped and running ones killed (their articles were not written)."""
    pool.shutdown(wait=False, cancel_futures=True)
    kill = getattr(pool, "kill_workers", None)  # Python 3.14+
    if kill is not None:
        kill()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.kill()
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.join(timeout=5)
