"""Extraction alone: CPU time of ``build_report`` over docs parsed once, and a cProfile of it.

    python bench/extraction_profile.py [--corpus DIR] [--limit 120] [--docbin FILE] time [--rounds 5]
    python bench/extraction_profile.py ... profile [--top 45] [--sort cumulative tottime]
    python bench/extraction_profile.py ... parts [--rounds 5]

The first run parses the first ``--limit`` articles of the corpus (default ../shared/data/bbc-news) and
saves the docs as a DocBin (``--docbin``, default /tmp/according-extraction-<limit>.spacy); later runs,
of this or another build (``PYTHONPATH=<other>/src``), read the same parse from it, so two builds are
compared on identical docs. Every pass takes fresh Docs from the DocBin (nothing an earlier pass kept
in ``doc.user_data`` survives) and times only the extraction, in this process's CPU time.

``time`` prints each round's seconds, the mean and the best; run two builds alternately (A B A B ...)
and compare bests, since a shared machine moves single rounds by 10% or more. ``parts`` times the
stages build_report is made of (times, attributions, actors, events + linking). ``profile`` prints the
profile of one pass sorted each way asked.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Callable

from spacy.tokens import Doc, DocBin

from according.extract.actors import extract_actors, set_published
from according.extract.attribution import extract_attributions
from according.extract.times import extract_times
from according.nlp.loading import load_pipeline, model_name
from according.pipeline import Extractors, article_info, build_report

from scale_throughput import DEFAULT_CORPUS, corpus_articles  # the bench folder is the script's own


def _parsed(corpus: Path, limit: int, path: Path, nlp) -> tuple[DocBin, list, list[str]]:
    articles = corpus_articles(corpus, limit)
    if articles is None:
        sys.exit(2)
    if not path.exists():
        docbin = DocBin(store_user_data=False)
        for doc in nlp.pipe([a.text for a in articles], batch_size=32):
            docbin.add(doc)
        docbin.to_disk(path)
        print(f"parsed {len(articles)} articles into {path}", file=sys.stderr)
    docbin = DocBin().from_disk(path)
    if len(docbin) != len(articles):
        sys.exit(f"{path} holds {len(docbin)} docs, not {len(articles)}: delete it or pass another --docbin")
    return docbin, [article_info(a) for a in articles], [a.text for a in articles]


def _stages(extractors: Extractors, infos: list) -> dict[str, Callable[[Doc, int], object]]:
    def times(doc: Doc, k: int) -> object:
        return list(extract_times(doc, infos[k].published))

    def attributions(doc: Doc, k: int) -> object:
        return list(extract_attributions(doc, extractors.attributions))

    def actors(doc: Doc, k: int) -> object:
        set_published(doc, infos[k].published)
        return list(extract_actors(doc, extractors.actors))

    def events(doc: Doc, k: int) -> object:
        set_published(doc, infos[k].published)
        return list(extractors.find_events(doc, tuple(extract_actors(doc, extractors.actors))))

    return {"times": times, "attributions": attributions, "actors": actors, "actors+events": events,
            "report": lambda doc, k: build_report(doc, infos[k], extractors)}


def _pass(docbin: DocBin, vocab, work: Callable[[Doc, int], object]) -> float:
    docs = list(docbin.get_docs(vocab))  # fresh Docs: made outside the clock
    start = time.process_time()
    for k, doc in enumerate(docs):
        work(doc, k)
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=120)
    parser.add_argument("--docbin", type=Path)
    sub = parser.add_subparsers(dest="mode", required=True)
    timing = sub.add_parser("time")
    timing.add_argument("--rounds", type=int, default=5)
    timing.add_argument("--parse", action="store_true",
                        help="also time the parse of the same texts, round by round, and print the ratio bench/throughput.py reports")
    parts = sub.add_parser("parts")
    parts.add_argument("--rounds", type=int, default=5)
    profile = sub.add_parser("profile")
    profile.add_argument("--top", type=int, default=45)
    profile.add_argument("--sort", nargs="+", default=["cumulative", "tottime"])
    args = parser.parse_args()
    nlp = load_pipeline()
    docbin, infos, texts = _parsed(args.corpus, args.limit, args.docbin or Path(f"/tmp/according-extraction-{args.limit}.spacy"), nlp)
    extractors = Extractors.load(model_name=model_name(nlp))
    stages = _stages(extractors, infos)
    _pass(docbin, nlp.vocab, stages["report"])  # warm up: lazy loads, first-call caches
    load = "load average %.2f %.2f %.2f" % os.getloadavg()
    if args.mode == "profile":
        docs = list(docbin.get_docs(nlp.vocab))
        profiler = cProfile.Profile()
        profiler.enable()
        for k, doc in enumerate(docs):
            build_report(doc, infos[k], extractors)
        profiler.disable()
        for key in args.sort:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(args.top)
            print(f"### sorted by {key}\n{out.getvalue()}")
        return 0
    names = ["report"] if args.mode == "time" else ["times", "attributions", "actors", "actors+events", "report"]
    print(f"{len(docbin)} docs, {load}")
    parses: list[float] = []
    for name in names:
        rounds = []
        for _ in range(args.rounds):
            rounds.append(_pass(docbin, nlp.vocab, stages[name]))
            if args.mode == "time" and args.parse:
                start = time.process_time()
                for _ in nlp.pipe(texts, batch_size=32):
                    pass
                parses.append(time.process_time() - start)
        print(f"{name:<14} CPU s: {' '.join(f'{r:.2f}' for r in rounds)}   mean {sum(rounds) / len(rounds):.2f} best {min(rounds):.2f}")
    if parses:
        best = min(parses)
        print(f"{'parse':<14} CPU s: {' '.join(f'{r:.2f}' for r in parses)}   best {best:.2f}; "
              f"ratio parse / (parse + report), bests: {best / (best + min(rounds)):.3f}")
    print("load average %.2f %.2f %.2f" % os.getloadavg())
    return 0


if __name__ == "__main__":
    sys.exit(main())
