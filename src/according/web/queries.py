"""Every SQL query of the web viewer, over the tables and views of docs/ledger.md.

Kept in one module so a change of the ledger's schema is one file to adapt. Reads only: the
connection comes from ``Ledger.open(..., readonly=True)`` (``mode=ro``), one per request, so a page
shows what an ingest running beside it has committed by then. Filters and paging happen in SQL.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..errors import AccordingError
from ..ledger import queries as ledger_queries
from ..ledger.store import Ledger


class ArticleNotFound(AccordingError):
    def __init__(self, article_id: int) -> None:
        super().__init__(f"no article {article_id} in this ledger")


def open_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection (``file:...?mode=ro``); the caller closes it."""
    return Ledger.open(path, readonly=True).conn


# --- the story list -------------------------------------------------------------------------------

SORTS = {  # what a user may sort by -> the column (never user text in SQL)
    "reports": "reports", "independent": "independent_sources", "denials": "denials",
    "first": "first_date", "last": "last_date", "type": "type", "status": "status",
    "actor": "actor_key", "recipient": "recipient_key",
}
STATUSES = ("asserted", "confirmed", "contested")
MAX_PER_PAGE = 500


@dataclass(frozen=True, slots=True)
class StoryQuery:
    actor: Optional[str] = None
    recipient: Optional[str] = None
    party: Optional[str] = None  # either side: the actor's own page
    type: Optional[str] = None
    status: Optional[str] = None
    date_from: Optional[str] = None
    date_to: Optional[str] = None
    text: Optional[str] = None  # words in a report's sentence
    sort: str = "reports"
    descending: bool = True
    page: int = 1
    per_page: int = 50

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class StoryListRow:
    id: str
    type: str
    actor_key: Optional[str]
    recipient_key: Optional[str]
    object_class: Optional[str]
    first_date: Optional[str]
    last_date: Optional[str]
    reports: int
    articles: int
    independent_sources: int
    denials: int
    status: str
    first_published: Optional[str]
    first_title: Optional[str]
    first_outlet: Optional[str]
    first_article_id: Optional[int]

    @property
    def contested(self) -> bool:
        return self.status == "contested"


_STORY_COLUMNS = ("s.id, s.type, s.actor_key, s.recipient_key, s.object_class, s.first_date, s.last_date, s.reports,"
                  " s.articles, s.independent_sources, s.denials, s.status, s.first_published")


@dataclass(frozen=True, slots=True)
class StoryPage:
    query: StoryQuery
    total: int
    stories: tuple[StoryListRow, ...]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query.to_dict(), "total": self.total, "pages": self.pages,
                "stories": [asdict(s) for s in self.stories]}


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _where(q: StoryQuery) -> tuple[str, list[Any]]:
    """The WHERE clause over ``stories s`` for a query (empty string when nothing filters)."""
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (("s.actor_key", q.actor), ("s.recipient_key", q.recipient), ("s.type", q.type),
                          ("s.status", q.status)):
        if value:
            clauses.append(f"{column} = ? COLLATE NOCASE")
            params.append(value)
    if q.party:
        clauses.append("(s.actor_key = ? COLLATE NOCASE OR s.recipient_key = ? COLLATE NOCASE)")
        params += [q.party, q.party]
    if q.date_from:  # stories with a report on or after the day
        clauses.append("s.last_date >= ?")
        params.append(q.date_from)
    if q.date_to:
        clauses.append("s.first_date <= ?")
        params.append(q.date_to)
    if q.text:  # one pass over the sentences, not one lookup per story
        clauses.append("s.id IN (SELECT sr.story_id FROM story_reports sr JOIN events e ON e.id = sr.event_id"
                       " WHERE e.sentence LIKE ? ESCAPE '\\')")
        params.append(_like(q.text))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def list_stories(conn: sqlite3.Connection, q: StoryQuery) -> StoryPage:
    """One page of stories matching the query, sorted in SQL, with the total count.

    Filter, sort and page over ``stories`` alone; only the page's rows are joined to their first
    article (for its title and outlet, as the ``story_list`` view does).
    """
    where, params = _where(q)
    column = SORTS.get(q.sort, "reports")
    direction = "DESC" if q.descending else "ASC"
    # ties: more independent sources first, then earlier, then by id, so paging is stable
    order = f"{column} {direction}, independent_sources DESC, first_date, id"
    per_page = max(1, min(q.per_page, MAX_PER_PAGE))
    offset = (max(1, q.page) - 1) * per_page
    total = conn.execute(f"SELECT COUNT(*) FROM stories s{where}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT p.*, ar.title, ar.outlet, p.first_article_id FROM"
        f" (SELECT {_STORY_COLUMNS}, s.first_article_id FROM stories s{where}"
        f" ORDER BY {', '.join('s.' + c for c in order.split(', '))} LIMIT ? OFFSET ?) p"
        f" LEFT JOIN articles ar ON ar.id = p.first_article_id ORDER BY {', '.join('p.' + c for c in order.split(', '))}",
        params + [per_page, offset]).fetchall()
    return StoryPage(q, total, tuple(StoryListRow(*r[:13], r[14], r[15], r[16]) for r in rows))


def facets(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The values the filters offer: the event types in the ledger's reports, and the statuses."""
    # a skip scan of the index events_block (type first): one probe per type, not a pass over every row
    types = [r[0] for r in conn.execute(
        "WITH RECURSIVE t(v) AS (SELECT MIN(type) FROM events UNION ALL"
        " SELECT (SELECT MIN(type) FROM events WHERE type > t.v) FROM t WHERE t.v IS NOT NULL)"
        " SELECT v FROM t WHERE v IS NOT NULL")]
    return {"types": types, "statuses": list(STATUSES)}


def weekly_counts(conn: sqlite3.Connection, q: StoryQuery) -> list[dict[str, Any]]:
    """Backing reports per week (Monday) and event type, for the stories matching the query."""
    where, params = _where(q)  # over stories s
    sql = ("SELECT date(e.event_date, '-6 days', 'weekday 1') AS week, s.type, COUNT(*)"
           " FROM stories s JOIN story_reports sr ON sr.story_id = s.id JOIN events e ON e.id = sr.event_id"
           f"{where}{' AND' if where else ' WHERE'} sr.role = 'backs' AND e.event_date IS NOT NULL"
           " GROUP BY week, s.type ORDER BY week, s.type")
    return [{"week": w, "type": t, "reports": n} for w, t, n in conn.execute(sql, params)]


# --- one story ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ReportSource:
    """Where a report sits in its article: for the highlighted sentence."""
    event_id: int
    article_id: int
    local_id: str
    text: str
    report: dict[str, Any]


def story_detail(conn: sqlite3.Connection, story_id: str) -> ledger_queries.StoryDetail:
    """The ledger's own evidence for a story (``according story``), by id or unique prefix."""
    return ledger_queries.get_story(conn, story_id)


def first_article_id(conn: sqlite3.Connection, story_id: str) -> Optional[int]:
    row = conn.execute("SELECT first_article_id FROM stories WHERE id = ?", (story_id,)).fetchone()
    return row[0] if row else None


def duplicates(conn: sqlite3.Connection, article_ids: list[int]) -> dict[int, tuple[int, float]]:
    """article id -> (id of the article it copies, similarity) for the syndicated copies among them."""
    if not article_ids:
        return {}
    marks = ",".join("?" * len(article_ids))
    return {a: (c, s) for a, c, s in conn.execute(
        f"SELECT article_id, copy_of, similarity FROM article_duplicates WHERE article_id IN ({marks})",
        article_ids)}


def report_sources(conn: sqlite3.Connection, event_ids: list[int]) -> dict[int, ReportSource]:
    """The article text and analyzer report behind each event (one read per article)."""
    if not event_ids:
        return {}
    marks = ",".join("?" * len(event_ids))
    rows = conn.execute(f"SELECT id, article_id, local_id FROM events WHERE id IN ({marks})", event_ids).fetchall()
    articles = _article_texts(conn, sorted({r[1] for r in rows}))
    return {eid: ReportSource(eid, aid, local, *articles[aid]) for eid, aid, local in rows if aid in articles}


def _article_texts(conn: sqlite3.Connection, ids: list[int]) -> dict[int, tuple[str, dict[str, Any]]]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {i: (text, json.loads(report)) for i, text, report in conn.execute(
        f"SELECT id, text, report_json FROM articles WHERE id IN ({marks})", ids)}


# --- one article ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ArticleView:
    id: int
    title: Optional[str]
    outlet: Optional[str]
    published: Optional[str]
    url: Optional[str]
    origin: Optional[str]
    text: str
    report: dict[str, Any]
    stories: dict[str, str]  # event local id -> story id
    copy_of: Optional[int]
    copies: tuple[int, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def get_article(conn: sqlite3.Connection, article_id: int) -> ArticleView:
    row = conn.execute("SELECT id, title, outlet, published, url, origin, text, report_json FROM articles"
                       " WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        raise ArticleNotFound(article_id)
    stories = {local: sid for local, sid in conn.execute(
        "SELECT e.local_id, sr.story_id FROM events e JOIN story_reports sr ON sr.event_id = e.id"
        " WHERE e.article_id = ?", (article_id,))}
    copy = conn.execute("SELECT copy_of FROM article_duplicates WHERE article_id = ?", (article_id,)).fetchone()
    copies = tuple(r[0] for r in conn.execute(
        "SELECT article_id FROM article_duplicates WHERE copy_of = ? ORDER BY article_id", (article_id,)))
    return ArticleView(*row[:7], json.loads(row[7]), stories, copy[0] if copy else None, copies)


# --- actors ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Edge:
    actor: str
    recipient: str
    type: str
    stories: int
    independent_sources: int
    contested: int


def network(conn: sqlite3.Connection, q: StoryQuery, *, limit: int = 300) -> list[Edge]:
    """Actor -> recipient edges by event type, weighted by independent sources (the heaviest first)."""
    where, params = _where(q)
    both = "s.actor_key IS NOT NULL AND s.actor_key != '' AND s.recipient_key IS NOT NULL AND s.recipient_key != ''"
    sql = ("SELECT s.actor_key, s.recipient_key, s.type, COUNT(*), SUM(s.independent_sources),"
           " SUM(s.status = 'contested') FROM stories s"
           f"{where}{' AND' if where else ' WHERE'} {both}"
           " GROUP BY s.actor_key, s.recipient_key, s.type"
           " ORDER BY SUM(s.independent_sources) DESC, COUNT(*) DESC, s.actor_key, s.recipient_key, s.type LIMIT ?")
    return [Edge(*r) for r in conn.execute(sql, params + [limit])]

