"""Read the ledger: story lists with filters, one story's full evidence, failures. Typed rows out."""
from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from typing import Any, Optional

from ..errors import AccordingError


class StoryNotFound(AccordingError):
    def __init__(self, story_id: str) -> None:
        super().__init__(f"no story {story_id!r} in this ledger; `according stories` lists them")


@dataclass(frozen=True, slots=True)
class StoryRow:
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
    negated: int
    status: str
    first_published: Optional[str]
    first_title: Optional[str]
    first_outlet: Optional[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_STORY_COLUMNS = ("id, type, actor_key, recipient_key, object_class, first_date, last_date, reports, articles,"
                  " independent_sources, denials, negated, status, first_published, first_title, first_outlet")


@dataclass(frozen=True, slots=True)
class StoryFilter:
    actor: Optional[str] = None
    recipient: Optional[str] = None
    type: Optional[str] = None
    since: Optional[str] = None
    contested: bool = False
    limit: Optional[int] = None


def list_stories(conn: sqlite3.Connection, where: StoryFilter = StoryFilter()) -> list[StoryRow]:
    """Stories, most reported first (then by independent sources, date, id)."""
    clauses, params = [], []
    for column, value in (("actor_key", where.actor), ("recipient_key", where.recipient), ("type", where.type)):
        if value:
            clauses.append(f"{column} = ? COLLATE NOCASE")
            params.append(value)
    if where.since:
        clauses.append("last_date >= ?")
        params.append(where.since)
    if where.contested:
        clauses.append("status = 'contested'")
    sql = f"SELECT {_STORY_COLUMNS} FROM story_list"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY reports DESC, independent_sources DESC, first_date, id"
    if where.limit:
        sql += f" LIMIT {int(where.limit)}"
    return [StoryRow(*r) for r in conn.execute(sql, params)]


@dataclass(frozen=True, slots=True)
class EvidenceSource:
    attribution_id: str
    role: str
    source: Optional[str]
    source_type: Optional[str]
    stance: str
    quote: str
    cue: str
    content: Optional[str]
    parent: Optional[str]


@dataclass(frozen=True, slots=True)
class EvidenceReport:
    event_id: int
    role: str  # backs | denies | negated (reports the event as not having happened, denies nothing)
    score: Optional[float]  # the merge score it joined with (None: the story's first report, or undated)
    why: str
    article_id: int
    title: Optional[str]
    outlet: Optional[str]
    published: Optional[str]
    origin: Optional[str]
    duplicate_of: Optional[str]
    event_status: str
    event_date: Optional[str]
    trigger: str
    object_text: Optional[str]
    sentence: Optional[str]
    sources: tuple[EvidenceSource, ...]


@dataclass(frozen=True, slots=True)
class LineRow:
    key: str
    role: str
    label: str
    source_type: Optional[str]
    reports: int
    is_party: bool


@dataclass(frozen=True, slots=True)
class ProvenanceRow:
    article_outlet: Optional[str]
    article_title: Optional[str]
    outlet: str
    claim: str


@dataclass(frozen=True, slots=True)
class StoryDetail:
    story: StoryRow
    reports: tuple[EvidenceReport, ...]
    sources: tuple[LineRow, ...]
    provenance: tuple[ProvenanceRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def resolve_story_id(conn: sqlite3.Connection, story_id: str) -> str:
    """The full id for an id or a unique prefix of one (as git takes short hashes)."""
    matches = [r[0] for r in conn.execute(
        "SELECT id FROM stories WHERE id = ? UNION SELECT id FROM stories WHERE id LIKE ? ESCAPE '\\' LIMIT 3",
        (story_id, story_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"))]
    if story_id in matches:
        return story_id
    if len(matches) == 1:
        return matches[0]
    if not matches:  # a story merged into another keeps answering under its old id
        for _ in range(100):
            row = conn.execute("SELECT into_id FROM story_merges WHERE from_id = ?", (story_id,)).fetchone()
            if row is None:
                break
            story_id = row[0]
            if conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone():
                return story_id
    if matches:
        raise AccordingError(f"story id {story_id!r} is ambiguous ({', '.join(matches)}, ...); give more of it")
    raise StoryNotFound(story_id)


def get_story(conn: sqlite3.Connection, story_id: str) -> StoryDetail:
    story_id = resolve_story_id(conn, story_id)
    row = conn.execute(f"SELECT {_STORY_COLUMNS} FROM story_list WHERE id = ?", (story_id,)).fetchone()
    reports = tuple(_evidence(conn, story_id))
    sources = tuple(LineRow(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in conn.execute(
        "SELECT source_key, role, label, source_type, reports, is_party FROM story_sources WHERE story_id = ?"
        " ORDER BY role, reports DESC, source_key", (story_id,)))
    provenance = tuple(ProvenanceRow(*r) for r in conn.execute(
        "SELECT DISTINCT ar.outlet, ar.title, p.outlet, p.claim FROM story_reports sr"
        " JOIN events e ON e.id = sr.event_id JOIN articles ar ON ar.id = e.article_id"
        " JOIN provenance_claims p ON p.article_id = ar.id WHERE sr.story_id = ? ORDER BY ar.published, ar.id",
        (story_id,)))
    return StoryDetail(StoryRow(*row), reports, sources, provenance)


def _evidence(conn: sqlite3.Connection, story_id: str) -> list[EvidenceReport]:
    rows = conn.execute(
        "SELECT e.id, sr.role, sr.score, sr.why, ar.id, ar.title, ar.outlet, ar.published, ar.origin, orig.outlet,"
        " e.status, e.event_date, e.trigger, e.object_text, e.sentence"
        " FROM story_reports sr JOIN events e ON e.id = sr.event_id JOIN articles ar ON ar.id = e.article_id"
        " LEFT JOIN article_duplicates d ON d.article_id = ar.id LEFT JOIN articles orig ON orig.id = d.copy_of"
        " WHERE sr.story_id = ? ORDER BY ar.published, ar.content_hash, e.local_id", (story_id,)).fetchall()
    out = []
    for r in rows:
        sources = tuple(EvidenceSource(*s) for s in conn.execute(
            "SELECT a.local_id, ea.role, a.source_text, a.source_type, a.stance, a.quote, a.cue, a.content,"
            " a.parent FROM event_attributions ea JOIN events e ON e.id = ea.event_id"
            " JOIN attributions a ON a.id = ea.attribution"
            " WHERE ea.event_id = ? ORDER BY ea.rowid", (r[0],)))
        out.append(EvidenceReport(*r, sources))
    return out


@dataclass(frozen=True, slots=True)
class FailureRow:
    origin: str
    reason: str
    failed_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_failures(conn: sqlite3.Connection) -> list[FailureRow]:
    return [FailureRow(*r) for r in conn.execute("SELECT origin, reason, failed_at FROM failures ORDER BY origin")]


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts of the main tables (for the ingest summary)."""
    return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("articles", "events", "stories", "failures")}
