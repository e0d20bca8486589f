"""Where a resolved time sits against an article's publication day. Pure: no spaCy, shared by the
linker (which mentions may be one event) and the ledger (which day an event is filed under)."""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

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
    m = _DAY.match(value) or _MONTH.match(value)
    if m is None:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.re is _DAY else 1)
    except ValueError:
        return None


def reaches(resolved: str, published: str) -> bool:
    """Does a year ('2013') or an interval ('2023-09-07/2024-09-07', '../2024-09-07') include the day?"""
    start, _, end = resolved.partition("/")
    start = "" if start in ("", "..") else start
    end = end if end not in ("", "..") else (start if "/" not in resolved else "")
    return (not start or start[:len(published)] <= published[:len(start)]) and \
        (not end or published[:len(end)] <= end[:len(published)])


def around_publication(resolved: str, published: str, days: int = MAX_INTERVAL_DAYS) -> bool:
    """Could a mention with no time of its own ("the withdrawal") be the one dated ``resolved``? News
    tells an undated act as current: a day, month or short interval within ``days`` of publication, or a
    year or span that includes it, can be; "in 2015" in a 2018 article cannot."""
    first, pub = parse_day(resolved), parse_day(published[:10])
    if pub is None:
        return True  # nothing to compare with
    if first is None:
        return reaches(resolved, published[:10])
    last = _last_day(resolved, first)
    gap = (first - pub).days if pub < first else (pub - last).days if pub > last else 0
    return gap <= days


def _last_day(resolved: str, first: date) -> date:
    """The last day a day, month ('2024-09') or short interval covers."""
    if "/" in resolved:
        return parse_day(resolved.partition("/")[2]) or first
    if _MONTH.match(resolved):
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return first
