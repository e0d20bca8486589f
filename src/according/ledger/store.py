"""The ledger database: open (read-only or as the single writer), add one article per transaction.

Writers use WAL so readers keep reading while an ingest runs; every article (its report, events,
attributions, provenance claims, MinHash bands) is written whole inside one ``BEGIN IMMEDIATE``
transaction (``add_report``: one article; ``add_batch``: a batch of them, one commit), so a crash or
Ctrl-C leaves either the whole article or nothing. A full disk stops the run with
:class:`LedgerFull` (the ledger keeps every article committed before it; the next run resumes).
"""
from __future__ import annotations

import json
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional, Sequence
from urllib.parse import quote

from ..errors import AccordingError
from ..records import Report
from . import minhash
from .rows import event_day, event_roles, mention_triggers, party_countries, party_key, party_sector, sentence_text
from .schema import check_version, migrate

DEFAULT_DB = "according.db"


class LedgerNotFound(AccordingError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"no ledger at {path}; create one with `according ingest PATH... --db {path}`")


class LedgerUnreadable(AccordingError):
    def __init__(self, path: Path, exc: Exception) -> None:
        super().__init__(f"cannot open the ledger {path}: {exc} (is it an according SQLite ledger, in a folder you can write?)")


class LedgerFull(AccordingError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"the disk holding the ledger {path} is full; the articles stored before this one are kept: "
            "free some space and run the same command again to go on where it stopped"
        )


def is_disk_full(exc: BaseException) -> bool:
    """SQLite's "database or disk is full" (SQLITE_FULL), or the operating system's ENOSPC."""
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno == 28


_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: Optional[str]) -> Optional[str]:
    """Text SQLite can store (UTF-8): a file name's undecodable bytes as ``\\xNN`` (as the readers show
    them), any other lone surrogate as U+FFFD."""
    if text is None:
        return None
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Pending:
    """One input of ``Ledger.add_batch``: an analysed article (``report``), or one that failed (``reason``).

    ``report_json`` is the report's stored JSON when the caller has it already (a Parquet partition
    holds it), so the writer does not serialise the report again."""

    origin: Optional[str]
    content_hash: Optional[str]
    report: Optional[Report] = None
    reason: Optional[str] = None
    report_json: Optional[str] = None


def report_json(report: Report) -> str:
    """The JSON ``articles.report_json`` holds (the report without its text)."""
    return json.dumps(report.to_dict(include_text=False), ensure_ascii=False, sort_keys=True)


class Ledger:
    """A connection to one ledger file. Use as a context manager; one writer at a time."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self._perms: Optional[minhash.Permutations] = None

    @classmethod
    def open(cls, path: str | Path = DEFAULT_DB, *, readonly: bool = False) -> "Ledger":
        path = Path(path)
        try:
            return cls._open(path, readonly)
        except sqlite3.DatabaseError as exc:
            raise LedgerUnreadable(path, exc) from None

    @classmethod
    def _open(cls, path: Path, readonly: bool) -> "Ledger":
        if readonly:
            if not path.exists():
                raise LedgerNotFound(path)
            uri = f"file:{quote(str(path.resolve()))}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=30.0)
        try:
            if readonly:
                check_version(conn)
            else:
                _wal(conn)
                conn.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable across process crashes
                _migrate_once(conn)
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, readonly=readonly)

    def close(self) -> None:
        self.conn.close()

    def checkpoint(self, *, wait: bool = False) -> bool:
        """Copy the write-ahead log into the database file, so ``according.db`` alone holds every
        committed article (a copy of the file without its ``-wal`` would lose the last ones).

        SQLite does this itself when the last connection closes, but not while a reader (a viewer,
        Datasette) has the file open. ``wait`` waits for readers and empties the log (TRUNCATE);
        otherwise copies what no reader holds back (PASSIVE). True when the file is complete.
        """
        mode = "TRUNCATE" if wait else "PASSIVE"
        try:
            busy, log, done = self.conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        except sqlite3.Error as exc:
            if is_disk_full(exc):
                raise LedgerFull(self.path) from None
            raise
        return not busy and log == done  # log is -1 when the file is not in WAL mode: nothing to copy

    def _rollback(self) -> None:
        """After a failed write (a COMMIT that hit a full disk may or may not have rolled back)."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def permutations(self) -> minhash.Permutations:
        if self._perms is None:
            self._perms = minhash.Permutations.default()
        return self._perms

    def has_article(self, content_hash: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE content_hash = ?", (content_hash,)).fetchone()
        return row is not None

    def known_hashes(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT content_hash FROM articles")}

    def add_report(self, report: Report, *, content_hash: str, origin: Optional[str] = None) -> Optional[int]:
        """Store one analysed article in one transaction; None if its content hash is already stored.

        On a full disk the article is not stored (its failure is recorded if there is room for that)
        and :class:`LedgerFull` is raised: nothing committed before is touched.
        """
        origin = storable(origin)
        try:
            return self._add_report(report, content_hash, origin)
        except sqlite3.Error as exc:
            if not is_disk_full(exc):
                raise
            self._rollback()
            self._try_add_failure(origin or report.article.id or "?", "not stored: the disk was full", content_hash)
            raise LedgerFull(self.path) from None

    def add_batch(self, items: Sequence[Pending]) -> list[Optional[int]]:
        """Store a batch in one transaction, in order: each article's id (None: already stored, or a
        failure recorded). One commit for the batch is what makes a big ingest fast; a crash loses at
        most the batch being written, which the rerun stores (nothing committed is touched).

        On a full disk the batch is rolled back and stored again one article at a time, so every
        article before the one that did not fit is kept, and :class:`LedgerFull` is raised."""
        # the CPU-heavy parts before the write lock is taken: readers and the transaction wait less
        prepared = [(item, storable(item.origin),
                     minhash.signature(item.report.text, self.permutations) if item.report is not None else None)
                    for item in items]
        try:
            with _transaction(self.conn):
                ids: list[Optional[int]] = []
                for item, origin, sig in prepared:
                    if item.report is None:
                        self._record_failure(origin or "?", item.reason or "no report", item.content_hash)
                        ids.append(None)
                    else:
                        ids.append(self._store(item.report, item.content_hash or "", origin, sig, item.report_json))
                return ids
        except sqlite3.Error as exc:
            if not is_disk_full(exc):
                raise
            self._rollback()
        out: list[Optional[int]] = []
        for item in items:  # raises LedgerFull at the article that does not fit
            if item.report is None:
                self.add_failure(item.origin or "?", item.reason or "no report", item.content_hash)
                out.append(None)
            else:
                out.append(self.add_report(item.report, content_hash=item.content_hash or "", origin=item.origin))
        return out

    def _try_add_failure(self, origin: str, reason: str, content_hash: Optional[str]) -> None:
        try:
            self.add_failure(origin, reason, content_hash)
        except LedgerFull:
            pass  # no room even for that: the next run retries the article all the same

    def _add_report(self, report: Report, content_hash: str, origin: Optional[str]) -> Optional[int]:
        sig = minhash.signature(report.text, self.permutations)
        with _transaction(self.conn):
            return self._store(report, content_hash, origin, sig, None)

    def _store(self, report: Report, content_hash: str, origin: Optional[str], sig, stored_json: Optional[str]) -> Optional[int]:
        """Insert one article inside the caller's transaction; None if its content hash is stored."""
        if self.has_article(content_hash):
            return None
        article_id = self._insert_article(report, content_hash, origin, sig, stored_json)
        self._insert_attributions(article_id, report)
        self._insert_events(article_id, report)
        self._insert_provenance(article_id, report)
        self.conn.executemany(
            "INSERT INTO article_bands(band, bucket, article_id) VALUES (?, ?, ?)",
            [(band, bucket, article_id) for band, bucket in minhash.bands(sig)],
        )
        if origin is not None:
            self.conn.execute("DELETE FROM failures WHERE origin = ?", (origin,))
        return article_id

    def add_failure(self, origin: str, reason: str, content_hash: Optional[str] = None) -> None:
        try:
            with _transaction(self.conn):
                self._record_failure(origin, reason, content_hash)
        except sqlite3.Error as exc:
            if not is_disk_full(exc):
                raise
            self._rollback()
            raise LedgerFull(self.path) from None

    def _record_failure(self, origin: str, reason: str, content_hash: Optional[str]) -> None:
        self.conn.execute(
            "INSERT INTO failures(origin, content_hash, reason, failed_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(origin) DO UPDATE SET content_hash=excluded.content_hash, "
            "reason=excluded.reason, failed_at=excluded.failed_at",
            (storable(origin), content_hash, storable(reason), now()),
        )

    def _insert_article(self, report: Report, content_hash: str, origin: Optional[str], sig,
                        stored_json: Optional[str] = None) -> int:
        info = report.article
        cur = self.conn.execute(
            "INSERT INTO articles(content_hash, origin, external_id, title, outlet, url, published, text,"
            " report_json, minhash, ingested_at, dateline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (content_hash, origin, storable(info.id), storable(info.title), storable(info.outlet), storable(info.url),
             info.published, storable(report.text),
             storable(stored_json if stored_json is not None else report_json(report)),
             minhash.to_blob(sig), now(), storable(info.dateline.text) if info.dateline else None),
        )
        return int(cur.lastrowid)

    def _insert_attributions(self, article_id: int, report: Report) -> None:
        rows = []
        for a in report.attributions:
            src = a.source
            entity = src.entity if src else None
            name = entity.name if entity else (src.antecedent.text if src and src.antecedent else None)
            rows.append((
                article_id, a.id, src.text if src else None, src.type if src else None, name,
                entity.country if entity else None, entity.sector if entity else None, a.cue.text,
                a.content.text if a.content else None, a.quote, a.stance,
                a.channel.text if a.channel else None, a.parent,
                a.sentence[0] if a.sentence else None, a.sentence[1] if a.sentence else None,
            ))
        self.conn.executemany(
            "INSERT INTO attributions(article_id, local_id, source_text, source_type, source_name, source_country,"
            " source_sector, cue, content, quote, stance, channel, parent, sentence_start, sentence_end)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _insert_events(self, article_id: int, report: Report) -> None:
        published = report.article.published
        attribution_rows = dict(self.conn.execute(
            "SELECT local_id, id FROM attributions WHERE article_id = ?", (article_id,)).fetchall())
        for e in report.events:
            cur = self.conn.execute(
                "INSERT INTO events(article_id, local_id, type, mode, context, actor_name, actor_country,"
                " actor_key, recipient_name, recipient_country, recipient_key, object_text, object_class,"
                " object_quantity, status, trigger, time_text, time_resolved, event_date, sentence_start,"
                " sentence_end, sentence, confidence, actor_sector, recipient_sector, location, mention_triggers,"
                " actor_countries, recipient_countries)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (article_id, e.id, e.type, e.mode, e.context,
                 e.actor.name if e.actor else None, e.actor.country if e.actor else None,
                 party_key(e.actor) or None,
                 e.recipient.name if e.recipient else None, e.recipient.country if e.recipient else None,
                 party_key(e.recipient) or None, e.object.text if e.object else None,
                 e.object.cls if e.object else None,
                 e.object.quantity if e.object else None, e.status, e.trigger.text,
                 e.time.text if e.time else None, e.time.resolved if e.time else None, event_day(e, published),
                 e.sentence[0] if e.sentence else None, e.sentence[1] if e.sentence else None,
                 sentence_text(report, e), e.confidence, party_sector(e.actor), party_sector(e.recipient),
                 e.location.text if e.location else None, mention_triggers(e),
                 party_countries(e.actor), party_countries(e.recipient)),
            )
            self.conn.executemany(
                "INSERT INTO event_attributions(event_id, attribution_id, attribution, role) VALUES (?, ?, ?, ?)",
                [(cur.lastrowid, aid, attribution_rows.get(aid), role) for aid, role in event_roles(e, report)],
            )

    def _insert_provenance(self, article_id: int, report: Report) -> None:
        self.conn.executemany(
            "INSERT INTO provenance_claims VALUES (?, ?, ?, ?, ?, ?)",
            [(article_id, p.outlet, p.claim, p.attribution, p.span[0], p.span[1]) for p in report.signals.provenance],
        )


def _wal(conn: sqlite3.Connection, *, seconds: float = 30.0) -> None:
    """WAL mode. Switching needs a moment alone with the file and SQLite does not wait for it: two
    ingests opening a new ledger at once would see "database is locked", so retry for a while."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _migrate_once(conn: sqlite3.Connection) -> None:
    """Migrate; when two processes create the same new ledger, the second waits on the first's
    ``BEGIN IMMEDIATE`` and then finds the tables made ("already exists"): it reads the new version and
    goes on instead of failing."""
    for attempt in range(5):
        try:
            migrate(conn)
            return
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if "already exists" not in str(exc) or attempt == 4:
                raise


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (including KeyboardInterrupt)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:  # SQLite rolls back by itself on some errors (a full disk)
            self.conn.execute("ROLLBACK")


transaction = _transaction
