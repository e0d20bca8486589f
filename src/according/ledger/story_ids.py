"""Stable story ids: a story keeps the oldest id any of its reports was first given.

A new story gets a hash of its earliest report; ids that a merge folds away are recorded in
``story_merges``. The rebuild gives ids one batch of stories at a time (``prepare`` reads what the
ledger remembers of that batch's reports), so nothing here holds every report of the ledger: only the
ids given in this rebuild.
"""
from __future__ import annotations

import hashlib
import sqlite3
from .store import now


class StoryIds:
    def __init__(self, conn: sqlite3.Connection, *, persist: bool) -> None:
        self.conn = conn
        self.persist_ids = persist  # record ids as they are given (the end of an ingest), or only show them
        self.next_seq = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM story_ids").fetchone()[0] + 1
        # ids in use: the stories table, which the caller writes each story to as soon as its id is chosen
        # (those left as they are, and those written so far); ``chosen`` the ones not written yet
        self.chosen: set[str] = set()
        self.merged: dict[str, str] = {}
        self.minted: dict[str, int] = {}  # id -> seq, given in this rebuild
        self.fresh: list[str] = []  # ... since the last ``flush`` (a batch need not go through them all)
        self.first: dict[int, str] = {}  # this batch's reports -> the story each was first given
        self.seq: dict[str, int] = {}  # ... and those stories' seq
        self.assigned: dict[int, str] = {}  # this batch's reports -> their story now

    def prepare(self, event_ids: list[int]) -> None:
        """Read what the ledger remembers of the next batch's reports (ids in ``temp.rb_ids``)."""
        self.first = dict(self.conn.execute(
            "SELECT event_id, story_id FROM event_stories WHERE event_id IN (SELECT id FROM temp.rb_ids)"))
        self.seq = dict(self.conn.execute(
            "SELECT id, seq FROM story_ids WHERE id IN (SELECT story_id FROM event_stories"
            " WHERE event_id IN (SELECT id FROM temp.rb_ids))"))
        self.assigned = {}

    def choose(self, event_ids: list[int], anchor: str) -> str:
        old = sorted({self.first[e] for e in event_ids if e in self.first}, key=lambda s: (self.seq.get(s, 0), s))
        free = [s for s in old if not self._taken(s)]
        story_id = free[0] if free else self._mint(anchor)
        for other in free[1:]:
            self.merged[other] = story_id
        self.chosen.add(story_id)
        for e in event_ids:
            self.assigned.setdefault(e, story_id)
        return story_id

    def written(self, story_id: str) -> None:
        self.chosen.discard(story_id)

    def _taken(self, story_id: str) -> bool:
        return story_id in self.chosen or self.conn.execute(
            "SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is not None

    def _known(self, story_id: str) -> bool:
        return story_id in self.minted or self.conn.execute(
            "SELECT 1 FROM story_ids WHERE id = ?", (story_id,)).fetchone() is not None

    def _mint(self, base: str) -> str:
        n = 0
        while True:
            story_id = "s" + hashlib.sha1(f"{base}|{n}".encode() if n else base.encode()).hexdigest()[:10]
            if not self._taken(story_id) and not self._known(story_id):
                break
            n += 1
        self.minted[story_id] = self.next_seq
        self.fresh.append(story_id)
        self.next_seq += 1
        return story_id

    def flush(self, minted_before: int) -> None:
        """Record the batch's new ids and first stories (when ids are persisted)."""
        fresh, self.fresh = self.fresh, []
        if not self.persist_ids:
            return
        stamp = now()
        minted = self.minted
        self.conn.executemany("INSERT INTO story_ids(id, seq, minted_at) VALUES (?, ?, ?)",
                              [(s, minted[s], stamp) for s in fresh if minted[s] >= minted_before])
        self.conn.executemany("INSERT OR IGNORE INTO event_stories(event_id, story_id) VALUES (?, ?)",
                              sorted(self.assigned.items()))

    def persist(self) -> None:
        """At the end: the ids folded into others, and ids back in use that are aliases no more."""
        if not self.persist_ids:
            return
        stamp = now()
        merged = {old: new for old, new in self.merged.items() if not self._taken(old)}
        self.conn.executemany(
            "INSERT INTO story_merges(from_id, into_id, merged_at) VALUES (?, ?, ?) "
            "ON CONFLICT(from_id) DO UPDATE SET into_id = excluded.into_id, merged_at = excluded.merged_at",
            [(old, new, stamp) for old, new in sorted(merged.items())])
        # an id that came back into use is a story again, not an alias
        self.conn.execute("DELETE FROM story_merges WHERE from_id IN (SELECT id FROM stories)")
