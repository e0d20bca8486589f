"""Words/s of whole reports at 1 and N processes against bare spaCy at the same n_process, same run.

    python bench/scale_throughput.py [--corpus DIR] [--limit N] [--processes N] [--rounds R]

For each process count it times, on the same texts and interleaved round by round:
  - bare spaCy: ``nlp.pipe(texts, n_process=n)`` with the pipeline a user loads
    (``load_pipeline(fast_rules=False)``: spaCy's own attribute ruler and lemmatizer; the parent receives
    the parsed Docs);
  - according: ``according.scale.ProcessRunner(n)`` over the same articles: parse (according's pipeline,
    same annotations, see according.nlp.fast_rules), extraction, linking and report building in the workers, the finished Reports received by the parent (what `analyze --jobs n`
    and `ingest --jobs n` get before writing them out).
Both fork their workers from a parent that has the model loaded, so neither pays for loading it.

Two clocks, because the machine may be shared: WALL (what a user waits; on a busy machine it measures
the other users too) and CPU-BOUND, the wall time the same work would take on idle cores:
max(parent CPU, workers' CPU / n), with CPU times from getrusage (self and reaped children). The best of
R rounds is kept for each. Load average is printed before and after; rerun on a quiet machine to trust
WALL. The corpus defaults to ../shared/data/bbc-news.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from according.article import Article, read_articles
from according.nlp.loading import load_pipeline
from according.scale import ProcessRunner, WorkerSettings
from according.scale.work import worker_analyzer

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bbc-news"
TASK = 16  # articles per task, as `--jobs` sends them


def corpus_articles(corpus: Path, limit: int) -> list[Article] | None:
    """The first ``limit`` articles (0: all) of the corpus, or None (said on stderr) when it is missing."""
    if not corpus.exists():
        print(f"corpus {corpus} not found; pass --corpus DIR", file=sys.stderr)
        return None
    articles = [a for a in read_articles([str(corpus)]) if isinstance(a, Article)]
    return articles[:limit] if limit else articles


@dataclass
class Timing:
    wall: float = float("inf")
    cpu_bound: float = float("inf")
    parent_cpu: float = 0.0
    workers_cpu: float = 0.0


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def measure(work: Callable[[], object], n: int, best: Timing) -> None:
    parent0, children0, wall0 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
    work()
    wall = time.perf_counter() - wall0
    parent, children = _cpu(resource.RUSAGE_SELF) - parent0, _cpu(resource.RUSAGE_CHILDREN) - children0
    cpu_bound = parent if n == 1 else max(parent, children / n)
    best.wall = min(best.wall, wall)
    if cpu_bound < best.cpu_bound:
        best.cpu_bound, best.parent_cpu, best.workers_cpu = cpu_bound, parent, children


def compare(articles: list[Article], processes: list[int], rounds: int) -> list[str]:
    """The table of lines to print (also used by bench/throughput.py --processes)."""
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    settings = WorkerSettings()
    analyzer = worker_analyzer(settings.model, settings.max_chars)  # loaded once; forked workers inherit it
    nlp = load_pipeline(settings.model, fast_rules=False)  # bare: what the user would load
    list(nlp.pipe(texts[:20]))  # warm up
    list(analyzer.nlp.pipe(texts[:20]))
    tasks = [articles[i:i + TASK] for i in range(0, len(articles), TASK)]
    timings = {(who, n): Timing() for n in processes for who in ("spacy", "according")}
    load_before = os.getloadavg()
    for _ in range(rounds):
        for n in processes:
            measure(lambda: sum(1 for _ in nlp.pipe(texts, batch_size=TASK, n_process=n)), n, timings["spacy", n])
            measure(lambda: sum(len(b) for b in ProcessRunner(n, settings).run(tasks)), n, timings["according", n])
    load_after = os.getloadavg()
    lines = [f"articles {len(texts)}, words {words:,}, cores {os.cpu_count()}, rounds {rounds}, "
             f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}"]
    lines.append(f"{'':<26}{'WALL words/s':>14}{'ratio':>7}{'CPU-BOUND words/s':>19}{'ratio':>7}"
                 f"{'parent CPU s':>14}{'workers CPU s':>15}")
    for n in processes:
        bare, ours = timings["spacy", n], timings["according", n]
        lines.append(f"{f'bare spaCy, {n} process':<26}{words / bare.wall:>14,.0f}{'':>7}{words / bare.cpu_bound:>19,.0f}"
                     f"{'':>7}{bare.parent_cpu:>14.1f}{bare.workers_cpu:>15.1f}")
        lines.append(f"{f'according, {n} process':<26}{words / ours.wall:>14,.0f}{bare.wall / ours.wall:>7.2f}"
                     f"{words / ours.cpu_bound:>19,.0f}{bare.cpu_bound / ours.cpu_bound:>7.2f}"
                     f"{ours.parent_cpu:>14.1f}{ours.workers_cpu:>15.1f}")
    if 1 in processes:
        one = timings["according", 1]
        for n in (p for p in processes if p > 1):
            ours = timings["according", n]
            lines.append(f"according {n} processes vs {n} x 1 process: wall {one.wall / ours.wall / n:.2f}, "
                         f"cpu-bound {one.cpu_bound / ours.cpu_bound / n:.2f} (1.00 = linear)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=300, help="articles to use (0 = all)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=2, help="repeat each measurement; the best is kept")
    args = parser.parse_args()
    articles = corpus_articles(args.corpus, args.limit)
    if articles is None:
        return 2
    for line in compare(articles, args.processes, args.rounds):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
