"""Rebuild the stories of a copy of a ledger, time it, and print a digest of the story tables.

    PYTHONPATH=src python bench/stories_digest.py LEDGER.db [--dump rows.txt] [--profile out.prof]

Run it with ``PYTHONPATH`` at two checkouts on one ledger: equal digests mean the same stories, ids,
members, roles, scores, reasons, status and sources (``stories`` joined with ``story_reports``,
``story_sources`` and ``merge_clusters``, in a fixed order). The ledger itself is not changed.
"""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import pstats
import shutil
import sqlite3
import time
from pathlib import Path

TABLES = {
    "stories": "SELECT s.id, s.type, s.actor_key, s.recipient_key, s.object_class, s.first_date, s.last_date, s.reports,"
               " s.articles, s.independent_sources, s.denials, s.negated, s.status, s.first_article_id,"
               " s.first_published FROM stories s ORDER BY s.id",
    "story_reports": "SELECT story_id, event_id, role, score, why FROM story_reports ORDER BY story_id, event_id",
    "story_sources": "SELECT * FROM story_sources ORDER BY 1, 2, 3",
    "merge_clusters": "SELECT event_id, head, pos, why, score FROM merge_clusters ORDER BY event_id",
}


def digest(conn: sqlite3.Connection, dump: Path | None = None) -> str:
    h = hashlib.sha256()
    out = dump.open("w", encoding="utf-8") if dump else None
    counts = []
    for name, sql in TABLES.items():
        n = 0
        for row in conn.execute(sql):
            line = f"{name}\t{row!r}\n"
            h.update(line.encode())
            if out:
                out.write(line)
            n += 1
        counts.append(f"{name} {n}")
    if out:
        out.close()
    return f"{', '.join(counts)}; sha256 {h.hexdigest()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--dump", type=Path, help="write the rows digested here")
    parser.add_argument("--profile", type=Path, help="cProfile the rebuild into this file (and print the top)")
    args = parser.parse_args()
    from according.ledger.store import Ledger
    from according.ledger.stories import rebuild_stories

    work = args.db.with_name(f"{args.db.stem}-digest{os.getpid()}.db")
    with sqlite3.connect(args.db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(args.db, work)
    try:
        with Ledger.open(work) as ledger:
            profile = cProfile.Profile() if args.profile else None
            wall, cpu = time.perf_counter(), time.process_time()
            if profile:
                profile.enable()
            summary = rebuild_stories(ledger.conn)
            if profile:
                profile.disable()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            load = " ".join(f"{x:.1f}" for x in os.getloadavg())
            events = ledger.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            print(f"rebuild of {events} events: {wall:.1f} s wall, {cpu:.1f} s CPU (load average {load}),"
                  f" {summary.stories} stories, {summary.reports} reports merged, {summary.duplicates} near-duplicates",
                  flush=True)
            print(digest(ledger.conn, args.dump), flush=True)
            if profile:
                profile.dump_stats(str(args.profile))
                pstats.Stats(str(args.profile)).sort_stats("tottime").print_stats(25)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
