"""The invented corpus through the REAL analyzer (spaCy and the extractors) into a real SQLite ledger.

tests/fixtures/ledger/corpus.jsonl: ten wire-style articles from ten invented outlets. The expected
stories below are what a decent extractor plus the ledger must produce, checked exactly.
"""
from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from pathlib import Path

import pytest

from according.cli import main

CORPUS = Path(__file__).resolve().parent / "fixtures" / "ledger" / "corpus.jsonl"

# (actor, recipient, year, missiles?) -> reports, articles, independent sources, denials, status, first outlet
EXPECTED = {
    # Northgate Wire + its syndicated copy (Metro Post) + Harbor Times crediting Northgate: one line;
    # Coastal Herald's own diplomat: a second; River Gazette carries Iran's denial
    ("IRN", "RUS", "2024", False): (4, 5, 2, 1, "contested", "Northgate Wire"),
    # the Pentagon, and Russia's defence ministry (a party to it): confirmed
    ("IRN", "RUS", "2024", True): (2, 2, 2, 0, "confirmed", "North Star"),
    ("IRN", "RUS", "2025", False): (1, 1, 1, 0, "asserted", "Valley Voice"),
    ("PRK", "RUS", "2024", False): (1, 1, 1, 0, "asserted", "Plains Courier"),
    ("IRN", "VEN", "2024", False): (1, 1, 1, 0, "asserted", "Lagoon Tribune"),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("corpus") / "ledger.db")
    assert main(["ingest", str(CORPUS), "--db", path, "--published-from-metadata", "--quiet"]) == 0
    return path


def _json(*argv: str):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(argv)) == 0
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def stories(db) -> list[dict]:
    return _json("stories", "--db", db, "--type", "AID", "--format", "json")


def _key(story: dict) -> tuple:
    return (story["actor_key"], story["recipient_key"], (story["first_date"] or "")[:4],
            "missile" in (story["object_class"] or ""))


def test_the_expected_aid_stories_and_no_others(stories):
    assert sorted(_key(s) for s in stories) == sorted(EXPECTED)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_story_counts_and_status(stories, key):
    story = next(s for s in stories if _key(s) == key)
    got = (story["reports"], story["articles"], story["independent_sources"], story["denials"], story["status"],
           story["first_outlet"])
    assert got == EXPECTED[key]


def test_the_syndicated_copy_is_found(db):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute("SELECT c.outlet, o.outlet FROM article_duplicates d JOIN articles c ON c.id = d.article_id"
                        " JOIN articles o ON o.id = d.copy_of").fetchall()
    assert rows == [("Metro Post", "Northgate Wire")]


def test_the_contested_story_evidence(db, stories):
    story = next(s for s in stories if s["status"] == "contested")
    detail = _json("story", story["id"], "--db", db, "--format", "json")
    assert [(p["article_outlet"], p["claim"]) for p in detail["provenance"]] == [("Harbor Times", "first_reported")]
    assert [(r["outlet"], r["role"]) for r in detail["reports"] if r["role"] == "denies"] == [("River Gazette", "denies")]
    assert sorted(s["key"] for s in detail["sources"] if s["role"] == "backs") == [
        "outlet:coastal herald", "outlet:northgate wire"]
