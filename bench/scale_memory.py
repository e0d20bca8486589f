"""Peak memory (RSS) of `according ingest` as the corpus grows: flat means inputs are read lazily and
reports streamed.

    python bench/scale_memory.py [--sizes 10000 50000] [--chars 60] [--jobs 2] [--runner-seconds S]
                                 [--work DIR] [--skip runner|writer|end-to-end ...]

Builds a JSONL corpus of max(--sizes) articles from the BBC corpus (../shared/data/bbc-news), repeating
it with changed ids and a changed first line so every copy is a new article to the ledger; each text is
cut to its first --chars characters (at a word) to keep the parse cheap: this measures the runner and
the writer, not spaCy's memory on long texts. Then, sampling the RSS of the process tree every 0.2 s:
  1. runner: `ingest CORPUS --to-parquet DIR --jobs N` (the parent reading inputs and writing partitions,
     N workers analysing), noting the peaks when each size is reached; stopped (Ctrl-C) after
     --runner-seconds if given, so on a slow machine it reports the sizes it reached;
  2. writer: `ingest --from-parquet DIR --db FILE` for each size, the single ledger writer alone (stores
     every report, rebuilds the stories). Its partitions repeat the reports the runner wrote, each copy
     with a line appended to its text (the report's offsets stay right), a new content hash and id: to
     the ledger the copies are near-duplicates of each other, as wire copies are;
  3. end to end: `ingest CORPUS[:smallest size] --db FILE --jobs N` (skip it on a slow machine).
Prints one line per measurement: articles, wall seconds, peak RSS of the parent, of the largest worker,
of the whole tree (MiB).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from according.article import Article, read_articles
import pyarrow.parquet as pq

from according.scale.parquet import partition_name

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bbc-news"
PARTITION = 64  # articles per partition: fine-grained progress for the runner's marks
RUNNER_MARKS = [1_000, 2_000, 5_000, 10_000, 20_000]  # also note the runner's peaks at these sizes


@dataclass
class Peaks:
    parent: int = 0
    worker: int = 0
    tree: int = 0
    at: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # size -> peaks when it was reached

    def line(self) -> str:
        mib = 1024 * 1024
        return f"parent {self.parent / mib:7.0f} MiB  largest worker {self.worker / mib:7.0f} MiB  tree {self.tree / mib:7.0f} MiB"


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            kids = [int(k) for k in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except OSError:
            kids = []
        out.extend(kids)
        todo.extend(kids)
    return out


def run_sampled(cmd: list[str], progress=None, sizes=(), seconds: float = 0) -> tuple[float, Peaks]:
    """Run ``cmd``; ``progress()`` says how many articles are done, to note the peaks as each size passes;
    after ``seconds`` (if not 0) the run is stopped with Ctrl-C."""
    peaks = Peaks()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,  # Ctrl-C works even when
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # started in the background
    while proc.poll() is None:
        if seconds and time.perf_counter() - start > seconds:
            proc.send_signal(signal.SIGINT)
            proc.wait()
            break
        parent = _rss(proc.pid)
        workers = [_rss(p) for p in _descendants(proc.pid)]
        peaks.parent = max(peaks.parent, parent)
        peaks.worker = max([peaks.worker] + workers)
        peaks.tree = max(peaks.tree, parent + sum(workers))
        if progress is not None:
            done = progress()
            for size in sizes:
                if done >= size and size not in peaks.at:
                    peaks.at[size] = (peaks.parent, peaks.worker, peaks.tree)
        time.sleep(0.2)
    err = proc.stderr.read().decode()
    if proc.returncode not in (0, 130):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return time.perf_counter() - start, peaks


def build_corpus(path: Path, n: int, chars: int, source: Path) -> int:
    articles = [a for a in read_articles([str(source)]) if isinstance(a, Article)]
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            a = articles[i % len(articles)]
            copy = i // len(articles)
            body = a.text.split("\n", 1)[-1].strip()
            cut = body[:chars].rsplit(" ", 1)[0] if len(body) > chars else body
            text = f"{a.title or 'Untitled'} (copy {copy})\n{cut}"
            words += len(text.split())
            out.write(json.dumps({"text": text, "id": f"bbc-{copy}-{i % len(articles)}",
                                  "published": f"2005-{1 + copy % 12:02d}-{1 + i % 28:02d}"}) + "\n")
    return words


def repeat_partitions(source: Path, target: Path, size: int) -> None:
    """``size`` rows cycling over the rows under ``source``, each copy a new article (see the docstring)."""
    import pyarrow as pa

    rows = [r for r in pq.read_table(source).to_pylist() if not r["failure"]]
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for index in range((size + PARTITION - 1) // PARTITION):
        batch = []
        for i in range(index * PARTITION, min(size, (index + 1) * PARTITION)):
            row = dict(rows[i % len(rows)])
            copy = i // len(rows)
            row["text"] = f"{row['text']}\n(copy {copy})"
            row["content_hash"] = hashlib.sha256(row["text"].encode("utf-8")).hexdigest()
            row["origin"] = f"{row['origin']}#copy{copy}"
            batch.append(row)
        pq.write_table(pa.Table.from_pylist(batch, schema=pq.read_schema(next(source.glob("part-*.parquet")))),
                       target / partition_name(index))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--chars", type=int, default=60, help="cut each text to this many characters")
    parser.add_argument("--runner-seconds", type=float, default=0, help="stop the runner after this long (0: run to the end)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/according-scale-memory"))
    parser.add_argument("--skip", nargs="*", default=["end-to-end"], choices=["runner", "writer", "end-to-end"])
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"corpus {args.corpus} not found; pass --corpus DIR", file=sys.stderr)
        return 2
    sizes = sorted(args.sizes)
    args.work.mkdir(parents=True, exist_ok=True)
    corpus = args.work / "corpus.jsonl"
    words = build_corpus(corpus, sizes[-1], args.chars, args.corpus)
    according = [sys.executable, "-m", "according", "ingest"]
    print(f"corpus {sizes[-1]:,} articles, {words:,} words (texts cut to {args.chars} characters), "
          f"jobs {args.jobs}, load average {os.getloadavg()[0]:.2f}", flush=True)
    parts = args.work / "parts"
    if "runner" not in args.skip:
        shutil.rmtree(parts, ignore_errors=True)
        wall, peaks = run_sampled(
            according + [str(corpus), "--to-parquet", str(parts), "--jobs", str(args.jobs), "--quiet",
                         "--published-from-metadata", "--partition-size", str(PARTITION)],
            progress=lambda: PARTITION * len(list(parts.glob("part-*.parquet"))) if parts.exists() else 0,
            sizes=sorted(set(sizes + RUNNER_MARKS)),
            seconds=args.runner_seconds)
        written = sum(pq.ParquetFile(p).metadata.num_rows for p in parts.glob("part-*.parquet"))
        mib = 1024 * 1024
        print(f"runner (--to-parquet, --jobs {args.jobs}), {written:,} of {sizes[-1]:,} articles in {wall:,.0f} s "
              f"({written / wall:,.1f} articles/s): {peaks.line()}", flush=True)
        for size, (p, w, t) in sorted(peaks.at.items()):
            print(f"  peaks by the time {size:,} articles were written: parent {p / mib:.0f} MiB, largest worker "
                  f"{w / mib:.0f} MiB, tree {t / mib:.0f} MiB", flush=True)
    if "writer" not in args.skip:
        for size in sizes:
            subset = args.work / f"parts-{size}"
            repeat_partitions(parts, subset, size)
            db = args.work / f"writer-{size}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            wall, peaks = run_sampled(according + ["--from-parquet", str(subset), "--db", str(db), "--quiet"])
            print(f"writer (--from-parquet), {size:,} articles in {wall:,.0f} s: {peaks.line()}", flush=True)
    if "end-to-end" not in args.skip:
        size = sizes[0]
        small = args.work / f"corpus-{size}.jsonl"
        with corpus.open(encoding="utf-8") as src, small.open("w", encoding="utf-8") as out:
            for _, line in zip(range(size), src):
                out.write(line)
        db = args.work / f"end-to-end-{size}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        wall, peaks = run_sampled(according + [str(small), "--db", str(db), "--jobs", str(args.jobs), "--quiet",
                                               "--published-from-metadata"])
        print(f"end to end (ingest --jobs {args.jobs}), {size:,} articles in {wall:,.0f} s: {peaks.line()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
