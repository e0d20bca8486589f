"""From a stored analyzer report (schema according/1) to the spans the pages draw. Pure functions."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable, Optional

from markupsafe import Markup

from .spans import Span, render

SOURCE_TYPES = ("named_person", "official_organization", "media", "anonymous", "document", "unknown")


def _span(obj: Optional[dict[str, Any]]) -> Optional[tuple[int, int]]:
    if not obj or not obj.get("span"):
        return None
    start, end = obj["span"]
    return int(start), int(end)


def attribution_spans(a: dict[str, Any], *, denies: bool = False) -> list[Span]:
    """Source, cue and content of one attribution (a denial's cue is marked as such)."""
    aid = a.get("id", "")
    source = a.get("source") or {}
    stype = source.get("type") or "unknown"
    out = []
    if (s := _span(source)) is not None:
        out.append(Span(*s, "SOURCE", "source", f"{aid} source ({stype.replace('_', ' ')})"))
    if (s := _span(a.get("cue"))) is not None:
        deny = denies or a.get("stance") == "denied"
        out.append(Span(*s, "CUE" + (" · DENIES" if deny else ""), "deny" if deny else "cue",
                        f"{aid} cue, {a.get('stance', '')}, {a.get('quote', '')} quote"))
    if (s := _span(a.get("content"))) is not None:
        out.append(Span(*s, "CONTENT", "content", f"{aid} content"))
    return out


def event_spans(e: dict[str, Any], href: Optional[str] = None) -> list[Span]:
    """Triggers (the first and every later mention), parties and object of one event; the triggers
    link to its story when it has one."""
    eid = e.get("id", "")
    out = []
    title = f"{eid} {e.get('type', '')} {e.get('status', '')}"
    for mention in [e.get("trigger")] + list(e.get("mentions") or []):  # every trigger reporting this event
        if (s := _span(mention)) is not None:
            out.append(Span(*s, e.get("type", "EVENT"), "event", title, href))
    for role, label in (("actor", "ACTOR"), ("recipient", "RECIPIENT")):
        party = e.get(role) or {}
        if (s := _span(party)) is not None:
            country = party.get("country") or "?"
            out.append(Span(*s, label, "party", f"{eid} {role}: {party.get('name') or party.get('text')} ({country})"))
    if (s := _span(e.get("object"))) is not None:
        out.append(Span(*s, "OBJECT", "object", f"{eid} object ({(e.get('object') or {}).get('class') or 'unclassed'})"))
    return out


@dataclass(frozen=True, slots=True)
class Snippet:
    """A stretch of the article (whole sentences) with its spans drawn."""
    start: int
    end: int
    html: Markup


def _merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def report_snippets(text: str, report: dict[str, Any], event_local_id: str,
                    roles: dict[str, str]) -> list[Snippet]:
    """The event's sentence and the sentences of the attributions behind it (``roles``: id -> backs/denies),
    with the event, its parties and each attribution's source, cue and content drawn."""
    event = next((e for e in report.get("events", []) if e.get("id") == event_local_id), None)
    attributions = {a.get("id"): a for a in report.get("attributions", [])}
    spans: list[Span] = []
    ranges: list[tuple[int, int]] = []
    if event is not None:
        spans += event_spans(event)
        if event.get("sentence"):
            ranges.append(tuple(event["sentence"]))  # type: ignore[arg-type]
    for aid, role in roles.items():
        a = attributions.get(aid)
        if a is None:
            continue
        spans += attribution_spans(a, denies=role == "denies")
        if a.get("sentence"):
            ranges.append(tuple(a["sentence"]))  # type: ignore[arg-type]
    if not ranges:
        return []
    return [Snippet(a, b, render(text, spans, a, b)) for a, b in _merge_ranges(ranges)]


def article_html(text: str, report: dict[str, Any], story_href: Callable[[str], Optional[str]]) -> Markup:
    """The whole article with every attribution and event drawn; ``story_href(event id)`` links events."""
    spans: list[Span] = []
    for a in report.get("attributions", []):
        spans += attribution_spans(a)
    for e in report.get("events", []):
        spans += event_spans(e, story_href(e.get("id", "")))
    return render(text, spans)


BODIES = {"UNO": "United Nations", "EUR": "European Union", "IGO": "international body"}  # CAMEO codes (docs/schema.md)


@lru_cache(maxsize=4096)
def party_name(key: Optional[str]) -> str:
    """A readable name for a party key: the country's name for an ISO 3166 alpha-3 code (or an
    international body's for its CAMEO code), else the key itself."""
    if not key:
        return "?"
    if key in BODIES:
        return BODIES[key]
    if len(key) == 3 and key.isupper():
        import pycountry

        country = pycountry.countries.get(alpha_3=key)
        if country is not None:
            return getattr(country, "common_name", None) or country.name
    return key
