"""1,000 articles added to a ledger of 1M events: the incremental story update against a full rebuild.

    according analyze ../shared/data/bbc-news --format jsonl --with-text --jobs 2 > bbc.reports.jsonl
    python bench/ledger_incremental_1m.py build --reports bbc.reports.jsonl --work DIR [--events 1000000]
    python bench/ledger_incremental_1m.py measure --work DIR --dates recent     # then --dates spread
    python bench/ledger_incremental_1m.py store --reports bbc.reports.jsonl --work DIR --mode article|batch|batch-json

``build`` makes DIR/base.db without the analyzer: the real BBC reports, replicated until the ledger
holds --events events, each copy a new article: a new id, a published day spread over --years years
(its events dated by it), and its text varied word by word (a third of the words outside the names,
cues and triggers replaced by corpus words of the same length, so the offsets stay right and copies of
one original are not near-duplicates of each other). One article in ten also gets a syndicated copy
(a few words changed, published 0-2 days later), so near-duplicate groups are there as in news. The
articles go through ``Ledger.add_batch`` (the store path ``ingest`` uses, 64 articles a transaction);
then one full ``rebuild_stories``. It prints articles/s for storing, and the rebuild's time.

``measure`` copies base.db, adds --add new articles (``--dates recent``: published in the ledger's last
two weeks, as a daily feed; ``spread``: anywhere in the span, a backfill), copies that ledger, and runs,
each in a fresh process so peak RSS (VmHWM) is the step's own: ``update_stories`` (what ``ingest``
runs) on one copy and ``rebuild_stories`` on the other; then compares story ids, membership, reasons.

``store`` times storing alone, one way (see ``store``): run the modes one after the other, or with
``PYTHONPATH`` at an older checkout's ``src`` for ``--mode article``, to compare writers in one window.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

BATCH = 64  # articles per transaction, as ingest --from-parquet stores them
SPAN_START = date(2023, 1, 1)
VARY = 0.35  # share of the free words replaced in a copy (5-gram shingles kept: 0.65^5, about 12%)
SYNDICATE = 0.1  # share of copies that also appear under another masthead, a few words changed
SYNDICATE_VARY = 0.03
_WORD = re.compile(r"[A-Za-z]{3,}")


def peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _spans(value, out: list) -> None:
    """Every short span of the report (names, cues, triggers): the words the variation leaves alone."""
    if isinstance(value, dict):
        span = value.get("span")
        if isinstance(span, list) and len(span) == 2 and span[1] - span[0] <= 60:
            out.append(span)
        for v in value.values():
            _spans(v, out)
    elif isinstance(value, list):
        for v in value:
            _spans(v, out)


class Replicator:
    """Copies of the originals as new articles: ids, dates and varied text (same length, same offsets)."""

    def __init__(self, originals: list[dict], years: int, seed: int) -> None:
        self.originals = originals
        self.days = 365 * years
        self.rng = random.Random(seed)
        by_len: dict[int, set[str]] = {}
        for r in originals:
            for w in _WORD.findall(r["text"]):
                by_len.setdefault(len(w), set()).add(w.lower())
        self.words = {n: sorted(ws) for n, ws in by_len.items()}
        from according.ledger.revive import report_from_dict

        self.reports = [report_from_dict(r, r["text"]) for r in originals]
        self.free = []  # per original: the (start, end) of the words a copy may replace
        for r in originals:
            keep: list = []
            _spans(r, keep)
            self.free.append([(m.start(), m.end()) for m in _WORD.finditer(r["text"])
                              if not any(s < m.end() and m.start() < e for s, e in keep)])

    def vary(self, i: int, text: str, share: float) -> str:
        chars = list(text)
        for start, end in self.free[i]:
            if self.rng.random() < share:
                word = self.rng.choice(self.words[end - start])
                if text[start].isupper():
                    word = word.capitalize()
                chars[start:end] = word
        return "".join(chars)

    def article(self, i: int, name: str, day: date, text: str, outlet: str) -> tuple[str, object, str]:
        """(content hash, Report, its stored JSON): the JSON made from the original's, as a Parquet
        partition hands it to the writer (``ingest --from-parquet``)."""
        from dataclasses import replace

        report = self.reports[i]
        info = replace(report.article, id=name, published=day.isoformat(), outlet=outlet)
        events = tuple(replace(e, time=replace(e.time, resolved=None)) if e.time else e for e in report.events)
        copy = replace(report, article=info, text=text, events=events)  # events dated by the copy's publication
        data = dict(self.originals[i])
        del data["text"]
        data["article"] = {**data["article"], "id": name, "published": info.published, "outlet": outlet}
        data["events"] = [{**e, "time": {**e["time"], "resolved": None}} if e.get("time") else e for e in data["events"]]
        stored = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), copy, stored

    def copies(self, start: int, n: int, first_day: int, days: int) -> Iterator[tuple]:
        """n new articles (and their syndicated copies), published in days [first_day, first_day + days)."""
        for k in range(start, start + n):
            i = k % len(self.originals)
            day = SPAN_START + timedelta(days=first_day + self.rng.randrange(days))
            text = self.vary(i, self.originals[i]["text"], VARY)
            yield self.article(i, f"copy-{k}", day, text, f"Outlet {self.rng.randrange(60)}")
            if self.rng.random() < SYNDICATE:
                later = min(day + timedelta(days=self.rng.randrange(3)), SPAN_START + timedelta(days=first_day + days - 1))
                yield self.article(i, f"copy-{k}-wire", later, self.vary(i, text, SYNDICATE_VARY),
                                   f"Outlet {self.rng.randrange(60)}")


def store(db: Path, rows: Iterator[tuple], *, mode: str = "batch-json") -> tuple[int, int, float, float]:
    """Store through the ingest's store path; (articles, events, wall s, CPU s). ``mode``: "article" (one
    transaction each, the writer serialising the report: the path before batches), "batch" (``add_batch``,
    the writer serialising: a live ingest), "batch-json" (``add_batch`` given the JSON: ``--from-parquet``)."""
    from according.ledger.store import Ledger

    articles = events = 0
    wall, cpu = time.perf_counter(), time.process_time()
    with Ledger.open(db) as ledger:
        batch = []
        for digest, report, stored in rows:
            articles += 1
            events += len(report.events)
            if mode == "article":
                ledger.add_report(report, content_hash=digest, origin=report.article.id)
                continue
            from according.ledger.store import Pending

            batch.append(Pending(report.article.id, digest, report, report_json=stored if mode == "batch-json" else None))
            if len(batch) >= BATCH:
                ledger.add_batch(batch)
                batch = []
        if batch:
            ledger.add_batch(batch)
    return articles, events, time.perf_counter() - wall, time.process_time() - cpu


def _originals(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r.get("text") and r.get("events")]


def build(args: argparse.Namespace) -> None:
    originals = _originals(args.reports)
    per_article = sum(len(r["events"]) for r in originals) / len(originals) * (1 + SYNDICATE)
    n = int(args.events / per_article) + 1
    args.work.mkdir(parents=True, exist_ok=True)
    (args.work / "originals.jsonl").write_text(args.reports.read_text(encoding="utf-8"), encoding="utf-8")
    db = args.work / "base.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    rep = Replicator(originals, args.years, seed=1)
    articles, events, wall, cpu = store(db, rep.copies(0, n, 0, rep.days))
    print(f"stored {articles} articles ({events} events, from {len(originals)} BBC reports over {args.years} years)"
          f" in {wall:.0f} s: {articles / wall:.0f} articles/s wall, {1000 * cpu / articles:.2f} ms CPU each", flush=True)
    (args.work / "state.json").write_text(json.dumps({"next": n, "years": args.years}))
    if not args.no_rebuild:
        print(_step("rebuild", db), flush=True)


def _step(step: str, db: Path) -> str:
    """Run one story step in a fresh process (so its peak RSS is its own); its one-line summary."""
    out = subprocess.run([sys.executable, __file__, "_step", step, str(db)], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def run_step(step: str, db: Path) -> None:
    from according.ledger.store import Ledger
    from according.ledger.stories import rebuild_stories, update_stories

    with Ledger.open(db) as ledger:
        wall, cpu = time.perf_counter(), time.process_time()
        summary = (update_stories if step == "update" else rebuild_stories)(ledger.conn)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        total = ledger.conn.execute("SELECT count(*) FROM events WHERE status != 'hypothetical'").fetchone()[0]
    print(f"{step}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {peak_mib():.0f} MiB, {summary.stories} stories"
          f" written, {summary.reports} of the {total} reports merged, {summary.duplicates} near-duplicates")


def measure(args: argparse.Namespace) -> None:
    state = json.loads((args.work / "state.json").read_text())
    originals = _originals(args.work / "originals.jsonl")
    rep = Replicator(originals, state["years"], seed=2 if args.dates == "recent" else 3)
    inc, full = args.work / f"{args.dates}-update.db", args.work / f"{args.dates}-full.db"
    _copy(args.work / "base.db", inc)
    first, days = (rep.days - 14, 14) if args.dates == "recent" else (0, rep.days)
    articles, events, wall, _ = store(inc, rep.copies(state["next"], args.add, first, days))
    print(f"{args.dates}: added {articles} articles ({events} events) in {wall:.1f} s", flush=True)
    if not args.update_only:
        _copy(inc, full)
    print(_step("update", inc), flush=True)
    if not args.update_only:
        print(_step("rebuild", full), flush=True)
        a, b = _stories(inc), _stories(full)
        print(f"same stories, ids, members, reasons and status: {a == b} ({len(a)} story rows;"
              f" {len(a - b)} only in the update, {len(b - a)} only in the rebuild)")
    if not args.keep:
        for db in (inc, full):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)


def _copy(src: Path, dst: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(src) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(src, dst)


def _stories(db: Path) -> set:
    with sqlite3.connect(db) as conn:
        return set(conn.execute("SELECT sr.story_id, sr.event_id, sr.role, sr.score, sr.why, s.status, s.reports"
                                " FROM story_reports sr JOIN stories s ON s.id = sr.story_id"))


def compare_store(args: argparse.Namespace) -> None:
    """Storing speed of --n copies in one --mode (see ``store``)."""
    originals = _originals(args.reports)
    db = args.work / f"store-{args.mode}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    rep = Replicator(originals, 2, seed=1)
    articles, events, wall, cpu = store(db, rep.copies(0, args.n, 0, rep.days), mode=args.mode)
    print(f"{args.mode}: {articles} articles ({events} events) in {wall:.1f} s wall, {cpu:.1f} s CPU:"
          f" {articles / wall:.0f} articles/s wall, {articles / cpu:.0f} articles/s CPU-bound")
    db.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--reports", type=Path, required=True, help="reports JSONL with texts (according analyze --with-text)")
    b.add_argument("--work", type=Path, required=True)
    b.add_argument("--events", type=int, default=1_000_000)
    b.add_argument("--years", type=int, default=2)
    b.add_argument("--no-rebuild", action="store_true",
                   help="store only; then `_step rebuild DIR/base.db` (the build's rebuild, timed alone)")
    m = sub.add_parser("measure")
    m.add_argument("--work", type=Path, required=True)
    m.add_argument("--dates", choices=("recent", "spread"), default="recent")
    m.add_argument("--add", type=int, default=1_000)
    m.add_argument("--keep", action="store_true", help="keep the two ledgers")
    m.add_argument("--update-only", action="store_true",
                   help="no full rebuild to compare with (when the update falls back to one, it is one)")
    s = sub.add_parser("store", help="storing speed only: per-article or batched transactions")
    s.add_argument("--reports", type=Path, required=True)
    s.add_argument("--work", type=Path, required=True)
    s.add_argument("--n", type=int, default=3000)
    s.add_argument("--mode", choices=("article", "batch", "batch-json"), default="batch-json")
    st = sub.add_parser("_step")
    st.add_argument("step", choices=("update", "rebuild"))
    st.add_argument("db", type=Path)
    args = parser.parse_args()
    if args.command == "build":
        build(args)
    elif args.command == "measure":
        measure(args)
    elif args.command == "store":
        compare_store(args)
    else:
        run_step(args.step, args.db)


if __name__ == "__main__":
    main()
