"""What the story rebuild holds at its peak: tracemalloc snapshots by allocation site, and a diff of two.

    PYTHONPATH=src python bench/rebuild_memory.py trace LEDGER.db --out peak.snap [--frames 2] [--top 25]
    PYTHONPATH=src python bench/rebuild_memory.py diff small.snap large.snap [--top 25]

``trace`` runs ``rebuild_stories`` on a copy of LEDGER.db (made with ``bench/ledger_incremental_1m.py
build ... --no-rebuild``, say) under ``tracemalloc`` and prints: the traced peak of each part (duplicates,
word counts, ranking, the merge's sweep, the topic index, the word weights, the batches kept and
written), what was still held at the end, maxrss (which includes tracemalloc's own cost), and the top
allocation sites of a snapshot taken near the peak, with what the merge held there (open and past
stories, their articles, the topic index, caches). Snapshots are taken at the parts' boundaries each
time the traced memory has grown by a tenth, dumped and dropped, so they count in no figure. ``diff``
compares two such snapshots site by site (what grew between a small and a large ledger).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import time
import tracemalloc
import weakref
from pathlib import Path
from typing import Callable


class Tracer:
    """The traced peak of each part of the rebuild (the functions ``wrap`` names, and the merge's sweep
    between them), and a snapshot each time the traced memory has grown by ``step`` since the last one,
    taken at those boundaries. A snapshot is dumped to ``path`` and dropped, and the peak reset after it:
    the snapshot's own objects (traced too) count in no figure."""

    def __init__(self, path: Path, held: Callable[[], dict[str, int]], step: float = 1.10) -> None:
        self.path, self.held, self.step = path, held, step
        self.peaks: dict[str, int] = {}
        self.label = "before the merge"
        self.pending = 0  # the part's peak before its last snapshot
        self.best_size = 0
        self.phase = ""
        self.best_held: dict[str, int] = {}

    def check(self, phase: str) -> None:
        current, peak = tracemalloc.get_traced_memory()
        if current > self.best_size * self.step:
            self.pending = max(self.pending, peak)
            self.best_size, self.phase, self.best_held = current, phase, self.held()
            snapshot = tracemalloc.take_snapshot()
            snapshot.dump(str(self.path))
            del snapshot
            tracemalloc.reset_peak()

    def mark(self, label: str) -> None:
        _, peak = tracemalloc.get_traced_memory()
        self.peaks[self.label] = max(self.peaks.get(self.label, 0), peak, self.pending)
        self.pending = 0
        tracemalloc.reset_peak()
        self.label = label

    def wrap(self, owner, name: str, after: str) -> None:
        original = getattr(owner, name)
        label = name if isinstance(owner, type(os)) else f"{owner.__name__}.{name}"

        def run(*args, **kwargs):
            self.check(f"{self.label}, then {label}")
            self.mark(label)
            try:
                return original(*args, **kwargs)
            finally:
                self.check(f"the end of {label}")
                self.mark(after)

        setattr(owner, name, run)


def _held(merger_state: dict) -> dict[str, int]:
    """Counts of what the merge holds (read from the live sweep, see ``trace``)."""
    merger, open_, past = (merger_state[k]() if k in merger_state else None for k in ("merger", "open", "past"))
    out: dict[str, int] = {}
    if merger is not None:
        out.update(article_words=len(merger._article_words), norms=len(merger._norms), topic_cache=len(merger._topics))
    if open_ is not None:
        out.update(open_stories=len(open_._created), open_articles=len(open_.by_article))
        if open_.topics is not None:
            out.update(topic_slots=len(open_.topics.articles), topic_words=len(open_.topics.postings))
    if past is not None:
        out.update(past_stories=len(past.stories._created), past_articles=sum(len(w) for w in past.words.values()))
    return out


def trace(args: argparse.Namespace) -> None:
    import importlib

    merge, stories = (importlib.import_module(f"according.ledger.{m}") for m in ("merge", "stories"))
    from according.ledger.store import Ledger

    work = args.db.with_name(f"{args.db.stem}-trace{os.getpid()}.db")
    with sqlite3.connect(args.db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(args.db, work)
    state: dict = {}
    tracer = Tracer(args.out or work.with_suffix(".snap"), lambda: _held(state))
    original_sweep = merge._Merger.sweep

    def sweep(self, block, undated_keys, forced=None):
        # the sweep's own open and past stories are locals: wrap the classes' constructors to see them
        state["merger"] = weakref.ref(self)  # weak: the trace keeps nothing alive
        return original_sweep(self, block, undated_keys, forced)

    class OpenStories(merge._OpenStories):
        def __init__(self) -> None:
            super().__init__()
            if not state.get("in_past"):  # the past stories' own lists are not the window's
                state["open"] = weakref.ref(self)

    class PastStories(merge._PastStories):
        def __init__(self) -> None:
            state["in_past"] = True
            super().__init__()
            state["in_past"] = False
            state["past"] = weakref.ref(self)

    merge._Merger.sweep = sweep
    merge._OpenStories, merge._PastStories = OpenStories, PastStories
    for name in ("find_duplicates", "_write_duplicates", "_count_words", "_rank", "_write_batch"):
        tracer.wrap(stories, name, "after " + name)
    for owner, name in ((stories, "_keep"), (merge._TopicIndex, "near"), (merge._TopicIndex, "_compact"),
                        (stories._Weights, "__call__"), (stories, "_undated_keys")):
        tracer.wrap(owner, name, "the merge's sweep")
    original_story = stories._write_story

    def write_story(*args):  # a batch's rows are all read by now
        tracer.check("writing a batch of stories")
        return original_story(*args)

    stories._write_story = write_story
    try:
        tracemalloc.start(args.frames)
        with Ledger.open(work) as ledger:
            events = ledger.conn.execute("SELECT count(*) FROM events").fetchone()[0]
            articles = ledger.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            days = ledger.conn.execute("SELECT min(event_date), max(event_date) FROM events").fetchone()
            start = time.perf_counter()
            summary = stories.rebuild_stories(ledger.conn)
            wall = time.perf_counter() - start
            tracer.mark("done")
        current, _ = tracemalloc.get_traced_memory()
        peak = max(tracer.peaks.values())
        tracemalloc.stop()
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{articles} articles, {events} events ({days[0]} to {days[1]}): {summary.stories} stories in {wall:.0f} s;"
          f" traced peak {peak / 2**20:.1f} MiB, still held {current / 2**20:.1f} MiB, maxrss {maxrss:.0f} MiB")
    print("traced peak by part: " + ", ".join(f"{k} {v / 2**20:.1f}" for k, v in tracer.peaks.items()) + " MiB")
    if not tracer.best_size:
        return
    print(f"snapshot nearest the peak: {tracer.best_size / 2**20:.1f} MiB, {tracer.phase}; held {tracer.best_held}")
    snap = tracemalloc.Snapshot.load(str(tracer.path))
    if not args.out:
        tracer.path.unlink()
    snap = snap.filter_traces((tracemalloc.Filter(False, tracemalloc.__file__),))
    for stat in snap.statistics("traceback")[: args.top]:
        print(f"  {stat.size / 2**20:7.2f} MiB {stat.count:9,} blocks  {_where(stat.traceback)}")


def _where(tb: tracemalloc.Traceback) -> str:
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(tb))


def diff(args: argparse.Namespace) -> None:
    small, large = tracemalloc.Snapshot.load(str(args.small)), tracemalloc.Snapshot.load(str(args.large))
    total = sum(s.size for s in large.statistics("traceback")) - sum(s.size for s in small.statistics("traceback"))
    print(f"grew {total / 2**20:.1f} MiB in all")
    for stat in large.compare_to(small, "traceback")[: args.top]:
        print(f"  {stat.size_diff / 2**20:+7.2f} MiB (now {stat.size / 2**20:6.2f}, {stat.count_diff:+9,} blocks)"
              f"  {_where(stat.traceback)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("trace")
    t.add_argument("db", type=Path)
    t.add_argument("--out", type=Path)
    t.add_argument("--frames", type=int, default=2)
    t.add_argument("--top", type=int, default=25)
    d = sub.add_parser("diff")
    d.add_argument("small", type=Path)
    d.add_argument("large", type=Path)
    d.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    trace(args) if args.command == "trace" else diff(args)


if __name__ == "__main__":
    main()
