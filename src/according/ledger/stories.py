"""Rebuild the stories from the stored events: duplicates, merge, denials, lines of reporting, status, ids.

The stories tables are derived data: rebuilt in one transaction from articles/events/attributions, so
they never disagree with the reports and a crash mid-rebuild leaves the old ones. Story ids are the
exception: ``event_stories`` remembers the first story each report joined and ``story_merges`` records
a story folded into another, so an id, once given at the end of an ingest, stays (see ``story_ids``).

``rebuild_stories`` rebuilds all in bounded memory (blocks streamed from SQLite in date order, stories
written in batches); ``update_stories`` (what an ingest runs) resumes only the blocks new reports reach,
at the day of their earliest new report, and gives the same stories.
"""
from __future__ import annotations

import math
import sqlite3
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Iterable, Mapping, Optional

from ..timeline import parse_day
from . import features
from .duplicates import Groups, find_duplicates
from .independence import ArticleContext, AttributionRow, Line, full_name_map, lines_for, normalize_name, outlet_line
from .merge import (
    COPY_WHY, DEFAULT_THRESHOLD, DEFAULT_WINDOW_DAYS, FAMILY, LOOKBACK_ARTICLES, LOOKBACK_DAYS, VAGUE_PLACE,
    BlockKey, Cluster, MergeItem, family,
    join_copies, merge_block, normalize_key,
)
from .story_ids import StoryIds as _StoryIds
from .store import transaction

MERGED_STATUSES_EXCLUDED = ("hypothetical",)  # "any transfer would ..." reports no event


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


REBUILD_BATCH = 2000  # reports per batch of stories written (and copies joined): the rebuild's memory is a batch's rows


def rebuild_stories(conn: sqlite3.Connection, *, window_days: int = DEFAULT_WINDOW_DAYS,
                    threshold: float = DEFAULT_THRESHOLD, persist_ids: bool = True,
                    batch: int = REBUILD_BATCH) -> StorySummary:
    """Rebuild every story. ``persist_ids`` records the ids given (the end of an ingest does; the
    rebuilds during a long ingest, which only show progress, do not, so ids do not depend on timing).

    Memory does not grow with the ledger: the reports are read from SQLite one type-family block at a
    time, in date order, and the merge holds only the stories a report can still join (those whose
    first report is within the window, and those an undated report of the same parties may join);
    the stories it is done with are kept in temporary tables and written ``batch`` at a time. The
    result does not depend on ``batch``."""
    with transaction(conn):
        summary = _full(conn, window_days, threshold, persist_ids, max(1, batch))
    return summary


def _full(conn: sqlite3.Connection, window_days: int, threshold: float, persist_ids: bool, batch: int) -> StorySummary:
    for table in ("story_sources", "story_reports", "stories", "article_duplicates", "merge_clusters", "word_months"):
        conn.execute(f"DELETE FROM {table}")
    groups = find_duplicates(conn)
    duplicates = _write_duplicates(conn, groups)
    _count_words(conn, "1")
    summary = _build(conn, groups, window_days, threshold, persist_ids, batch, {}, duplicates, affected=False)
    _mark_fresh(conn, persisted=persist_ids, full=True)
    return summary


def _write_duplicates(conn: sqlite3.Connection, groups: Groups) -> int:
    conn.execute("DELETE FROM article_duplicates")
    n = 0
    for rows in _chunks(groups.copies(), 10_000):
        conn.executemany("INSERT INTO article_duplicates VALUES (?, ?, ?)", rows)
        n += len(rows)
    return n


WORD_COUNTS_HELD = 50_000  # (month, stem) counts held before they go to ``word_months``: 9 MiB at most (200,000: 41)


def _count_words(conn: sqlite3.Connection, where: str) -> None:
    """Add the words of the merged reports ``where`` selects (over ``events e``) to ``word_months``:
    reports holding each stem, by month (-1 undated; stem "" counts the reports)."""
    counts: dict[tuple[int, str], int] = defaultdict(int)

    def flush() -> None:
        conn.executemany("INSERT INTO word_months(month, stem, reports) VALUES (?, ?, ?) ON CONFLICT(month, stem)"
                         " DO UPDATE SET reports = reports + excluded.reports", [(m, w, c) for (m, w), c in counts.items()])
        counts.clear()

    for day, sentence in conn.execute(f"SELECT e.event_date, e.sentence FROM events e WHERE {_MERGED} AND {where}"):
        month = _month_of(day)
        counts[(month, "")] += 1
        for w in features.content_words(sentence):
            counts[(month, w)] += 1
        if len(counts) > WORD_COUNTS_HELD:  # bounded: the counts go to SQLite this many at a time
            flush()
    flush()


def _build(conn: sqlite3.Connection, groups: Groups, window_days: int, threshold: float, persist_ids: bool, batch: int,
           resume: dict[str, int], duplicates: int, *, affected: bool) -> StorySummary:
    """The merge block by block, the stories written in batches; ``affected`` merges only the reports
    in ``temp.affected`` (and leaves the other stories as they are), resuming the blocks in ``resume``
    (family -> day ordinal) from the places ``temp.rb_replay`` holds for the reports before that day."""
    _temp_tables(conn)
    vocab, reports = _rank(conn, groups, affected=affected)
    for (fam,) in conn.execute("SELECT DISTINCT family FROM temp.rb_events ORDER BY family").fetchall():
        forced = _Replay(conn, fam, resume[fam]) if fam in resume else None
        stream = merge_block(_block_items(conn, fam, vocab), _undated_keys(conn, fam),
                             window_days=window_days, threshold=threshold, weights_at=_Weights(conn, vocab),
                             forced=forced)
        for done in _batches(((cl, len(cl.members)) for cl in stream), batch):
            _keep(conn, done)
    conn.execute(
        "INSERT INTO merge_clusters(event_id, head, pos, why, score) SELECT x.event_id, h.event_id, r.pos, r.why,"
        " r.score FROM temp.rb_reports r JOIN temp.rb_events x ON x.rank = r.rank JOIN temp.rb_reports r0"
        " ON r0.cno = r.cno AND r0.pos = 0 JOIN temp.rb_events h ON h.rank = r0.rank")
    ids = _StoryIds(conn, persist=persist_ids)
    written = 0
    order = conn.execute("SELECT cno, size FROM temp.rb_stories ORDER BY size DESC, adate, ahash, alocal")
    for chunk in _batches(order, batch):
        written += _write_batch(conn, chunk, ids)[0]
    ids.persist()
    _drop_temp_tables(conn)
    return StorySummary(written, reports, duplicates)


class _Replay:
    """``forced`` for a block resumed at ``day``: where the last merge placed each report before it."""

    def __init__(self, conn: sqlite3.Connection, fam: str, day: int) -> None:
        self.day = day
        self.placed = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(
            "SELECT x.rank, h.rank, p.why, p.score FROM temp.rb_replay p JOIN temp.rb_events x ON x.event_id = p.event_id"
            " JOIN temp.rb_events h ON h.event_id = p.head WHERE x.family = ?", (fam,))}

    def __call__(self, item: MergeItem) -> Optional[tuple[int, str, Optional[float]]]:
        if item.day is None or item.day >= self.day:
            return None
        return self.placed[item.event_id]


def _batches(sized: Iterable[tuple], budget: int) -> Iterable[list]:
    """Items of (item, reports) in lists of about ``budget`` reports (a bigger item alone)."""
    out, total = [], 0
    for item, n in sized:
        if out and total + n > budget:
            yield out
            out, total = [], 0
        out.append(item)
        total += n
    if out:
        yield out


def _chunks(items: Iterable, size: int) -> Iterable[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


_TEMP = {
    "rb_events": "rank INTEGER PRIMARY KEY, event_id INTEGER NOT NULL, article_id INTEGER NOT NULL,"
                 " family TEXT NOT NULL, day INTEGER, copy_of INTEGER",
    "rb_stories": "cno INTEGER PRIMARY KEY, size INTEGER NOT NULL, adate TEXT NOT NULL, ahash TEXT NOT NULL,"
                  " alocal TEXT NOT NULL, type TEXT NOT NULL, actor TEXT NOT NULL, recipient TEXT NOT NULL,"
                  " object_class TEXT",
    "rb_reports": "cno INTEGER NOT NULL, pos INTEGER NOT NULL, rank INTEGER NOT NULL, why TEXT NOT NULL, score REAL,"
                  " PRIMARY KEY (cno, pos)",
    "rb_ids": "id INTEGER PRIMARY KEY",
    "rb_words": "article_id INTEGER PRIMARY KEY, ids BLOB NOT NULL",  # an article's content-word ids (int32)
    # the merged articles' provenance claims, indexed by article (the ledger's table has no such index:
    # read by article for every batch of stories, it would be scanned whole each time)
    "rb_claims": "article_id INTEGER NOT NULL, span_start INTEGER, outlet TEXT NOT NULL, attribution_id TEXT",
}


def _temp_tables(conn: sqlite3.Connection) -> None:
    _drop_temp_tables(conn)
    for name, columns in _TEMP.items():
        conn.execute(f"CREATE TEMP TABLE {name} ({columns})")
    conn.execute("CREATE INDEX temp.rb_events_block ON rb_events(family, copy_of, day, rank)")
    conn.execute("CREATE INDEX temp.rb_events_copy ON rb_events(copy_of)")
    conn.execute("CREATE INDEX temp.rb_events_event ON rb_events(event_id)")
    conn.execute("CREATE INDEX temp.rb_events_article ON rb_events(article_id)")
    conn.execute("CREATE INDEX temp.rb_claims_article ON rb_claims(article_id, span_start)")


def _drop_temp_tables(conn: sqlite3.Connection) -> None:
    for name in _TEMP:
        conn.execute(f"DROP TABLE IF EXISTS temp.{name}")


def _set_ids(conn: sqlite3.Connection, ids: Iterable[int]) -> None:
    conn.execute("DELETE FROM temp.rb_ids")
    conn.executemany("INSERT OR IGNORE INTO temp.rb_ids VALUES (?)", ((i,) for i in ids))


_MERGED = "e.status NOT IN (" + ", ".join(f"'{s}'" for s in MERGED_STATUSES_EXCLUDED) + ")"


def _rank(conn: sqlite3.Connection, groups: Groups, *, affected: bool) -> tuple[features.Vocabulary, int]:
    """Number the reports (content hash, then local id: the order ties are broken in), make the
    vocabulary in that order, and name the report each report of a near-duplicate copy repeats. One
    pass; only the vocabulary stays in memory."""
    vocab = features.Vocabulary()
    restrict = " AND e.id IN (SELECT event_id FROM temp.affected)" if affected else ""
    rows = conn.execute(
        "SELECT e.id, e.article_id, e.type, e.event_date, e.trigger, e.mention_triggers, e.sentence, e.object_text"
        f" FROM events e JOIN articles a ON a.id = e.article_id WHERE {_MERGED}{restrict}"
        " ORDER BY a.content_hash, e.local_id")

    def ranked() -> Iterable[tuple]:
        for rank, (event_id, article_id, etype, day, trigger, others, sentence, obj) in enumerate(rows):
            vocab.ids(features.trigger_stems(trigger or "", others))
            vocab.ids(features.content_words(sentence))
            vocab.ids(features.entities(sentence))
            vocab.ids(features.object_words(obj))
            yield rank, event_id, article_id, family(etype), _ordinal(day)

    conn.executemany("INSERT INTO temp.rb_events(rank, event_id, article_id, family, day) VALUES (?, ?, ?, ?, ?)",
                     ranked())
    n = conn.execute("SELECT COUNT(*) FROM temp.rb_events").fetchone()[0]
    # the articles' words in the vocabulary before any month's weights are read (``_Weights`` reads
    # the counts of the stems it knows), in the same order whatever the reports merged; kept as ids for
    # the blocks (``_ArticleWords``), so a text is split once, not once in each family it has reports in
    texts = conn.execute("SELECT a.id, a.text FROM articles a WHERE a.id IN (SELECT DISTINCT article_id FROM"
                         " temp.rb_events) ORDER BY a.content_hash")
    conn.executemany("INSERT INTO temp.rb_words(article_id, ids) VALUES (?, ?)",
                     ((a, array("i", vocab.ids(features.content_words(text))).tobytes()) for a, text in texts))
    _copies(conn, groups)
    conn.execute("INSERT INTO temp.rb_claims SELECT p.article_id, p.span_start, p.outlet, p.attribution_id"
                 " FROM provenance_claims p WHERE p.article_id IN (SELECT article_id FROM temp.rb_events)"
                 " ORDER BY p.rowid")
    return vocab, n


def _month_of(day: Optional[str]) -> int:
    return int(day[:4]) * 12 + int(day[5:7]) - 1 if day else UNDATED_MONTH


UNDATED_MONTH = -1
_PLANNED = {"planned": True, "completed": False, "ongoing": False}  # ``MergeItem.planned`` of a status


class _Weights:
    """Word weights for the reports of a month, as a news stream sees them: log(1 + (N + 1) / (df + 1))
    over the N reports of the months before it (``word_months``), df of them holding the stem; undated
    reports: over all. So a report's score depends only on earlier news, and an update that adds the
    news of a day changes no score before it (it resumes the merge there)."""

    def __init__(self, conn: sqlite3.Connection, vocab: features.Vocabulary) -> None:
        self.conn, self.vocab = conn, vocab
        self.df: dict[int, int] = defaultdict(int)
        self.n = 0
        self.upto: Optional[int] = None  # self.df holds the months before this one

    def __call__(self, month: Optional[int]) -> tuple[Mapping, float]:
        if month is None:
            self._reset()
            self._add("SELECT stem, reports FROM word_months", ())
        else:
            if self.upto is None or month < self.upto:
                self._reset()
                self.upto = 0
            self._add("SELECT stem, reports FROM word_months WHERE month >= ? AND month < ?", (self.upto, month))
            self.upto = month
        table = _WeightTable(self.df, self.n)
        return table, table.rare

    def _reset(self) -> None:
        self.df, self.n, self.upto = defaultdict(int), 0, None

    def _add(self, sql: str, args: tuple) -> None:
        get, df = self.vocab.get, self.df
        for stem, reports in self.conn.execute(sql, args):
            if not stem:
                self.n += reports
                continue
            w = get(stem)
            if w is not None:  # a stem no report of this merge has weighs nothing here
                df[w] += reports


class _WeightTable(dict):
    """word id -> weight, computed when first asked for (a month's reports ask for few words)."""

    computes_missing = True  # ``table[w]`` is ``table.get(w)``: the merge reads it without the Python ``get``

    def __init__(self, df: Mapping[int, int], n: int) -> None:
        super().__init__()
        self.df, self.n = dict(df), n
        self.rare = math.log(1 + (n + 1))

    def __missing__(self, w: int) -> float:
        v = math.log(1 + (self.n + 1) / (self.df.get(w, 0) + 1))
        self[w] = v
        return v

    def get(self, w: int, default: Optional[float] = None) -> float:  # type: ignore[override]
        return self[w]

    def __bool__(self) -> bool:
        return True


def _copies(conn: sqlite3.Connection, groups: Groups) -> None:
    """``copy_of``: the rank of the original article's report that a copy's report repeats."""
    copies = [a for (a,) in conn.execute("SELECT DISTINCT article_id FROM temp.rb_events ORDER BY article_id")
              if groups.root(a) != a]
    for chunk in _chunks(copies, 500):
        wanted = set(chunk) | {groups.root(a) for a in chunk}
        _set_ids(conn, wanted)
        by_article: dict[int, list[tuple[int, EventRow]]] = defaultdict(list)
        for rank, ev in _event_rows(conn, "x.article_id IN (SELECT id FROM temp.rb_ids)"):
            by_article[ev.article_id].append((rank, ev))
        updates = []
        for a in chunk:
            originals = by_article.get(groups.root(a), [])
            for rank, ev in by_article.get(a, []):
                j = _repeated(ev, originals)
                if j is not None:
                    updates.append((j, rank))
        conn.executemany("UPDATE temp.rb_events SET copy_of = ? WHERE rank = ?", updates)


def _undated_keys(conn: sqlite3.Connection, fam: str) -> set[BlockKey]:
    return {normalize_key((t, a or "", r or "")) for t, a, r in conn.execute(
        "SELECT DISTINCT e.type, e.actor_key, e.recipient_key FROM temp.rb_events x JOIN events e ON e.id = x.event_id"
        " WHERE x.family = ? AND x.copy_of IS NULL AND x.day IS NULL", (fam,))}


def _block_items(conn: sqlite3.Connection, fam: str, vocab: features.Vocabulary) -> Iterable[MergeItem]:
    """The block's original reports as the merge reads them: dated ones by day, then undated, ties by
    rank."""
    article_words = _ArticleWords(conn, vocab)
    for rank, day, etype, actor, recipient, cls, trigger, others, sentence, location, obj, \
            article_id, resolved, status, sentence_start, actor_sector, actor_name in conn.execute(
                "SELECT x.rank, x.day, e.type, e.actor_key, e.recipient_key, e.object_class, e.trigger,"
                " e.mention_triggers, e.sentence, e.location, e.object_text,"
                " x.article_id, e.time_resolved, e.status, e.sentence_start, e.actor_sector, e.actor_name"
                " FROM temp.rb_events x JOIN events e ON e.id = x.event_id"
                " WHERE x.family = ? AND x.copy_of IS NULL ORDER BY x.day IS NULL, x.day, x.rank", (fam,)):
        place = features.place_key(location) or features.sentence_place(sentence)  # the parse's, else the sentence's
        specific = features.specific_place(place)
        if place and not specific:
            place = VAGUE_PLACE + place  # "northern Syria" holds Afrin: it matches itself, and contradicts no town
        yield MergeItem(
            rank, normalize_key((etype, actor or "", recipient or "")), day, cls,
            triggers=vocab.ids(features.trigger_stems(trigger or "", others)),
            words=vocab.ids(features.content_words(sentence)), entities=vocab.ids(features.entities(sentence)),
            place=place, place_specific=specific, object_words=vocab.ids(features.object_words(obj)),
            article=article_id, article_words=article_words(article_id),
            self_loop=bool(actor) and actor == recipient and actor.isupper() and _government(actor_sector, actor_name),
            # dated by its article (see rows.event_day), and named as an act the reader knows, or told as under
            # way ("the US is withdrawing its troops", months after the pull-out began): an act that began before
            looks_back=day is not None and parse_day(resolved) is None and (
                status == "ongoing" or features.definite(trigger, sentence)),
            planned=_PLANNED.get(status), sentence=sentence_start)


def _government(sector: Optional[str], name: Optional[str]) -> bool:
    """Is the actor a government (sector GOV, or no sector and a country's name: "Syria")? A country acting
    on itself is the rules' default for a government acting at home (``MergeItem.self_loop``); a group
    coded from where it met ("rival groups in Saudi Arabia" meeting in "Saudi Arabia") is not that
    default, and its code conflicts with another report's as any named party's does."""
    if sector:
        return sector == "GOV"
    return bool(name) and normalize_name(name) in features.country_names()


class _ArticleWords:
    """An article's content-word ids (``temp.rb_words``, made by ``_rank``), read when first asked for;
    the most recent few kept (a block's reports come by day, and an article's reports are mostly dated
    near each other). The ids are the vocabulary's own int objects (``Vocabulary.shared``), so the
    tuples the merge holds, and the sets it makes of them, share them."""

    KEEP = 512

    def __init__(self, conn: sqlite3.Connection, vocab: features.Vocabulary) -> None:
        self.conn, self.vocab = conn, vocab
        self.cache: dict[int, tuple[int, ...]] = {}

    def __call__(self, article_id: int) -> tuple[int, ...]:
        words = self.cache.pop(article_id, None)
        if words is None:
            row = self.conn.execute("SELECT ids FROM temp.rb_words WHERE article_id = ?", (article_id,)).fetchone()
            ids = array("i")
            if row:
                ids.frombytes(row[0])
            words = self.vocab.shared(ids)
            if len(self.cache) >= self.KEEP:
                del self.cache[next(iter(self.cache))]
        self.cache[article_id] = words
        return words


_ANCHOR = ("SELECT x.rank, e.event_date, a.content_hash, e.local_id FROM temp.rb_events x JOIN events e"
           " ON e.id = x.event_id JOIN articles a ON a.id = x.article_id WHERE x.rank IN (SELECT id FROM temp.rb_ids)")


def _keep(conn: sqlite3.Connection, done: list[Cluster]) -> None:
    """Join the copies of these finished stories and put them aside (temp tables) for writing. A
    story's anchor, the report that orders it, is its members' least (date, content hash, local id),
    read here for the batch (held for every open report, the strings cost more than the merge's own)."""
    _set_ids(conn, (m for cl in done for m in cl.members))
    anchors = {rank: (date_text or "~", digest, local) for rank, date_text, digest, local in conn.execute(_ANCHOR)}
    copies = []
    for rank, day, copy_of, etype, actor, recipient, cls, date_text, digest, local in conn.execute(
            "SELECT x.rank, x.day, x.copy_of, e.type, e.actor_key, e.recipient_key, e.object_class, e.event_date,"
            " a.content_hash, e.local_id FROM temp.rb_events x JOIN events e ON e.id = x.event_id"
            " JOIN articles a ON a.id = x.article_id WHERE x.copy_of IN (SELECT id FROM temp.rb_ids)"):
        anchors[rank] = (date_text or "~", digest, local)
        copies.append(MergeItem(rank, normalize_key((etype, actor or "", recipient or "")), day, cls, copy_of=copy_of))
    done = done + join_copies(copies, done)
    first = conn.execute("SELECT COALESCE(MAX(cno), 0) FROM temp.rb_stories").fetchone()[0] + 1
    stories, reports = [], []
    for cno, cl in enumerate(done, first):
        anchor = min(anchors[m] for m in cl.members)
        stories.append((cno, len(cl.members), *anchor, *cl.key, cl.object_class))
        reports.extend((cno, pos, m, why, score) for pos, (m, why, score) in enumerate(zip(cl.members, cl.why, cl.scores)))
    conn.executemany("INSERT INTO temp.rb_stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", stories)
    conn.executemany("INSERT INTO temp.rb_reports VALUES (?, ?, ?, ?, ?)", reports)


def _write_batch(conn: sqlite3.Connection, cnos: list[int], ids: _StoryIds) -> tuple[int, int]:
    """Write a batch of stories, biggest first (so a story that splits keeps its id in the bigger part)."""
    marks = ",".join("?" * len(cnos))
    heads = {r[0]: r[1:] for r in conn.execute(
        f"SELECT cno, type, actor, recipient, object_class FROM temp.rb_stories WHERE cno IN ({marks})", cnos)}
    members: dict[int, list[tuple[int, str, Optional[float]]]] = defaultdict(list)
    for cno, rank, why, score in conn.execute(
            f"SELECT cno, rank, why, score FROM temp.rb_reports WHERE cno IN ({marks}) ORDER BY cno, pos", cnos):
        members[cno].append((rank, why, score))
    ranks = [m[0] for c in cnos for m in members[c]]
    _set_ids(conn, ranks)
    events = dict(_event_rows(conn, "x.rank IN (SELECT id FROM temp.rb_ids)"))
    article_ids = {ev.article_id for ev in events.values()}
    dup_rows = conn.execute(
        f"SELECT article_id, copy_of, similarity FROM article_duplicates WHERE article_id IN"
        f" ({','.join(str(a) for a in article_ids)})").fetchall() if article_ids else []
    articles = _articles(conn, article_ids | {orig for _, orig, _ in dup_rows})
    contexts = _contexts(conn, article_ids, articles, {a: orig for a, orig, _ in dup_rows})
    _set_ids(conn, (ev.id for ev in events.values()))
    ids.prepare([ev.id for ev in events.values()])
    minted_before = ids.next_seq
    written = skipped = 0
    for cno in cnos:
        etype, actor, recipient, object_class = heads[cno]
        cluster = Cluster((etype, actor, recipient), object_class, None, None,
                          members=[m[0] for m in members[cno]], reasons=[m[1] for m in members[cno]],
                          scores=[m[2] for m in members[cno]])
        if _only_negated(cluster, events, contexts):
            skipped += 1
            continue
        anchor = min((events[i] for i in cluster.members),
                     key=lambda e: (e.event_date or "~", articles[e.article_id].content_hash, e.local_id))
        a_type, a_actor, a_recipient = anchor.key
        base = f"{a_type}|{a_actor}|{a_recipient}|{articles[anchor.article_id].content_hash}|{anchor.local_id}"
        story_id = ids.choose([events[i].id for i in cluster.members], base)
        _name_copies(cluster, events, articles, dup_rows)
        _write_story(conn, story_id, cluster, events, articles, contexts)
        ids.written(story_id)
        written += 1
    ids.flush(minted_before)
    return written, skipped


STATE_KEY = "stories_through_article"  # the highest article id the stories were last built from


PERSISTED_KEY = "stories_ids_through_article"  # ... of the last build that recorded its ids (0: a full one must)
FORMAT_KEY = "stories_format"  # "2": merge_clusters and word_months hold what an update resumes from;
# "3": placements by a merge that looks back (see merge.LOOKBACK_DAYS): a ledger of "2" is rebuilt in full
FORMAT = "3"


def _mark_fresh(conn: sqlite3.Connection, *, persisted: bool, full: bool) -> None:
    """Record, in the rebuild's transaction, which articles the stories now cover, and up to which
    article their ids are recorded: an update re-merges everything since then, so a story whose id a
    progress rebuild gave without recording it is given its id for good by the next recording one."""
    high = conn.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()[0]
    state = [(STATE_KEY, str(high)), (FORMAT_KEY, FORMAT)]
    if persisted:
        state.append((PERSISTED_KEY, str(high)))
    elif full:
        state.append((PERSISTED_KEY, "0"))  # every story's id is unrecorded: the next recording build is full
    conn.executemany("INSERT INTO ledger_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                     state)


def _state(conn: sqlite3.Connection, key: str) -> Optional[str]:
    row = conn.execute("SELECT value FROM ledger_state WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


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


INCREMENTAL_SHARE = 4  # past 1/INCREMENTAL_SHARE of the reports re-merged, a full rebuild is as cheap


def update_stories(conn: sqlite3.Connection, *, window_days: int = DEFAULT_WINDOW_DAYS,
                   threshold: float = DEFAULT_THRESHOLD, persist_ids: bool = True,
                   batch: int = REBUILD_BATCH) -> StorySummary:
    """Bring the stories up to date after an ingest; the result equals ``rebuild_stories``'s.

    The merge of a block (type family) depends, up to a day, only on the reports dated before it (word
    weights come from the months before a report's, see ``_Weights``), so a block resumes at the day
    of its earliest new report (new: stored after the last build that recorded its ids): the stories
    still open then (first report within the window) are rebuilt from where the last merge placed
    their reports (``merge_clusters``), the later reports are merged again, and those stories are
    replaced; stories closed before are left as they are. Falls back to a full rebuild when there is
    no earlier build to resume from, when new articles change an older article's near-duplicate
    group, or when more than 1/INCREMENTAL_SHARE of the reports would be re-merged; a block with an
    undated report, or whose copies reach outside the resumed days, is merged again whole.
    """
    batch = max(1, batch)
    with transaction(conn):
        plan = _plan_update(conn, window_days)
        if plan is None:
            return _full(conn, window_days, threshold, persist_ids, batch)
        groups, resume, duplicates = plan
        summary = _build(conn, groups, window_days, threshold, persist_ids, batch, resume, duplicates, affected=True)
        _mark_fresh(conn, persisted=persist_ids, full=False)
    return summary


def _plan_update(conn: sqlite3.Connection, window_days: int) -> Optional[tuple[Groups, dict[str, int], int]]:
    """Choose what to re-merge (``temp.affected``, ``temp.rb_replay``) and clear it; None: rebuild all."""
    if _state(conn, FORMAT_KEY) != FORMAT or _state(conn, STATE_KEY) is None:
        return None
    counted = int(_state(conn, STATE_KEY) or 0)  # the words of articles up to here are in word_months
    since = int(_state(conn, PERSISTED_KEY) or 0)  # re-merge what arrived after this
    if not since:
        return None
    groups = find_duplicates(conn)
    old = set(conn.execute("SELECT article_id, copy_of, similarity FROM article_duplicates WHERE article_id <= ?",
                           (since,)))
    if {row for row in groups.copies() if row[0] <= since} != old:
        return None  # an older article's copy group changed: its stories' lines and reasons change too
    duplicates = _write_duplicates(conn, groups)
    _count_words(conn, f"e.article_id > {counted}")
    conn.execute("DROP TABLE IF EXISTS temp.affected")
    conn.execute("CREATE TEMP TABLE affected (event_id INTEGER PRIMARY KEY)")
    resume: dict[str, int] = {}
    new_days: dict[str, list[Optional[str]]] = defaultdict(list)
    for etype, day in conn.execute(f"SELECT e.type, e.event_date FROM events e WHERE {_MERGED} AND e.article_id > ?",
                                   (since,)):
        new_days[family(etype)].append(day)
    types = {fam: sorted({t for t, f in FAMILY.items() if f == fam} | {fam}) for fam in new_days}
    for fam, days in new_days.items():
        marks = ",".join("?" * len(types[fam]))
        in_family = f"{_MERGED} AND e.type IN ({marks})"
        undated = conn.execute(f"SELECT 1 FROM events e WHERE {in_family} AND e.event_date IS NULL LIMIT 1",
                               types[fam]).fetchone()
        start = None if undated else min(date.fromisoformat(d).toordinal() for d in days if d)
        if start is not None and _resume_block(conn, in_family, types[fam], start, window_days, since):
            resume[fam] = start
        else:  # merged again whole
            conn.execute(f"INSERT OR IGNORE INTO temp.affected SELECT e.id FROM events e WHERE {in_family}", types[fam])
    total = conn.execute(f"SELECT COUNT(*) FROM events e WHERE {_MERGED}").fetchone()[0]
    if conn.execute("SELECT COUNT(*) FROM temp.affected").fetchone()[0] * INCREMENTAL_SHARE > total:
        return None
    if conn.execute("SELECT 1 FROM temp.affected t JOIN events e ON e.id = t.event_id WHERE e.article_id <= ?"
                    " AND t.event_id NOT IN (SELECT event_id FROM merge_clusters) LIMIT 1", (since,)).fetchone():
        return None  # an earlier report the last merge did not place: nothing to resume from
    conn.execute("DROP TABLE IF EXISTS temp.rb_replay")
    conn.execute("CREATE TEMP TABLE rb_replay AS SELECT m.event_id, m.head, m.why, m.score FROM merge_clusters m"
                 " JOIN temp.affected t ON t.event_id = m.event_id")
    conn.execute("DELETE FROM stories WHERE id IN (SELECT DISTINCT sr.story_id FROM story_reports sr"
                 " JOIN temp.affected t ON t.event_id = sr.event_id)")  # cascades to their rows
    conn.execute("DELETE FROM merge_clusters WHERE event_id IN (SELECT event_id FROM temp.affected)")
    return groups, resume, duplicates


def _resume_block(conn: sqlite3.Connection, in_family: str, types: list[str], start: int, window_days: int,
                  since: int) -> bool:
    """Add to ``temp.affected`` the block's reports a merge resumed at ``start`` places again: those
    dated from the window before it on, unless in a story closed by then (first report before the
    window), and the rest of their stories. False (nothing added) when a near-duplicate copy and the
    report it repeats would fall on two sides (a new copy of a closed story's report, say)."""
    other = in_family.replace("e.", "o.")
    low = date.fromordinal(start - window_days).isoformat()
    back = date.fromordinal(start - window_days - LOOKBACK_DAYS).isoformat()
    conn.execute("DROP TABLE IF EXISTS temp.rb_block")
    conn.execute("CREATE TEMP TABLE rb_block (event_id INTEGER PRIMARY KEY)")
    conn.execute(
        "INSERT INTO temp.rb_block SELECT e.id FROM events e LEFT JOIN merge_clusters m ON m.event_id = e.id"
        f" LEFT JOIN events h ON h.id = m.head WHERE {in_family} AND e.event_date >= ?"
        " AND (h.id IS NULL OR h.event_date >= ?)", (*types, low, low))
    conn.execute(  # the stories a new report may look back to (see merge._PastStories): all of them again
        "INSERT OR IGNORE INTO temp.rb_block SELECT m.event_id FROM merge_clusters m WHERE m.head IN"
        " (SELECT m2.head FROM merge_clusters m2 JOIN events e ON e.id = m2.head JOIN events x ON x.id = m2.event_id"
        f" WHERE {in_family} AND e.event_date >= ? AND e.event_date < ? GROUP BY m2.head"
        " HAVING COUNT(DISTINCT x.article_id) >= ?)", (*types, back, low, LOOKBACK_ARTICLES))
    conn.execute(  # the rest of the stories still open (copies dated before the window)
        "INSERT OR IGNORE INTO temp.rb_block SELECT m.event_id FROM merge_clusters m WHERE m.head IN"
        " (SELECT m2.head FROM merge_clusters m2 JOIN temp.rb_block t ON t.event_id = m2.event_id)")
    # a new copy whose original article has reports outside (an old report repeats one in its own
    # story, so the merge_clusters rows keep those two together already)
    split = conn.execute(
        "SELECT 1 FROM temp.rb_block t JOIN events e ON e.id = t.event_id JOIN article_duplicates d"
        f" ON d.article_id = e.article_id JOIN events o ON o.article_id = d.copy_of WHERE e.article_id > ? AND {other}"
        " AND o.id NOT IN (SELECT event_id FROM temp.rb_block) LIMIT 1", (since, *types)).fetchone()
    if split is None:
        conn.execute("INSERT OR IGNORE INTO temp.affected SELECT event_id FROM temp.rb_block")
    return split is None
def _articles(conn: sqlite3.Connection, ids: set[int]) -> dict[int, ArticleRow]:
    _set_ids(conn, ids)
    rows = conn.execute("SELECT id, content_hash, outlet, published, origin, title, dateline FROM articles"
                        " WHERE id IN (SELECT id FROM temp.rb_ids)")
    return {r[0]: ArticleRow(*r) for r in rows}


def _contexts(conn: sqlite3.Connection, article_ids: set[int], articles: dict[int, ArticleRow],
              copy_of: dict[int, int]) -> dict[int, ArticleContext]:
    """What the line rules need of these articles (``articles`` holds them and their originals)."""
    _set_ids(conn, article_ids)
    attrs: dict[int, dict[str, AttributionRow]] = defaultdict(dict)
    for row in conn.execute(
        "SELECT article_id, local_id, source_text, source_type, source_name, source_country, stance, parent,"
        " content, cue FROM attributions WHERE article_id IN (SELECT id FROM temp.rb_ids)"
    ):
        attrs[row[0]][row[1]] = AttributionRow(*row[1:])
    relayed: dict[int, dict[Optional[str], str]] = defaultdict(dict)
    for article_id, outlet, attribution_id in conn.execute(
        "SELECT article_id, outlet, attribution_id FROM temp.rb_claims WHERE article_id IN"
        " (SELECT id FROM temp.rb_ids) ORDER BY article_id, span_start"
    ):
        relayed[article_id].setdefault(attribution_id, outlet)
    out = {}
    for article_id in article_ids:
        article = articles[article_id]
        root = articles[copy_of.get(article_id, article_id)]
        own = outlet_line(root.outlet, root.content_hash[:12], root.title or root.origin)
        rows = attrs.get(article_id, {})
        people = [n for a in rows.values() if a.source_type == "named_person"
                  for n in (a.source_name, a.source_text) if n]
        not_sources = frozenset(normalize_name(n) for n in (article.dateline,) if n)
        out[article_id] = ArticleContext(own, rows, relayed.get(article_id, {}), full_name_map(people), not_sources)
    return out


def _event_rows(conn: sqlite3.Connection, where: str) -> Iterable[tuple[int, EventRow]]:
    """(rank, row) of the ranked reports ``where`` selects (over ``temp.rb_events x``), by rank."""
    found = [(r[0], r[1:]) for r in conn.execute(
        "SELECT x.rank, e.id, e.article_id, e.local_id, e.type, e.actor_key, e.recipient_key, e.object_class, e.status,"
        " e.event_date, e.trigger, e.mention_triggers, e.object_text, e.location, e.sentence, e.actor_country,"
        " e.recipient_country, e.actor_name, e.recipient_name"
        f" FROM temp.rb_events x JOIN events e ON e.id = x.event_id WHERE {where} ORDER BY x.rank")]
    links: dict[int, list[tuple[str, str]]] = defaultdict(list)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS rb_links (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.rb_links")
    conn.executemany("INSERT INTO temp.rb_links VALUES (?)", ((r[0],) for _, r in found))
    for event_id, attribution_id, role in conn.execute(
        "SELECT event_id, attribution_id, role FROM event_attributions WHERE event_id IN"
        " (SELECT id FROM temp.rb_links) ORDER BY event_id, rowid"
    ):
        links[event_id].append((attribution_id, role))
    out = []
    for rank, r in found:
        parties = frozenset(x for x in (r[4], r[5], r[14], r[15], *(normalize_name(n) for n in r[16:18] if n)) if x)
        out.append((rank, EventRow(r[0], r[1], r[2], (r[3], r[4] or "", r[5] or ""), r[6], r[7], r[8],
                                   tuple(links.get(r[0], ())), r[9] or "", r[10], r[11], r[12], r[13], parties)))
    return out


def _ordinal(value: Optional[str]) -> Optional[int]:
    return date.fromisoformat(value).toordinal() if value else None


def _repeated(e: EventRow, originals: list[tuple[int, EventRow]]) -> Optional[int]:
    """The rank of the original article's report that this copy's report repeats: same type and
    trigger, no contradicting party; else the same type and sentence."""
    stems = features.trigger_stems(e.trigger, e.mention_triggers)
    for j, o in originals:
        if o.key[0] != e.key[0]:
            continue
        clash = any(a and b and a != b for a, b in zip(o.key[1:], e.key[1:]))
        if not clash and (stems & features.trigger_stems(o.trigger, o.mention_triggers)
                          or (o.sentence or "").strip() == (e.sentence or "").strip()):
            return j
    return None


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
    return bool(features.trigger_stems(ev.trigger, ev.mention_triggers) & features.act_stems(features.content_words(row.content)))


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
