"""Whole runs: inputs read lazily into tasks, a runner (local processes or a Dask cluster), one writer.

``analyze_stream`` gives outcomes for ``according analyze``; ``ingest`` stores them in a ledger;
``write_parquet`` leaves them as Parquet partitions and ``ingest_parquet`` stores those later.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Optional, Protocol, Union

from ..article import DEFAULT_MAX_CHARS, Article, read_articles
from ..errors import InputError
from ..ledger.ingest import Failure, IngestCounts, store_batches, unseen, with_metadata
from ..ledger.store import Ledger
from .parquet import read_partitions, write_partition
from .pool import ProcessRunner
from .work import Outcome, Task, WorkerSettings

TASK_SIZE = 16  # articles per task sent to a worker (one nlp.pipe batch; a Dask task costs the scheduler ~1 ms)
PARTITION_SIZE = 256  # articles per Parquet partition: files big enough for DuckDB, small enough to redo
STORE_BATCH = 64  # articles stored per transaction from Parquet (a commit each costs about as much as an article)


class Runner(Protocol):
    def run(self, tasks: Iterable[Task]) -> Iterator[list[Outcome]]: ...


@contextmanager
def open_runner(*, jobs: int = 1, scheduler: Optional[str] = None,
                settings: Optional[WorkerSettings] = None) -> Iterator[Runner]:
    """A ProcessRunner of ``jobs`` processes, or a DaskRunner connected to ``scheduler`` (closed after)."""
    settings = settings or WorkerSettings()
    if scheduler is None:
        yield ProcessRunner(jobs, settings)
        return
    from .cluster import DaskRunner, connect

    client = connect(scheduler)
    try:
        yield DaskRunner(client, settings)
    finally:
        client.close()


def chunks(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _as_failure(item: Union[Article, InputError]) -> Union[Article, Failure]:
    return Failure(item.where, item.problem) if isinstance(item, InputError) else item


def analyze_stream(runner: Runner, items: Iterable[Union[Article, InputError]]) -> Iterator[Outcome]:
    """Every input's outcome (its report, or a Failure naming it and the problem), in input order."""
    for outcomes in runner.run(chunks(map(_as_failure, items), TASK_SIZE)):
        yield from outcomes


def ingest_items(paths: Iterable[str], known: set[str], counts: IngestCounts, *, dated: bool,
                 max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Union[Article, Failure]]:
    """Articles not yet in the ledger, with their sidecar metadata; Failures for unreadable inputs."""
    for item in unseen(read_articles(paths, max_chars=max_chars), known, counts):
        if isinstance(item, InputError):
            yield Failure(item.where, item.problem)
            continue
        if item.published and not dated:
            counts.dated_in_metadata += 1
        yield with_metadata(item, published_from_metadata=dated)


def ingest(ledger: Ledger, paths: Iterable[str], runner: Runner, *, dated: bool = False,
           counts: Optional[IngestCounts] = None, on_item: Optional[Callable[[IngestCounts], None]] = None,
           max_chars: int = DEFAULT_MAX_CHARS, on_failure: Optional[Callable[[Failure], None]] = None) -> IngestCounts:
    """Analyze the articles under ``paths`` with ``runner`` and store them; this process is the one writer."""
    counts = counts if counts is not None else IngestCounts()
    items = ingest_items(paths, ledger.known_hashes(), counts, dated=dated, max_chars=max_chars)
    # one transaction per task's outcomes: they arrive together, so nothing waits uncommitted
    return store_batches(ledger, runner.run(chunks(items, TASK_SIZE)), counts=counts, on_item=on_item,
                         on_failure=on_failure)


def write_parquet(directory: str, paths: Iterable[str], runner: Runner, *, dated: bool = False,
                  counts: Optional[IngestCounts] = None, on_item: Optional[Callable[[IngestCounts], None]] = None,
                  max_chars: int = DEFAULT_MAX_CHARS, partition_size: int = PARTITION_SIZE) -> IngestCounts:
    """Analyze into Parquet partitions of ``partition_size`` inputs (written by the workers on a cluster,
    by this process otherwise); ``added`` counts the reports."""
    counts = counts if counts is not None else IngestCounts()
    tasks = chunks(ingest_items(paths, set(), counts, dated=dated, max_chars=max_chars), partition_size)
    writer = getattr(runner, "write_parquet", None)
    if writer is not None:  # the workers write
        for written in writer(tasks, directory):
            counts.added += written.reports
            counts.failed += written.failures
            if on_item is not None:
                on_item(counts)
        return counts
    for index, outcomes in enumerate(runner.run(tasks)):  # local processes: the parent writes
        write_partition(directory, index, outcomes)
        failures = sum(1 for o in outcomes if getattr(o, "report", None) is None)
        counts.added += len(outcomes) - failures
        counts.failed += failures
        if on_item is not None:
            on_item(counts)
    return counts


def ingest_parquet(ledger: Ledger, directory: str, *, counts: Optional[IngestCounts] = None,
                   on_item: Optional[Callable[[IngestCounts], None]] = None,
                   on_failure: Optional[Callable[[Failure], None]] = None) -> IngestCounts:
    """Store the reports of the Parquet partitions under ``directory`` (those already stored are skipped)."""
    return store_batches(ledger, chunks(read_partitions(directory), STORE_BATCH), counts=counts, on_item=on_item,
                         on_failure=on_failure)
