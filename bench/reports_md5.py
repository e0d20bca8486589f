"""The md5 of every report's JSON over fixed corpora: the check that a speed change changes no output.

    python bench/reports_md5.py [--shared ../shared] [--bbc 400]
    PYTHONPATH=<git archive of the other commit>/src python bench/reports_md5.py   (the build to compare)

Analyzes the 88 guardian-dev articles and the first N BBC articles (in ``read_articles`` order) with
the packaged models and prints one md5 per corpus of the reports as JSON lines with their text (what
``according analyze --format jsonl --with-text`` writes). Equal sums before and after: byte-identical.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from according.article import Article, read_articles
from according.pipeline import Analyzer

DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--bbc", type=int, default=400, help="BBC articles to analyze (0 = none)")
    args = parser.parse_args()
    corpora = {"guardian-dev": args.shared / "data" / "guardian-dev" / "articles.jsonl",
               f"bbc-news[:{args.bbc}]": args.shared / "data" / "bbc-news"}
    missing = [str(p) for p in corpora.values() if not p.exists()]
    if missing:
        print(f"not found: {', '.join(missing)}; pass --shared DIR", file=sys.stderr)
        return 2
    analyzer = Analyzer()
    for name, path in corpora.items():
        articles = [a for a in read_articles([str(path)]) if isinstance(a, Article)]
        if name.startswith("bbc"):
            articles = articles[:args.bbc]
        digest = hashlib.md5()
        for report in analyzer.analyze_articles(articles):
            line = json.dumps(report.to_dict(include_text=True), ensure_ascii=False) + "\n"
            digest.update(line.encode("utf-8"))
        print(f"{name:<20} {len(articles):>4} reports  md5 {digest.hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
