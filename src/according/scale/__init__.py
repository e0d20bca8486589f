"""Parallel and distributed runners: every core of this machine, or a Dask cluster beyond it.

Workers parse, extract and build whole reports; the parent reads inputs lazily and is the one writer
(stdout, the ledger, or Parquet partitions). See docs/scale.md.

    from according.ledger import Ledger
    from according.scale import WorkerSettings, ingest, open_runner

    with open_runner(jobs=2) as runner, Ledger.open("according.db") as ledger:   # or scheduler="tcp://HOST:8786"
        counts = ingest(ledger, ["articles/"], runner)
"""
from __future__ import annotations

from .pool import ProcessRunner
from .runs import analyze_stream, ingest, ingest_parquet, open_runner, write_parquet
from .work import WorkerSettings, analyze_task

__all__ = ["ProcessRunner", "WorkerSettings", "analyze_stream", "analyze_task", "ingest", "ingest_parquet",
           "open_runner", "write_parquet"]
