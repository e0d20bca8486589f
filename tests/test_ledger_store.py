"""The ledger database itself: migrations, read-only opening, WAL reading during a write, views, CLI reads."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from according.cli import main
from according.ledger import exports
from according.ledger.merge import DEFAULT_THRESHOLD
from according.ledger.schema import SCHEMA_VERSION
from according.ledger.store import Ledger, LedgerNotFound
from according.ledger.stories import rebuild_stories
from test_ledger_merge import CORPUS, _hash

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "ledger.db"
    with Ledger.open(path) as led:
        for r in CORPUS:
            led.add_report(r, content_hash=_hash(r.text), origin=f"{r.article.outlet}.txt")
        led.add_failure("broken.txt", "not valid UTF-8")
        rebuild_stories(led.conn)
    return path


def test_schema_version_and_wal(db):
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_does_not_migrate_again(db):
    with Ledger.open(db) as led:
        assert led.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == len(CORPUS)


def test_readonly_refuses_writes_and_missing_files(db, tmp_path):
    with Ledger.open(db, readonly=True) as led:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            led.conn.execute("DELETE FROM failures")
    with pytest.raises(LedgerNotFound):
        Ledger.open(tmp_path / "absent.db", readonly=True)
    assert not (tmp_path / "absent.db").exists()


def test_reader_queries_during_a_write_transaction(db):
    writer = Ledger.open(db)
    reader = Ledger.open(db, readonly=True)
    try:
        writer.conn.execute("BEGIN IMMEDIATE")
        writer.conn.execute("DELETE FROM story_sources")
        writer.conn.execute("INSERT INTO failures VALUES ('x.txt', NULL, 'test', '2024-01-01')")
        # the reader neither blocks nor sees uncommitted rows
        assert reader.conn.execute("SELECT COUNT(*) FROM failures").fetchone()[0] == 1
        assert reader.conn.execute("SELECT COUNT(*) FROM story_sources").fetchone()[0] > 0
        writer.conn.execute("COMMIT")
        assert reader.conn.execute("SELECT COUNT(*) FROM failures").fetchone()[0] == 2
    finally:
        writer.close()
        reader.close()


def test_failure_is_cleared_when_the_input_later_succeeds(tmp_path):
    with Ledger.open(tmp_path / "f.db") as led:
        led.add_failure("Daily Ledger.txt", "analysis failed")
        led.add_failure("Daily Ledger.txt", "analysis failed again")
        assert led.conn.execute("SELECT reason FROM failures").fetchall() == [("analysis failed again",)]
        led.add_report(CORPUS[0], content_hash=_hash(CORPUS[0].text), origin="Daily Ledger.txt")
        assert led.conn.execute("SELECT COUNT(*) FROM failures").fetchone()[0] == 0


@pytest.mark.parametrize("view", ["event_sources", "story_evidence", "story_list"])
def test_views_answer(db, view):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert conn.execute(f"SELECT COUNT(*) FROM {view}").fetchone()[0] > 0


def _run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_cli_stories_filters(db, capsys):
    rows = json.loads(_run(capsys, "stories", "--db", str(db), "--format", "json"))
    assert len(rows) == 5
    contested = json.loads(_run(capsys, "stories", "--db", str(db), "--contested", "--format", "json"))
    assert [(r["actor_key"], r["recipient_key"], r["denials"]) for r in contested] == [("IRN", "RUS", 1)]
    prk = json.loads(_run(capsys, "stories", "--db", str(db), "--actor", "PRK", "--format", "json"))
    assert [r["object_class"] for r in prk] == ["artillery"]
    later = json.loads(_run(capsys, "stories", "--db", str(db), "--since", "2025-01-01", "--format", "json"))
    assert [r["first_date"] for r in later] == ["2025-10-01"]
    text = _run(capsys, "stories", "--db", str(db), "--recipient", "VEN")
    assert "IRN -> VEN" in text and "RUS" not in text


def test_cli_story_shows_evidence_and_why(db, capsys):
    story_id = json.loads(_run(capsys, "stories", "--db", str(db), "--contested", "--format", "json"))[0]["id"]
    text = _run(capsys, "story", story_id, "--db", str(db), "--why")
    for outlet in ("Daily Ledger", "Metro Post", "Harbor Times", "Coastal Herald", "River Gazette"):
        assert outlet in text
    assert "denied by:" in text and "why: score 0." in text and f">= {DEFAULT_THRESHOLD:.2f}" in text
    data = json.loads(_run(capsys, "story", story_id, "--db", str(db), "--format", "json"))
    assert len(data["reports"]) == 5 and data["story"]["status"] == "contested"


def test_cli_unknown_story_is_a_clear_error(db, capsys):
    assert main(["story", "nope", "--db", str(db)]) == 2
    assert "no story 'nope'" in capsys.readouterr().err


def test_cli_failures(db, capsys):
    assert json.loads(_run(capsys, "failures", "--db", str(db), "--format", "json"))[0]["origin"] == "broken.txt"


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_exports_parse(db, fmt, tmp_path, capsys):
    out = tmp_path / f"stories.{fmt}"
    assert main(["export", "--db", str(db), "--format", fmt, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    if fmt in ("jsonl", "plover"):
        records = [json.loads(line) for line in text.splitlines()]
        assert len(records) == 5
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {r["status"] for r in rows} == {"asserted", "contested", "confirmed"}
    elif fmt == "reports-csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len({r["story_id"] for r in rows}) == 5 and {r["role"] for r in rows} == {"backs", "denies"}
    else:
        root = ET.fromstring(text)
        ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
        stories = [n for n in root.iterfind(".//g:node", ns) if n.get("id").startswith("story:")]
        assert len(stories) == 5


def test_every_ledger_command_is_documented():
    doc = (REPO / "docs" / "ledger.md").read_text(encoding="utf-8")
    for command in ("ingest", "stories", "story", "export", "failures", "checkpoint"):
        assert f"according {command}" in doc


def test_the_ledger_never_imports_spacy():
    import subprocess
    import sys

    code = ("import sys, according.ledger, according.ledger.exports, according.ledger.ingest; "
            "print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(REPO / "src")})
    assert out.stdout.strip() == "False"


def test_a_file_that_is_not_a_ledger_is_a_clear_error(tmp_path, capsys):
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not a database, just some notes that happen to be long enough" * 20)
    assert main(["stories", "--db", str(bogus)]) == 2
    assert "cannot open the ledger" in capsys.readouterr().err
    assert main(["ingest", str(REPO / "tests" / "fixtures" / "ledger" / "README.md"), "--db",
                 str(tmp_path / "missing-folder" / "l.db"), "--quiet"]) == 2
    assert "cannot open the ledger" in capsys.readouterr().err


def test_story_id_prefix(db, capsys):
    story_id = json.loads(_run(capsys, "stories", "--db", str(db), "--contested", "--format", "json"))[0]["id"]
    data = json.loads(_run(capsys, "story", story_id[:6], "--db", str(db), "--format", "json"))
    assert data["story"]["id"] == story_id
    assert main(["story", "s", "--db", str(db)]) == 2
    assert "ambiguous" in capsys.readouterr().err


def test_a_ledger_from_a_newer_according_is_refused(tmp_path):
    from according.ledger.schema import LedgerVersionError

    path = tmp_path / "future.db"
    sqlite3.connect(path).execute("PRAGMA user_version = 99")
    with pytest.raises(LedgerVersionError, match="newer"):
        Ledger.open(path)
    with pytest.raises(LedgerVersionError):
        Ledger.open(path, readonly=True)


def test_exports_and_the_story_table_neutralise_hostile_text() -> None:
    """CSV cells that a spreadsheet would run as formulas are quoted; a terminal table carries no
    control characters (ESC sequences, BEL, newlines) from article metadata."""
    from according.cli.ledger import _clip
    from according.ledger.exports import cell

    assert cell('=HYPERLINK("http://evil","click")') == '\'=HYPERLINK("http://evil","click")'
    assert cell("+1") == "'+1" and cell("@SUM(A1)") == "'@SUM(A1)" and cell("-2+3") == "'-2+3"
    assert cell("Iran denied it") == "Iran denied it" and cell(None) == "" and cell(3) == 3
    assert cell("two\nlines") == "two lines"
    shown = _clip("\x1b]0;pwned\x07Title\nsecond line", 80)
    assert "\x1b" not in shown and "\x07" not in shown and "\n" not in shown and "Title" in shown
    assert len(_clip("x" * 100, 40)) == 40
