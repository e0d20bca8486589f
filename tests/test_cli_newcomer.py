"""What a new user meets on the command line: help, argument checks, progress, their own actors, eval data,
a ledger file that can be copied alone. Through the real `according` command and real SQLite files."""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from according.cli import build_parser, main
from according.cli.shared_data import SHARED_ENV
from test_eval_events import GOLD

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
ZORBLAT = "The Zorblat Brigade attacked a convoy near the border on Monday, officials said.\n"


def according(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "according", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=900, env={**os.environ, **(env or {})})


def _subcommands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield path + (name,), sub
                yield from _subcommands(sub, path + (name,))


def test_every_subcommand_has_a_description_in_its_help():
    found = dict(_subcommands(build_parser()))
    assert {("stories",), ("story",), ("export",), ("failures",), ("checkpoint",), ("eval", "plover")} <= set(found)
    for path, parser in found.items():
        assert parser.description and len(parser.description) > 40, f"`according {' '.join(path)} --help` has no description"


def test_help_of_a_ledger_command_prints_its_description():
    run = according("stories", "--help")
    assert run.returncode == 0
    assert "most reported first" in " ".join(run.stdout.split())  # argparse wraps the lines


@pytest.mark.parametrize("command", ["analyze", "ingest"])
def test_jobs_zero_is_refused_with_a_clear_message(command, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ZORBLAT)
    run = according(command, str(article), "--jobs", "0", "--db", str(tmp_path / "x.db")) if command == "ingest" \
        else according(command, str(article), "--jobs", "0")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "--jobs" in run.stderr and "1 or more" in run.stderr
    assert not (tmp_path / "x.db").exists()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    top = tmp_path_factory.mktemp("news")
    (top / "a.txt").write_text("Convoy attacked\n" + ZORBLAT)
    (top / "b.txt").write_text("Talks\nFrance and Germany agreed on Tuesday to resume talks, the minister said.\n")
    (top / "c.txt").write_bytes(b"")  # a bad input: the progress still counts it
    return top


def _on_a_terminal(*args: str) -> tuple[int, str, str]:
    """Run `according` with stderr on a pseudo-terminal (as a user at a shell has it): code, stdout, stderr."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal 100 columns wide
    proc = subprocess.Popen([sys.executable, "-m", "according", *args], stdout=subprocess.PIPE, stderr=slave,
                            cwd=REPO, text=True)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        err += chunk
    out = proc.stdout.read() if proc.stdout else ""
    proc.wait(timeout=600)
    os.close(master)
    return proc.returncode, out, err.decode("utf-8", "replace")


def test_analyze_of_a_folder_shows_progress_on_a_terminal(folder):
    code, out, err = _on_a_terminal("analyze", str(folder), "--format", "jsonl")
    assert code == 1  # c.txt is empty
    assert len(out.splitlines()) == 2
    assert "3/3" in err and "articles/s" in err
    assert f"according: skipped {folder / 'c.txt'}: " in err
    code, out, err = _on_a_terminal("analyze", str(folder), "--format", "jsonl", "--quiet")
    assert "3/3" not in err and len(out.splitlines()) == 2
    code, out, err = _on_a_terminal("analyze", str(folder / "a.txt"), "--format", "jsonl")
    assert code == 0 and "articles/s" not in err  # one article: no bar
    piped = according("analyze", str(folder), "--format", "jsonl")  # stderr read by a script: lines only
    assert "articles/s" not in piped.stderr
    assert [line for line in piped.stderr.splitlines() if line] == [f"according: skipped {folder / 'c.txt'}: empty input: there is no text to analyze",
                                                                   "according: 1 of 3 inputs failed (see above); the others were analyzed"]


@pytest.fixture(scope="module")
def actors_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("actors") / "my_actors.tsv"
    path.write_text("# my actors\nZorblat Brigade\tFRA\tREB\tgroup\n", encoding="utf-8")
    return path


def _zorblat(report: dict) -> dict | None:
    return next((a for a in report["actors"] if "Zorblat" in a["text"]), None)


def test_analyze_loads_the_users_actor_file(folder, actors_file):
    plain = json.loads(according("analyze", str(folder / "a.txt"), "--format", "jsonl").stdout)
    assert (_zorblat(plain) or {}).get("country") != "FRA"
    run = according("analyze", str(folder / "a.txt"), "--format", "jsonl", "--actors", str(actors_file))
    assert run.returncode == 0, run.stderr
    actor = _zorblat(json.loads(run.stdout))
    assert actor is not None and (actor["country"], actor["sector"]) == ("FRA", "REB")


def test_ingest_loads_the_users_actor_file(folder, actors_file, tmp_path):
    db = tmp_path / "l.db"
    run = according("ingest", str(folder / "a.txt"), "--db", str(db), "--quiet", "--actors", str(actors_file))
    assert run.returncode == 0, run.stderr
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT actor_country, actor_sector FROM events WHERE actor_name LIKE '%Zorblat%'").fetchall()
    assert rows and set(rows) == {("FRA", "REB")}


@pytest.mark.parametrize("content, problem", [
    (b"Zorblat Brigade\tFRA\tREB\tgroup\nToo\tmany\tcolumns\there\tnow\n", ":2: 5 tab-separated columns"),
    (b"# fine\nZorblat Brigade\tfrance\tREB\tgroup\n", ":2: country 'france' is not a 3-letter code"),
    (b"Zorblat Brigade\tFRA\tREB\tbattalion\n", ":1: kind 'battalion' is not one of"),
    (b"Zorblat\tFRA\nCaf\xe9 Brigade\tFRA\n", ":2: not UTF-8 text (byte 0xe9)"),
    (b"# only a comment\n", ": no actors in it"),
])
@pytest.mark.parametrize("command", ["analyze", "ingest"])
def test_a_bad_actor_file_is_one_clear_error_naming_it_and_the_line(command, content, problem, tmp_path, folder):
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(content)
    extra = ("--db", str(tmp_path / "x.db")) if command == "ingest" else ()
    run = according(command, str(folder / "a.txt"), "--actors", str(bad), *extra)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    [line] = run.stderr.strip().splitlines()
    assert line.startswith(f"according: error: {bad}") and problem in line, line
    assert not (tmp_path / "x.db").exists()


def test_a_missing_actor_file_is_named(tmp_path, folder):
    run = according("analyze", str(folder / "a.txt"), "--actors", str(tmp_path / "absent.tsv"))
    assert run.returncode == 2
    assert run.stderr.strip() == f"according: error: cannot read the actor file {tmp_path / 'absent.tsv'}: No such file or directory"


@pytest.mark.parametrize("argv, flag", [
    (["eval", "plover"], "--gold"),
    (["eval", "actors"], "--cases"),
    (["eval", "real-news"], "--shared"),
])
def test_eval_without_data_says_how_to_give_it(argv, flag, monkeypatch, capsys):
    monkeypatch.delenv(SHARED_ENV, raising=False)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert flag in err and "--shared DIR" in err and SHARED_ENV in err
    assert "../shared" not in err


def test_eval_reads_the_shared_folder_from_the_environment(tmp_path, monkeypatch, capsys):
    (tmp_path / "data" / "plover").mkdir(parents=True)
    (tmp_path / "data" / "plover" / "PLOVER_GSR_CAMEO.json").write_text(json.dumps(GOLD), encoding="utf-8")
    monkeypatch.setenv(SHARED_ENV, str(tmp_path))
    assert main(["eval", "plover", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cases"] == 3
    monkeypatch.setenv(SHARED_ENV, str(tmp_path / "elsewhere"))
    assert main(["eval", "plover", "--json"]) == 2
    assert str(tmp_path / "elsewhere" / "data" / "plover" / "PLOVER_GSR_CAMEO.json") in capsys.readouterr().err


def test_shared_data_skips_come_from_one_helper():
    """Tests that need the shared data sets skip through conftest.shared_path, so the reason reads one way."""
    pattern = re.compile(r"""["']\.\./shared|/\s*["']shared["']|["']shared["']\s*\)""")
    offenders = [p.name for p in TESTS.glob("test_*.py")
                 if p.name != Path(__file__).name and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def _count(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_the_ledger_file_alone_holds_every_article_after_ingest_even_with_a_reader_open(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": ZORBLAT, "id": "one"}) + "\n")
    db = tmp_path / "according.db"
    assert according("ingest", str(feed), "--db", str(db), "--quiet").returncode == 0
    reader = sqlite3.connect(db)  # a viewer holding the file open: SQLite's own checkpoint at close cannot run
    try:
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
        more = tmp_path / "more.jsonl"
        more.write_text("".join(json.dumps({"text": ZORBLAT.replace("Monday", day), "id": day}) + "\n"
                                for day in ("Tuesday", "Wednesday")))
        assert according("ingest", str(more), "--db", str(db), "--quiet").returncode == 0
        copy = tmp_path / "copy" / "according.db"
        copy.parent.mkdir()
        shutil.copyfile(db, copy)  # the .db file alone, without according.db-wal
        assert _count(copy) == 3
        run = according("checkpoint", "--db", str(db))
        assert run.returncode == 0 and "can be copied alone" in run.stderr
        wal = Path(f"{db}-wal")
        assert not wal.exists() or wal.stat().st_size == 0  # TRUNCATE empties the log (SQLite may remove it)
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    finally:
        reader.close()


def test_checkpoint_of_a_missing_ledger_is_a_clear_error(tmp_path):
    run = according("checkpoint", "--db", str(tmp_path / "none.db"))
    assert run.returncode == 2 and "no ledger at" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "none.db").exists()


def test_analyze_text_output_carries_no_terminal_control_sequences(tmp_path, capsys):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": ZORBLAT, "id": "x", "title": "\x1b]0;pwned\x07\x1b[2JConvoy\nattacked",
                                "outlet": "Evil\x1b[5m Times"}) + "\n")
    assert main(["analyze", str(feed), "--format", "text", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "== Convoy attacked  (outlet Evil Times)" in out  # the escape sequences gone whole
    assert not any(ch in out for ch in "\x1b\x07"), repr(out)


def test_every_report_field_is_documented_in_docs_schema():
    """Each property of the shipped JSON Schema (content_fragments, notes, encoding, ...) is in docs/schema.md."""
    from according.cli.schema import schema_text

    names: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, dict):
            names.update(value.get("properties", {}))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(schema_text()))
    doc = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    assert "content_fragments" in names and len(names) > 40
    assert [n for n in sorted(names) if not re.search(rf"`{re.escape(n)}(\[\])?`", doc)] == []


def test_every_ledger_table_is_documented(tmp_path):
    from according.ledger.store import Ledger

    with Ledger.open(tmp_path / "l.db") as led:
        tables = [n for (n,) in led.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
    doc = (REPO / "docs" / "ledger.md").read_text(encoding="utf-8")
    assert [t for t in tables if f"`{t}`" not in doc] == []


def test_duplicates_within_a_first_run_are_not_called_already_in_the_ledger(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text("Convoy attacked\n" + ZORBLAT)
    db = tmp_path / "l.db"
    first = according("ingest", str(folder), "--db", str(db), "--quiet")
    assert first.returncode == 0, first.stderr
    assert "added 1, skipped 0 already in the ledger, 2 repeated within this run (stored once)" in first.stderr
    again = according("ingest", str(folder), "--db", str(db), "--quiet")
    assert "added 0, skipped 3 already in the ledger, failed 0" in again.stderr
    assert _count(db) == 1


def test_licence_file_and_data_notices():
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert re.search(r'^license = "MIT"$', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    notice = REPO / "src" / "according" / "lexicons" / "PETRARCH2-LICENSE"
    assert "PETRARCH2-LICENSE" in licence and "Permission is hereby granted" in notice.read_text(encoding="utf-8")
    assert "PolNeAR" in licence and "PolNeAR" in (REPO / "src/according/models/attribution/MODEL_CARD.md").read_text()
