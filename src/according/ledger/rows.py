"""From a Report to the ledger's rows: party keys, event dates and the role of each attribution."""
from __future__ import annotations

from typing import Optional

from ..records import Actor, Event, Report
from ..timeline import parse_day, reaches
from .independence import normalize_name


def party_key(actor: Optional[Actor]) -> str:
    """The merge key of a party: its country code when known (Iran's army and Iran are one party
    for 'who supplies whom'), else its normalized name; "" when there is no party."""
    if actor is None:
        return ""
    if actor.country:
        return actor.country
    return normalize_name(actor.name or actor.text)


def event_day(event: Event, published: Optional[str]) -> Optional[str]:
    """When the event happened as far as the ledger can tell: its own resolved time when it is a day,
    a month or a short interval, else the article's published day, else unknown. An event whose own
    time is a year or a long span that does not reach the publication ("the sarin attack in 2013" in a
    2018 article) is not dated by the publication: it stays undated."""
    resolved = event.time.resolved if event.time else None
    day = parse_day(resolved)
    if day is None and resolved and published and not reaches(resolved, published[:10]):
        return None
    day = day or parse_day(published)
    return day.isoformat() if day else None


def event_roles(event: Event, report: Report) -> list[tuple[str, str]]:
    """(attribution id, 'backs' | 'denies') for every attribution linked to the event.

    A denied stance or a ``denied_by`` link denies; any other stance backs, including the sources of a
    negated event ("officials said the troops had not yet withdrawn" reports a negated event; it denies
    nothing). Whether a denial denies a *story* is the story rebuild's decision (stories.py).
    """
    stances = {a.id: a.stance for a in report.attributions}
    roles: dict[tuple[str, str], None] = {}
    for aid in event.attributions:
        roles[(aid, "denies" if stances.get(aid) == "denied" else "backs")] = None
    for aid in event.denied_by:
        roles[(aid, "denies")] = None
    return list(roles)


def sentence_text(report: Report, event: Event) -> Optional[str]:
    if event.sentence is None:
        return None
    start, end = event.sentence
    return report.text[start:end]


def party_sector(actor: Optional[Actor]) -> Optional[str]:
    return actor.sector if actor else None


def mention_triggers(event: Event) -> Optional[str]:
    """The event's other triggers in the article ("withdrawal", "pull out"), '|'-joined, or None."""
    texts = [m.text for m in event.mentions if m.text and m.text != event.trigger.text]
    return "|".join(dict.fromkeys(texts)) or None


def party_countries(actor: Optional[Actor]) -> Optional[str]:
    """A compound party's member countries, '|'-joined ('RUS|TUR'); None for a party of one country or none."""
    return "|".join(actor.countries) if actor is not None and actor.countries else None


def party_countries_from_dict(actor: Optional[dict]) -> Optional[str]:
    """``party_countries`` of a party's JSON form (reports made before compound parties have none)."""
    countries = (actor or {}).get("countries") or []
    return "|".join(countries) if countries else None


def event_columns_from_dict(e: dict) -> tuple[Optional[str], Optional[str], Optional[str], Optional[str]]:
    """(actor_sector, recipient_sector, location, mention_triggers) from an event's JSON form."""
    trigger = (e.get("trigger") or {}).get("text")
    texts = [m.get("text") for m in e.get("mentions") or [] if m.get("text") and m.get("text") != trigger]
    return ((e.get("actor") or {}).get("sector"), (e.get("recipient") or {}).get("sector"),
            (e.get("location") or {}).get("text"), "|".join(dict.fromkeys(texts)) or None)
