"""Ledger write and rebuild cost, without the analyzer: synthetic one-event reports into a fresh file.

    PYTHONPATH=src python bench/ledger_store.py [--articles 20000] [--add 1000]

Prints articles/s for storing (one transaction per article: report JSON, rows, MinHash bands) and the
time to rebuild every story (duplicates, merge, lines of reporting). Compare with the analyzer's
~10-20 articles/s per process on news text: the ledger should be a rounding error. Then adds --add
more articles, dated in the ledger's last two weeks as a daily feed's are, and times the incremental
update (``update_stories``: each type-family block they reach resumes at the day of its earliest new
report) against a full rebuild of the same ledger, and checks that the two give the same stories.
Parties and types are Zipf-spread (150 parties, 16 types) so blocks look like news.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from according.ledger.store import Ledger
from according.ledger.stories import rebuild_stories, update_stories
from according.records import Actor, ArticleInfo, Attribution, Event, EventObject, Mention, Report, Source

COUNTRIES = tuple(f"P{i:02d}" for i in range(150))
WEIGHTS = [1 / (rank + 1) for rank in range(len(COUNTRIES))]
TYPES = ("AID", "ASSAULT", "ACCUSE", "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "RETREAT",
         "REQUEST", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE")
OBJECTS = (("drones", "drone"), ("ballistic missiles", "ballistic_missile"), ("artillery shells", "artillery"))
WORDS = ("shipment transfer officials capital months analysts year port cargo route army ministry talks "
         "border region deal price market week report source plan supply factory contract envoy").split()


def synthetic_report(i: int, rng: random.Random, *, recent: bool = False) -> Report:
    actor, recipient = rng.choices(COUNTRIES, WEIGHTS, k=2)
    obj, cls = rng.choice(OBJECTS)
    sentence = f"{actor} delivered {obj} to {recipient}, officials said, in report {i}. "
    text = sentence + " ".join(rng.choice(WORDS) for _ in range(80)) + "."  # distinct articles
    span = lambda phrase: (text.index(phrase), text.index(phrase) + len(phrase))  # noqa: E731
    src = Source("officials", span("officials"), "anonymous")
    attribution = Attribution(src, Mention("said", span("said")), Mention(sentence, (0, len(sentence))), id="a1")
    event = Event(rng.choice(TYPES), Mention("delivered", span("delivered")),
                  Actor(actor, span(actor), actor, actor, "GOV", "country"),
                  Actor(recipient, span(recipient), recipient, recipient, "GOV", "country"),
                  object=EventObject(obj, span(obj), cls), sentence=(0, len(sentence)), attributions=("a1",), id="e1")
    # the ledger spans 2024; an added batch is the news of its last two weeks, as a daily feed brings
    published = f"2024-12-{15 + rng.randrange(14):02d}" if recent else f"2024-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
    return Report(ArticleInfo(published=published, outlet=f"Outlet {rng.randrange(50)}"), text,
                  attributions=(attribution,), events=(event,))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--add", type=int, default=1_000, help="articles added for the incremental update")
    args = parser.parse_args()
    rng = random.Random(11)
    reports = [synthetic_report(i, rng) for i in range(args.articles)]
    more = [synthetic_report(args.articles + i, rng, recent=True) for i in range(args.add)]
    with tempfile.TemporaryDirectory() as tmp, Ledger.open(Path(tmp) / "bench.db") as ledger:
        start = time.perf_counter()
        for r in reports:
            ledger.add_report(r, content_hash=hashlib.sha256(r.text.encode()).hexdigest())
        stored = time.perf_counter() - start
        start = time.perf_counter()
        summary = rebuild_stories(ledger.conn)
        rebuilt = time.perf_counter() - start
        for r in more:
            ledger.add_report(r, content_hash=hashlib.sha256(r.text.encode()).hexdigest())
        copy = sqlite3.connect(Path(tmp) / "full.db")
        ledger.conn.backup(copy)  # the same ledger, to rebuild in full instead of updating
        copy.close()
        start = time.perf_counter()
        updated = update_stories(ledger.conn)
        incremental = time.perf_counter() - start
        with Ledger.open(Path(tmp) / "full.db") as other:
            start = time.perf_counter()
            rebuild_stories(other.conn)
            full = time.perf_counter() - start
            same = _stories(ledger.conn) == _stories(other.conn)
    print(f"stored {args.articles} articles in {stored:.2f} s: {args.articles / stored:.0f} articles/s "
          f"({1000 * stored / args.articles:.2f} ms each)")
    print(f"rebuilt {summary.stories} stories from {summary.reports} reports "
          f"({summary.duplicates} near-duplicates) in {rebuilt:.2f} s")
    print(f"added {args.add} articles: incremental update {incremental:.2f} s ({updated.reports} reports re-merged)"
          f" vs full rebuild {full:.2f} s: {full / incremental:.1f}x; same stories, ids and reasons: {same}")


def _stories(conn) -> set:
    return set(conn.execute("SELECT sr.story_id, sr.event_id, sr.role, sr.score, sr.why, s.status, s.reports"
                            " FROM story_reports sr JOIN stories s ON s.id = sr.story_id"))


if __name__ == "__main__":
    main()
