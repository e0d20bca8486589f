"""Peak memory (RSS) of `according ingest --jobs N` as the corpus grows: flat means inputs are read lazily
and reports streamed.

    python bench/scale_memory.py [--sizes 10000 50000] [--chars 200] [--jobs 2] [--work DIR]

Builds a JSONL corpus of max(--sizes) articles from the BBC corpus (../shared/data/bbc-news), repeating
it with changed ids and a changed first line so every copy is a new article to the ledger; each text is
cut to its first --chars characters (at a word) so the parse of 50,000 articles fits in minutes: this
measures the runner and the writer, not spaCy's memory on long texts. Then, sampling the RSS of the
process tree every 0.2 s:
  1. `ingest CORPUS --to-parquet DIR --jobs N`: the runner alone (the parent reading and writing
     partitions, N workers analysing), with the RSS at the moment each size was reached;
  2. `ingest --from-parquet DIR --db FILE` on the first SIZE articles, for each size: the single ledger
     writer alone (stores every report, rebuilds the stories);
  3. `ingest CORPUS[:smallest size] --db FILE --jobs N` end to end, for reference.
Prints one line per measurement: articles, wall seconds, peak RSS of the parent, of the largest worker,
of the whole tree (MiB).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from according.article import Article, read_articles
from according.scale.parquet import partition_name

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bbc-news"
PARTITION = 256


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


def run_sampled(cmd: list[str], progress=None, sizes=()) -> tuple[float, Peaks]:
    """Run ``cmd``; ``progress()`` says how many articles are done, to note the peaks as each size passes."""
    peaks = Peaks()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while proc.poll() is None:
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
    if proc.returncode != 0:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--chars", type=int, default=200, help="cut each text to this many characters")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/according-scale-memory"))
    parser.add_argument("--skip", nargs="*", default=[], choices=["runner", "writer", "end-to-end"])
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
            progress=lambda: PARTITION * len(list(parts.glob("part-*.parquet"))) if parts.exists() else 0, sizes=sizes)
        mib = 1024 * 1024
        print(f"runner (--to-parquet, --jobs {args.jobs}), {sizes[-1]:,} articles in {wall:,.0f} s "
              f"({words / wall:,.0f} words/s): {peaks.line()}", flush=True)
        for size, (p, w, t) in sorted(peaks.at.items()):
            print(f"  peaks by the time {size:,} articles were written: parent {p / mib:.0f} MiB, largest worker "
                  f"{w / mib:.0f} MiB, tree {t / mib:.0f} MiB", flush=True)
    if "writer" not in args.skip:
        for size in sizes:
            subset = args.work / f"parts-{size}"
            shutil.rmtree(subset, ignore_errors=True)
            subset.mkdir()
            for index in range((size + PARTITION - 1) // PARTITION):
                os.link(parts / partition_name(index), subset / partition_name(index))
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
