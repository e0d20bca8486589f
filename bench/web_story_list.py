"""How fast the viewer answers on a big ledger: a synthetic ledger of N stories (default 100,000),
the real server (`according serve`, uvicorn) on a free loopback port, timed HTTP requests.

    PYTHONPATH=src python bench/web_story_list.py [--stories 100000] [--repeat 5] [--keep FILE]

The ledger is written straight into the ledger's own schema (one article, one event and one
attribution per report; 1.5 reports per story; 150 parties, Zipf-weighted; 16 types; ten years), so no
analyzer runs. Each route is requested --repeat times after one warm-up; the median wall time is
printed, and its ratio to the same server's answer for a static file (the cost of a request itself),
measured in the same run. Nothing here is asserted: the tests check behaviour, this measures it.
"""
from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from according.ledger.store import Ledger

TYPES = ("AID", "ASSAULT", "ACCUSE", "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "RETREAT",
         "REQUEST", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE")
WORDS = ("delivered", "shipped", "attacked", "warned", "met", "accused", "sanctioned", "rejected", "supplied")


def build(path: Path, n_stories: int, seed: int = 11) -> int:
    """Write the synthetic ledger; return the number of reports."""
    rng = random.Random(seed)
    parties = [f"P{i:03d}" for i in range(150)]
    weights = [1 / (r + 1) for r in range(len(parties))]
    with Ledger.open(path) as ledger:  # creates the schema
        conn = ledger.conn
        conn.execute("BEGIN")
        event_id = 0
        for s in range(n_stories):
            etype, actor, recipient = rng.choice(TYPES), *rng.choices(parties, weights, k=2)
            day0 = 738000 + rng.randrange(3650)
            reports = 1 + (rng.random() < 0.35) + (rng.random() < 0.15)
            sid = f"s{s:010x}"
            days = [day0 + r * rng.randrange(1, 5) for r in range(reports)]
            denials = int(rng.random() < 0.08)
            conn.execute("INSERT INTO stories VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                         (sid, etype, actor, recipient, _iso(days[0]), _iso(days[-1]), reports, reports,
                          max(1, reports - rng.randrange(2)), denials, "contested" if denials else "asserted",
                          _iso(days[0])))
            for day in days:
                event_id += 1
                iso = _iso(day)
                text = f"{actor} {rng.choice(WORDS)} something to {recipient} in report {event_id}, officials said."
                conn.execute("INSERT INTO articles(id, content_hash, origin, title, outlet, published, text,"
                             " report_json, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (event_id, f"h{event_id}", f"bench:{event_id}", f"Report {event_id}",
                              f"Outlet {event_id % 97}", iso, text, json.dumps({"schema": "according/1"}), iso))
                conn.execute("INSERT INTO events(id, article_id, local_id, type, actor_key, recipient_key, status,"
                             " trigger, event_date, sentence) VALUES (?, ?, 'e1', ?, ?, ?, 'completed', 'x', ?, ?)",
                             (event_id, event_id, etype, actor, recipient, iso, text))
                conn.execute("INSERT INTO story_reports VALUES (?, ?, 'backs', 'bench')", (sid, event_id))
                if day == days[0]:
                    conn.execute("UPDATE stories SET first_article_id = ? WHERE id = ?", (event_id, sid))
        conn.execute("COMMIT")
    return event_id


def _iso(day: int) -> str:
    from datetime import date

    return date.fromordinal(day).isoformat()


ROUTES = (
    ("static file (baseline)", "/static/according.css"),
    ("story list, page 1 (HTML)", "/"),
    ("story list, page 1 (JSON)", "/api/stories"),
    ("story list, page 1000", "/api/stories?page=1000"),
    ("sorted by first report", "/api/stories?sort=first&order=asc"),
    ("actor filter", "/api/stories?actor=P003"),
    ("actor + type + status", "/api/stories?actor=P001&type=AID&status=contested"),
    ("date range", "/api/stories?from=2022-01-01&to=2022-03-31"),
    ("words in sentences", "/api/stories?q=shipped+something+to+P007"),
    ("weekly chart, one actor", "/api/weekly?actor=P002"),
    ("actor network", "/api/actors"),
    ("one story", "/stories/s0000000001"),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _time(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as r:
        r.read()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the ledger here (reused if it exists)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep or Path(tmp) / "bench.db"
        if not db.exists():
            start = time.perf_counter()
            reports = build(db, args.stories)
            print(f"built {args.stories:,} stories, {reports:,} reports in {time.perf_counter() - start:.0f} s",
                  file=sys.stderr)
        port = _free_port()
        proc = subprocess.Popen([sys.executable, "-m", "according", "serve", "--db", str(db), "--port", str(port)],
                                stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stderr is not None
            proc.stderr.readline()  # "according: serving ..." once it listens
            base = f"http://127.0.0.1:{port}"
            baseline = None
            print(f"{'route':<28} {'median ms':>10} {'x static':>9}")
            for name, path in ROUTES:
                _time(base + path)  # warm-up
                median = statistics.median(_time(base + path) for _ in range(args.repeat))
                baseline = baseline or median
                print(f"{name:<28} {1000 * median:>10.1f} {median / baseline:>9.1f}")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
