"""`according eval real-news`: the real-news gold's figures (events, attributions, stories) in one command.

It analyzes the gold's articles with the current build and hands the reports (and a ledger, with
``--db``) to the shared scorer, ``SHARED/tools/score_real_news.py``, which prints the table.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import DataNotFound
from .shared_data import SHARED_ENV, add_shared_option, shared_folder


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "real-news", help="events, attributions and stories against the real-news gold",
        description="Analyze the real-news gold's articles with this build and score the reports (and a ledger, "
        "with --db) with the shared scorer, SHARED/tools/score_real_news.py. Give --shared DIR.")
    add_shared_option(parser, "gold/real-news/dev, data/guardian-dev and tools/")
    parser.add_argument("--gold", metavar="DIR", help="gold folder (default SHARED/gold/real-news/dev)")
    parser.add_argument("--articles", metavar="JSONL", help="article texts (default SHARED/data/guardian-dev/articles.jsonl)")
    parser.add_argument("--db", metavar="PATH", help="also score the stories of this ledger (built from the same articles)")
    parser.add_argument("--reports", metavar="JSONL", help="keep the reports here (default: a temporary file)")
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline: sm (default), md, a package name or a path")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures")
    parser.add_argument("--verbose", action="store_true", help="list every missed gold event")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    shared = shared_folder(args.shared)
    if shared is None:
        raise DataNotFound(f"the real-news gold and its scorer are in the evaluation data sets: give --shared DIR "
                           f"(or {SHARED_ENV}=DIR) for the folder holding gold/real-news/dev, data/guardian-dev and tools/")
    gold = Path(args.gold) if args.gold else shared / "gold/real-news/dev"
    articles_path = Path(args.articles) if args.articles else shared / "data/guardian-dev/articles.jsonl"
    scorer = shared / "tools/score_real_news.py"
    for path, what in ((gold / "manifest.json", "the gold's manifest"), (articles_path, "the articles"), (scorer, "the shared scorer")):
        if not path.is_file():
            raise DataNotFound(f"{what} not found at {path}; pass --shared DIR (or --gold / --articles)")
    manifest = json.loads((gold / "manifest.json").read_text(encoding="utf-8"))

    from ..article import Article, read_articles
    from ..pipeline import Analyzer

    wanted = [a for a in read_articles([articles_path]) if isinstance(a, Article) and a.id in manifest]
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(args.reports) if args.reports else Path(tmp) / "reports.jsonl"
        with reports.open("w", encoding="utf-8") as out:
            for report in Analyzer(args.model).analyze_articles(wanted):
                if not isinstance(report, Exception):
                    out.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        command = [sys.executable, str(scorer), "--gold", str(gold), "--articles", str(articles_path), "--reports", str(reports)]
        if args.db:
            command += ["--db", args.db]
        if args.verbose:
            command.append("--verbose")
        figures = Path(tmp) / "figures.json"
        done = subprocess.run(command + ["--json", str(figures)], capture_output=args.json, text=True)
        if args.json and done.returncode == 0:
            print(figures.read_text(encoding="utf-8"))
        return done.returncode
