"""Datasette on a ledger with the shipped metadata: a real `datasette` process on a loopback port.

The ledger is a real SQLite file written through the ledger's API from hand-made reports
(tests/test_ledger_merge.py's corpus: one story is denied by Iran's foreign ministry).
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from according.cli import main
from according.ledger.datasette import metadata_path
from according.ledger.store import Ledger
from according.ledger.stories import rebuild_stories
from test_ledger_merge import CORPUS, _hash

pytest.importorskip("datasette", reason="datasette is not installed (pip install -e '.[dev]')")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("datasette") / "according.db"  # the metadata's database key is the file's name
    with Ledger.open(path) as led:
        for r in CORPUS:
            led.add_report(r, content_hash=_hash(r.text), origin=f"{r.article.outlet}.txt")
        rebuild_stories(led.conn)
        led.checkpoint()
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(ledger):
    port = _free_port()
    command = [sys.executable, "-m", "datasette", "serve", str(ledger), "--metadata", str(metadata_path()),
               "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail(f"datasette did not start: {server.stdout.read() if server.stdout else ''}")
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


def _rows(base: str, query: str) -> list[dict]:
    return json.loads(_get(f"{base}/according/{query}.json?_shape=array"))


def test_the_metadata_file_is_shipped_and_names_the_default_ledger():
    import yaml  # datasette depends on PyYAML

    data = yaml.safe_load(metadata_path().read_text(encoding="utf-8"))
    assert set(data["databases"]) == {Path("according.db").stem}
    assert {"contested_stories", "who_denies_what", "first_reports"} <= set(data["databases"]["according"]["queries"])


def test_pages_show_the_descriptions_and_labels(site):
    index = _get(site + "/according")
    assert "Contested stories" in index and "Who denies what" in index and "First reports" in index
    stories = _get(site + "/according/stories")
    assert "the reports of one real-world event merged across articles" in stories
    assert "lines of reporting behind the backing" in stories  # a column description
    links = _get(site + "/according/event_attributions")
    assert "/according/attributions/" in links  # the foreign key to attributions is followed


def test_canned_queries_answer_what_the_cli_says(site, ledger, capsys):
    assert main(["stories", "--db", str(ledger), "--contested", "--format", "json"]) == 0
    contested = {s["id"] for s in json.loads(capsys.readouterr().out)}
    assert contested, "the corpus has a denied story"
    assert {r["id"] for r in _rows(site, "contested_stories")} == contested
    denials = _rows(site, "who_denies_what")
    assert {r["story_id"] for r in denials} == contested
    assert any("foreign ministry" in r["denier"].lower() for r in denials)
    assert all(r["denial_sentences"] for r in denials)
    first = _rows(site, "first_reports")
    assert main(["stories", "--db", str(ledger), "--format", "json"]) == 0
    every = json.loads(capsys.readouterr().out)
    assert {r["story_id"] for r in first} == {s["id"] for s in every}
    by_id = {r["story_id"]: r for r in first}
    for s in every:
        assert by_id[s["id"]]["outlet"] == s["first_outlet"]

