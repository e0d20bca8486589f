"""Ingest through the real analyzer into a real SQLite file: idempotency, failures, crash safety."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from according.cli import main
from hostile_inputs import HangsOnOne

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "fixtures" / "ledger" / "corpus.jsonl"

SUPPLIERS = ("Iran", "North Korea", "Belarus", "China", "Turkey")
RECIPIENTS = ("Russia", "Venezuela", "Syria", "Sudan")
OBJECTS = ("drones", "ballistic missiles", "artillery shells", "rifles")


def _count(db: Path, table: str) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_ingest_is_idempotent(tmp_path, capsys):
    db = str(tmp_path / "l.db")
    assert main(["ingest", str(CORPUS), "--db", db, "--published-from-metadata", "--quiet"]) == 0
    first = _count(Path(db), "articles"), _count(Path(db), "events"), _count(Path(db), "stories")
    assert first[0] == 10
    assert main(["ingest", str(CORPUS), "--db", db, "--published-from-metadata", "--quiet"]) == 0
    assert (_count(Path(db), "articles"), _count(Path(db), "events"), _count(Path(db), "stories")) == first
    assert "added 0, skipped 10" in capsys.readouterr().err


def test_failures_are_recorded_with_their_reason(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "feed.jsonl").write_text('{"text": "Iran delivered drones to Russia, officials said."}\n'
                                       '{"text": \n', encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Caf\xe9 owners said prices rose.".encode("latin-1"))  # decoded (cp1252)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    db = str(tmp_path / "l.db")
    assert main(["ingest", str(folder), "--db", db, "--quiet"]) == 1  # the batch went on; the exit code says it failed
    err = capsys.readouterr().err
    for name in ("empty.txt", "feed.jsonl:2", "binary.txt"):
        assert sum(1 for line in err.splitlines() if line.startswith(f"according: failed {folder / name}: ")) == 1
    assert "3 input(s) failed" in err and "added 2," in err
    assert main(["failures", "--db", db, "--format", "json"]) == 0
    failures = {Path(f["origin"]).name: f["reason"] for f in json.loads(capsys.readouterr().out)}
    assert set(failures) == {"empty.txt", "feed.jsonl:2", "binary.txt"}
    assert "empty" in failures["empty.txt"] and "binary" in failures["binary.txt"]
    assert _count(Path(db), "articles") == 2


def _synthetic_corpus(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            supplier = SUPPLIERS[i % len(SUPPLIERS)]
            recipient = RECIPIENTS[(i // 5) % len(RECIPIENTS)]
            obj = OBJECTS[(i // 20) % len(OBJECTS)]
            text = (f"{supplier} delivered {obj} to {recipient} in shipment number {i}, officials said on Monday. "
                    f"The {obj} arrived by sea, a diplomat told the Outlet {i % 7} newspaper.")
            out.write(json.dumps({"text": text, "outlet": f"Outlet {i % 7}",
                                  "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"}) + "\n")


def _ingest_cmd(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "according", "ingest", str(corpus), "--db", str(db),
            "--published-from-metadata", "--quiet"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src")}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every table's content, rowids and timestamps replaced by content hashes and local ids."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    q = {
        "articles": "SELECT content_hash, origin, external_id, title, outlet, url, published, text, report_json,"
                    " minhash FROM articles",
        "article_bands": "SELECT a.content_hash, band, bucket FROM article_bands b JOIN articles a ON a.id = b.article_id",
        "attributions": "SELECT a.content_hash, t.* FROM attributions t JOIN articles a ON a.id = t.article_id",
        "events": "SELECT a.content_hash, e.local_id, e.type, e.actor_key, e.recipient_key, e.object_class, e.status,"
                  " e.event_date, e.sentence FROM events e JOIN articles a ON a.id = e.article_id",
        "event_attributions": "SELECT a.content_hash, e.local_id, ea.attribution_id, ea.role FROM event_attributions ea"
                              " JOIN events e ON e.id = ea.event_id JOIN articles a ON a.id = e.article_id",
        "provenance_claims": "SELECT a.content_hash, p.outlet, p.claim, p.attribution_id FROM provenance_claims p"
                             " JOIN articles a ON a.id = p.article_id",
        "failures": "SELECT origin, content_hash, reason FROM failures",
        "stories": "SELECT s.id, s.type, s.actor_key, s.recipient_key, s.object_class, s.first_date, s.last_date,"
                   " s.reports, s.articles, s.independent_sources, s.denials, s.status, a.content_hash,"
                   " s.first_published FROM stories s LEFT JOIN articles a ON a.id = s.first_article_id",
        "story_reports": "SELECT sr.story_id, a.content_hash, e.local_id, sr.role, sr.why FROM story_reports sr"
                         " JOIN events e ON e.id = sr.event_id JOIN articles a ON a.id = e.article_id",
        "story_sources": "SELECT * FROM story_sources",
        "article_duplicates": "SELECT a.content_hash, b.content_hash, d.similarity FROM article_duplicates d"
                              " JOIN articles a ON a.id = d.article_id JOIN articles b ON b.id = d.copy_of",
    }
    out = {}
    for table, sql in q.items():
        rows = conn.execute(sql).fetchall()
        if table == "attributions":
            rows = [r[:1] + r[2:] for r in rows]  # drop the article rowid
        out[table] = sorted(rows, key=repr)
    conn.close()
    return out


CRASH_ARTICLES = 150


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory) -> tuple[Path, Path]:
    """A corpus and the ledger an uninterrupted ingest makes of it."""
    folder = tmp_path_factory.mktemp("crash")
    corpus, clean = folder / "many.jsonl", folder / "clean.db"
    _synthetic_corpus(corpus, CRASH_ARTICLES)
    subprocess.run(_ingest_cmd(corpus, clean), env=_env(), check=True, capture_output=True, timeout=600)
    return corpus, clean


def _interrupt_midway(cmd: list[str], db: Path, sig: int) -> subprocess.CompletedProcess:
    """Start an ingest, send ``sig`` to its process group once a few articles are stored."""
    proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 300
    try:
        while _count(db, "articles") < 5 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, sig)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def test_sigkill_midway_then_rerun_equals_an_uninterrupted_run(clean_run, tmp_path):
    corpus, clean = clean_run
    crashed = tmp_path / "crashed.db"
    _interrupt_midway(_ingest_cmd(corpus, crashed), crashed, signal.SIGKILL)
    stored = _count(crashed, "articles")
    assert 5 <= stored < CRASH_ARTICLES, f"the kill should land midway (stored {stored} of {CRASH_ARTICLES})"
    subprocess.run(_ingest_cmd(corpus, crashed), env=_env(), check=True, capture_output=True, timeout=600)
    assert snapshot(crashed) == snapshot(clean)
    assert _count(crashed, "articles") == CRASH_ARTICLES


def test_stories_a_sigkill_left_behind_are_rebuilt_when_read(clean_run, tmp_path):
    """Killed before its first rebuild, a new ledger holds articles and no stories; the next reader
    (no ingest running: the kill dropped its lock) rebuilds them, once."""
    corpus, _ = clean_run
    crashed = tmp_path / "crashed.db"
    _interrupt_midway(_ingest_cmd(corpus, crashed), crashed, signal.SIGKILL)
    stored = _count(crashed, "articles")
    assert 5 <= stored < CRASH_ARTICLES and _count(crashed, "stories") == 0
    read = [sys.executable, "-m", "according", "stories", "--db", str(crashed), "--format", "json"]
    first = subprocess.run(read, env=_env(), capture_output=True, text=True, timeout=300, check=True)
    assert "rebuilt the stories" in first.stderr and f"{stored} article(s) behind" in first.stderr
    listed = json.loads(first.stdout)
    assert listed and len(listed) == _count(crashed, "stories")
    again = subprocess.run(read, env=_env(), capture_output=True, text=True, timeout=300, check=True)
    assert again.stderr == "" and json.loads(again.stdout) == listed
    # the rerun still equals an uninterrupted run (the reader's rebuild gave no ids for good)
    subprocess.run(_ingest_cmd(corpus, crashed), env=_env(), check=True, capture_output=True, timeout=600)
    assert snapshot(crashed) == snapshot(clean_run[1])


def test_a_reader_leaves_the_rebuild_to_a_running_ingest(tmp_path):
    from according.ledger.fresh import refresh_if_stale
    from according.ledger.store import Ledger
    from according.ledger.writer_lock import ingest_lock
    from test_ledger_merge import CORPUS as REPORTS, _hash

    db = tmp_path / "l.db"
    with Ledger.open(db) as led:
        for r in REPORTS[:3]:
            led.add_report(r, content_hash=_hash(r.text), origin=r.article.outlet)
    with ingest_lock(db):  # what a running ingest holds
        note = refresh_if_stale(db)
        assert note is not None and "the running ingest rebuilds them" in note
        assert _count(db, "stories") == 0
    assert "rebuilt the stories" in (refresh_if_stale(db) or "")
    assert _count(db, "stories") > 0 and refresh_if_stale(db) is None


def test_ctrl_c_with_workers_stops_cleanly_and_resumes(clean_run, tmp_path):
    corpus, clean = clean_run
    stopped = tmp_path / "stopped.db"
    done = _interrupt_midway(_ingest_cmd(corpus, stopped) + ["--jobs", "2"], stopped, signal.SIGINT)
    assert done.returncode == 130
    assert b"Traceback" not in done.stderr and b"according: interrupted" in done.stderr
    assert _count(stopped, "articles") < CRASH_ARTICLES
    subprocess.run(_ingest_cmd(corpus, stopped), env=_env(), check=True, capture_output=True, timeout=600)
    assert snapshot(stopped) == snapshot(clean)


def test_worker_processes_give_the_same_ledger(tmp_path):
    corpus = tmp_path / "some.jsonl"
    _synthetic_corpus(corpus, 40)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    subprocess.run(_ingest_cmd(corpus, one), env=_env(), check=True, capture_output=True, timeout=600)
    subprocess.run(_ingest_cmd(corpus, two) + ["--jobs", "2"], env=_env(), check=True, capture_output=True,
                   timeout=600)
    assert snapshot(two) == snapshot(one)
    assert _count(two, "articles") == 40


def test_an_article_the_analyzer_hangs_on_fails_alone():
    from according.article import Article
    from according.scale.work import analyze_limited as _analyze_limited

    articles = [Article(text, f"in:{n}") for n, text in enumerate(["one", "two HANG", "three", "HANG four", "five"])]
    results = _analyze_limited(HangsOnOne(), articles, timeout=0.2)
    assert [r if isinstance(r, str) else r.where for r in results] == ["ONE", "in:1", "THREE", "in:3", "FIVE"]
    assert "did not finish" in results[1].problem


@pytest.mark.parametrize("flag,published", [(True, "2024-09-06"), (False, None)])
def test_txt_sidecar_metadata(tmp_path, capsys, flag, published):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Iran delivered drones to Russia, officials said on Friday.\n", encoding="utf-8")
    (folder / "a.meta.json").write_text('{"published": "2024-09-06", "outlet": "Gulf Daily"}', encoding="utf-8")
    db = tmp_path / "l.db"
    args = ["ingest", str(folder), "--db", str(db), "--quiet"] + (["--published-from-metadata"] if flag else [])
    assert main(args) == 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert conn.execute("SELECT outlet, published FROM articles").fetchall() == [("Gulf Daily", published)]


def _later_corpus(path: Path) -> None:
    """Ten articles of the last weeks of the synthetic corpus's year and a near-duplicate copy of one."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(10):
            supplier, recipient = SUPPLIERS[i % len(SUPPLIERS)], RECIPIENTS[i % len(RECIPIENTS)]
            text = (f"{supplier} delivered rifles to {recipient} in late shipment {i}, officials said on Monday. "
                    f"The rifles came by road, a diplomat told the Outlet {i % 3} newspaper.")
            out.write(json.dumps({"text": text, "outlet": f"Outlet {i % 3}", "published": f"2024-12-{18 + i:02d}"}) + "\n")
        # the first of them, syndicated a day later under another masthead
        text = (f"{SUPPLIERS[0]} delivered rifles to {RECIPIENTS[0]} in late shipment 0, officials said on Monday. "
                "The rifles came by road, a diplomat told the Outlet 0 newspaper. Syndicated by Outlet 9.")
        out.write(json.dumps({"text": text, "outlet": "Outlet 9", "published": "2024-12-19"}) + "\n")


def test_an_update_after_new_articles_equals_a_full_rebuild(clean_run, tmp_path):
    """New articles stored into a built ledger, then update_stories: it re-merges only the days and
    blocks they reach, and gives the ledger a full rebuild of the same ledger gives (ids, scores and
    reasons included)."""
    import shutil

    from according.ledger.ingest import Analyzed, IngestCounts
    from according.ledger.store import Ledger
    from according.ledger.stories import rebuild_stories, update_stories
    from according.scale import ProcessRunner, WorkerSettings, analyze_stream
    from according.scale.runs import ingest_items

    _, clean = clean_run
    later = tmp_path / "later.jsonl"
    _later_corpus(later)
    updated, full = tmp_path / "updated.db", tmp_path / "full.db"
    shutil.copy(clean, updated)
    with Ledger.open(updated) as led:
        items = ingest_items([str(later)], set(), IngestCounts(), dated=True)
        for item in analyze_stream(ProcessRunner(1, WorkerSettings()), items):
            assert isinstance(item, Analyzed) and item.report is not None
            led.add_report(item.report, content_hash=item.content_hash, origin=item.origin)
        total = led.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        copies = led.conn.execute("SELECT COUNT(*) FROM article_duplicates").fetchone()[0]
        target = sqlite3.connect(full)
        led.conn.backup(target)  # the same ledger, to rebuild in full instead
        target.close()
        summary = update_stories(led.conn)
        assert 0 < summary.reports < total / 2  # only the reports of the last weeks were merged again
        assert summary.duplicates == copies + 1  # the syndicated copy
    with Ledger.open(full) as led:
        rebuild_stories(led.conn)
    assert snapshot(updated) == snapshot(full)
