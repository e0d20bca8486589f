"""Stories out of the ledger: JSONL (full evidence), CSV (one row a story), GraphML, PLOVER JSONL.

Each writer takes an open ledger connection and a text stream and returns the number of stories written.
"""
from __future__ import annotations

import csv
import json
import sqlite3
from dataclasses import fields
from typing import Any, Callable, TextIO
from xml.sax.saxutils import escape, quoteattr

from .queries import StoryRow, get_story, list_stories
from .revive import report_from_dict

FORMATS = ("jsonl", "csv", "graphml", "plover")


def export(conn: sqlite3.Connection, fmt: str, out: TextIO) -> int:
    writers: dict[str, Callable[[sqlite3.Connection, TextIO], int]] = {
        "jsonl": export_jsonl, "csv": export_csv, "graphml": export_graphml, "plover": export_plover,
    }
    return writers[fmt](conn, out)


def export_jsonl(conn: sqlite3.Connection, out: TextIO) -> int:
    stories = list_stories(conn)
    for story in stories:
        out.write(json.dumps(get_story(conn, story.id).to_dict(), ensure_ascii=False) + "\n")
    return len(stories)


def export_csv(conn: sqlite3.Connection, out: TextIO) -> int:
    stories = list_stories(conn)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in fields(StoryRow)])
    for story in stories:
        writer.writerow([getattr(story, f.name) for f in fields(StoryRow)])
    return len(stories)


def export_graphml(conn: sqlite3.Connection, out: TextIO) -> int:
    """Parties, stories and sources as nodes; actor -> story -> recipient, source -backs/denies-> story."""
    stories = list_stories(conn)
    keys = [("kind", "node"), ("label", "node"), ("type", "node"), ("status", "node"), ("reports", "node"),
            ("independent_sources", "node"), ("denials", "node"), ("first_date", "node"), ("role", "edge")]
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    for name, domain in keys:
        kind = "int" if name in ("reports", "independent_sources", "denials") else "string"
        out.write(f'  <key id="{name}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>\n')
    out.write('  <graph id="ledger" edgedefault="directed">\n')
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
    for node_id, data in nodes.items():
        out.write(f"    <node id={quoteattr(node_id)}>")
        out.write("".join(f'<data key="{k}">{escape(str(v))}</data>' for k, v in data.items()))
        out.write("</node>\n")
    for n, (src, dst, role) in enumerate(edges):
        out.write(f'    <edge id="e{n}" source={quoteattr(src)} target={quoteattr(dst)}>'
                  f'<data key="role">{role}</data></edge>\n')
    out.write("  </graph>\n</graphml>\n")
    return len(stories)


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
