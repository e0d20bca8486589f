"""according.scale: worker processes and a Dask LocalCluster give the ledger a single process gives.

Real parts only: the real spaCy model in every worker, real SQLite ledgers compared table by table
(``snapshot`` from the ingest tests), real Parquet files, real processes killed with SIGKILL.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from according.article import Article
from according.cli import main
from according.scale.work import analyze_limited
from test_ledger_ingest import _count, _env, _ingest_cmd, _synthetic_corpus, snapshot
from hostile_inputs import HangsOnOne

REPO = Path(__file__).resolve().parents[1]


def _corpus_with_bad_lines(path: Path, n: int) -> Path:
    """``n`` good articles with a malformed line and an empty text among them."""
    _synthetic_corpus(path, n)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(n // 3, '{"text": ')
    lines.insert(2 * n // 3, '{"text": "   "}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _corpus_with_bad_lines(tmp_path_factory.mktemp("scale") / "corpus.jsonl", 40)


@pytest.fixture(scope="module")
def one_process_ledger(corpus, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("one") / "one.db"
    run = subprocess.run(_ingest_cmd(corpus, db), env=_env(), capture_output=True, text=True, timeout=600)
    assert run.returncode == 1, run.stderr  # two inputs failed: the exit code says so, the rest are stored
    assert _count(db, "articles") == 40 and _count(db, "failures") == 2
    return db


def _analyze(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "according", "analyze", *args, "--format", "jsonl"], env=_env(),
                          capture_output=True, text=True, timeout=600)


def test_analyze_with_two_workers_gives_the_same_reports_in_order_and_names_bad_inputs(corpus):
    one, two = _analyze([str(corpus)]), _analyze([str(corpus), "--jobs", "2"])
    assert one.returncode == two.returncode == 1  # two inputs were bad; the batch went on
    assert two.stdout == one.stdout
    assert len(two.stdout.splitlines()) == 40
    skipped = [line for line in two.stderr.splitlines() if line.startswith("according: skipped")]
    assert skipped == [line for line in one.stderr.splitlines() if line.startswith("according: skipped")]
    assert [s.split(": ")[1].rsplit(":", 1)[1] for s in skipped] == ["14", "27"]  # corpus.jsonl:LINE, in order
    assert "truncated JSON" in skipped[0] and "empty 'text'" in skipped[1]
    origins = [json.loads(line)["article"]["id"] for line in two.stdout.splitlines()]
    assert origins == sorted(origins, key=lambda o: int(o.rsplit(":", 1)[1]))


def test_ingest_with_two_workers_gives_the_same_ledger(corpus, one_process_ledger, tmp_path):
    db = tmp_path / "two.db"
    run = subprocess.run(_ingest_cmd(corpus, db) + ["--jobs", "2"], env=_env(), capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    failed = [line for line in run.stderr.splitlines() if line.startswith("according: failed ")]
    assert [line.split(": ")[1].rsplit(":", 1)[1] for line in failed] == ["14", "27"]  # each named once, in order
    assert snapshot(db) == snapshot(one_process_ledger)
    assert _count(db, "failures") == 2


def test_the_time_limit_works_outside_the_main_thread_as_on_a_dask_worker():
    articles = [Article(text, f"in:{n}") for n, text in enumerate(["one", "HANG two", "three"])]
    out: list = []
    worker = threading.Thread(target=lambda: out.extend(analyze_limited(HangsOnOne(), articles, timeout=0.3)))
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert [r if isinstance(r, str) else r.where for r in out] == ["ONE", "in:1", "THREE"]
    time.sleep(0.5)  # a timer that fired late must not raise in the thread afterwards


class _SlowFinalizer:
    """An object whose finalizer runs long: an alarm that rings inside it cannot be raised there."""

    def __del__(self) -> None:
        end = time.monotonic() + 0.4
        while time.monotonic() < end:
            pass


def test_a_time_limit_that_rings_inside_a_finalizer_still_stops_the_analysis(capsys):
    from according.scale.timeout import AnalysisTimeout, time_limit

    started = time.monotonic()
    with pytest.raises(AnalysisTimeout):
        with time_limit(0.05):
            slow = _SlowFinalizer()
            del slow  # the alarm rings in __del__, where Python would print it and go on
            time.sleep(5)
    assert time.monotonic() - started < 2
    assert "Exception ignored" not in capsys.readouterr().err


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _start_ingest(cmd: list[str]) -> subprocess.Popen:
    return subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _wait_for_articles(db: Path, n: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 300
    while _count(db, "articles") < n and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)


@pytest.fixture(scope="module")
def long_corpus(tmp_path_factory) -> tuple[Path, Path]:
    """150 articles and the ledger one process makes of them."""
    folder = tmp_path_factory.mktemp("kill")
    corpus, clean = folder / "many.jsonl", folder / "clean.db"
    _synthetic_corpus(corpus, 150)
    subprocess.run(_ingest_cmd(corpus, clean), env=_env(), check=True, capture_output=True, timeout=600)
    return corpus, clean


def test_a_worker_killed_midway_loses_nothing(long_corpus, tmp_path):
    corpus, clean = long_corpus
    db = tmp_path / "killed-worker.db"
    proc = _start_ingest(_ingest_cmd(corpus, db) + ["--jobs", "2"])
    try:
        _wait_for_articles(db, 5, proc)
        workers = _children(proc.pid)
        assert workers, "the ingest should have worker processes"
        os.kill(workers[0], signal.SIGKILL)
        _, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, err.decode()
    assert _count(db, "articles") == 150 and _count(db, "failures") == 0
    assert snapshot(db) == snapshot(clean)


def test_the_writer_killed_midway_then_rerun_equals_an_uninterrupted_run(long_corpus, tmp_path):
    corpus, clean = long_corpus
    db = tmp_path / "killed-writer.db"
    proc = _start_ingest(_ingest_cmd(corpus, db) + ["--jobs", "2"])
    try:
        _wait_for_articles(db, 5, proc)
        workers = _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)  # the writer alone: its workers must not outlive it
        proc.communicate(timeout=60)
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{w}").exists() and "zombie" not in Path(f"/proc/{w}/status").read_text()
                  for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(Path(f"/proc/{w}").exists() and "zombie" not in Path(f"/proc/{w}/status").read_text()
                       for w in workers), "workers outlived the killed writer"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert 5 <= _count(db, "articles") < 150
    subprocess.run(_ingest_cmd(corpus, db) + ["--jobs", "2"], env=_env(), check=True, capture_output=True,
                   timeout=600)
    assert snapshot(db) == snapshot(clean)


# --- a Dask LocalCluster of 2 worker processes on loopback -------------------------------------------

@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed", reason="the cluster extra (dask, distributed) is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as local:
        yield local


def test_a_dask_cluster_ingest_gives_the_same_ledger_as_one_process(cluster, corpus, one_process_ledger, tmp_path,
                                                                     capsys):
    db = tmp_path / "dask.db"
    assert main(["ingest", str(corpus), "--db", str(db), "--published-from-metadata", "--quiet",
                 "--scheduler", cluster.scheduler_address]) == 1  # the two bad lines
    assert "added 40" in capsys.readouterr().err
    assert snapshot(db) == snapshot(one_process_ledger)


def test_parquet_partitions_written_by_the_workers_merge_into_the_same_ledger(cluster, corpus, one_process_ledger,
                                                                               tmp_path, capsys):
    parts, db = tmp_path / "parts", tmp_path / "from-parquet.db"
    assert main(["ingest", str(corpus), "--to-parquet", str(parts), "--published-from-metadata", "--quiet",
                 "--scheduler", cluster.scheduler_address, "--partition-size", "16"]) == 1  # 2 bad lines
    assert "wrote 40 reports and 2 failures" in capsys.readouterr().err
    assert sorted(p.name for p in parts.iterdir()) == [f"part-00000{i}.parquet" for i in range(3)]  # 42 inputs
    assert main(["ingest", "--from-parquet", str(parts), "--db", str(db), "--quiet"]) == 1  # the failures, named
    assert snapshot(db) == snapshot(one_process_ledger)
    assert main(["ingest", "--from-parquet", str(parts), "--db", str(db), "--quiet"]) == 1  # again: nothing new
    assert "added 0, skipped 40" in capsys.readouterr().err
    assert snapshot(db) == snapshot(one_process_ledger)


def test_parquet_partitions_are_readable_without_according(corpus, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="the cluster extra (pyarrow) is not installed")
    parts = tmp_path / "parts"
    assert main(["ingest", str(corpus), "--to-parquet", str(parts), "--published-from-metadata", "--quiet",
                 "--jobs", "2"]) == 1  # the two bad lines failed; the 40 others are in the partition
    assert len(list(parts.glob("part-*.parquet"))) == 1  # 42 inputs, partitions of 256
    table = pq.read_table(parts)
    assert table.num_rows == 42
    rows = table.to_pylist()
    assert sum(1 for r in rows if r["failure"]) == 2
    assert all(r["events"] >= 1 and r["published"] for r in rows if not r["failure"])


def test_unreachable_scheduler_is_a_clear_error(tmp_path, capsys, corpus):
    pytest.importorskip("distributed", reason="the cluster extra (dask, distributed) is not installed")
    code = main(["ingest", str(corpus), "--db", str(tmp_path / "x.db"), "--quiet", "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err and "Traceback" not in err


@pytest.mark.parametrize("argv,message", [
    (["ingest", "--quiet"], "give the articles to ingest"),
    (["ingest", "x.jsonl", "--from-parquet", "p"], "give no PATH"),
    (["ingest", "x.jsonl", "--jobs", "0"], "--jobs and --partition-size must be 1 or more"),
    (["analyze", "x.jsonl", "--jobs", "0"], "--jobs must be 1 or more"),
])
def test_usage_errors_say_what_to_do(argv, message, capsys, tmp_path):
    assert main(argv + (["--db", str(tmp_path / "x.db")] if argv[0] == "ingest" else [])) == 2
    assert message in capsys.readouterr().err


def test_a_dask_worker_killed_midway_loses_nothing(cluster, corpus, one_process_ledger, tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    db = tmp_path / "dask-killed.db"
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        victim = sorted(client.run(os.getpid).values())[0]

    def kill_when_started() -> None:
        deadline = time.monotonic() + 120
        while _count(db, "articles") < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(victim, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_started)
    killer.start()
    try:
        assert main(["ingest", str(corpus), "--db", str(db), "--published-from-metadata", "--quiet",
                     "--scheduler", cluster.scheduler_address]) == 1  # the two bad lines
    finally:
        killer.join(timeout=130)
    assert not Path(f"/proc/{victim}").exists() or "zombie" in Path(f"/proc/{victim}/status").read_text()
    assert snapshot(db) == snapshot(one_process_ledger)
