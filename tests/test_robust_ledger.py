"""The ledger under stress: writers racing to create it, a full disk, names that are not UTF-8."""
from __future__ import annotations

import json
import multiprocessing
from contextlib import closing
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from according.ledger.store import Ledger, storable

REPO = Path(__file__).resolve().parents[1]


def _open_new_ledger(path: str, barrier, results) -> None:
    barrier.wait()
    try:
        with Ledger.open(path) as ledger:
            ledger.known_hashes()
        results.put("ok")
    except Exception as exc:  # the test reports what each racer met
        results.put(f"{type(exc).__name__}: {exc}")


def test_two_writers_creating_one_new_ledger_both_go_on(tmp_path):
    ctx = multiprocessing.get_context("fork")
    outcomes = []
    for trial in range(6):
        path = str(tmp_path / f"race-{trial}.db")
        barrier, results = ctx.Barrier(4), ctx.Queue()
        racers = [ctx.Process(target=_open_new_ledger, args=(path, barrier, results)) for _ in range(4)]
        for p in racers:
            p.start()
        for p in racers:
            p.join(120)
        outcomes += [results.get(timeout=5) for _ in racers]
        with closing(sqlite3.connect(path)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert outcomes == ["ok"] * len(outcomes)


def test_storable_text_keeps_file_names_readable():
    assert storable("/news/caf\udce9.txt") == "/news/caf\\xe9.txt"  # a name's undecodable byte, as readers show it
    assert storable("said \ud800.") == "said \ufffd."
    assert storable("plain") == "plain" and storable(None) is None


def _according(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "according", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, timeout=900)


@pytest.fixture
def small_disk(tmp_path):
    """A 400 kB tmpfs: a real full disk (needs root and mount, else the test is skipped)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command to make a small tmpfs")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs for a full disk ({made.stderr.strip() or 'not root?'})")
    try:
        yield mount
    finally:
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)  # never leave it mounted


def test_full_disk_stops_with_one_line_and_the_next_run_resumes(tmp_path, small_disk):
    corpus = tmp_path / "many.jsonl"
    with corpus.open("w") as out:
        for i in range(60):
            body = " ".join(f"Officials in Kyiv said round {i}.{j} of the talks went on." for j in range(12))
            out.write(json.dumps({"text": f"Story {i}\nRussia sent {i} drones to Iran, officials said. {body}", "id": f"a{i}"}) + "\n")
    db = small_disk / "ledger.db"
    full = _according("ingest", str(corpus), "--db", str(db), "--quiet")
    assert full.returncode != 0
    assert "Traceback" not in full.stderr, full.stderr
    errors = [line for line in full.stderr.splitlines() if line.startswith("according: error:")]
    assert len(errors) == 1 and "is full" in errors[0] and "run the same command again" in errors[0]
    with closing(sqlite3.connect(db)) as conn:  # closed: the disk must unmount afterwards
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        failed = conn.execute("SELECT reason FROM failures").fetchall()
    assert 0 < stored < 60
    assert failed in ([], [("not stored: the disk was full",)])  # recorded when there was room for it
    subprocess.run(["mount", "-o", "remount,size=16m", str(small_disk)], check=True)
    resumed = _according("ingest", str(corpus), "--db", str(db), "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT content_hash) FROM articles").fetchone() == (60, 60)
        assert conn.execute("SELECT count(*) FROM failures").fetchone()[0] == 0
