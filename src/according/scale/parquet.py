"""Reports as Parquet partitions: one file per task, written whole or not at all, read back in order.

A partition holds one row per input: where it came from, its content hash, and either the report (its
JSON without the text, and the text in a column of its own) or why it failed. The article metadata sits
in columns too, so DuckDB or pandas can read a folder of partitions without `according`.
``according ingest --from-parquet DIR`` turns the rows back into the same reports and stores them.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator, Sequence

from ..errors import AccordingError
from ..ledger.ingest import Analyzed, Failure
from ..ledger.revive import report_from_dict
from ..ledger.store import report_json
from .work import Outcome

PARTITION_GLOB = "part-*.parquet"
COLUMNS = ("origin", "content_hash", "failure", "external_id", "title", "published", "outlet", "url",
           "events", "attributions", "text", "report_json")


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise AccordingError("Parquet partitions need pyarrow: pip install 'according[cluster]'") from None
    return pyarrow


def partition_name(index: int) -> str:
    return f"part-{index:06d}.parquet"


def _row(outcome: Outcome) -> dict:
    if isinstance(outcome, Failure) or outcome.report is None:
        reason = outcome.reason if isinstance(outcome, Failure) else (outcome.failure or "no report")
        return {"origin": outcome.origin, "content_hash": outcome.content_hash, "failure": reason}
    report = outcome.report
    info = report.article
    return {"origin": outcome.origin, "content_hash": outcome.content_hash, "failure": None,
            "external_id": info.id, "title": info.title, "published": info.published, "outlet": info.outlet,
            "url": info.url, "events": len(report.events), "attributions": len(report.attributions),
            "text": report.text,
            "report_json": report_json(report)}


def write_partition(directory: str | os.PathLike, index: int, outcomes: Sequence[Outcome]) -> Path:
    """Write ``part-INDEX.parquet`` atomically (a temporary file renamed into place)."""
    pa = _pyarrow()
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    rows = [_row(o) for o in outcomes]
    types = {"events": pa.int32(), "attributions": pa.int32()}
    table = pa.table({c: pa.array([r.get(c) for r in rows], type=types.get(c, pa.string())) for c in COLUMNS})
    final = folder / partition_name(index)
    temporary = folder / f".{final.name}.{os.getpid()}.tmp"
    pa.parquet.write_table(table, temporary, compression="zstd")
    os.replace(temporary, final)
    return final


def read_partitions(directory: str | os.PathLike) -> Iterator[Outcome]:
    """Every row of every partition under ``directory``, in partition order, one file in memory at a time."""
    pa = _pyarrow()
    folder = Path(directory)
    if not folder.is_dir():
        raise AccordingError(f"no Parquet folder at {folder}; write one with `according ingest PATH... --to-parquet {folder}`")
    files = sorted(folder.glob(PARTITION_GLOB))
    if not files:
        raise AccordingError(f"{folder} holds no partitions ({PARTITION_GLOB}); is it the folder --to-parquet wrote?")
    for path in files:
        try:
            table = pa.parquet.read_table(path, columns=["origin", "content_hash", "failure", "text", "report_json"])
        except (OSError, pa.ArrowException) as exc:
            raise AccordingError(f"cannot read the partition {path}: {exc}") from None
        for row in table.to_pylist():
            if row["failure"] is not None:
                yield Failure(row["origin"], row["failure"], row["content_hash"])
            else:
                report = report_from_dict(json.loads(row["report_json"]), row["text"])
                yield Analyzed(row["origin"], row["content_hash"], report, report_json=row["report_json"])
