"""Throughput of `according analyze` against the bare spaCy pipeline, same texts, same run.

    python bench/throughput.py [--corpus DIR] [--limit N] [--repeat R]

Prints words/s for the bare pipeline (nlp.pipe) and for the full analysis (the same parse plus every
extractor), and their ratio. The corpus defaults to ../shared/data/bbc-news.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from according.article import Article, read_articles
from according.pipeline import Analyzer

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bbc-news"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=400, help="articles to use (0 = all)")
    parser.add_argument("--repeat", type=int, default=2, help="alternating rounds; the best of each is kept")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"corpus {args.corpus} not found; pass --corpus DIR", file=sys.stderr)
        return 2
    articles = [a for a in read_articles([str(args.corpus)]) if isinstance(a, Article)]
    if args.limit:
        articles = articles[: args.limit]
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    analyzer = Analyzer()
    nlp = analyzer.nlp
    list(nlp.pipe(texts[:20]))  # warm up
    bare, full = [], []
    for _ in range(args.repeat):  # alternate so that machine load hits both alike
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=32):
            pass
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        for report in analyzer.analyze_articles(articles, batch_size=32):
            pass
        full.append(time.perf_counter() - start)
    bare_wps, full_wps = words / min(bare), words / min(full)
    print(f"articles {len(texts)}, words {words:,}, pipeline {analyzer.extractors.describe()}")
    print(f"bare spaCy      {bare_wps:8,.0f} words/s")
    print(f"according       {full_wps:8,.0f} words/s")
    print(f"ratio           {full_wps / bare_wps:8.2f}  (according / bare spaCy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
