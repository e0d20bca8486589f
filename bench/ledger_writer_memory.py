"""Where the ledger writer's memory goes: storing N reports, then one full story rebuild.

    python bench/ledger_writer_memory.py [--sizes 10000 50000] [--originals 200] [--chars 60] [--work DIR]

Analyses --originals BBC articles (../shared/data/bbc-news, each cut to its first --chars characters, as
``bench/scale_memory.py`` does), then for each size, in a fresh process: stores that many copies (each
with a line appended to its text, so a new content hash and a near-duplicate of the other copies, as
wire copies are) through ``Ledger.add_report``, one transaction each, and runs ``rebuild_stories`` once.
Prints the peak RSS (VmHWM) after loading, after storing and after the rebuild, and the seconds each
phase took: flat "stored" peaks mean the writer streams; the rebuild's peak is the story merge's.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bbc-news"


def peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def make_reports(corpus: Path, originals: int, chars: int, out: Path) -> None:
    from according.article import Article, read_articles
    from according.pipeline import Analyzer

    articles = [a for a in read_articles([str(corpus)]) if isinstance(a, Article)][:originals]
    analyzer = Analyzer()
    with out.open("w", encoding="utf-8") as f:
        for i, a in enumerate(articles):
            body = a.text.split("\n", 1)[-1].strip()
            cut = body[:chars].rsplit(" ", 1)[0] if len(body) > chars else body
            report = analyzer.analyze(f"{a.title or 'Untitled'}\n{cut}", id=f"bbc-{i}",
                                      published=f"2005-{1 + i % 12:02d}-{1 + i % 28:02d}")
            f.write(json.dumps(report.to_dict(include_text=True), ensure_ascii=False) + "\n")


def store_and_rebuild(reports_path: Path, size: int, db: Path) -> str:
    from according.ledger.revive import report_from_dict
    from according.ledger.store import Ledger
    from according.ledger.stories import rebuild_stories

    rows = [json.loads(line) for line in reports_path.read_text(encoding="utf-8").splitlines()]
    reports = [report_from_dict(r, r["text"]) for r in rows]
    db.unlink(missing_ok=True)
    loaded = peak_mib()
    with Ledger.open(db) as ledger:
        start = time.perf_counter()
        for i in range(size):
            r = reports[i % len(reports)]
            text = f"{r.text}\n(copy {i // len(reports)})"
            r = replace(r, text=text, article=replace(r.article, id=f"{r.article.id}-{i}"))
            ledger.add_report(r, content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(), origin=f"bench#{i}")
        stored_s, stored = time.perf_counter() - start, peak_mib()
        start = time.perf_counter()
        summary = rebuild_stories(ledger.conn)
        rebuilt_s, rebuilt = time.perf_counter() - start, peak_mib()
    return (f"{size:>7,} articles: peak RSS loaded {loaded:5.0f} MiB, stored {stored:5.0f} MiB ({stored_s:4.0f} s), "
            f"after the story rebuild {rebuilt:5.0f} MiB ({rebuilt_s:4.0f} s; {summary.reports:,} reports, "
            f"{summary.duplicates:,} duplicates)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--originals", type=int, default=200)
    parser.add_argument("--chars", type=int, default=60)
    parser.add_argument("--work", type=Path, default=Path("/tmp/according-writer-memory"))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child: one size
    args = parser.parse_args()
    reports = args.work / "reports.jsonl"
    if args.one is not None:
        print(store_and_rebuild(reports, args.one, args.work / f"writer-{args.one}.db"), flush=True)
        return 0
    if not args.corpus.exists():
        print(f"corpus {args.corpus} not found; pass --corpus DIR", file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    make_reports(args.corpus, args.originals, args.chars, reports)
    for size in args.sizes:  # a fresh process per size: VmHWM is a per-process peak
        subprocess.run([sys.executable, __file__, "--work", str(args.work), "--one", str(size)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
