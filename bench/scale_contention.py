"""Is the 2-process loss the runner's or the machine's? The same work in 2 forked processes, no runner:
one after the other, then at the same time; CPU time of each way.

    python bench/scale_contention.py [--corpus DIR] [--limit 64] [--rounds 2]

If running at the same time costs more CPU than one after the other, two busy processes slow each
other down on this machine (shared caches, memory bandwidth), whatever runs them.
"""
from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
from pathlib import Path

from according.article import Article, read_articles
from according.scale.work import WorkerSettings, analyze_task, worker_analyzer

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bbc-news"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"corpus {args.corpus} not found; pass --corpus DIR", file=sys.stderr)
        return 2
    articles = [a for a in read_articles([str(args.corpus)]) if isinstance(a, Article)][: args.limit]
    settings = WorkerSettings()
    worker_analyzer(settings.model, settings.max_chars)  # loaded before forking, as the runner's workers are
    analyze_task(articles[:4], settings)
    halves = [articles[: len(articles) // 2], articles[len(articles) // 2:]]
    fork = multiprocessing.get_context("fork")
    for round_ in range(args.rounds):
        start = _children_cpu()
        for half in halves:
            p = fork.Process(target=analyze_task, args=(half, settings))
            p.start()
            p.join()
        apart = _children_cpu() - start
        start = _children_cpu()
        procs = [fork.Process(target=analyze_task, args=(half, settings)) for half in halves]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        together = _children_cpu() - start
        print(f"round {round_}: one after the other {apart:.1f} s CPU, at the same time {together:.1f} s CPU "
              f"({together / apart:.2f}x)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
