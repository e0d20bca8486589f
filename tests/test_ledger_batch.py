"""Storing a batch of articles in one transaction (``Ledger.add_batch``, what ``ingest`` uses): the same
ledger as one transaction per article, and a crash loses at most the batch being written."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from according.ledger.ingest import Analyzed, Failure, store_batches
from according.ledger.store import Ledger, LedgerFull, Pending, report_json
from test_ledger_ingest import snapshot
from test_ledger_merge import CORPUS, _hash, report
from test_robust_ledger import small_disk  # noqa: F401  (a real full disk)

REPO = Path(__file__).resolve().parents[1]
PLACES = ("Iran", "Russia", "North Korea", "Venezuela")


def _many(n: int, *, words: int = 12) -> list:
    """n distinct one-event reports (hand-written sentence, numbered), over a few weeks of 2024."""
    out = []
    for i in range(n):
        actor, recipient = PLACES[i % 4], PLACES[(i + 1) % 4]
        tail = " ".join(f"round {i}.{j} of the talks went on" for j in range(words))
        text = f"{actor} delivered drones to {recipient}, officials said in dispatch {i}. {tail}."
        out.append(report(text, f"Outlet {i % 7}", f"2024-09-{1 + i % 28:02d}", actor=actor, recipient=recipient,
                          trigger="delivered", obj="drones", cls="drone",
                          sources=(("officials", "anonymous", "asserted", None, None),)))
    return out


def _count(db: Path, table: str) -> int:
    with closing(sqlite3.connect(db)) as conn:
        made = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] if made else 0


def test_a_batch_stores_the_ledger_one_article_at_a_time_stores(tmp_path):
    reports = CORPUS + _many(20)
    one, batched = tmp_path / "one.db", tmp_path / "batch.db"
    with Ledger.open(one) as ledger:
        for r in reports:
            ledger.add_report(r, content_hash=_hash(r.text), origin=r.article.outlet)
        ledger.add_failure("broken.txt", "empty text")
    with Ledger.open(batched) as ledger:
        items = [Pending(r.article.outlet, _hash(r.text), r) for r in reports] + [Pending("broken.txt", None, reason="empty text")]
        ids = ledger.add_batch(items[:7]) + ledger.add_batch(items[7:])
    assert ids[:-1] == list(range(1, len(reports) + 1)) and ids[-1] is None
    for db in (one, batched):
        with Ledger.open(db) as ledger:
            from according.ledger.stories import rebuild_stories

            rebuild_stories(ledger.conn)
    assert snapshot(batched) == snapshot(one)
    assert _count(batched, "stories") > 0


def test_a_batch_skips_what_is_stored_and_what_it_repeats(tmp_path):
    a, b, c = CORPUS[:3]
    with Ledger.open(tmp_path / "l.db") as ledger:
        ledger.add_report(a, content_hash=_hash(a.text))
        ids = ledger.add_batch([Pending("b", _hash(b.text), b), Pending("a", _hash(a.text), a),
                                Pending("b again", _hash(b.text), b), Pending("c", _hash(c.text), c)])
        assert ids == [2, None, None, 3]
        assert ledger.conn.execute("SELECT count(*), count(DISTINCT content_hash) FROM articles").fetchone() == (3, 3)


def test_a_stored_article_clears_its_failure_within_the_batch(tmp_path):
    r = CORPUS[0]
    with Ledger.open(tmp_path / "l.db") as ledger:
        ledger.add_batch([Pending("wire.txt", None, reason="timed out"), Pending("wire.txt", _hash(r.text), r)])
        assert ledger.conn.execute("SELECT count(*) FROM failures").fetchone()[0] == 0
        ledger.add_batch([Pending("late.txt", None, reason="timed out")])
        assert ledger.conn.execute("SELECT origin, reason FROM failures").fetchall() == [("late.txt", "timed out")]


def test_the_json_a_partition_holds_is_stored_as_the_writer_would_make_it(tmp_path):
    """``--from-parquet`` hands the writer the report's JSON; the ledger is the one it makes itself."""
    made, given = tmp_path / "made.db", tmp_path / "given.db"
    with Ledger.open(made) as ledger:
        ledger.add_batch([Pending(None, _hash(r.text), r) for r in CORPUS])
    with Ledger.open(given) as ledger:
        ledger.add_batch([Pending(None, _hash(r.text), r, report_json=report_json(r)) for r in CORPUS])
    assert snapshot(given) == snapshot(made)


def test_store_batches_counts_and_names_each_input(tmp_path):
    a, b = CORPUS[:2]
    heard: list[Failure] = []
    with Ledger.open(tmp_path / "l.db") as ledger:
        counts = store_batches(ledger, [[Analyzed("a", _hash(a.text), a), Failure("x.txt", "unreadable")],
                                        [Analyzed("a2", _hash(a.text), a), Analyzed("b", _hash(b.text), b),
                                         Analyzed("y.txt", "h", failure="timed out")]], on_failure=heard.append)
        assert counts.to_dict() == {"added": 2, "skipped": 1, "repeated": 0, "failed": 2}
        assert [f.origin for f in heard] == ["x.txt", "y.txt"] and heard[1].reason == "timed out"
        assert ledger.conn.execute("SELECT count(*) FROM stories").fetchone()[0] > 0  # rebuilt at the end


WRITER = """
import sys, time
sys.path.insert(0, {tests!r})
from test_ledger_batch import _many
from test_ledger_merge import _hash
from according.ledger.store import Ledger, Pending
reports = _many({n})
with Ledger.open({db!r}) as ledger:
    for k in range(0, len(reports), {batch}):
        ledger.add_batch([Pending(None, _hash(r.text), r) for r in reports[k:k + {batch}]])
        time.sleep({pause})
"""


def _writer(db: Path, n: int, batch: int, pause: float) -> list[str]:
    return [sys.executable, "-c", WRITER.format(tests=str(REPO / "tests"), n=n, db=str(db), batch=batch, pause=pause)]


def test_a_writer_killed_midway_keeps_whole_batches_and_a_rerun_completes(tmp_path):
    db, clean = tmp_path / "killed.db", tmp_path / "clean.db"
    subprocess.run(_writer(clean, 120, 10, 0.0), check=True, timeout=300)
    proc = subprocess.Popen(_writer(db, 120, 10, 0.2))
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists() and _count(db, "articles") >= 30:
                break
            time.sleep(0.02)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    stored = _count(db, "articles")
    assert 30 <= stored < 120 and stored % 10 == 0  # whole batches only
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    subprocess.run(_writer(db, 120, 10, 0.0), check=True, timeout=300)  # stores the rest, nothing twice
    assert snapshot(db) == snapshot(clean)


def test_a_full_disk_keeps_every_article_of_the_batch_that_fit(tmp_path, small_disk):  # noqa: F811
    reports = _many(200, words=60)
    db = small_disk / "ledger.db"
    with Ledger.open(db) as ledger:
        with pytest.raises(LedgerFull):
            for k in range(0, len(reports), 50):
                ledger.add_batch([Pending(f"a{k + j}", _hash(r.text), r) for j, r in enumerate(reports[k:k + 50])])
        stored = [o for (o,) in ledger.conn.execute("SELECT origin FROM articles ORDER BY id")]
    assert 0 < len(stored) < 200
    assert stored == [f"a{i}" for i in range(len(stored))]  # every article before the one that did not fit
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
