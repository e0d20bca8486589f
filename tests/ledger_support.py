"""Hand-built one-event Reports and what the stories of a ledger hold, for the ledger's merge tests."""
from __future__ import annotations

import hashlib
import sqlite3
from typing import Optional

from according.ledger.store import Ledger
from according.ledger.stories import rebuild_stories
from according.records import Actor, ArticleInfo, Event, Mention, Report, TimeExpression

COUNTRIES = {"United States": "USA", "Syria": "SYR", "Iran": "IRN", "Russia": "RUS", "North Korea": "PRK",
             "Venezuela": "VEN"}


def mention(text: str, phrase: str) -> Mention:
    start = text.index(phrase)
    return Mention(phrase, (start, start + len(phrase)))


def party(text: str, name: str) -> Actor:
    """A government named in the text, coded from COUNTRIES."""
    m = mention(text, name)
    return Actor(name, m.span, name, COUNTRIES[name], "GOV", "country")


def report(text: str, outlet: str, published: str, *, etype: str, actor: str, recipient: str, trigger: str,
           status: str, time: Optional[tuple[str, str]] = None) -> Report:
    """One event in a one-sentence article; ``time``: (its phrase, what it resolves to)."""
    when = TimeExpression(time[0], mention(text, time[0]).span, time[1]) if time else None
    event = Event(etype, mention(text, trigger), party(text, actor), party(text, recipient), status=status,
                  time=when, sentence=(0, len(text)), id="e1")
    return Report(ArticleInfo(published=published, outlet=outlet), text, events=(event,))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def build(path, reports: list[Report]) -> Ledger:
    led = Ledger.open(path)
    for r in reports:
        led.add_report(r, content_hash=content_hash(r.text), origin=r.article.outlet)
    rebuild_stories(led.conn)
    return led


def stories(conn: sqlite3.Connection) -> list[list[str]]:
    """Each story's outlets, by story."""
    rows = conn.execute("SELECT sr.story_id, a.outlet FROM story_reports sr JOIN events e ON e.id = sr.event_id"
                        " JOIN articles a ON a.id = e.article_id ORDER BY sr.story_id, a.outlet").fetchall()
    out: dict[str, list[str]] = {}
    for story, outlet in rows:
        out.setdefault(story, []).append(outlet)
    return sorted(out.values())


def why(conn: sqlite3.Connection, outlet: str) -> str:
    return conn.execute("SELECT m.why FROM merge_clusters m JOIN events e ON e.id = m.event_id JOIN articles a"
                        " ON a.id = e.article_id WHERE a.outlet = ?", (outlet,)).fetchone()[0]
