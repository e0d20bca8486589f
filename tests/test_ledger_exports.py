"""Exports and schema on hand-built reports in a real SQLite ledger: the flat per-report CSV, GraphML
with hostile names, PLOVER dates, NULL party keys, the attribution foreign key, and migration from v1."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import xml.etree.ElementTree as ET

import pytest

from according.ledger import exports
from according.ledger.schema import MIGRATIONS, SCHEMA_VERSION, _statements
from according.ledger.store import Ledger
from according.ledger.stories import rebuild_stories
from test_ledger_merge import CORPUS, _hash, report

HOSTILE = 'Evil <Co> & "Sons" \x01\x0b'
HOSTILE_TEXT = f"Iran delivered drones to Russia, {HOSTILE} said."


@pytest.fixture()
def ledger(tmp_path):
    hostile = report(HOSTILE_TEXT, "</graphml> & <b>", "2024-09-07", actor="Iran", recipient="Russia",
                     trigger="delivered", obj="drones", cls="drone",
                     sources=((HOSTILE, "official_organization", "asserted", None, None),))
    with Ledger.open(tmp_path / "t.db") as led:
        for r in (*CORPUS, hostile):
            led.add_report(r, content_hash=_hash(r.text), origin=r.article.outlet)
        rebuild_stories(led.conn)
        yield led


def _export(led: Ledger, fmt: str) -> str:
    out = io.StringIO()
    exports.export(led.conn, fmt, out)
    return out.getvalue()


def test_graphml_parses_and_keeps_hostile_names(ledger):
    root = ET.fromstring(_export(ledger, "graphml").encode("utf-8"))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    labels = [d.text for d in root.iterfind(".//g:node/g:data[@key='label']", ns)]
    assert any(x.strip() == 'Evil <Co> & "Sons"' for x in labels)  # control characters dropped, the rest kept
    nodes = {n.get("id") for n in root.iterfind(".//g:node", ns)}
    for edge in root.iterfind(".//g:edge", ns):
        assert edge.get("source") in nodes and edge.get("target") in nodes


def test_reports_csv_is_one_row_per_report_and_source(ledger):
    rows = list(csv.DictReader(io.StringIO(_export(ledger, "reports-csv"))))
    assert list(rows[0])[:11] == ["date", "actor", "recipient", "type", "mode", "sentence", "source", "source_type",
                                  "stance", "outlet", "url"]
    harbor = [r for r in rows if r["outlet"] == "Harbor Times"]
    assert sorted(r["source"] for r in harbor) == ["The Daily Ledger", "two people familiar with the matter"]
    assert {r["date"] for r in harbor} == {"2024-09-07"} and {r["type"] for r in harbor} == {"AID"}
    denial = [r for r in rows if r["outlet"] == "River Gazette"]
    assert [(r["role"], r["stance"], r["actor_key"]) for r in denial] == [("denies", "denied", "IRN")]
    hostile = [r for r in rows if r["outlet"] == "</graphml> & <b>"]
    assert hostile and hostile[0]["source"].startswith("Evil <Co>")


def test_story_csv_has_a_row_per_story(ledger):
    rows = list(csv.DictReader(io.StringIO(_export(ledger, "csv"))))
    assert len(rows) == ledger.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
    assert {"id", "first_date", "reports", "independent_sources", "denials", "negated", "status"} <= set(rows[0])


def test_plover_date_is_the_story_first_date(ledger):
    records = [json.loads(line) for line in _export(ledger, "plover").splitlines()]
    firsts = dict(ledger.conn.execute("SELECT id, first_date FROM stories"))
    assert records and all(r["date"] == firsts[r["id"]] for r in records if firsts[r["id"]])


def test_unknown_parties_are_null_and_attributions_have_a_foreign_key(ledger):
    conn = ledger.conn
    assert conn.execute("SELECT COUNT(*) FROM events WHERE actor_key = '' OR recipient_key = ''").fetchone()[0] == 0
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    linked = conn.execute("SELECT COUNT(*) FROM event_attributions WHERE attribution IS NOT NULL").fetchone()[0]
    assert linked == conn.execute("SELECT COUNT(*) FROM event_attributions").fetchone()[0] > 0
    assert conn.execute("SELECT DISTINCT actor_sector FROM events").fetchall() == [("GOV",)]


def test_a_v1_ledger_migrates_and_is_backfilled(tmp_path):
    path = tmp_path / "v1.db"
    with Ledger.open(tmp_path / "src.db") as led:  # a v2 report row to copy back into a v1 file
        r = CORPUS[0]
        led.add_report(r, content_hash=_hash(r.text))
        article = led.conn.execute("SELECT content_hash, text, report_json, minhash FROM articles").fetchone()
        event = led.conn.execute("SELECT local_id, type, actor_key, recipient_key, status, trigger FROM events").fetchone()
    conn = sqlite3.connect(path)
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("INSERT INTO articles(id, content_hash, text, report_json, minhash, ingested_at)"
                 " VALUES (1, ?, ?, ?, ?, 'then')", article)
    conn.execute("INSERT INTO events(article_id, local_id, type, actor_key, recipient_key, status, trigger)"
                 " VALUES (1, ?, ?, ?, '', ?, ?)", (event[0], event[1], event[2], event[4], event[5]))
    conn.execute("INSERT INTO attributions(article_id, local_id, cue, quote, stance) VALUES (1, 'a1', 'said',"
                 " 'indirect', 'asserted')")
    conn.execute("INSERT INTO event_attributions VALUES (1, 'a1', 'backs')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Ledger.open(path) as led:
        conn = led.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT recipient_key, actor_sector FROM events").fetchone() == (None, "GOV")
        assert conn.execute("SELECT attribution FROM event_attributions").fetchone() == (1,)
        rebuild_stories(conn)
        assert conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0] == 1


def test_duckdb_reads_the_ledger_offline(ledger):
    """DuckDB with automatic extension downloads off, the sqlite extension loaded from its PyPI package."""
    pytest.importorskip("duckdb_extension_sqlite", reason="duckdb-extension-sqlite not installed (pip install '.[duckdb]')")
    from according.ledger.duckdb_offline import connect

    con = connect(ledger.path)
    try:
        got = con.execute("SELECT count(*), sum(reports) FROM ledger.stories").fetchone()
        assert got == ledger.conn.execute("SELECT count(*), sum(reports) FROM stories").fetchone()
        assert con.execute("SELECT count(*) FROM ledger.story_list WHERE status = 'contested'").fetchone()[0] == 1
    finally:
        con.close()


EVIL_FORMULA = '=HYPERLINK("http://evil","click")'
EVIL_TITLE = "\x1b]0;pwned\x07\x1b[2JDrones\nfor Russia"


def test_hostile_metadata_through_the_cli(tmp_path, capsys):
    """The three output injections through `according export|stories|story|failures` on a real ledger:
    a formula in a CSV cell, control characters in GraphML, terminal escapes in the text tables."""
    from dataclasses import replace

    from according.cli import main

    base = CORPUS[0]
    first = replace(base.article, outlet=EVIL_FORMULA, title=EVIL_TITLE, published="2024-08-30")  # the first report
    hostile = replace(base, text=base.text + " ", article=first)
    path = tmp_path / "hostile.db"
    with Ledger.open(path) as led:
        for r in (*CORPUS, hostile):
            led.add_report(r, content_hash=_hash(r.text), origin=r.article.outlet)
        led.add_failure("bad\x1b[2J\x07.txt", "empty")
        hostile_graph = report(HOSTILE_TEXT, "Gazette", "2024-09-07", actor="Iran", recipient="Russia",
                               trigger="delivered", obj="drones", cls="drone",
                               sources=((HOSTILE, "official_organization", "asserted", None, None),))
        led.add_report(hostile_graph, content_hash=_hash(hostile_graph.text), origin="g")
        rebuild_stories(led.conn)
    db = ["--db", str(path)]
    for fmt in ("csv", "reports-csv"):
        assert main(["export", *db, "--format", fmt, "--out", str(tmp_path / f"{fmt}.csv")]) == 0
        text = (tmp_path / f"{fmt}.csv").read_text(encoding="utf-8")
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert "'" + EVIL_FORMULA in cells and EVIL_FORMULA not in cells, fmt
        assert not any(c.startswith(("=", "+", "-", "@")) for c in cells), fmt
    assert main(["export", *db, "--format", "graphml", "--out", str(tmp_path / "g.graphml")]) == 0
    ET.parse(tmp_path / "g.graphml")  # parses: nothing XML 1.0 forbids
    capsys.readouterr()
    assert main(["stories", *db]) == 0
    table = capsys.readouterr().out
    story = next(line.split()[0] for line in table.splitlines()[1:] if EVIL_FORMULA[:10] in line or "Drones" in line)
    assert main(["story", story, *db]) == 0
    assert main(["failures", *db]) == 0
    shown = table + capsys.readouterr().out
    assert "Drones for Russia" in " ".join(shown.split())
    assert not any(ch in shown for ch in "\x1b\x07\x0b\x01"), repr(shown)
    rows = table.splitlines()
    assert all(len(r.split("  ")) > 3 for r in rows[:-1] if r)  # a newline in a title breaks no row
