"""What each page shows, assembled from the query results (no SQL here, no HTML but the drawn spans)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Optional

from ..ledger.queries import EvidenceReport, StoryDetail
from .evidence import Snippet, party_name, report_snippets
from .queries import Edge, ReportSource


@dataclass(frozen=True, slots=True)
class ReportView:
    report: EvidenceReport
    first: bool  # the story's first report
    copy_of: Optional[int]  # article id of the original when this article is a syndicated copy
    similarity: Optional[float]
    snippets: tuple[Snippet, ...]


def story_reports(detail: StoryDetail, first_article: Optional[int], sources: dict[int, ReportSource],
                  copies: dict[int, tuple[int, float]]) -> list[ReportView]:
    out, marked = [], False
    for r in detail.reports:
        first = not marked and r.role == "backs" and r.article_id == first_article
        marked = marked or first
        src = sources.get(r.event_id)
        roles = {a.attribution_id: a.role for a in r.sources}
        snippets = tuple(report_snippets(src.text, src.report, src.local_id, roles)) if src else ()
        copy = copies.get(r.article_id)
        out.append(ReportView(r, first, copy[0] if copy else None, copy[1] if copy else None, snippets))
    return out


def story_json(detail: StoryDetail, first_article: Optional[int], copies: dict[int, tuple[int, float]]) -> dict[str, Any]:
    data = detail.to_dict()
    data["story"]["first_article_id"] = first_article
    for r in data["reports"]:
        copy = copies.get(r["article_id"])
        r["copy_of_article"] = copy[0] if copy else None
    return data


def network_json(edges: list[Edge]) -> dict[str, Any]:
    """Nodes (parties) and edges (actor -> recipient by type) for the graph and the API."""
    nodes: dict[str, dict[str, Any]] = {}
    for e in edges:
        for key in (e.actor, e.recipient):
            node = nodes.setdefault(key, {"id": key, "name": party_name(key), "stories": 0, "independent_sources": 0})
            node["stories"] += e.stories
            node["independent_sources"] += e.independent_sources
    return {"nodes": sorted(nodes.values(), key=lambda n: n["id"]), "edges": [asdict(e) for e in edges]}
