"""Stories out of the ledger: JSONL (full evidence), CSV (one row a story), a flat GDELT-style CSV (one
row a report and source), GraphML, PLOVER JSONL.

Each writer takes an open ledger connection and a text stream and returns the number of stories written.
"""
from __future__ import annotations

import csv
import json
import re
import sqlite3
from dataclasses import fields
from typing import Any, Callable, Optional, TextIO
from xml.sax.saxutils import XMLGenerator

from .queries import StoryRow, get_story, list_stories
from .revive import report_from_dict

FORMATS = ("jsonl", "csv", "reports-csv", "graphml", "plover")


def export(conn: sqlite3.Connection, fmt: str, out: TextIO) -> int:
    writers: dict[str, Callable[[sqlite3.Connection, TextIO], int]] = {
        "jsonl": export_jsonl, "csv": export_csv, "reports-csv": export_reports_csv, "graphml": export_graphml,
        "plover": export_plover,
    }
    return writers[fmt](conn, out)


def export_jsonl(conn: sqlite3.Connection, out: TextIO) -> int:
    stories = list_stories(conn)
    for story in stories:
        out.write(json.dumps(get_story(conn, story.id).to_dict(), ensure_ascii=False) + "\n")
    return len(stories)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: one line, and a leading = + - @ (which Excel, LibreOffice
    and Sheets would run as a formula: CSV injection) behind a quote mark, as OWASP recommends."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = " ".join(value.split())
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_csv(conn: sqlite3.Connection, out: TextIO) -> int:
    stories = list_stories(conn)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in fields(StoryRow)])
    for story in stories:
        writer.writerow([cell(getattr(story, f.name)) for f in fields(StoryRow)])
    return len(stories)


REPORT_COLUMNS = ("date", "actor", "recipient", "type", "mode", "sentence", "source", "source_type", "stance",
                  "outlet", "url", "published", "title", "story_id", "role", "event_status", "actor_key",
                  "recipient_key", "actor_country", "recipient_country", "actor_sector", "recipient_sector",
                  "object", "object_class", "trigger", "location", "actor_countries", "recipient_countries")


def export_reports_csv(conn: sqlite3.Connection, out: TextIO) -> int:
    """One row per report of a story and per source backing or denying it (a report without a source is
    one row with an empty source): the flat table an analyst loads into a spreadsheet or pandas."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    rows = conn.execute(
        "SELECT e.event_date, e.actor_name, e.recipient_name, e.type, e.mode, e.sentence, a.source_text,"
        " a.source_type, a.stance, ar.outlet, ar.url, ar.published, ar.title, sr.story_id, sr.role, e.status,"
        " e.actor_key, e.recipient_key, e.actor_country, e.recipient_country, e.actor_sector, e.recipient_sector,"
        " e.object_text, e.object_class, e.trigger, e.location, e.actor_countries, e.recipient_countries"
        " FROM story_reports sr JOIN events e ON e.id = sr.event_id JOIN articles ar ON ar.id = e.article_id"
        " LEFT JOIN event_attributions ea ON ea.event_id = e.id LEFT JOIN attributions a ON a.id = ea.attribution"
        " ORDER BY e.event_date IS NULL, e.event_date, ar.id, e.local_id, ea.rowid")
    stories = set()
    for row in rows:
        writer.writerow([cell(v) for v in row])
        stories.add(row[13])
    return len(stories)


def export_graphml(conn: sqlite3.Connection, out: TextIO) -> int:
    """Parties, stories and sources as nodes; actor -> story -> recipient, source -backs/denies-> story.

    Written by a real XML writer (the standard library's streaming XMLGenerator, which escapes text and
    attributes); characters XML 1.0 cannot hold at all are dropped first."""
    stories = list_stories(conn)
    keys = [("kind", "node"), ("label", "node"), ("type", "node"), ("status", "node"), ("reports", "node"),
            ("independent_sources", "node"), ("denials", "node"), ("first_date", "node"), ("role", "edge")]
    nodes: dict[str, dict[str, object]] = {}
    edges: list[tuple[str, str, str]] = []
    for s in stories:
        story_node = f"story:{s.id}"
        nodes[story_node] = {"kind": "story", "label": _story_label(s), "type": s.type, "status": s.status,
                             "reports": s.reports, "independent_sources": s.independent_sources,
                             "denials": s.denials, "first_date": s.first_date or ""}
        for party, role in ((s.actor_key, "actor"), (s.recipient_key, "recipient")):
            if party:
                nodes.setdefault(f"party:{party}", {"kind": "party", "label": party})
                edges.append((f"party:{party}", story_node, role) if role == "actor" else (story_node, f"party:{party}", role))
    for story_id, key, role, label in conn.execute(
        "SELECT story_id, source_key, role, label FROM story_sources ORDER BY story_id, role, source_key"
    ):
        nodes.setdefault(f"source:{key}", {"kind": "source", "label": label})
        edges.append((f"source:{key}", f"story:{story_id}", role))

    xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)

    def element(name: str, attrs: dict[str, str], text: Optional[str] = None, indent: str = "") -> None:
        xml.ignorableWhitespace(indent)
        xml.startElement(name, {k: _xml(v) for k, v in attrs.items()})
        if text is not None:
            xml.characters(_xml(text))
        xml.endElement(name)

    xml.startDocument()
    xml.startElement("graphml", {"xmlns": "http://graphml.graphdrawing.org/xmlns"})
    for name, domain in keys:
        kind = "int" if name in ("reports", "independent_sources", "denials") else "string"
        element("key", {"id": name, "for": domain, "attr.name": name, "attr.type": kind}, indent="\n  ")
    xml.ignorableWhitespace("\n  ")
    xml.startElement("graph", {"id": "ledger", "edgedefault": "directed"})
    for node_id, data in nodes.items():
        xml.ignorableWhitespace("\n    ")
        xml.startElement("node", {"id": _xml(node_id)})
        for k, v in data.items():
            element("data", {"key": k}, str(v))
        xml.endElement("node")
    for n, (src, dst, role) in enumerate(edges):
        xml.ignorableWhitespace("\n    ")
        xml.startElement("edge", {"id": f"e{n}", "source": _xml(src), "target": _xml(dst)})
        element("data", {"key": "role"}, role)
        xml.endElement("edge")
    xml.ignorableWhitespace("\n  ")
    xml.endElement("graph")
    xml.ignorableWhitespace("\n")
    xml.endElement("graphml")
    xml.ignorableWhitespace("\n")
    xml.endDocument()
    return len(stories)


_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    """Characters XML 1.0 cannot carry at all (control characters, lone surrogates) dropped; the rest
    is escaped by the caller."""
    return _NOT_XML.sub("", text)


def _story_label(s: StoryRow) -> str:
    return f"{s.type} {s.actor_key or '?'} -> {s.recipient_key or '?'} ({s.object_class or 'object unknown'})"


def export_plover(conn: sqlite3.Connection, out: TextIO) -> int:
    """One PLOVER record per story: the record of its first backing report (according.export.plover),
    under the story's id, with the story's corroboration under ``according.ledger``."""
    stories = list_stories(conn)
    for s in stories:
        out.write(json.dumps(plover_record(conn, s), ensure_ascii=False) + "\n")
    return len(stories)


def plover_record(conn: sqlite3.Connection, s: StoryRow) -> dict[str, Any]:
    from ..export.plover import report_to_plover

    reports = conn.execute(
        "SELECT e.local_id, sr.role, ar.report_json, ar.text, ar.external_id, ar.outlet, ar.published, ar.title"
        " FROM story_reports sr JOIN events e ON e.id = sr.event_id JOIN articles ar ON ar.id = e.article_id"
        " WHERE sr.story_id = ? ORDER BY sr.role, ar.published IS NULL, ar.published, ar.id, e.local_id", (s.id,)
    ).fetchall()
    local_id, _, report_json, text = reports[0][:4]  # backs sorts before denies
    report = report_from_dict(json.loads(report_json), text)
    record = next((r for r in report_to_plover(report) if r["id"].endswith(f"-{local_id}")), None)
    record = dict(record) if record is not None else {"event": s.type}
    record["id"] = s.id
    if not record.get("date"):
        record["date"] = s.first_date  # the story's earliest dated report, when its first report has none
    sources = conn.execute(
        "SELECT label, source_type, role, reports, is_party FROM story_sources WHERE story_id = ?"
        " ORDER BY role, source_key", (s.id,)).fetchall()
    ledger = {
        "status": s.status, "report_count": s.reports, "articles": s.articles,
        "independent_sources": s.independent_sources, "denials": s.denials,
        "first_published": s.first_published, "first_outlet": s.first_outlet,
        "lines": [{"source": label, "type": kind, "role": role, "reports": n, "party": bool(party)}
                  for label, kind, role, n, party in sources],
        "reports": [{"article_id": r[4], "outlet": r[5], "published": r[6], "title": r[7], "event": r[0],
                     "role": r[1]} for r in reports],
    }
    record["according"] = {**record.get("according", {}), "ledger": ledger}
    return record
