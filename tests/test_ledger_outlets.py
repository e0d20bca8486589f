"""Multi-outlet corpora through the REAL analyzer into a real SQLite ledger: what a story must hold up to.

tests/fixtures/ledger/outlets.jsonl and outlets/ (hand-written): two drone deliveries a month apart by
one supplier; three outlets on one missile strike; a withdrawal and, elsewhere, a negated one ("has not
yet withdrawn"); a denial of the first delivery in a later article; an article, its syndicated copy under
another masthead and an HTML copy of it.
"""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from according.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ledger"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("outlets") / "ledger.db")
    assert main(["ingest", str(FIXTURES / "outlets"), str(FIXTURES / "outlets.jsonl"), "--db", path,
                 "--published-from-metadata", "--quiet"]) == 0
    return path


def _json(*argv: str):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(argv)) == 0
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def stories(db) -> list[dict]:
    return _json("stories", "--db", db, "--format", "json")


def _outlets(db: str, story: dict) -> set:
    detail = _json("story", story["id"], "--db", db, "--format", "json")
    return {(r["outlet"] or r["origin"].rsplit("/", 1)[-1], r["role"]) for r in detail["reports"]}


def _drone_stories(db, stories) -> dict[str, dict]:
    """BLR -> MMR deliveries by the outlet of their first report."""
    found = [s for s in stories if (s["type"], s["actor_key"], s["recipient_key"]) == ("AID", "BLR", "MMR")]
    return {s["first_outlet"] or "html": s for s in found}


def test_two_deliveries_a_month_apart_stay_apart(db, stories):
    drones = _drone_stories(db, stories)
    assert {"Alpha Wire", "Beta News"} <= set(drones)
    assert drones["Alpha Wire"]["id"] != drones["Beta News"]["id"]
    assert ("Beta News", "backs") not in _outlets(db, drones["Alpha Wire"])


def test_three_outlets_on_one_strike_merge(db, stories):
    strike = [s for s in stories if (s["type"], s["actor_key"], s["recipient_key"]) == ("ASSAULT", "RUS", "UKR")]
    assert len(strike) == 1
    assert {o for o, role in _outlets(db, strike[0]) if role == "backs"} == {"Kyiv Ledger", "Dnipro Daily", "Lviv Courier"}
    assert strike[0]["independent_sources"] == 3


def test_a_syndicated_copy_and_an_html_copy_join_the_original(db, stories):
    june = [s for s in stories if (s["type"], s["actor_key"], s["recipient_key"]) == ("AID", "BLR", "MMR")
            and s["first_outlet"] not in ("Alpha Wire", "Beta News")]
    assert len(june) == 1
    outlets = {o for o, _ in _outlets(db, june[0])}
    assert outlets == {"Irrawaddy Wire", "Delta Daily", "html-copy.html"}
    assert june[0]["reports"] == 3 and june[0]["independent_sources"] == 1  # copies are not corroboration


def test_a_negated_event_elsewhere_does_not_contest(db, stories):
    retreat = [s for s in stories if s["type"] == "RETREAT" and s["actor_key"] == "USA"]
    assert retreat and all(s["status"] != "contested" and s["denials"] == 0 for s in retreat)
    roles = {(o, role) for s in retreat for o, role in _outlets(db, s)}
    assert ("Beta News", "denies") not in roles
    assert ("Alpha Wire", "backs") in roles


def test_a_denial_in_a_later_article_contests(db, stories):
    first = _drone_stories(db, stories)["Alpha Wire"]
    assert first["status"] == "contested" and first["denials"] == 1
    detail = _json("story", first["id"], "--db", db, "--format", "json")
    assert [r["outlet"] for r in detail["reports"] if r["role"] == "denies"] == ["Gamma Post"]
    assert [s["label"] for s in detail["sources"] if s["role"] == "denies"] == ["Myanmar's foreign ministry"]
    assert _drone_stories(db, stories)["Beta News"]["status"] == "asserted"


def test_story_ids_hold_when_an_earlier_report_arrives(tmp_path):
    """The April delivery's story keeps its id after an earlier-published report of it is ingested."""
    rows = [json.loads(line) for line in (FIXTURES / "outlets.jsonl").read_text().splitlines()]
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps(rows[1]) + "\n")
    earlier = tmp_path / "earlier.jsonl"
    earlier.write_text(json.dumps({**rows[1], "id": "d2-early", "outlet": "Epsilon Times", "published": "2024-04-08",
                                   "text": rows[1]["text"].replace("on Tuesday", "on Monday")}) + "\n")
    path = str(tmp_path / "l.db")
    assert main(["ingest", str(later), "--db", path, "--published-from-metadata", "--quiet"]) == 0
    before = [s["id"] for s in _json("stories", "--db", path, "--type", "AID", "--format", "json")]
    assert main(["ingest", str(earlier), "--db", path, "--published-from-metadata", "--quiet"]) == 0
    after = _json("stories", "--db", path, "--type", "AID", "--format", "json")
    assert len(before) == 1 and [s["id"] for s in after] == before
    assert after[0]["first_outlet"] == "Epsilon Times" and after[0]["reports"] == 2


def _membership(path: str) -> set:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = conn.execute("SELECT sr.story_id, ar.content_hash, e.local_id, sr.role FROM story_reports sr"
                        " JOIN events e ON e.id = sr.event_id JOIN articles ar ON ar.id = e.article_id").fetchall()
    stories: dict = {}
    for story, digest, local, role in rows:
        stories.setdefault(story, set()).add((digest, local, role))
    return {frozenset(v) for v in stories.values()}


def test_an_incremental_update_gives_the_stories_of_a_full_rebuild(db, tmp_path):
    """Ingest in three runs, then update_stories (re-merging only the blocks the last run touched)
    gives the stories of a full rebuild and of one run from scratch."""
    from according.ledger.store import Ledger
    from according.ledger.stories import rebuild_stories, update_stories

    lines = (FIXTURES / "outlets.jsonl").read_text().splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[:5]) + "\n")
    second.write_text("\n".join(lines[5:]) + "\n")
    path = str(tmp_path / "two-runs.db")
    for part in (FIXTURES / "outlets", first):
        assert main(["ingest", str(part), "--db", path, "--published-from-metadata", "--quiet"]) == 0
    with Ledger.open(path) as led:  # the last part stored without a rebuild, then updated
        from according.ledger.ingest import Analyzed, IngestCounts
        from according.scale import ProcessRunner, WorkerSettings, analyze_stream
        from according.scale.runs import ingest_items

        items = ingest_items([str(second)], set(), IngestCounts(), dated=True)
        for item in analyze_stream(ProcessRunner(1, WorkerSettings()), items):
            assert isinstance(item, Analyzed) and item.report is not None
            led.add_report(item.report, content_hash=item.content_hash, origin=item.origin)
        update_stories(led.conn)
    incremental = _membership(path)
    with Ledger.open(path) as led:
        rebuild_stories(led.conn)
    assert incremental == _membership(path) == _membership(db)


def test_stories_rebuilt_in_small_batches_equal_one_batch(db, tmp_path):
    """The rebuild writes stories (and joins copies) a batch of reports at a time and holds only the
    merge window: with batches of one report it gives the very ledger one batch of everything gives,
    ids, scores and reasons included, with dated, undated and near-duplicate reports in it."""
    import shutil
    import sqlite3

    from test_ledger_ingest import snapshot

    from according.ledger.store import Ledger
    from according.ledger.stories import rebuild_stories

    path = tmp_path / "mixed.db"
    shutil.copy(db, path)
    # the invented corpus again, undated this time: undated reports (and copies of dated ones) to place
    assert main(["ingest", str(FIXTURES / "corpus.jsonl"), "--db", str(path), "--quiet"]) == 0
    conn = sqlite3.connect(path)
    undated = conn.execute("SELECT COUNT(*) FROM events WHERE event_date IS NULL").fetchone()[0]
    copies = conn.execute("SELECT COUNT(*) FROM article_duplicates").fetchone()[0]
    conn.close()
    assert undated > 0 and copies > 0
    small = tmp_path / "small.db"
    shutil.copy(path, small)
    for target, batch in ((path, 10**6), (small, 1)):
        with Ledger.open(target) as led:
            first = rebuild_stories(led.conn, batch=batch)
    assert snapshot(small) == snapshot(path)
    assert first.stories > 5 and first.duplicates == copies
