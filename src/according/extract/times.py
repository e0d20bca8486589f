"""Time expressions, resolved against the article's published date.

One compiled pattern scans the text once; each match is resolved by a small rule. Without a published
date, relative expressions ("on Friday", "last week") stay unresolved rather than guessed; absolute ones
("March 5, 2024", "in 2023") resolve on their own. Arithmetic that leaves the years 1-9999 ("3000 years
ago", "for 1000000 days", "tomorrow" on 9999-12-31) leaves the expression unresolved too.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterator, Optional

from spacy.tokens import Doc

from ..records import TimeExpression
from .doc_views import text as doc_text

_MONTHS = [m.lower() for m in calendar.month_name[1:]]
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
_DAYS = [d.lower() for d in calendar.day_name]
_MONTH_RE = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_DAY_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": None, "few": None}
_UNITS = r"(?:day|week|month|year|decade)s?"
_QUANT = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few)"
_HEDGE = r"(?:(?:almost|nearly|about|around|more than|over|roughly|some|at least|less than)\s+)?"
_MAX_QUANTITY_DIGITS = 6  # "for 1000000 days" reaches past any date; longer numbers are not times

# Order matters: longer, more specific alternatives first.
_PATTERN = re.compile(
    r"\b(?:"
    rf"(?P<month_of_rel>(?:in\s+)?(?P<m1>{_MONTH_RE})\s+(?:of\s+)?(?P<rel1>last|this|next)\s+year)"
    rf"|(?P<rel_month>(?P<rel2>last|this|next)\s+(?P<m2>{_MONTH_RE}))(?!\w)"
    rf"|(?P<full_date>(?:on\s+)?(?:(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m3>{_MONTH_RE})|(?P<m4>{_MONTH_RE})\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?)(?:,?\s+(?P<y3>(?:19|20)\d\d))?)(?![\w-])"
    rf"|(?P<month_year>(?:in\s+)?(?P<m5>{_MONTH_RE})\s+(?P<y5>(?:19|20)\d\d))"
    rf"|(?P<iso>(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d))"
    rf"|(?P<weekday>(?:(?:on|last|this|next|early|late)\s+)?(?P<wd>{_DAY_RE})(?:\s+(?:morning|afternoon|evening|night))?)"
    rf"|(?P<month>in\s+(?:early\s+|mid-|late\s+)?(?P<m6>{_MONTH_RE}))(?!\s+\d)"
    rf"|(?P<year>(?:in|during)\s+(?P<y7>(?:19|20)\d\d))(?![\w-])"
    rf"|(?P<since_year>since\s+(?P<y11>(?:19|20)\d\d))(?![\w-])"
    rf"|(?P<duration>for\s+{_HEDGE}(?P<q8>{_QUANT})\s+(?P<u8>{_UNITS}))"
    rf"|(?P<ago>{_HEDGE}(?P<q9>{_QUANT})\s+(?P<u9>{_UNITS})\s+ago)"
    rf"|(?P<rel_unit>(?:earlier\s+|later\s+)?(?P<rel10>last|this|next|earlier this|later this)\s+(?P<u10>week|month|year))"
    r"|(?P<deictic>yesterday|today|tonight|tomorrow)"
    r"|(?P<vague>recently|lately|in recent (?:days|weeks|months)|earlier|previously)"
    r")\b",
    re.IGNORECASE,
)
# Every match of _PATTERN starts at a word whose whole \w+ run is one of these (each alternative's first word
# is followed by a space, a dot or a word boundary), or that starts with a digit or holds a non-ASCII letter
# (Unicode case folding). Trying the pattern only at such words finds what finditer finds, at a fifth of the
# cost: most words start none of its alternatives. Keep this in step with _PATTERN (tests/test_times_scan.py).
_FIRST_WORDS = frozenset(
    _MONTHS + list(_MONTH_ABBR) + ["sep"] + _DAYS + list(_NUMBER_WORDS)
    + "in on last this next early late for almost nearly about around more over roughly some at less earlier later "
      "yesterday today tonight tomorrow recently lately previously since during".split())
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Context:
    published: Optional[dt.date]
    future: bool


def extract_times(doc: Doc, published: Optional[str] = None) -> Iterator[TimeExpression]:
    """Every time expression in ``doc``, resolved against ``published`` (ISO date) where it can be."""
    reference = dt.date.fromisoformat(published) if published else None
    for match in scan(doc_text(doc)):
        if not _names_capitalized(match):
            continue
        kind_resolved = _resolve(match, _Context(reference, _is_future(doc, match.start())))
        if kind_resolved is None:
            continue
        kind, resolved = kind_resolved
        yield TimeExpression(text=match.group(0), span=(match.start(), match.end()), resolved=resolved, kind=kind)


def scan(text: str) -> Iterator[re.Match[str]]:
    """``_PATTERN.finditer(text)``, trying the pattern only at the words that can start a match."""
    match_at = _PATTERN.match
    end = 0
    for word in _WORD.finditer(text):
        start = word.start()
        if start < end:
            continue
        token = word.group()
        if token.isascii() and not token[0].isdigit() and token.lower() not in _FIRST_WORDS:
            continue
        match = match_at(text, start)
        if match is not None:
            end = match.end()
            yield match


def _is_future(doc: Doc, char: int) -> bool:
    """Whether the clause the expression sits in is about the future ("will meet on Friday")."""
    token = doc.char_span(char, char + 1, alignment_mode="expand")
    if token is None or not len(token):
        return False
    head = token.root
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return any(child.lower_ in ("will", "shall", "'ll") for child in head.children) or head.lower_ in ("will", "shall")


_KIND_OF_GROUP = {"month_of_rel": "month", "rel_month": "month", "full_date": "date", "month_year": "month",
                  "iso": "date", "weekday": "date", "month": "month", "year": "year", "since_year": "interval", "duration": "interval",
                  "ago": "date", "deictic": "date", "vague": "vague"}


def _resolve(m: re.Match[str], ctx: _Context) -> Optional[tuple[str, Optional[str]]]:
    try:
        return _resolve_match(m, ctx)
    except (OverflowError, ValueError):  # past the calendar's range (years 1-9999): unresolved, not wrong
        kind = m.lastgroup or "date"
        if kind == "rel_unit":
            kind = {"week": "interval", "month": "month", "year": "year"}[m.group("u10").lower()]
        return _KIND_OF_GROUP.get(kind, "date"), None


def _resolve_match(m: re.Match[str], ctx: _Context) -> Optional[tuple[str, Optional[str]]]:
    kind = m.lastgroup
    pub = ctx.published
    group = m.group
    if kind == "month_of_rel" or kind == "rel_month":
        month = _month(group("m1") or group("m2"))
        rel = (group("rel1") or group("rel2")).lower()
        if pub is None:
            return "month", None
        if kind == "month_of_rel":
            year = pub.year + {"last": -1, "this": 0, "next": 1}[rel]
        else:  # "last March": the most recent March before the reference month
            year = {"last": pub.year if month < pub.month else pub.year - 1, "this": pub.year,
                    "next": pub.year if month > pub.month else pub.year + 1}[rel]
        return "month", _month_text(year, month)
    if kind == "full_date":
        month = _month(group("m3") or group("m4"))
        day = int(group("d3") or group("d4"))
        year = int(group("y3")) if group("y3") else _nearest_year(pub, month, ctx.future)
        return ("date", _safe_date(year, month, day)) if year else ("date", None)
    if kind == "month_year":
        return "month", f"{int(group('y5')):04d}-{_month(group('m5')):02d}"
    if kind == "iso":
        return "date", _safe_date(int(group("iy")), int(group("im")), int(group("id")))
    if kind == "weekday":
        return "date", _weekday(pub, _DAYS.index(group("wd").lower()), m.group(0).lower(), ctx.future)
    if kind == "month":
        month = _month(group("m6"))
        year = _nearest_year(pub, month, ctx.future)
        return "month", (_month_text(year, month) if year else None)
    if kind == "year":
        return "year", group("y7")
    if kind == "since_year":  # "since 2015": from that year to the article's day
        return "interval", f"{group('y11')}-01-01/{pub.isoformat() if pub else '..'}"
    if kind == "duration":
        return "interval", _interval_back(pub, group("q8"), group("u8"))
    if kind == "ago":
        start = _interval_back(pub, group("q9"), group("u9"))
        return "date", start.split("/")[0] if start else None
    if kind == "rel_unit":
        return _relative_unit(pub, group("rel10").lower(), group("u10").lower())
    if kind == "deictic":
        offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[group(0).lower()]
        return "date", (pub + dt.timedelta(days=offset)).isoformat() if pub else None  # may overflow: see _resolve
    if kind == "vague":
        # "recently": some time before publication; an open-start ISO 8601 interval says just that.
        return "vague", f"../{pub.isoformat()}" if pub else None
    return None


def _month_text(year: int, month: int) -> str:
    """``YYYY-MM``; a year outside 1-9999 is no calendar date (ValueError: the caller leaves it unresolved)."""
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ValueError(f"year {year} is out of range")
    return f"{year:04d}-{month:02d}"


def _month(name: str) -> int:
    return _MONTH_ABBR[name.lower().rstrip(".")[:3]]


_NAME_GROUPS = ("m1", "m2", "m3", "m4", "m5", "m6", "wd")


def _names_capitalized(m: re.Match[str]) -> bool:
    """Month and day names are capitalized in news copy; "may" and "march" in lower case are verbs."""
    return all(m.group(g)[0].isupper() for g in _NAME_GROUPS if m.group(g))


def _nearest_year(pub: Optional[dt.date], month: int, future: bool) -> Optional[int]:
    """A month without a year: the latest one not after publication (or the next one, for the future)."""
    if pub is None:
        return None
    if future:
        return pub.year if month >= pub.month else pub.year + 1
    return pub.year if month <= pub.month else pub.year - 1


def _safe_date(year: int, month: int, day: int) -> Optional[str]:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _weekday(pub: Optional[dt.date], weekday: int, text: str, future: bool) -> Optional[str]:
    if pub is None:
        return None
    if text.startswith("next") or future:
        ahead = (weekday - pub.weekday()) % 7 or 7
        return (pub + dt.timedelta(days=ahead)).isoformat()
    back = (pub.weekday() - weekday) % 7
    if text.startswith("last") and back == 0:
        back = 7
    return (pub - dt.timedelta(days=back)).isoformat()


def _quantity(word: str) -> int:
    word = word.lower()
    if word.isdigit():
        if len(word) > _MAX_QUANTITY_DIGITS:
            raise ValueError(f"quantity {word[:12]}... is too large for a time")
        return int(word)
    number = _NUMBER_WORDS.get(word.split()[-1] if word.startswith("a few") else word)
    return number if number is not None else 3  # "several", "a few": about three


def _interval_back(pub: Optional[dt.date], quantity: str, unit: str) -> Optional[str]:
    if pub is None:
        return None
    n = _quantity(quantity)
    unit = unit.lower().rstrip("s")
    if unit in ("day", "week"):
        start = pub - dt.timedelta(days=n * (7 if unit == "week" else 1))
    else:
        months = n * {"month": 1, "year": 12, "decade": 120}[unit]
        total = pub.year * 12 + pub.month - 1 - months
        start = dt.date(total // 12, total % 12 + 1, min(pub.day, 28))  # ValueError before year 1: see _resolve
    return f"{start.isoformat()}/{pub.isoformat()}"


def _relative_unit(pub: Optional[dt.date], rel: str, unit: str) -> tuple[str, Optional[str]]:
    kind = {"week": "interval", "month": "month", "year": "year"}[unit]
    if pub is None:
        return kind, None
    shift = {"last": -1, "next": 1}.get(rel, 0)
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=shift)
        return kind, f"{monday.isoformat()}/{(monday + dt.timedelta(days=6)).isoformat()}"
    if unit == "month":
        total = pub.year * 12 + pub.month - 1 + shift
        return kind, _month_text(total // 12, total % 12 + 1)
    return kind, _month_text(pub.year + shift, 1)[:4]
