"""Feed analysed articles into the ledger: skip what is stored, record failures, rebuild stories.

This module never analyses anything (and never imports spaCy): the caller hands it a stream of
``Analyzed`` items, made by whatever runs the analyzer (the CLI, in-process or in worker processes).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Protocol, Sequence, Union

from ..records import Report
from .store import Ledger, Pending
from .stories import update_stories

REBUILD_SECONDS = 60.0  # rebuild the stories this often during a long ingest, so readers see progress,
REBUILD_SHARE = 10  # ... but never spend more than 1/REBUILD_SHARE of the time rebuilding


class ArticleLike(Protocol):
    text: str
    origin: str
    title: Optional[str]
    published: Optional[str]
    outlet: Optional[str]
    url: Optional[str]
    id: Optional[str]

    @property
    def content_hash(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Failure:
    origin: str
    reason: str
    content_hash: Optional[str] = None


@dataclass(frozen=True, slots=True)
class Analyzed:
    """One article's outcome: its report, or why it failed."""

    origin: str
    content_hash: str
    report: Optional[Report] = None
    failure: Optional[str] = None
    report_json: Optional[str] = None  # the report's stored JSON, when it was read as such (Parquet)


@dataclass(slots=True)
class IngestCounts:
    added: int = 0
    skipped: int = 0  # already in the ledger before this run
    repeated: int = 0  # the same text twice in this run's inputs (stored once)
    failed: int = 0
    dated_in_metadata: int = 0  # articles whose metadata has a date the run did not use

    def to_dict(self) -> dict[str, int]:
        return {"added": self.added, "skipped": self.skipped, "repeated": self.repeated, "failed": self.failed}


def sidecar_metadata(origin: str) -> dict[str, str]:
    """``NAME.meta.json`` next to a .txt/.html file: {"published", "outlet", "url", "title"} (all optional)."""
    path = Path(origin)
    if path.suffix.lower() in (".jsonl", ".ndjson") or ":" in path.name:
        return {}
    meta = path.with_name(path.stem + ".meta.json")
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str) and v} if isinstance(data, dict) else {}


def with_metadata(article: ArticleLike, *, published_from_metadata: bool) -> ArticleLike:
    """The article with sidecar metadata filled in, and its published date kept only when asked."""
    meta = sidecar_metadata(article.origin)
    published = (article.published or meta.get("published")) if published_from_metadata else None
    return replace(  # type: ignore[type-var]
        article,
        published=published[:10] if published else None,
        outlet=article.outlet or meta.get("outlet"),
        url=article.url or meta.get("url"),
        title=article.title or meta.get("title"),
    )


def store_all(
    ledger: Ledger, items: Iterable[Union[Analyzed, Failure]], *, counts: Optional[IngestCounts] = None,
    on_item: Optional[Callable[[IngestCounts], None]] = None,
    on_failure: Optional[Callable[[Failure], None]] = None,
) -> IngestCounts:
    """Write each item in its own transaction; rebuild the stories now and then and at the end.

    ``on_failure`` hears of each input that failed (after its failure is recorded), to name it to the user.
    """
    return store_batches(ledger, ([item] for item in items), counts=counts, on_item=on_item, on_failure=on_failure)


def store_batches(
    ledger: Ledger, batches: Iterable[Sequence[Union[Analyzed, Failure]]], *, counts: Optional[IngestCounts] = None,
    on_item: Optional[Callable[[IngestCounts], None]] = None,
    on_failure: Optional[Callable[[Failure], None]] = None,
) -> IngestCounts:
    """Write each batch in one transaction (``Ledger.add_batch``); rebuild the stories now and then and
    at the end. Batches are what the caller has at hand (a worker's task, a slice of a partition), so
    nothing waits uncommitted for input that has not arrived; a crash loses at most the batch being
    written, and the rerun stores it."""
    counts = counts if counts is not None else IngestCounts()
    rebuild = _Rebuilder(ledger)
    for batch in batches:
        pending = [_pending(item) for item in batch]
        for item, stored, article_id in zip(batch, pending, ledger.add_batch(pending)):
            if stored.report is None:
                counts.failed += 1
                if on_failure is not None:
                    on_failure(Failure(item.origin, stored.reason or "no report", item.content_hash))
            elif article_id is None:
                counts.skipped += 1
            else:
                counts.added += 1
            if on_item is not None:
                on_item(counts)
        rebuild.maybe()
    rebuild.now()
    return counts


def _pending(item: Union[Analyzed, Failure]) -> Pending:
    if isinstance(item, Failure) or item.report is None:
        reason = item.reason if isinstance(item, Failure) else (item.failure or "no report")
        return Pending(item.origin, item.content_hash, reason=reason)
    return Pending(item.origin, item.content_hash, item.report, report_json=item.report_json)


class _Rebuilder:
    """Rebuilds the stories every REBUILD_SECONDS, or less often when a rebuild itself is slow."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.last = time.monotonic()
        self.cost = 0.0

    def maybe(self) -> None:
        if time.monotonic() - self.last >= max(REBUILD_SECONDS, REBUILD_SHARE * self.cost):
            self.now(final=False)

    def now(self, *, final: bool = True) -> None:
        start = time.monotonic()
        # ids are given for good once, at the end of a run; an update re-merges only the blocks and days
        # new reports reach and gives the stories a full rebuild would (or is one, see update_stories)
        update_stories(self.ledger.conn, persist_ids=final)
        self.last = time.monotonic()
        self.cost = self.last - start


def unseen(articles: Iterable, known: set[str], counts: IngestCounts) -> Iterator:
    """Articles whose content hash is not stored yet (``known``: counted as skipped) and not repeated
    within this run (counted as repeated)."""
    seen: set[str] = set()
    for article in articles:
        if isinstance(article, Exception):
            yield article
            continue
        digest = article.content_hash
        if digest in known:
            counts.skipped += 1
            continue
        if digest in seen:
            counts.repeated += 1
            continue
        seen.add(digest)
        yield article
