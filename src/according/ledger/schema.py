"""The ledger's SQLite schema and its versioned migrations (``PRAGMA user_version``).

Migration N takes a database at version N-1 to version N. Never edit a released migration: add one.
The tables are plain SQL so sqlite3, Datasette or DuckDB read them as they are; the views give the
joins people ask for most. docs/ledger.md documents every column.
"""
from __future__ import annotations

import sqlite3
from typing import Callable, Union

from ..errors import AccordingError

_V1 = """
CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    content_hash  TEXT NOT NULL UNIQUE,
    origin        TEXT,
    external_id   TEXT,
    title         TEXT,
    outlet        TEXT,
    url           TEXT,
    published     TEXT,
    text          TEXT NOT NULL,
    report_json   TEXT NOT NULL,
    minhash       BLOB,
    ingested_at   TEXT NOT NULL
);
CREATE TABLE article_bands (
    band          INTEGER NOT NULL,
    bucket        INTEGER NOT NULL,
    article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX article_bands_bucket ON article_bands(band, bucket);
CREATE TABLE attributions (
    article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    local_id       TEXT NOT NULL,
    source_text    TEXT,
    source_type    TEXT,
    source_name    TEXT,
    source_country TEXT,
    source_sector  TEXT,
    cue            TEXT NOT NULL,
    content        TEXT,
    quote          TEXT NOT NULL,
    stance         TEXT NOT NULL,
    channel        TEXT,
    parent         TEXT,
    sentence_start INTEGER,
    sentence_end   INTEGER,
    PRIMARY KEY (article_id, local_id)
);
CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    article_id       INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    local_id         TEXT NOT NULL,
    type             TEXT NOT NULL,
    mode             TEXT,
    context          TEXT,
    actor_name       TEXT,
    actor_country    TEXT,
    actor_key        TEXT,
    recipient_name   TEXT,
    recipient_country TEXT,
    recipient_key    TEXT,
    object_text      TEXT,
    object_class     TEXT,
    object_quantity  TEXT,
    status           TEXT NOT NULL,
    trigger          TEXT NOT NULL,
    time_text        TEXT,
    time_resolved    TEXT,
    event_date       TEXT,
    sentence_start   INTEGER,
    sentence_end     INTEGER,
    sentence         TEXT,
    confidence       REAL,
    UNIQUE (article_id, local_id)
);
CREATE INDEX events_block ON events(type, actor_key, recipient_key);
CREATE TABLE event_attributions (
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    attribution_id  TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('backs', 'denies')),
    PRIMARY KEY (event_id, attribution_id, role)
);
CREATE TABLE provenance_claims (
    article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    outlet          TEXT NOT NULL,
    claim           TEXT NOT NULL,
    attribution_id  TEXT,
    span_start      INTEGER,
    span_end        INTEGER
);
CREATE TABLE failures (
    origin        TEXT PRIMARY KEY,
    content_hash  TEXT,
    reason        TEXT NOT NULL,
    failed_at     TEXT NOT NULL
);
CREATE TABLE stories (
    id                  TEXT PRIMARY KEY,
    type                TEXT NOT NULL,
    actor_key           TEXT,
    recipient_key       TEXT,
    object_class        TEXT,
    first_date          TEXT,
    last_date           TEXT,
    reports             INTEGER NOT NULL,
    articles            INTEGER NOT NULL,
    independent_sources INTEGER NOT NULL,
    denials             INTEGER NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('asserted', 'contested', 'confirmed')),
    first_article_id    INTEGER REFERENCES articles(id),
    first_published     TEXT
);
CREATE TABLE story_reports (
    story_id    TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('backs', 'denies')),
    why         TEXT NOT NULL,
    PRIMARY KEY (story_id, event_id)
);
CREATE TABLE story_sources (
    story_id    TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    source_key  TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('backs', 'denies')),
    label       TEXT NOT NULL,
    source_type TEXT,
    reports     INTEGER NOT NULL,
    is_party    INTEGER NOT NULL,
    PRIMARY KEY (story_id, source_key, role)
);
CREATE TABLE article_duplicates (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    copy_of     INTEGER NOT NULL REFERENCES articles(id),
    similarity  REAL NOT NULL
);

CREATE VIEW event_sources AS
SELECT e.id AS event_id, e.article_id, e.type, e.actor_key, e.recipient_key, ea.role,
       a.local_id AS attribution_id, a.source_text, a.source_type, a.source_name, a.stance, a.quote,
       a.cue, a.content
FROM events e
JOIN event_attributions ea ON ea.event_id = e.id
JOIN attributions a ON a.article_id = e.article_id AND a.local_id = ea.attribution_id;

CREATE VIEW story_evidence AS
SELECT s.id AS story_id, s.type, s.actor_key, s.recipient_key, s.status, sr.role,
       e.id AS event_id, e.status AS event_status, e.event_date, e.sentence, e.object_text,
       ar.id AS article_id, ar.title, ar.outlet, ar.published, ar.origin
FROM stories s
JOIN story_reports sr ON sr.story_id = s.id
JOIN events e ON e.id = sr.event_id
JOIN articles ar ON ar.id = e.article_id;

CREATE VIEW story_list AS
SELECT s.*, ar.title AS first_title, ar.outlet AS first_outlet
FROM stories s LEFT JOIN articles ar ON ar.id = s.first_article_id;
"""

# Indexes for the web viewer's story list (sorting by the default order and paging deep without a
# sort of every story; filters by party; an article's stories), all over derived tables.
_V2 = """
CREATE INDEX stories_rank ON stories(reports DESC, independent_sources DESC, first_date, id);
CREATE INDEX stories_actor ON stories(actor_key COLLATE NOCASE);
CREATE INDEX stories_recipient ON stories(recipient_key COLLATE NOCASE);
CREATE INDEX story_reports_event ON story_reports(event_id);
"""


# Version 3: sector, location and mention columns on events (backfilled from the stored reports);
# NULL, not '', for an unknown party; attributions get an integer id that event_attributions references
# (a real foreign key Datasette can follow); stories get a 'negated' role and count, a merge score, and
# stable ids (story_ids, event_stories, story_merges). The story tables are derived: recreated empty.
_V3 = """
DROP VIEW event_sources;
DROP VIEW story_evidence;
DROP VIEW story_list;
ALTER TABLE articles ADD COLUMN dateline TEXT;
ALTER TABLE events ADD COLUMN actor_sector TEXT;
ALTER TABLE events ADD COLUMN recipient_sector TEXT;
ALTER TABLE events ADD COLUMN location TEXT;
ALTER TABLE events ADD COLUMN mention_triggers TEXT;
UPDATE events SET actor_key = NULL WHERE actor_key = '';
UPDATE events SET recipient_key = NULL WHERE recipient_key = '';
CREATE TABLE attributions_v2 (
    id             INTEGER PRIMARY KEY,
    article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    local_id       TEXT NOT NULL,
    source_text    TEXT,
    source_type    TEXT,
    source_name    TEXT,
    source_country TEXT,
    source_sector  TEXT,
    cue            TEXT NOT NULL,
    content        TEXT,
    quote          TEXT NOT NULL,
    stance         TEXT NOT NULL,
    channel        TEXT,
    parent         TEXT,
    sentence_start INTEGER,
    sentence_end   INTEGER,
    UNIQUE (article_id, local_id)
);
INSERT INTO attributions_v2 (article_id, local_id, source_text, source_type, source_name, source_country,
    source_sector, cue, content, quote, stance, channel, parent, sentence_start, sentence_end)
SELECT article_id, local_id, source_text, source_type, source_name, source_country, source_sector, cue,
    content, quote, stance, channel, parent, sentence_start, sentence_end
FROM attributions ORDER BY article_id, rowid;
DROP TABLE attributions;
ALTER TABLE attributions_v2 RENAME TO attributions;
CREATE TABLE event_attributions_v2 (
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    attribution_id  TEXT NOT NULL,
    attribution     INTEGER REFERENCES attributions(id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('backs', 'denies')),
    PRIMARY KEY (event_id, attribution_id, role)
);
INSERT INTO event_attributions_v2 (event_id, attribution_id, attribution, role)
SELECT ea.event_id, ea.attribution_id, a.id, ea.role
FROM event_attributions ea JOIN events e ON e.id = ea.event_id
LEFT JOIN attributions a ON a.article_id = e.article_id AND a.local_id = ea.attribution_id
ORDER BY ea.rowid;
DROP TABLE event_attributions;
ALTER TABLE event_attributions_v2 RENAME TO event_attributions;
CREATE INDEX event_attributions_attribution ON event_attributions(attribution);
DROP TABLE story_sources;
DROP TABLE story_reports;
DROP TABLE stories;
CREATE TABLE stories (
    id                  TEXT PRIMARY KEY,
    type                TEXT NOT NULL,
    actor_key           TEXT,
    recipient_key       TEXT,
    object_class        TEXT,
    first_date          TEXT,
    last_date           TEXT,
    reports             INTEGER NOT NULL,
    articles            INTEGER NOT NULL,
    independent_sources INTEGER NOT NULL,
    denials             INTEGER NOT NULL,
    negated             INTEGER NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('asserted', 'contested', 'confirmed')),
    first_article_id    INTEGER REFERENCES articles(id),
    first_published     TEXT
);
CREATE INDEX stories_rank ON stories(reports DESC, independent_sources DESC, first_date, id);
CREATE INDEX stories_actor ON stories(actor_key COLLATE NOCASE);
CREATE INDEX stories_recipient ON stories(recipient_key COLLATE NOCASE);
CREATE TABLE story_reports (
    story_id    TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('backs', 'denies', 'negated')),
    score       REAL,
    why         TEXT NOT NULL,
    PRIMARY KEY (story_id, event_id)
);
CREATE INDEX story_reports_event ON story_reports(event_id);
CREATE TABLE story_sources (
    story_id    TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    source_key  TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('backs', 'denies')),
    label       TEXT NOT NULL,
    source_type TEXT,
    reports     INTEGER NOT NULL,
    is_party    INTEGER NOT NULL,
    PRIMARY KEY (story_id, source_key, role)
);
CREATE TABLE story_ids (
    id          TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL UNIQUE,
    minted_at   TEXT NOT NULL
);
CREATE TABLE event_stories (
    event_id    INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    story_id    TEXT NOT NULL REFERENCES story_ids(id)
);
CREATE TABLE story_merges (
    from_id     TEXT PRIMARY KEY REFERENCES story_ids(id),
    into_id     TEXT NOT NULL REFERENCES story_ids(id),
    merged_at   TEXT NOT NULL
);

CREATE VIEW event_sources AS
SELECT e.id AS event_id, e.article_id, e.type, e.actor_key, e.recipient_key, ea.role,
       a.local_id AS attribution_id, a.source_text, a.source_type, a.source_name, a.stance, a.quote,
       a.cue, a.content
FROM events e
JOIN event_attributions ea ON ea.event_id = e.id
JOIN attributions a ON a.id = ea.attribution;

CREATE VIEW story_evidence AS
SELECT s.id AS story_id, s.type, s.actor_key, s.recipient_key, s.status, sr.role, sr.score,
       e.id AS event_id, e.status AS event_status, e.event_date, e.sentence, e.object_text,
       ar.id AS article_id, ar.title, ar.outlet, ar.published, ar.origin
FROM stories s
JOIN story_reports sr ON sr.story_id = s.id
JOIN events e ON e.id = sr.event_id
JOIN articles ar ON ar.id = e.article_id;

CREATE VIEW story_list AS
SELECT s.*, ar.title AS first_title, ar.outlet AS first_outlet
FROM stories s LEFT JOIN articles ar ON ar.id = s.first_article_id;
"""


_V4 = """
CREATE TABLE ledger_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
"""


# Version 5: what an incremental story update needs, both derived from the events (filled by the next
# story rebuild): each merged report's place in the merge (the first report of its group, its position,
# why and score, groups that make no story included) and the words' report counts by month.
_V5 = """
CREATE TABLE merge_clusters (
    event_id    INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    head        INTEGER NOT NULL,
    pos         INTEGER NOT NULL,
    why         TEXT NOT NULL,
    score       REAL
);
CREATE INDEX merge_clusters_head ON merge_clusters(head);
CREATE TABLE word_months (
    month       INTEGER NOT NULL,
    stem        TEXT NOT NULL,
    reports     INTEGER NOT NULL,
    PRIMARY KEY (month, stem)
);
"""


# Version 6: a compound party's member countries on events ("Russia and Turkey": 'RUS|TUR'; NULL for a
# party of one country or none), backfilled from the stored reports (older reports have none).
_V6 = """
ALTER TABLE events ADD COLUMN actor_countries TEXT;
ALTER TABLE events ADD COLUMN recipient_countries TEXT;
"""


def _backfill_v6(conn: sqlite3.Connection) -> None:
    import json

    from .rows import party_countries_from_dict

    for article_id, report_json in conn.execute("SELECT id, report_json FROM articles").fetchall():
        rows = []
        for e in json.loads(report_json).get("events") or []:
            actor, recipient = party_countries_from_dict(e.get("actor")), party_countries_from_dict(e.get("recipient"))
            if actor or recipient:
                rows.append((actor, recipient, article_id, e.get("id")))
        conn.executemany("UPDATE events SET actor_countries = ?, recipient_countries = ? WHERE article_id = ? AND local_id = ?", rows)


def _backfill_v3(conn: sqlite3.Connection) -> None:
    """Fill version 3's new event and article columns from the reports the ledger already stores."""
    import json

    from .rows import event_columns_from_dict

    for article_id, report_json in conn.execute("SELECT id, report_json FROM articles").fetchall():
        data = json.loads(report_json)
        dateline = ((data.get("article") or {}).get("dateline") or {}).get("text")
        conn.execute("UPDATE articles SET dateline = ? WHERE id = ?", (dateline, article_id))
        conn.executemany(
            "UPDATE events SET actor_sector = ?, recipient_sector = ?, location = ?, mention_triggers = ?"
            " WHERE article_id = ? AND local_id = ?",
            [(*event_columns_from_dict(e), article_id, e.get("id")) for e in data.get("events") or []])


Migration = Union[str, Callable[[sqlite3.Connection], None], tuple]
MIGRATIONS: tuple[Migration, ...] = (_V1, _V2, (_V3, _backfill_v3), _V4, _V5, (_V6, _backfill_v6))
SCHEMA_VERSION = len(MIGRATIONS)


class LedgerVersionError(AccordingError):
    pass


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to SCHEMA_VERSION, one migration per transaction; return the version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise LedgerVersionError(
            f"this ledger has schema version {version}, newer than this according ({SCHEMA_VERSION}); upgrade according"
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("PRAGMA user_version").fetchone()[0] >= target:
            conn.execute("COMMIT")  # another writer ran this migration while this one waited for the lock
            continue
        try:
            steps = MIGRATIONS[target - 1]
            for step in steps if isinstance(steps, tuple) else (steps,):
                if callable(step):
                    step(conn)
                    continue
                for statement in _statements(step):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return SCHEMA_VERSION


def check_version(conn: sqlite3.Connection) -> None:
    """Readers never migrate: they ask for a current schema."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:
        raise LedgerVersionError(
            f"ledger schema version {version}, expected {SCHEMA_VERSION}; run `according ingest` once to migrate"
        )


def _statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit behind our back)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
