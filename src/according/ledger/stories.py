"""Rebuild the stories from the stored events: duplicates, merge, denials, lines of reporting, status, ids.

The stories tables are derived data: rebuilt in one transaction from articles/events/attributions, so
they never disagree with the reports and a crash mid-rebuild leaves the old ones. Story ids are the
exception: ``event_stories`` remembers the first story each report joined and ``story_merges`` records
a story folded into another, so an id, once given at the end of an ingest, stays (see ``_StoryIds``).
"""
from __future__ import annotations

import hashlib
import math
import sqlite3
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Optional

from . import features, minhash
from .independence import (
    ArticleContext, AttributionRow, DuplicateGroups, Line, full_name_map, lines_for, normalize_name,
    outlet_line,
)
from .merge import (
    COPY_WHY, DEFAULT_THRESHOLD, DEFAULT_WINDOW_DAYS, Cluster, MergeItem, compatible_parties, family, merge,
)
from .store import now, transaction

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
    dateline: Optional[str] = None

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
    links: tuple[tuple[str, str], ...]  # (attribution local id, role stored at ingest)
    trigger: str = ""
    mention_triggers: Optional[str] = None
    object_text: Optional[str] = None
    location: Optional[str] = None
    sentence: Optional[str] = None
    parties: frozenset[str] = frozenset()  # keys, countries and names of actor and recipient


@dataclass(frozen=True, slots=True)
class Roles:
    """What one report says about its story: backs it, denies it, or reports it negated."""

    role: str  # backs | denies | negated
    backs: tuple[str, ...]
    denies: tuple[str, ...]


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


def rebuild_stories(conn: sqlite3.Connection, *, window_days: int = DEFAULT_WINDOW_DAYS,
                    threshold: float = DEFAULT_THRESHOLD, persist_ids: bool = True) -> StorySummary:
    """Rebuild every story. ``persist_ids`` records the ids given (the end of an ingest does; the
    rebuilds during a long ingest, which only show progress, do not, so ids do not depend on timing)."""
    articles = _load_articles(conn)
    groups, dup_rows = _duplicates(conn, articles)
    contexts = _contexts(conn, articles, groups)
    events = _load_events(conn)
    ranked = sorted(events, key=lambda e: (articles[e.article_id].content_hash, e.local_id))
    items = _items(ranked, articles, groups)
    clusters = merge(items, window_days=window_days, threshold=threshold,
                     idf=features.idf(it.words for it in items))
    with transaction(conn):
        for table in ("story_sources", "story_reports", "stories", "article_duplicates"):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany("INSERT INTO article_duplicates VALUES (?, ?, ?)", dup_rows)
        ids = _StoryIds(conn)
        skipped = 0
        for cluster, anchor in _anchored(clusters, ranked, articles):
            if _only_negated(cluster, ranked, contexts):
                skipped += 1
                continue
            etype, actor, recipient = anchor.key
            base = f"{etype}|{actor}|{recipient}|{articles[anchor.article_id].content_hash}|{anchor.local_id}"
            story_id = ids.choose([ranked[i].id for i in cluster.members], base)
            _name_copies(cluster, ranked, articles, dup_rows)
            _write_story(conn, story_id, cluster, ranked, articles, contexts)
        if persist_ids:
            ids.persist()
        _mark_fresh(conn)
    return StorySummary(len(clusters) - skipped, len(items), len(dup_rows))


STATE_KEY = "stories_through_article"  # the highest article id the stories were last built from


def _mark_fresh(conn: sqlite3.Connection) -> None:
    """Record, in the rebuild's transaction, which articles the stories now cover."""
    high = conn.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()[0]
    conn.execute("INSERT INTO ledger_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (STATE_KEY, str(high)))


def stale_articles(conn: sqlite3.Connection) -> int:
    """How many stored articles the stories were not built from (an ingest running, or one interrupted
    before its final rebuild); a ledger whose stories were never built counts all its articles."""
    row = conn.execute("SELECT value FROM ledger_state WHERE key = ?", (STATE_KEY,)).fetchone()
    high = int(row[0]) if row else 0
    return conn.execute("SELECT COUNT(*) FROM articles WHERE id > ?", (high,)).fetchone()[0]


def _only_negated(cluster: Cluster, ranked: list[EventRow], contexts) -> bool:
    """Reports that only say something did not happen ("the war has not ended") are no story."""
    return all(report_roles(ranked[i], contexts[ranked[i].article_id]).role == "negated" for i in cluster.members)


def _name_copies(cluster: Cluster, ranked: list[EventRow], articles: dict[int, ArticleRow], dup_rows) -> None:
    """Say which article a copy repeats, and how alike they are."""
    copy_of = {a: (orig, sim) for a, orig, sim in dup_rows}
    for n, i in enumerate(cluster.members):
        if cluster.reasons[n] == COPY_WHY and ranked[i].article_id in copy_of:
            orig, sim = copy_of[ranked[i].article_id]
            a = articles[orig]
            name = a.outlet or a.title or a.origin or f"article {orig}"
            cluster.reasons[n] = (f"near-duplicate copy (similarity {sim:.2f}) of {name} ({a.published or 'undated'}):"
                              " joins the story of the report it repeats")


INCREMENTAL_SHARE = 4  # past 1/INCREMENTAL_SHARE of the reports new, a full rebuild is as cheap


def update_stories(conn: sqlite3.Connection, *, window_days: int = DEFAULT_WINDOW_DAYS,
                   threshold: float = DEFAULT_THRESHOLD) -> StorySummary:
    """Bring the stories up to date after an ingest by re-merging only the affected reports.

    New reports (never given a story) name what they can touch: the reports of their type family with
    compatible parties (see ``merge``) dated within two windows of a new report's date (undated ones:
    the same parties), the originals of new copies, and every report of a story those touch. They are
    merged again and their stories replaced; the rest are left as they are. Word weights (IDF) come
    from the re-merged reports only, so a score can differ slightly from a full rebuild's;
    ``rebuild_stories`` is the reference.
    """
    merged = "status NOT IN ('" + "', '".join(MERGED_STATUSES_EXCLUDED) + "')"
    total = conn.execute(f"SELECT COUNT(*) FROM events WHERE {merged}").fetchone()[0]
    given = conn.execute("SELECT COUNT(*) FROM event_stories").fetchone()[0]
    if not given or (total - given) * INCREMENTAL_SHARE > total:
        return rebuild_stories(conn, window_days=window_days, threshold=threshold)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS affected (event_id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.affected")
    new = f"SELECT id FROM events WHERE {merged} AND id NOT IN (SELECT event_id FROM event_stories)"
    conn.executemany("INSERT OR IGNORE INTO temp.affected VALUES (?)",
                     ((i,) for i in _touched(conn, new, merged, 2 * window_days)))
    conn.execute(f"INSERT OR IGNORE INTO temp.affected {new}")
    conn.execute(
        "INSERT OR IGNORE INTO temp.affected SELECT e.id FROM events e JOIN article_duplicates d"
        " ON d.copy_of = e.article_id WHERE d.article_id IN (SELECT article_id FROM events WHERE id IN"
        f" ({new}))")
    conn.execute(  # every report of a story they touch
        "INSERT OR IGNORE INTO temp.affected SELECT sr2.event_id FROM story_reports sr"
        " JOIN story_reports sr2 ON sr2.story_id = sr.story_id WHERE sr.event_id IN (SELECT event_id FROM temp.affected)")
    stale = [r[0] for r in conn.execute(
        "SELECT DISTINCT story_id FROM story_reports WHERE event_id IN (SELECT event_id FROM temp.affected)")]
    articles = _load_articles(conn)
    groups, dup_rows = _duplicates(conn, articles)
    contexts = _contexts(conn, articles, groups, only_affected=True)
    events = _load_events(conn, only_affected=True)
    ranked = sorted(events, key=lambda e: (articles[e.article_id].content_hash, e.local_id))
    items = _items(ranked, articles, groups)
    clusters = merge(items, window_days=window_days, threshold=threshold,
                     idf=features.idf(it.words for it in items))
    with transaction(conn):
        conn.executemany("DELETE FROM stories WHERE id = ?", [(x,) for x in stale])  # cascades to its rows
        conn.execute("DELETE FROM article_duplicates")
        conn.executemany("INSERT INTO article_duplicates VALUES (?, ?, ?)", dup_rows)
        ids = _StoryIds(conn)
        ids.taken = {r[0] for r in conn.execute("SELECT id FROM stories")}
        skipped = 0
        for cluster, anchor in _anchored(clusters, ranked, articles):
            if _only_negated(cluster, ranked, contexts):
                skipped += 1
                continue
            etype, actor, recipient = anchor.key
            base = f"{etype}|{actor}|{recipient}|{articles[anchor.article_id].content_hash}|{anchor.local_id}"
            story_id = ids.choose([ranked[i].id for i in cluster.members], base)
            _name_copies(cluster, ranked, articles, dup_rows)
            _write_story(conn, story_id, cluster, ranked, articles, contexts)
        ids.persist()
        _mark_fresh(conn)
    return StorySummary(len(clusters) - skipped, len(items), len(dup_rows))


def _touched(conn: sqlite3.Connection, new: str, merged: str, reach: int) -> Iterable[int]:
    """Stored reports a new one could be merged with: same type family, compatible parties, dated
    within ``reach`` days of a new report's date (an undated one: the same parties). One pass over
    the reports' keys and dates, no per-pair SQL."""
    fresh: dict[str, list[tuple[str, str, Optional[int]]]] = defaultdict(list)
    for etype, actor, recipient, day in conn.execute(
            f"SELECT type, actor_key, recipient_key, event_date FROM events WHERE id IN ({new})"):
        fresh[family(etype)].append((actor or "", recipient or "", _ordinal_or_none(day)))
    if not fresh:
        return []
    spans = {fam: _spans([d for _, _, d in rows if d is not None], reach) for fam, rows in fresh.items()}
    parties = {fam: {(a, r) for a, r, _ in rows} for fam, rows in fresh.items()}
    undated = {fam: {(a, r) for a, r, d in rows if d is None} for fam, rows in fresh.items()}
    out = []
    for event_id, etype, actor, recipient, day in conn.execute(
            f"SELECT id, type, actor_key, recipient_key, event_date FROM events WHERE {merged}"):
        fam = family(etype)
        if fam not in fresh:
            continue
        key = (actor or "", recipient or "")
        d = _ordinal_or_none(day)
        if d is None:
            hit = key in parties[fam]
        else:
            hit = _in_spans(spans[fam], d) and any(compatible_parties(etype, key, p) for p in parties[fam])
            hit = hit or key in undated[fam]
        if hit:
            out.append(event_id)
    return out


def _ordinal_or_none(value: Optional[str]) -> Optional[int]:
    try:
        return _ordinal(value)
    except ValueError:
        return None


def _spans(days: list[int], reach: int) -> list[tuple[int, int]]:
    """The union of [d - reach, d + reach], as sorted disjoint intervals."""
    out: list[tuple[int, int]] = []
    for d in sorted(days):
        if out and d - reach <= out[-1][1]:
            out[-1] = (out[-1][0], d + reach)
        else:
            out.append((d - reach, d + reach))
    return out


def _in_spans(spans: list[tuple[int, int]], day: int) -> bool:
    i = bisect_right(spans, (day, math.inf)) - 1
    return i >= 0 and spans[i][0] <= day <= spans[i][1]


def _load_articles(conn: sqlite3.Connection) -> dict[int, ArticleRow]:
    rows = conn.execute("SELECT id, content_hash, outlet, published, origin, title, dateline FROM articles")
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


def _contexts(conn, articles: dict[int, ArticleRow], groups: DuplicateGroups, *,
              only_affected: bool = False) -> dict[int, ArticleContext]:
    attrs: dict[int, dict[str, AttributionRow]] = defaultdict(dict)
    restrict = (" WHERE article_id IN (SELECT e.article_id FROM events e JOIN temp.affected t ON t.event_id = e.id)"
                if only_affected else "")
    for row in conn.execute(
        "SELECT article_id, local_id, source_text, source_type, source_name, source_country, stance, parent,"
        f" content, cue FROM attributions{restrict}"
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
        rows = attrs.get(article_id, {})
        people = [n for a in rows.values() if a.source_type == "named_person"
                  for n in (a.source_name, a.source_text) if n]
        not_sources = frozenset(normalize_name(n) for n in (article.dateline,) if n)
        out[article_id] = ArticleContext(own, rows, relayed.get(article_id, {}), full_name_map(people), not_sources)
    return out


def _load_events(conn: sqlite3.Connection, *, only_affected: bool = False) -> list[EventRow]:
    links: dict[int, list[tuple[str, str]]] = defaultdict(list)
    restrict = " WHERE event_id IN (SELECT event_id FROM temp.affected)" if only_affected else ""
    for event_id, attribution_id, role in conn.execute(
        f"SELECT event_id, attribution_id, role FROM event_attributions{restrict} ORDER BY event_id, rowid"
    ):
        links[event_id].append((attribution_id, role))
    placeholders = ",".join("?" * len(MERGED_STATUSES_EXCLUDED))
    out = []
    for r in conn.execute(
        "SELECT id, article_id, local_id, type, actor_key, recipient_key, object_class, status, event_date,"
        " trigger, mention_triggers, object_text, location, sentence, actor_country, recipient_country,"
        " actor_name, recipient_name"
        f" FROM events WHERE status NOT IN ({placeholders})"
        + (" AND id IN (SELECT event_id FROM temp.affected)" if only_affected else ""), MERGED_STATUSES_EXCLUDED,
    ):
        parties = frozenset(x for x in (r[4], r[5], r[14], r[15], *(normalize_name(n) for n in r[16:18] if n)) if x)
        out.append(EventRow(r[0], r[1], r[2], (r[3], r[4] or "", r[5] or ""), r[6], r[7], r[8],
                            tuple(links.get(r[0], ())), r[9] or "", r[10], r[11], r[12], r[13], parties))
    return out


def _ordinal(value: Optional[str]) -> Optional[int]:
    return date.fromisoformat(value).toordinal() if value else None


def _items(ranked: list[EventRow], articles: dict[int, ArticleRow], groups: DuplicateGroups) -> list[MergeItem]:
    """One MergeItem per report; a report in a near-duplicate copy points at the report it repeats."""
    by_article: dict[int, list[int]] = defaultdict(list)
    for i, e in enumerate(ranked):
        by_article[e.article_id].append(i)
    vocab = features.Vocabulary()
    items = []
    for i, e in enumerate(ranked):
        root = groups.root(e.article_id)
        copy_of = None
        if root != e.article_id:
            copy_of = _repeated(e, [ranked[j] for j in by_article.get(root, ())], ranked, by_article[root])
        items.append(MergeItem(
            i, e.key, _ordinal(e.event_date), e.object_class,
            triggers=vocab.ids(features.trigger_stems(e.trigger, e.mention_triggers)),
            words=vocab.ids(features.content_words(e.sentence)), entities=vocab.ids(features.entities(e.sentence)),
            place=features.place_key(e.location), object_words=vocab.ids(features.object_words(e.object_text)),
            copy_of=copy_of,
        ))
    return items


def _repeated(e: EventRow, originals: list[EventRow], ranked: list[EventRow], indices: list[int]) -> Optional[int]:
    """The index of the original article's report that this copy's report repeats: same type and
    trigger, no contradicting party; else the same type and sentence."""
    stems = features.trigger_stems(e.trigger, e.mention_triggers)
    for j, o in zip(indices, originals):
        if o.key[0] != e.key[0]:
            continue
        clash = any(a and b and a != b for a, b in zip(o.key[1:], e.key[1:]))
        if not clash and (stems & features.trigger_stems(o.trigger, o.mention_triggers)
                          or (o.sentence or "").strip() == (e.sentence or "").strip()):
            return j
    return None


def _anchored(clusters: list[Cluster], ranked: list[EventRow], articles) -> Iterable[tuple[Cluster, EventRow]]:
    """Clusters with their anchor (earliest report), biggest first, so a story that splits keeps its
    id in the bigger part."""
    def anchor(cl: Cluster) -> EventRow:
        return min((ranked[i] for i in cl.members),
                   key=lambda e: (e.event_date or "~", articles[e.article_id].content_hash, e.local_id))

    pairs = [(cl, anchor(cl)) for cl in clusters]
    pairs.sort(key=lambda p: (-len(p[0].members), p[1].event_date or "~",
                              articles[p[1].article_id].content_hash, p[1].local_id))
    return pairs


class _StoryIds:
    """Stable story ids: a story keeps the oldest id any of its reports was first given; a new story
    gets a hash of its earliest report; ids that a merge folds away are recorded in story_merges."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.first = dict(conn.execute("SELECT event_id, story_id FROM event_stories"))
        self.seq = dict(conn.execute("SELECT id, seq FROM story_ids"))
        self.next_seq = max(self.seq.values(), default=0) + 1
        self.taken: set[str] = set()
        self.assigned: dict[int, str] = {}
        self.merged: dict[str, str] = {}
        self.minted: list[str] = []

    def choose(self, event_ids: list[int], anchor: str) -> str:
        old = sorted({self.first[e] for e in event_ids if e in self.first}, key=lambda s: (self.seq.get(s, 0), s))
        free = [s for s in old if s not in self.taken]
        story_id = free[0] if free else self._mint(anchor)
        for other in free[1:]:
            self.merged[other] = story_id
        self.taken.add(story_id)
        for e in event_ids:
            self.assigned.setdefault(e, story_id)
        return story_id

    def _mint(self, base: str) -> str:
        n = 0
        while True:
            story_id = "s" + hashlib.sha1(f"{base}|{n}".encode() if n else base.encode()).hexdigest()[:10]
            if story_id not in self.taken and story_id not in self.seq:
                break
            n += 1
        self.minted.append(story_id)
        self.seq[story_id] = self.next_seq
        self.next_seq += 1
        return story_id

    def persist(self) -> None:
        stamp = now()
        self.conn.executemany("INSERT INTO story_ids(id, seq, minted_at) VALUES (?, ?, ?)",
                              [(s, self.seq[s], stamp) for s in self.minted])
        self.conn.executemany("INSERT OR IGNORE INTO event_stories(event_id, story_id) VALUES (?, ?)",
                              sorted(self.assigned.items()))
        merged = {old: new for old, new in self.merged.items() if old not in self.taken}
        self.conn.executemany(
            "INSERT INTO story_merges(from_id, into_id, merged_at) VALUES (?, ?, ?) "
            "ON CONFLICT(from_id) DO UPDATE SET into_id = excluded.into_id, merged_at = excluded.merged_at",
            [(old, new, stamp) for old, new in sorted(merged.items())])
        # an id that came back into use is a story again, not an alias
        self.conn.executemany("DELETE FROM story_merges WHERE from_id = ?", [(s,) for s in sorted(self.taken)])


def report_roles(ev: EventRow, ctx: ArticleContext) -> Roles:
    """Backs, denies or negated. A denial is an attribution with a denied stance (or the analyzer's
    ``denied_by`` link) whose content refers to the event or whose source is a party to it; a negated
    event without one ("has not yet withdrawn", "could not give a timeline") denies nothing."""
    backs, denies = [], []
    for aid, stored_role in ev.links:
        row = ctx.attributions.get(aid)
        denied = row is not None and row.stance == "denied" or (stored_role == "denies" and ev.status != "negated")
        if denied and row is not None and _own_cue(row, ev):
            denied = False  # "the UK rejected Trump's claim": the cue is the event itself, a REJECT, not its denial
        if denied and row is not None and (_refers(row, ev) or _source_is_party(row, ev)):
            denies.append(aid)
        elif not denied:
            backs.append(aid)
    if ev.status == "negated":
        return Roles("denies", (), tuple(denies)) if denies else Roles("negated", tuple(backs), ())
    if denies and not backs and all(r == "denies" or (ctx.attributions.get(a) and ctx.attributions[a].stance == "denied")
                                    for a, r in ev.links):
        return Roles("denies", (), tuple(denies))
    return Roles("backs", tuple(backs), tuple(denies))


def _own_cue(row: AttributionRow, ev: EventRow) -> bool:
    """Is the attribution's cue the event's own trigger (or another mention of it)?"""
    if not row.cue:
        return False
    cue = row.cue.strip().lower()
    return any(cue == t.strip().lower() for t in (ev.trigger, *(ev.mention_triggers or "").split("|")) if t)


def _refers(row: AttributionRow, ev: EventRow) -> bool:
    """Does the denial's content name this event (its trigger, another mention of it, or its object)?"""
    if not row.content:
        return True  # "denied the transfer": the analyzer linked the noun itself
    content = row.content.lower()
    names = [ev.trigger, *(ev.mention_triggers or "").split("|"), ev.object_text or ""]
    if any(n and n.lower() in content for n in names):
        return True
    return bool(features.trigger_stems(ev.trigger, ev.mention_triggers) & features.content_words(row.content))


def _source_is_party(row: AttributionRow, ev: EventRow) -> bool:
    if row.source_type not in ("official_organization", "named_person"):
        return False
    name = normalize_name(row.source_name or row.source_text or "")
    return bool(row.source_country and row.source_country in ev.parties) or bool(name and name in ev.parties)


def _write_story(conn, story_id: str, cluster: Cluster, ranked: list[EventRow], articles, contexts) -> None:
    members = [ranked[i] for i in cluster.members]
    roles = [report_roles(ev, contexts[ev.article_id]) for ev in members]
    lines = StoryLines()
    for ev, r in zip(members, roles):
        ctx = contexts[ev.article_id]
        if r.role == "backs":
            lines.add("backs", lines_for(r.backs, ctx))
        if r.denies:
            lines.add("denies", lines_for(r.denies, ctx))
    etype, actor, recipient = cluster.key
    backing_articles = {ev.article_id for ev, r in zip(members, roles) if r.role == "backs"}
    first = min(backing_articles or {ev.article_id for ev in members}, key=lambda i: articles[i].order)
    parties = {actor, recipient} - {""}
    confirmed = any(_is_party(line, parties) for line, _ in lines.backing.values())
    status = "contested" if lines.denying else ("confirmed" if confirmed else "asserted")
    dates = sorted(d for d in (e.event_date for e in members) if d)
    conn.execute(
        "INSERT INTO stories(id, type, actor_key, recipient_key, object_class, first_date, last_date, reports,"
        " articles, independent_sources, denials, negated, status, first_article_id, first_published)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (story_id, etype, actor or None, recipient or None, cluster.object_class,
         dates[0] if dates else None, dates[-1] if dates else None, len(backing_articles),
         len({ev.article_id for ev in members}), len(lines.backing), len(lines.denying),
         sum(r.role == "negated" for r in roles), status, first, articles[first].published),
    )
    conn.executemany(
        "INSERT INTO story_reports(story_id, event_id, role, score, why) VALUES (?, ?, ?, ?, ?)",
        [(story_id, ev.id, r.role, score, why)
         for ev, r, score, why in zip(members, roles, cluster.scores, cluster.why)],
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
