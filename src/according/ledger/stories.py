"""Rebuild the stories from the stored events: duplicates, merge, lines of reporting, status, first report.

The stories tables are derived data: rebuilt in one transaction from articles/events/attributions after
each ingest, so they never disagree with the reports and a crash mid-rebuild leaves the old ones.
"""
from __future__ import annotations

import hashlib
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from . import minhash
from .independence import (
    ArticleContext, AttributionRow, DuplicateGroups, Line, lines_for, normalize_name, outlet_line,
)
from .merge import DEFAULT_WINDOW_DAYS, Cluster, MergeItem, merge
from .store import transaction

MERGED_STATUSES_EXCLUDED = ("hypothetical",)  # "any transfer would ..." reports no event
BUCKET_LIMIT = 200  # members of one LSH bucket compared pairwise; beyond that, each to its first


@dataclass(frozen=True, slots=True)
class ArticleRow:
    id: int
    content_hash: str
    outlet: Optional[str]
    published: Optional[str]
    origin: Optional[str]
    title: Optional[str]

    @property
    def order(self) -> tuple:
        """Earliest published first; undated after dated, in ingestion order."""
        return (self.published or "~", self.id)


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    article_id: int
    local_id: str
    key: tuple[str, str, str]
    object_class: Optional[str]
    status: str
    event_date: Optional[str]
    backs: tuple[str, ...]
    denies: tuple[str, ...]

    @property
    def role(self) -> str:
        return "denies" if self.status == "negated" or (self.denies and not self.backs) else "backs"


@dataclass(slots=True)
class StoryLines:
    backing: dict[str, tuple[Line, int]] = field(default_factory=dict)  # key -> (line, reports)
    denying: dict[str, tuple[Line, int]] = field(default_factory=dict)

    def add(self, role: str, lines: list[Line]) -> None:
        target = self.backing if role == "backs" else self.denying
        for line in lines:
            old = target.get(line.key)
            target[line.key] = (line, (old[1] if old else 0) + 1)


@dataclass(frozen=True, slots=True)
class StorySummary:
    stories: int
    reports: int
    duplicates: int


def rebuild_stories(conn: sqlite3.Connection, *, window_days: int = DEFAULT_WINDOW_DAYS) -> StorySummary:
    articles = _load_articles(conn)
    groups, dup_rows = _duplicates(conn, articles)
    contexts = _contexts(conn, articles, groups)
    events = _load_events(conn)
    ranked = sorted(events, key=lambda e: (articles[e.article_id].content_hash, e.local_id))
    items = [MergeItem(i, e.key, _ordinal(e.event_date), e.object_class) for i, e in enumerate(ranked)]
    clusters = merge(items, window_days=window_days)
    with transaction(conn):
        for table in ("story_sources", "story_reports", "stories", "article_duplicates"):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany("INSERT INTO article_duplicates VALUES (?, ?, ?)", dup_rows)
        for cluster in clusters:
            _write_story(conn, cluster, ranked, articles, contexts)
    return StorySummary(len(clusters), len(items), len(dup_rows))


def _load_articles(conn: sqlite3.Connection) -> dict[int, ArticleRow]:
    rows = conn.execute("SELECT id, content_hash, outlet, published, origin, title FROM articles")
    return {r[0]: ArticleRow(*r) for r in rows}


def _duplicates(conn, articles: dict[int, ArticleRow]) -> tuple[DuplicateGroups, list[tuple[int, int, float]]]:
    groups = DuplicateGroups({i: a.order for i, a in articles.items()})
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for band, bucket, article_id in conn.execute(
        "SELECT band, bucket, article_id FROM article_bands WHERE (band, bucket) IN "
        "(SELECT band, bucket FROM article_bands GROUP BY band, bucket HAVING COUNT(*) > 1)"
    ):
        buckets[(band, bucket)].append(article_id)
    sigs: dict[int, object] = {}
    best: dict[int, float] = {}
    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        members.sort(key=lambda i: articles[i].order)
        pairs = ([(a, b) for n, a in enumerate(members) for b in members[n + 1:]]
                 if len(members) <= BUCKET_LIMIT else [(members[0], b) for b in members[1:]])
        for a, b in pairs:
            if (a, b) in checked:
                continue
            checked.add((a, b))
            sim = minhash.similarity(_sig(conn, sigs, a), _sig(conn, sigs, b))
            if sim >= minhash.DUPLICATE_JACCARD:
                groups.union(a, b)
                best[b] = max(best.get(b, 0.0), sim)
                best[a] = max(best.get(a, 0.0), sim)
    rows = []
    for article_id in sorted(best):
        root = groups.root(article_id)
        if root != article_id:
            rows.append((article_id, root, round(best[article_id], 3)))
    return groups, rows


def _sig(conn, cache: dict, article_id: int):
    if article_id not in cache:
        blob = conn.execute("SELECT minhash FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
        cache[article_id] = minhash.from_blob(blob)
    return cache[article_id]


def _contexts(conn, articles: dict[int, ArticleRow], groups: DuplicateGroups) -> dict[int, ArticleContext]:
    attrs: dict[int, dict[str, AttributionRow]] = defaultdict(dict)
    for row in conn.execute(
        "SELECT article_id, local_id, source_text, source_type, source_name, source_country, stance, parent"
        " FROM attributions"
    ):
        attrs[row[0]][row[1]] = AttributionRow(*row[1:])
    relayed: dict[int, dict[Optional[str], str]] = defaultdict(dict)
    for article_id, outlet, attribution_id in conn.execute(
        "SELECT article_id, outlet, attribution_id FROM provenance_claims ORDER BY article_id, span_start"
    ):
        relayed[article_id].setdefault(attribution_id, outlet)
    out = {}
    for article_id, article in articles.items():
        root = articles[groups.root(article_id)]
        own = outlet_line(root.outlet, root.content_hash[:12], root.title or root.origin)
        out[article_id] = ArticleContext(own, attrs.get(article_id, {}), relayed.get(article_id, {}))
    return out


def _load_events(conn: sqlite3.Connection) -> list[EventRow]:
    roles: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"backs": [], "denies": []})
    for event_id, attribution_id, role in conn.execute(
        "SELECT event_id, attribution_id, role FROM event_attributions ORDER BY event_id, rowid"
    ):
        roles[event_id][role].append(attribution_id)
    placeholders = ",".join("?" * len(MERGED_STATUSES_EXCLUDED))
    out = []
    for r in conn.execute(
        "SELECT id, article_id, local_id, type, actor_key, recipient_key, object_class, status, event_date"
        f" FROM events WHERE status NOT IN ({placeholders})", MERGED_STATUSES_EXCLUDED,
    ):
        linked = roles.get(r[0], {"backs": [], "denies": []})
        out.append(EventRow(r[0], r[1], r[2], (r[3], r[4] or "", r[5] or ""), r[6], r[7], r[8],
                            tuple(linked["backs"]), tuple(linked["denies"])))
    return out


def _ordinal(value: Optional[str]) -> Optional[int]:
    return date.fromisoformat(value).toordinal() if value else None


def _write_story(conn, cluster: Cluster, ranked: list[EventRow], articles, contexts) -> None:
    members = [ranked[i] for i in cluster.members]
    lines = StoryLines()
    for ev in members:
        ctx = contexts[ev.article_id]
        if ev.role == "backs":
            lines.add("backs", lines_for(ev.backs, ctx))
            if ev.denies:
                lines.add("denies", lines_for(ev.denies, ctx))
        else:
            lines.add("denies", lines_for(ev.denies or ev.backs, ctx))
    etype, actor, recipient = cluster.key
    backing_articles = {ev.article_id for ev in members if ev.role == "backs"}
    first = min(backing_articles or {ev.article_id for ev in members}, key=lambda i: articles[i].order)
    anchor = min(members, key=lambda e: (e.event_date or "~", articles[e.article_id].content_hash, e.local_id))
    story_id = "s" + hashlib.sha1(
        f"{etype}|{actor}|{recipient}|{articles[anchor.article_id].content_hash}|{anchor.local_id}".encode()
    ).hexdigest()[:10]
    parties = {actor, recipient} - {""}
    confirmed = any(_is_party(line, parties) for line, _ in lines.backing.values())
    status = "contested" if lines.denying else ("confirmed" if confirmed else "asserted")
    dates = sorted(d for d in (e.event_date for e in members) if d)
    conn.execute(
        "INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (story_id, etype, actor or None, recipient or None, cluster.object_class,
         dates[0] if dates else None, dates[-1] if dates else None, len(backing_articles),
         len({ev.article_id for ev in members}), len(lines.backing), len(lines.denying), status, first,
         articles[first].published),
    )
    conn.executemany(
        "INSERT INTO story_reports VALUES (?, ?, ?, ?)",
        [(story_id, ranked[i].id, ranked[i].role, why) for i, why in zip(cluster.members, cluster.why)],
    )
    conn.executemany(
        "INSERT INTO story_sources VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(story_id, key, role, line.label, line.source_type, n, int(_is_party(line, parties)))
         for role, table in (("backs", lines.backing), ("denies", lines.denying))
         for key, (line, n) in sorted(table.items())],
    )


def _is_party(line: Line, parties: set[str]) -> bool:
    if line.source_type not in ("official_organization", "named_person"):
        return False
    return bool(line.country and line.country in parties) or normalize_name(line.label) in parties
