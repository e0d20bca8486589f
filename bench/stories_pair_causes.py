"""Why the gold's same-world report pairs are not in one story: the merge rule or score part that parts them.

    PYTHONPATH=src python bench/stories_pair_causes.py --gold GOLD_DIR --articles ARTICLES.jsonl \
        --reports REPORTS.jsonl --db LEDGER.db [--scorer score_real_news.py] [--list] [--cv]

The gold mentions are matched to the analyzer's events with the shared scorer's own functions (``--scorer``,
by default ``../shared/tools/score_real_news.py`` beside the checkout), so the pairs are the scorer's: every
pair of found mentions from two articles with one ``world`` slug. The stories of a copy of the ledger are
rebuilt (the ledger is not changed) to get each report as the merge reads it; each pair of reports is then
put to the merge's rules in the order the sweep applies them (type family, 30-day window from the story's
first report (a report that looks back: which of its conditions fails, see merge.LOOKBACK_DAYS), parties,
object class, score against a story of the earlier report alone, threshold). Counts
are given by mention pair (what the scorer counts) and by report pair.

``--cv`` fits a logistic model over the score parts (hard rules lifted, so a learned weight may overrule
them) on the gold's report pairs, cross-validated by article (5 folds; a test pair is one with an article
in the test fold), and prints pairwise precision and recall of the mention pairs at several cut-offs: what
learned weights over the present evidence could reach.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import itertools
import json
import os
import shutil
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Optional

import numpy as np

M = importlib.import_module("according.ledger.merge")  # the module (the package exports a function ``merge``)
stories = importlib.import_module("according.ledger.stories")

Mention = tuple[str, str, str]  # (article external id, event local id, world slug)


def load_scorer(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("score_real_news", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def gold_mentions(scorer: Any, gold_dir: Path, articles: Path, reports: Path) -> list[Mention]:
    """The found gold mentions, as the scorer matches them: (article, tool event id, world)."""
    manifest = json.loads((gold_dir / "manifest.json").read_text())
    texts = {str(r["id"]): r["text"] for r in map(json.loads, articles.read_text().splitlines()) if r}
    reps = {}
    for line in reports.read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            reps[str((r.get("article") or {}).get("id"))] = r
    out = []
    for aid in sorted(manifest):
        path = gold_dir / f"{aid}.json"
        if not path.exists() or aid not in texts:
            continue
        gold = scorer.Gold(aid, texts[aid], manifest[aid], json.loads(path.read_text()))
        mentions, pairs = scorer.match_events(gold, reps.get(aid, {"events": []}))
        for gi, ti, _ in pairs:
            out.append((aid, str(mentions[ti][0].get("id")), gold.events[gi]["world"]))
    return out


def merge_items(conn: sqlite3.Connection) -> tuple[dict, Any, dict]:
    """Rebuild the stories (of a copy); (article, local id) -> MergeItem, the word weights (they read ``conn``,
    which stays open), (article, local id) -> story."""
    captured: dict[str, Any] = {"items": []}
    merge_block, drop = stories.merge_block, stories._drop_temp_tables

    def spy(items, undated_keys, **kw):  # the items the merge reads, kept
        items = list(items)
        captured["items"].extend(items)
        captured["weights_at"] = kw.get("weights_at")
        return merge_block(iter(items), undated_keys, **kw)

    def keep_ranks(conn):
        try:
            captured["ranks"] = dict(conn.execute("SELECT rank, event_id FROM temp.rb_events"))
        except sqlite3.OperationalError:
            pass
        drop(conn)

    stories.merge_block, stories._drop_temp_tables = spy, keep_ranks
    try:
        stories.rebuild_stories(conn)
        conn.commit()
    finally:
        stories.merge_block, stories._drop_temp_tables = merge_block, drop
    names = {i: (a, l) for i, a, l in conn.execute(
        "SELECT e.id, a.external_id, e.local_id FROM events e JOIN articles a ON a.id = e.article_id")}
    story = {names[e]: s for e, s in conn.execute("SELECT event_id, story_id FROM story_reports")}
    items = {names[captured["ranks"][it.event_id]]: it for it in captured["items"]}
    return items, captured["weights_at"], story


class PairScorer:
    """The merge's score of a report against a story holding only another report."""

    def __init__(self, items: dict, weights_at: Any) -> None:
        self.merger = M._Merger(M.DEFAULT_WINDOW_DAYS, M.DEFAULT_THRESHOLD, {})
        self.merger.weights_at = weights_at
        for it in items.values():
            if it.article is not None:
                self.merger._article_words[it.article] = frozenset(it.article_words)

    def story(self, first: Any, later: Any) -> Any:
        m = self.merger
        if later.day is not None:
            m.idf, m.default_idf = m.weights_at(M._month(later.day))
            m._item, m._topics, m._norms = None, {}, {}
        return m._new(first, "first report")

    def parts(self, first: Any, later: Any) -> Optional[tuple]:
        return self.merger._parts(later, self.story(first, later))

    def cause(self, a: Any, b: Any) -> str:
        if a is None or b is None:
            return "a report the merge does not read (hypothetical, or a near-duplicate copy)"
        if M.family(a.key[0]) != M.family(b.key[0]):
            return "type family differs"
        x, y = sorted((a, b), key=M._order)
        if x.day is None or y.day is None:
            return "undated"
        if y.day - x.day > M.DEFAULT_WINDOW_DAYS:
            if self._own_dates(x, y):
                return "more than the window apart"
            if not y.looks_back:
                return "more than the window apart (dated by publication, but it names no known act and is not under way)"
            if y.day - x.day > M.DEFAULT_WINDOW_DAYS + M.LOOKBACK_DAYS:
                return "more than the window apart (looks back, beyond LOOKBACK_DAYS)"
            return "more than the window apart (looks back: the story it would join is not held, or scores below)"
        parts = self.parts(x, y)
        if parts is None:
            if M._partial_roles(x.key, y.key) is None:
                topic = self.merger._story_topic(y, self.story(x, y))
                return ("party codes conflict, articles on one topic (neither a self-loop)" if topic >= M.TOPIC_MIN
                        else "party codes conflict, articles not on one topic")
            if x.sentence is not None and (x.article, x.sentence) == (y.article, y.sentence):
                return "one sentence (two acts)"
            if x.planned is not None and y.planned is not None and x.planned != y.planned:
                return "a plan and a deed"
            return "object classes conflict"
        if parts[0] < M.DEFAULT_THRESHOLD:
            return "score below the threshold"
        return "score reaches the threshold (lost in the sweep: another story, ambiguity, candidates)"

    def _own_dates(self, x: Any, y: Any) -> bool:
        return False  # refined by ``main`` with the ledger's time_resolved


FEATURES = ("trigger>=half", "trigger share", "words", "entities", "topic part", "topic", "date", "partial roles",
            "code conflicts", "same type", "place match", "place differs")


def pair_features(ps: PairScorer, first: Any, later: Any) -> list[float]:
    """The score's parts with its hard rules lifted (another family, window, two codes in a role)."""
    m = ps.merger
    cl = ps.story(first, later)
    f = m._features(later)
    cl_trig = set(cl.triggers)
    share = len(f.triggers & cl_trig) / len(f.triggers) if f.triggers else 0.0
    words = m._weight(f.words & set(cl.words)) / f.weight if f.weight else 0.0
    names = len(f.entities & set(cl.entities)) / len(f.entities) if f.entities else 0.5
    topic = m._story_topic(later, cl)
    partial = M._partial_roles(first.key, later.key)
    soft = M._soft_roles(first.key, later.key)
    gap = abs(later.day - first.day) if later.day is not None and first.day is not None else M.DEFAULT_WINDOW_DAYS
    places = later.place and first.place
    return [float(share >= M.TRIGGER_SHARE), share, words, names, M._topic_part(topic) if topic >= M.TOPIC_MIN else 0.0,
            topic, max(0.0, 1 - gap / M.DEFAULT_WINDOW_DAYS), float(partial if partial is not None else soft[0]),
            float(0 if partial is not None else soft[1]), float(first.key[0] == later.key[0]),
            float(bool(places) and later.place == first.place), float(bool(places) and later.place != first.place)]


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> np.ndarray:
    """Newton steps on the L2-penalized log loss (the intercept, column 0, not penalized)."""
    w = np.zeros(x.shape[1])
    penalty = np.r_[0.0, np.full(x.shape[1] - 1, l2)]
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        w -= np.linalg.solve(hess, grad)
    return w


def cross_validate(pairs: list[dict], gold_pairs: int, folds: int = 5) -> None:
    cands = [p for p in pairs if p["family"]]
    x = np.array([[1.0, *p["features"]] for p in cands])
    y = np.array([float(p["pos"] > 0) for p in cands])
    pos = np.array([p["pos"] for p in cands])
    neg = np.array([p["tot"] - p["pos"] for p in cands])
    articles = sorted({a for p in cands for a in p["articles"]})
    fold = {a: i % folds for i, a in enumerate(np.random.RandomState(0).permutation(articles))}
    pred, seen = np.zeros(len(cands)), np.zeros(len(cands))
    for k in range(folds):
        test = np.array([any(fold[a] == k for a in p["articles"]) for p in cands])
        w = fit_logistic(x[~test], y[~test])
        pred[test] += 1 / (1 + np.exp(-(x[test] @ w)))
        seen[test] += 1
    pred /= np.maximum(seen, 1)
    w = fit_logistic(x, y)
    print(f"logistic model over {len(cands)} report pairs of one type family ({int(y.sum())} same-world), "
          f"weights fitted on all: intercept {w[0]:.2f}, " + ", ".join(f"{n} {v:.2f}" for n, v in zip(FEATURES, w[1:])))
    print("cross-validated by article (5 folds): cut-off, mention pairs same-world / other, precision, recall of "
          f"{gold_pairs}")
    for cut in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        chosen = pred >= cut
        tp, fp = int(pos[chosen].sum()), int(neg[chosen].sum())
        print(f"  {cut:.1f}  {tp:4d} / {fp:4d}  P {100 * tp / max(1, tp + fp):5.1f}  R {100 * tp / max(1, gold_pairs):5.1f}")


def ceiling(mentions: list[Mention]) -> None:
    """What a perfect merge of the analyzer's events could score: one event's mentions are in one story, and
    the analyzer sometimes joins mentions of two world events into one event."""
    worlds: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a, l, w in mentions:
        worlds[(a, l)].append(w)
    mixed = {k for k, v in worlds.items() if len(set(v)) > 1}
    print(f"found gold events' reports: {len(worlds)}, of them with mentions of two or more world events: {len(mixed)}"
          f" ({sum(len(worlds[k]) for k in mixed)} of {len(mentions)} mentions)")

    def pairs(story: dict) -> str:
        tp = fp = gold = 0
        for (a1, l1, w1), (a2, l2, w2) in itertools.combinations(mentions, 2):
            if a1 == a2:
                continue
            s1, s2 = story[(a1, l1)], story[(a2, l2)]
            together = s1 is not None and s1 == s2
            gold += w1 == w2
            tp += together and w1 == w2
            fp += together and w1 != w2
        p, r = tp / max(1, tp + fp), tp / max(1, gold)
        return f"P {100 * p:.1f}  R {100 * r:.1f}  F1 {200 * p * r / max(1e-9, p + r):.1f}"

    major = {k: Counter(v).most_common(1)[0][0] for k, v in worlds.items()}
    print(f"ceiling, each report in the story of its mentions' most frequent world: {pairs(major)}; "
          f"mixed reports alone: {pairs({k: (None if k in mixed else w) for k, w in major.items()})}")


def main() -> None:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", required=True, type=Path)
    ap.add_argument("--articles", required=True, type=Path)
    ap.add_argument("--reports", required=True, type=Path)
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--scorer", type=Path, default=here.parent / "shared" / "tools" / "score_real_news.py")
    ap.add_argument("--list", action="store_true", help="list every report pair and its cause")
    ap.add_argument("--cv", action="store_true", help="cross-validated logistic model over the score parts")
    args = ap.parse_args()

    mentions = gold_mentions(load_scorer(args.scorer), args.gold, args.articles, args.reports)
    work = args.db.with_name(f"{args.db.stem}-causes{os.getpid()}.db")
    with sqlite3.connect(args.db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(args.db, work)
    conn = sqlite3.connect(work)
    try:
        report(args, mentions, conn)
    finally:
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)


def report(args: argparse.Namespace, mentions: list[Mention], conn: sqlite3.Connection) -> None:
    items, weights_at, story = merge_items(conn)
    own = {(a, l): t for a, l, t in conn.execute(
        "SELECT a.external_id, e.local_id, e.time_resolved FROM events e JOIN articles a ON a.id = e.article_id")}
    ps = PairScorer(items, weights_at)
    by_key = {it: k for k, it in items.items()}
    ps._own_dates = lambda x, y: bool(own.get(by_key[x]) and own.get(by_key[y]))  # type: ignore[method-assign]

    pair_mentions: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])  # report pair -> [same world, all]
    for (a1, l1, w1), (a2, l2, w2) in itertools.combinations(mentions, 2):
        if a1 != a2:
            key = tuple(sorted(((a1, l1), (a2, l2))))
            pair_mentions[key][0] += w1 == w2
            pair_mentions[key][1] += 1
    by_mention, by_pair, false = Counter(), Counter(), 0
    listing = []
    for (k1, k2), (same, total) in sorted(pair_mentions.items()):
        together = story.get(k1) is not None and story.get(k1) == story.get(k2)
        if not same:
            false += total if together else 0
            continue
        cause = "merged" if together else ps.cause(items.get(k1), items.get(k2))
        by_mention[cause] += same
        by_pair[cause] += 1
        listing.append((cause, k1, k2, same))
    gold_pairs = sum(by_mention.values())
    print(f"gold same-world mention pairs across articles: {gold_pairs}; in one story: {by_mention['merged']};"
          f" mention pairs of two worlds in one story: {false}")
    print(f"{'cause':95s} mention pairs  report pairs")
    for cause, n in by_mention.most_common():
        print(f"{cause:95s} {n:8d} {by_pair[cause]:12d}")
    ceiling(mentions)
    if args.list:
        for cause, k1, k2, same in listing:
            a, b = items.get(k1), items.get(k2)
            print(f"{cause} | {'/'.join(k1)} {a.key if a else None} | {'/'.join(k2)} {b.key if b else None} | {same}")
    if args.cv:
        pairs = []
        for (k1, k2), (same, total) in sorted(pair_mentions.items()):
            a, b = items.get(k1), items.get(k2)
            if a is None or b is None:
                continue
            first, later = sorted((a, b), key=M._order)
            pairs.append(dict(pos=same, tot=total, articles=(k1[0], k2[0]),
                              family=M.family(a.key[0]) == M.family(b.key[0]),
                              features=pair_features(ps, first, later)))
        cross_validate(pairs, gold_pairs)


if __name__ == "__main__":
    main()
