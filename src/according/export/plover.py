"""PLOVER JSONL export: one record per event, in the field's shape, with the sourcing kept.

The PLOVER fields (id, date, actor, recipient, event, mode, context, event_text, text, text_info,
cite_info) are filled from the report; everything PLOVER has no place for (who says so, how firmly,
who denies it, the event's status and object) goes under one extra key, "according". See docs/events.md.
"""
from __future__ import annotations

import hashlib
from typing import Any, Iterator, Optional

from ..records import Actor, Attribution, Event, Report

PLOVER_VERSION = "2.0"


def report_to_plover(report: Report) -> Iterator[dict[str, Any]]:
    """PLOVER records for the events of one report, in report order."""
    attributions = {a.id: a for a in report.attributions}
    article_key = _article_key(report)
    for event in report.events:
        yield _record(event, report, attributions, article_key)


def _article_key(report: Report) -> str:
    if report.article.id:
        return report.article.id
    return hashlib.sha1(report.text.encode("utf-8")).hexdigest()[:12]


def _record(event: Event, report: Report, attributions: dict[str, Attribution], article_key: str) -> dict[str, Any]:
    sentence = event.sentence or event.trigger.span
    return {
        "id": f"{article_key}-{event.id or event.trigger.span[0]}",
        "date": _date(event, report),
        "actor": _party(event.actor),
        "recipient": _party(event.recipient),
        "event": event.type,
        "mode": event.mode or "",
        "context": event.context or "",
        "event_text": event.trigger.text,
        "text": report.text[sentence[0]:sentence[1]],
        "text_info": {
            "sentence": list(sentence),
            "trigger": list(event.trigger.span),
            "actor": list(event.actor.span) if event.actor else None,
            "recipient": list(event.recipient.span) if event.recipient else None,
            "object": list(event.object.span) if event.object else None,
            "location": list(event.location.span) if event.location else None,
        },
        "cite_info": {
            "article_id": report.article.id,
            "title": report.article.title,
            "outlet": report.article.outlet,
            "url": report.article.url,
            "published": report.article.published,
        },
        "version": PLOVER_VERSION,
        "according": _according(event, attributions),
    }


def _date(event: Event, report: Report) -> Optional[str]:
    """The event's own day when the text gives one, else the publication date."""
    if event.time is not None and event.time.resolved and len(event.time.resolved) == 10:
        return event.time.resolved
    return report.article.published


def _party(actor: Optional[Actor]) -> Optional[dict[str, Any]]:
    if actor is None:
        return None
    # "codes": every member's country for a compound party ("Russia and Turkey"), else its one code
    return {"code": actor.country, "codes": list(actor.codes), "sector": actor.sector, "text": actor.text,
            "name": actor.name, "kind": actor.kind}


def _according(event: Event, attributions: dict[str, Attribution]) -> dict[str, Any]:
    return {
        "status": event.status,
        "object": event.object.to_dict() if event.object else None,
        "time": event.time.to_dict() if event.time else None,
        "confidence": event.confidence,
        "attributions": [_backing(attributions[a]) for a in event.attributions if a in attributions],
        "denied_by": [_backing(attributions[a]) for a in event.denied_by if a in attributions],
        "unattributed": not event.attributions,
    }


def _backing(attribution: Attribution) -> dict[str, Any]:
    source = attribution.source
    entity = source.entity if source else None
    return {
        "id": attribution.id,
        "source": source.text if source else None,
        "source_type": source.type if source else "unknown",
        "source_code": entity.country if entity else None,
        "source_sector": entity.sector if entity else None,
        "cue": attribution.cue.text,
        "stance": attribution.stance,
        "quote": attribution.quote,
        "channel": attribution.channel.text if attribution.channel else None,
    }
