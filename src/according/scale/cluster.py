"""``--scheduler tcp://HOST:8786``: the same tasks analysed on a Dask distributed cluster.

The client (this process) reads the inputs lazily and submits a few partitions per worker thread at a
time; each worker runs :func:`analyze_task` (its own analyzer, loaded once per worker process) and
either sends the outcomes back to the single ledger writer here, in input order, or writes them as a
Parquet partition itself (``to_parquet``) for ``according ingest --from-parquet`` to merge later.

A worker that dies mid-task is replaced by its nanny and Dask runs the task again elsewhere; a partition
that kills workers every time (Dask's ``KilledWorker``) is retried one article at a time, and the article
that still kills its worker is reported as failed.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from ..errors import AccordingError
from .parquet import write_partition
from .work import Outcome, Task, WorkerSettings, analyze_task, worker_died


KILLED_WORKER_TRIES = 4  # the first try and the 3 retries of Dask's default distributed.scheduler.allowed-failures


@dataclass(frozen=True)
class PartitionWritten:
    index: int
    path: str
    reports: int
    failures: int


def analyze_to_parquet(index: int, task: Task, settings: WorkerSettings, directory: str) -> PartitionWritten:
    """Analyze a task and write its outcomes as partition ``index`` (on the worker, into a shared folder)."""
    outcomes = analyze_task(task, settings)
    path = write_partition(directory, index, outcomes)
    failures = sum(1 for o in outcomes if getattr(o, "report", None) is None)
    return PartitionWritten(index, str(path), len(outcomes) - failures, failures)


def _distributed():
    try:
        import distributed
    except ImportError:
        raise AccordingError("--scheduler needs Dask: pip install 'according[cluster]'") from None
    return distributed


def connect(scheduler: str, *, timeout: float = 30.0):
    """A Dask client for the scheduler at ``scheduler`` (tcp://HOST:8786), with a clear error if unreachable."""
    distributed = _distributed()
    try:
        return distributed.Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise AccordingError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
                             "`dask scheduler` and workers with `dask worker ADDRESS --nthreads 1`") from None


@dataclass
class DaskRunner:
    """Run tasks on the cluster behind ``client`` (a ``distributed.Client``); results in input order."""

    client: Any
    settings: WorkerSettings = field(default_factory=WorkerSettings)
    in_flight: int = 0  # partitions submitted at once; 0 means 2 per worker thread

    def _window(self) -> int:
        return self.in_flight or max(2, 2 * sum(self.client.nthreads().values()))

    def run(self, tasks: Iterable[Task]) -> Iterator[list[Outcome]]:
        """Each task's outcomes, streamed back here in input order."""
        for task, future in self._submitted(tasks, lambda task: (analyze_task, task, self.settings)):
            yield self._result(future, task)

    def write_parquet(self, tasks: Iterable[Task], directory: str) -> Iterator[PartitionWritten]:
        """Workers write each task's outcomes as partition N of ``directory`` (a folder they all see)."""
        numbered = enumerate(tasks)
        for (index, task), future in self._submitted(
                numbered, lambda it: (analyze_to_parquet, it[0], it[1], self.settings, directory)):
            try:
                yield future.result()
            except _distributed().KilledWorker:
                outcomes = self._one_by_one(task)
                path = write_partition(directory, index, outcomes)  # the client writes what the workers could not
                failures = sum(1 for o in outcomes if getattr(o, "report", None) is None)
                yield PartitionWritten(index, str(path), len(outcomes) - failures, failures)

    def _submitted(self, items: Iterable, call: Callable[[Any], tuple]) -> Iterator[tuple[Any, Any]]:
        window = self._window()
        pending: deque = deque()
        source = iter(items)
        try:
            while True:
                while len(pending) < window:
                    item = next(source, None)
                    if item is None:
                        break
                    fn, *args = call(item)
                    pending.append((item, self.client.submit(fn, *args, pure=False)))
                if not pending:
                    return
                item, future = pending.popleft()
                yield item, future
                future.release()
        finally:
            for _, future in pending:
                future.cancel()

    def _result(self, future, task: Task) -> list[Outcome]:
        try:
            return future.result()
        except _distributed().KilledWorker:
            return self._one_by_one(task)

    def _one_by_one(self, task: Task) -> list[Outcome]:
        out: list[Outcome] = []
        for item in task:
            future = self.client.submit(analyze_task, [item], self.settings, pure=False)
            try:
                out.extend(future.result())
            except _distributed().KilledWorker:
                out.append(worker_died(item, KILLED_WORKER_TRIES))
            finally:
                future.release()
        return out
