"""Stories left stale by an interrupted ingest are rebuilt when the ledger is next read.

An ingest rebuilds the stories now and then and at its end, each time in one transaction, so a reader
always sees the stories of some complete rebuild. An ingest killed before its final rebuild leaves
articles the stories do not cover (all of them, in a new ledger killed before its first rebuild). The
read commands call ``refresh_if_stale`` first: when no ingest is running (``writer_lock``), it rebuilds
the stories; while one runs, the running ingest will, and the reader is told so.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Optional

from .store import Ledger
from .stories import rebuild_stories, stale_articles
from .writer_lock import ingest_running


def refresh_if_stale(db: Path) -> Optional[str]:
    """Rebuild the stories of ``db`` when an interrupted ingest left them behind its articles; return a
    note for the user when they were rebuilt or are stale, None when they are current."""
    with Ledger.open(db, readonly=True) as ledger:
        behind = stale_articles(ledger.conn)
    if not behind:
        return None
    if ingest_running(db):
        return f"note: the stories do not cover the last {behind} article(s) yet; the running ingest rebuilds them"
    try:
        with Ledger.open(db) as ledger:
            if not stale_articles(ledger.conn):
                return None  # another reader rebuilt them while this one waited
            rebuild_stories(ledger.conn, persist_ids=False)  # ids are given by an ingest's end, as ever
    except (sqlite3.OperationalError, OSError) as exc:
        return (f"note: the stories do not cover the last {behind} article(s) (an interrupted ingest) and "
                f"could not be rebuilt ({exc}); run `according ingest` again to bring them up to date")
    return f"note: rebuilt the stories, which an interrupted ingest had left {behind} article(s) behind"
