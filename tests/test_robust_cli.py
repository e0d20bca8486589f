"""Hostile input through the real `according` command: one line per bad input, the rest come out.

The corpus is written by ``tests/hostile_inputs.py`` into a temporary folder (no big files in git).
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import jsonschema
import pytest

from hostile_inputs import GOOD, JSONL_REPORT_IDS, write_corpus

REPO = Path(__file__).resolve().parents[1]


def according(*args: str, prefix: tuple[str, ...] = (), stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "according", *args], capture_output=True, text=True, input=stdin,
                          encoding="utf-8", errors="backslashreplace", cwd=REPO, timeout=900)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, write_corpus(folder)


@pytest.fixture(scope="module")
def analyzed(corpus):
    folder, _ = corpus
    return according("analyze", str(folder), "--format", "jsonl", "--published", "2024-09-07")


@pytest.fixture(scope="module")
def validator():
    return jsonschema.Draft202012Validator(json.loads(according("schema").stdout))


def _reports(run) -> dict[str, dict]:
    out = {}
    for line in run.stdout.splitlines():
        report = json.loads(line)
        out[report["article"]["id"].rsplit("/", 1)[-1]] = report
    return out


def test_every_bad_input_gets_one_line_and_the_exit_code_says_so(corpus, analyzed):
    folder, expected = corpus
    assert "Traceback" not in analyzed.stderr
    assert analyzed.returncode == 1
    skipped = [line for line in analyzed.stderr.splitlines() if line.startswith("according: skipped ")]
    for name, problem in expected.items():
        if problem is None:
            continue
        mine = [line for line in skipped if line.startswith(f"according: skipped {folder / name}: ")]
        assert len(mine) == 1, (name, analyzed.stderr)
        assert problem in mine[0], mine[0]
    assert len(skipped) == sum(1 for p in expected.values() if p is not None)


def test_every_good_input_comes_out_valid_against_the_schema(corpus, analyzed, validator):
    _, expected = corpus
    reports = _reports(analyzed)
    wanted = {n for n, p in expected.items() if p is None and not n.endswith(".jsonl")} | set(JSONL_REPORT_IDS)
    assert set(reports) == wanted
    for report in reports.values():
        validator.validate(report)


def test_encodings_are_decoded_and_named(analyzed):
    reports = _reports(analyzed)
    assert reports["04-latin1.txt"]["article"]["encoding"] == "cp1252"
    assert reports["05-cp1252.txt"]["article"]["encoding"] == "cp1252"
    assert reports["06-utf16.txt"]["article"]["encoding"] == "utf-16"
    assert reports["01-good.txt"]["article"]["encoding"] == "utf-8"
    assert reports["06-utf16.txt"]["article"]["title"] == "Goldsmith: 'I was not leant on'"  # ends in a quote mark
    assert reports["04-latin1.txt"]["events"]  # decoded text is analyzed like any other


def test_lone_surrogate_becomes_u_fffd_and_is_noted(analyzed):
    report = _reports(analyzed)["line-2-surrogate"]
    assert report["article"]["notes"] == ["1 lone surrogate in 'text' replaced with U+FFFD"]
    assert "according: note: line-2-surrogate: 1 lone surrogate in 'text' replaced with U+FFFD" in analyzed.stderr
    assert report["attributions"], "the rest of the line is analyzed"
    # the lines around it came out too (test_every_good_input_comes_out_valid_against_the_schema)


def test_deep_html_keeps_its_text_and_hostile_text_is_analyzed(analyzed):
    reports = _reports(analyzed)
    deep = reports["10-deep.html"]
    assert deep["article"]["title"] == "Drones reach Iran"
    assert any(e["type"] for e in deep["events"])
    assert reports["09-punctuation.txt"]["attributions"], "the sentence after 30,000 [ is still found"
    assert len(reports["14-smith.txt"]["attributions"]) >= 400
    times = {t["text"]: t["resolved"] for t in reports["13-times.txt"]["times"]}
    assert times["3000 years ago"] is None and times["for 1000000 days"] is None
    line6 = reports["line-6"]  # published 9999-12-31
    assert line6["article"]["published"] == "9999-12-31"


def test_ingest_stores_the_good_and_records_the_bad_once(corpus, tmp_path):
    folder, expected = corpus
    db = tmp_path / "ledger.db"
    first = according("ingest", str(folder), "--db", str(db), "--quiet")
    assert "Traceback" not in first.stderr, first.stderr
    assert first.returncode == 1  # inputs failed: the exit code says so, after storing the good ones
    failed = [line for line in first.stderr.splitlines() if line.startswith("according: failed ")]
    for name, problem in expected.items():
        if problem is not None:
            mine = [line for line in failed if line.startswith(f"according: failed {folder / name}: ")]
            assert len(mine) == 1 and problem in mine[0], (name, first.stderr)
    assert len(failed) == sum(1 for p in expected.values() if p is not None)
    again = according("ingest", str(folder), "--db", str(db), "--quiet")
    assert "Traceback" not in again.stderr and again.returncode == 1  # the bad inputs are still bad
    with closing(sqlite3.connect(db)) as conn:
        articles = conn.execute("SELECT count(*), count(DISTINCT content_hash) FROM articles").fetchone()
        failures = {Path(o).name for (o,) in conn.execute("SELECT origin FROM failures")}
        surrogate = conn.execute("SELECT text FROM articles WHERE external_id = 'line-2-surrogate'").fetchone()
    good = sum(1 for n, p in expected.items() if p is None and not n.endswith(".jsonl")) + len(JSONL_REPORT_IDS)
    assert articles == (good, good)  # nothing lost, nothing duplicated by the second run
    assert failures == {n for n, p in expected.items() if p is not None}
    assert surrogate[0] == "Officials said \ufffd the talks went on."


def test_analyze_time_limit_fails_each_article_alone(tmp_path):
    path = tmp_path / "two.jsonl"
    path.write_text(json.dumps({"text": GOOD, "id": "a"}) + "\n" + json.dumps({"text": GOOD, "id": "b"}) + "\n")
    run = according("analyze", str(path), "--timeout", "0.0001", "--format", "jsonl")
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if "did not finish" in line]
    # each article gets at least 1 s per 5,000 characters, so a fast one may still finish; every one
    # that does not is named alone, and every one comes out either as a report or as a skipped line
    named = [line.split(": ")[1] for line in lines]
    assert len(set(named)) == len(named) and set(named) <= {f"skipped {path}:1", f"skipped {path}:2"}
    assert len(named) + len(run.stdout.splitlines()) == 2
    assert all("--timeout" in line for line in lines) and run.returncode == (1 if lines else 0)
    ok = according("analyze", str(path), "--timeout", "60", "--format", "jsonl")
    assert ok.returncode == 0 and len(ok.stdout.splitlines()) == 2


def test_file_name_with_invalid_utf8_bytes(tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    (Path(os.fsdecode(bytes(folder))) / os.fsdecode(b"caf\xe9.txt")).write_text("Headline here\n" + GOOD)
    run = according("analyze", str(folder), "--format", "jsonl")
    assert run.returncode == 0, run.stderr
    [report] = [json.loads(line) for line in run.stdout.splitlines()]
    assert report["article"]["id"].endswith("caf\\xe9.txt")
    db = tmp_path / "l.db"
    ingest = according("ingest", str(folder), "--db", str(db), "--quiet")
    assert "Traceback" not in ingest.stderr, ingest.stderr
    with closing(sqlite3.connect(db)) as conn:
        assert [o for (o,) in conn.execute("SELECT origin FROM articles")] == [str(folder / "caf\\xe9.txt")]


def test_unreadable_subfolder_is_reported_not_skipped_silently(tmp_path):
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:  # root reads any folder: run without the capabilities that allow it (CI runs as root)
        if shutil.which("setpriv") is None:
            pytest.skip("running as root and util-linux's setpriv is not installed to drop CAP_DAC_OVERRIDE")
        prefix = ("setpriv", "--bounding-set=-dac_override,-dac_read_search")
    top = tmp_path / "tree"
    top.mkdir()
    try:
        (top / "a-good.txt").write_text("Headline here\n" + GOOD)
        (top / "b-locked").mkdir()
        (top / "b-locked" / "hidden.txt").write_text("Headline here\n" + GOOD)
        (top / "b-locked").chmod(0)
        run = according("analyze", str(top), "--format", "jsonl", prefix=prefix)
        assert "Traceback" not in run.stderr, run.stderr
        assert f"according: skipped {top / 'b-locked'}: cannot read folder: Permission denied" in run.stderr
        assert len(run.stdout.splitlines()) == 1 and run.returncode == 1
    finally:
        (top / "b-locked").chmod(0o755)


def test_html_title_and_h1_are_one_headline(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>World | Politics | Iran denies sending missiles to Russia</title></head><body>"
        "<div class='story'><h1>Iran denies sending missiles to Russia</h1>"
        "<p>Iran's foreign ministry denied on Friday that it had sent ballistic missiles to Russia.</p>"
        "<p>Officials in Washington said the transfer had taken place last week.</p></div></body></html>"
    )
    run = according("analyze", str(page), "--format", "jsonl", "--with-text")
    report = json.loads(run.stdout)
    assert report["text"].count("Iran denies sending missiles to Russia") == 1
    assert report["article"]["title"] == "Iran denies sending missiles to Russia"
    assert report["signals"]["duplicate_sentences"] == []


def test_schema_command_prints_a_valid_json_schema():
    run = according("schema")
    assert run.returncode == 0
    schema = json.loads(run.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"]["const"] == "according/1"
