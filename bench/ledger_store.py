"""Ledger write and rebuild cost, without the analyzer: synthetic one-event reports into a fresh file.

    PYTHONPATH=src python bench/ledger_store.py [--articles 20000]

Prints articles/s for storing (one transaction per article: report JSON, rows, MinHash bands) and the
time to rebuild every story (duplicates, merge, lines of reporting). Compare with the analyzer's
~10-20 articles/s per process on news text: the ledger should be a rounding error.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import tempfile
import time
from pathlib import Path

from according.ledger.store import Ledger
from according.ledger.stories import rebuild_stories
from according.records import Actor, ArticleInfo, Attribution, Event, EventObject, Mention, Report, Source

COUNTRIES = ("IRN", "RUS", "PRK", "CHN", "BLR", "SYR", "VEN", "UKR")
OBJECTS = (("drones", "drone"), ("ballistic missiles", "ballistic_missile"), ("artillery shells", "artillery"))
WORDS = ("shipment transfer officials capital months analysts year port cargo route army ministry talks "
         "border region deal price market week report source plan supply factory contract envoy").split()


def synthetic_report(i: int, rng: random.Random) -> Report:
    actor, recipient = rng.sample(COUNTRIES, 2)
    obj, cls = rng.choice(OBJECTS)
    sentence = f"{actor} delivered {obj} to {recipient}, officials said, in report {i}. "
    text = sentence + " ".join(rng.choice(WORDS) for _ in range(80)) + "."  # distinct articles
    span = lambda phrase: (text.index(phrase), text.index(phrase) + len(phrase))  # noqa: E731
    src = Source("officials", span("officials"), "anonymous")
    attribution = Attribution(src, Mention("said", span("said")), Mention(sentence, (0, len(sentence))), id="a1")
    event = Event("AID", Mention("delivered", span("delivered")),
                  Actor(actor, span(actor), actor, actor, "GOV", "country"),
                  Actor(recipient, span(recipient), recipient, recipient, "GOV", "country"),
                  object=EventObject(obj, span(obj), cls), sentence=(0, len(sentence)), attributions=("a1",), id="e1")
    published = f"2024-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
    return Report(ArticleInfo(published=published, outlet=f"Outlet {rng.randrange(50)}"), text,
                  attributions=(attribution,), events=(event,))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    rng = random.Random(11)
    reports = [synthetic_report(i, rng) for i in range(args.articles)]
    with tempfile.TemporaryDirectory() as tmp, Ledger.open(Path(tmp) / "bench.db") as ledger:
        start = time.perf_counter()
        for r in reports:
            ledger.add_report(r, content_hash=hashlib.sha256(r.text.encode()).hexdigest())
        stored = time.perf_counter() - start
        start = time.perf_counter()
        summary = rebuild_stories(ledger.conn)
        rebuilt = time.perf_counter() - start
    print(f"stored {args.articles} articles in {stored:.2f} s: {args.articles / stored:.0f} articles/s "
          f"({1000 * stored / args.articles:.2f} ms each)")
    print(f"rebuilt {summary.stories} stories from {summary.reports} reports "
          f"({summary.duplicates} near-duplicates) in {rebuilt:.2f} s")


if __name__ == "__main__":
    main()
