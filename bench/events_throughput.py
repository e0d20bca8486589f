"""Cost of actor and event extraction on top of the parse, measured in the same run.

Usage: python bench/events_throughput.py [--texts DIR] [--limit N] [--rounds R]
Parses the texts once with ``nlp.pipe`` (timed), then times ``extract_actors`` + ``extract_events`` over
the parsed docs, and prints words/s for the parse alone, for parse + extraction, and their ratio (the
project's budget for all extractors together is >= 0.80). Default texts: ../shared/data/bbc-news.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from according.extract.actors import ActorLexicon, extract_actors
from according.extract.events import EventLexicon, extract_events
from according.nlp.loading import load_pipeline

DEFAULT_TEXTS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "bbc-news"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(args.texts.rglob("*.txt"))[: args.limit]]
    words = sum(len(t.split()) for t in texts)
    nlp = load_pipeline()
    actors, events = ActorLexicon.load(), EventLexicon.load()
    parse_best = extract_best = float("inf")
    found = 0
    for _ in range(args.rounds):
        start = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=32))
        parse_best = min(parse_best, time.perf_counter() - start)
        start = time.perf_counter()
        found = 0
        for doc in docs:
            found += sum(1 for _ in extract_actors(doc, actors))
            found += sum(1 for _ in extract_events(doc, events, actors))
        extract_best = min(extract_best, time.perf_counter() - start)
    print(f"texts {len(texts)}, words {words}, actors+events found {found}")
    print(f"parse only          {words / parse_best:9.0f} words/s")
    print(f"parse + extraction  {words / (parse_best + extract_best):9.0f} words/s")
    print(f"ratio               {parse_best / (parse_best + extract_best):9.2f}")


if __name__ == "__main__":
    main()
