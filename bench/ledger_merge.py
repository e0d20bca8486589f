"""Merge time for synthetic events: 10k, 100k, 1M. Must grow no faster than n log n.

    PYTHONPATH=src python bench/ledger_merge.py [--sizes 10000 100000 1000000]

Events are spread over 16 PLOVER types x 150 actors x 150 recipients (Zipf-weighted, so a few
blocks hold most events; one report in ten names only one party), ten years of days, 8 object
classes (a fifth unknown), a trigger stem, ten sentence words from a Zipf vocabulary, three entities and
a place (or none), so blocks, open stories and the similarity score cost what they do on a large ledger.
Words, entities and triggers are tuples of integer ids, as ``features.Vocabulary`` gives the ledger's
merge. Only the merge is timed (building the items is not), in CPU time, best of --repeat runs (the
machine is shared). The ratio column is (t / n log n) relative to the smallest size: near 1 means
n log n growth; well above 1 would mean worse. Peak RSS is the process's, after that size's runs.
"""
from __future__ import annotations

import argparse
from itertools import accumulate
import math
import random
import resource
import time

from according.ledger.merge import MergeItem, merge

TYPES = ("AID", "ASSAULT", "ACCUSE", "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "RETREAT",
         "REQUEST", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE")
CLASSES = ("drone", "ballistic_missile", "artillery", "air_defence", "tank", "rifle", "ammunition", "jet", None, None)


def synthetic(n: int, seed: int = 7) -> list[MergeItem]:
    rng = random.Random(seed)
    parties = [f"P{i:03d}" for i in range(150)]
    weights = [1 / (rank + 1) for rank in range(len(parties))]  # Zipf: a few parties are in most news
    actors = rng.choices(parties, weights, k=n)  # one call each: weights are summed once
    recipients = rng.choices(parties, weights, k=n)
    for i in range(0, n, 10):  # one report in ten names a single party ("drones were delivered to X")
        if rng.random() < 0.5:
            actors[i] = ""
        else:
            recipients[i] = ""
    vocab = list(range(5000))  # word ids: shared int objects, as a vocabulary's dict values are
    vcum = list(accumulate(1 / (rank + 1) for rank in range(len(vocab))))  # Zipf, summed once
    places = [None, None] + [f"place{i}" for i in range(300)]
    triggers = list(range(5000, 5040))
    return [
        MergeItem(i, (rng.choice(TYPES), actors[i], recipients[i]), 738000 + rng.randrange(3650),
                  rng.choice(CLASSES), triggers=(rng.choice(triggers),),
                  words=tuple(sorted(set(rng.choices(vocab, cum_weights=vcum, k=10)))),
                  entities=tuple(sorted(set(rng.choices(vocab[:800], k=3)))), place=rng.choice(places))
        for i in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs per size")
    args = parser.parse_args()
    base = None
    print(f"{'events':>10} {'seconds':>9} {'stories':>9} {'us/event':>9} {'t/(n log n) ratio':>18} {'peak RSS MB':>12}")
    for n in args.sizes:
        items = synthetic(n)
        elapsed = math.inf
        for _ in range(args.repeat):
            start = time.process_time()  # CPU time: the machine is shared
            clusters = merge(items)
            elapsed = min(elapsed, time.process_time() - start)
        per = elapsed / (n * math.log(n))
        base = base or per
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n:>10} {elapsed:>9.2f} {len(clusters):>9} {1e6 * elapsed / n:>9.2f} {per / base:>18.2f} {rss:>12.0f}")
        del items, clusters


if __name__ == "__main__":
    main()
