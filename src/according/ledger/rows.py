"""From a Report to the ledger's rows: party keys, event dates and the role of each attribution."""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

from ..records import Actor, Event, Report
from .independence import normalize_name

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def party_key(actor: Optional[Actor]) -> str:
    """The merge key of a party: its country code when known (Iran's army and Iran are one party
    for 'who supplies whom'), else its normalized name; "" when there is no party."""
    if actor is None:
        return ""
    if actor.country:
        return actor.country
    return normalize_name(actor.name or actor.text)


MAX_INTERVAL_DAYS = 31  # "last week" dates an event; "in the past year" does not


def parse_day(value: Optional[str]) -> Optional[date]:
    """A day from an ISO date, a month ('2024-09' -> 2024-09-01) or the start of a short interval
    ('2024-08-26/2024-09-01'); None for years, long intervals and vague times."""
    if not value:
        return None
    if "/" in value:
        start, _, end = value.partition("/")
        first, last = parse_day(start), parse_day(end)
        if first and last and 0 <= (last - first).days <= MAX_INTERVAL_DAYS and _DAY.match(start):
            return first
        return None
    m = _DAY.match(value)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = _MONTH.match(value)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return None
    return None


def event_day(event: Event, published: Optional[str]) -> Optional[str]:
    """When the event happened as far as the ledger can tell: its own resolved time when it is a day,
    a month or a short interval, else the article's published day, else unknown. An event whose own
    time is a year or a long span that does not reach the publication ("the sarin attack in 2013" in a
    2018 article) is not dated by the publication: it stays undated."""
    resolved = event.time.resolved if event.time else None
    day = parse_day(resolved)
    if day is None and resolved and published and not _reaches(resolved, published[:10]):
        return None
    day = day or parse_day(published)
    return day.isoformat() if day else None


def _reaches(resolved: str, published: str) -> bool:
    """Does a year ('2013') or an interval ('2023-09-07/2024-09-07', '../2024-09-07') include the day?"""
    start, _, end = resolved.partition("/")
    start = "" if start in ("", "..") else start
    end = end if end not in ("", "..") else (start if "/" not in resolved else "")
    return (not start or start[:len(published)] <= published[:len(start)]) and \
        (not end or published[:len(end)] <= end[:len(published)])


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
