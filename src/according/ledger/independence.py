"""Lines of reporting: which reports of a story are independent of one another.

Corroboration counts lines, not articles:
- a named source (person, official body, document, media outlet) is one line wherever it is quoted:
  Iran's foreign ministry quoted by five outlets is one voice;
- an anonymous or unattributed report is the outlet's own line; a syndicated or near-duplicate copy
  of an article counts as its original (see ``DuplicateGroups``);
- relaying is not reporting: an attribution nested in another (``parent``) replaces its parent, and an
  anonymous source nested in a media attribution, or in an article that says another outlet reported
  the event first (a provenance claim), belongs to that outlet's line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional, Sequence

NAMED_TYPES = ("named_person", "official_organization", "document", "media")

_LEADING = re.compile(r"^(the|a|an)\s+")
_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


def normalize_name(text: str) -> str:
    """Case-, article- and punctuation-insensitive name: 'The Wall Street Journal' == 'Wall Street Journal'."""
    text = _PUNCT.sub(" ", text.lower().replace("'s ", " ").replace("\u2019s ", " "))
    return _LEADING.sub("", _SPACE.sub(" ", text).strip())


@dataclass(frozen=True, slots=True)
class AttributionRow:
    local_id: str
    source_text: Optional[str]
    source_type: Optional[str]
    source_name: Optional[str]
    source_country: Optional[str]
    stance: str
    parent: Optional[str]
    content: Optional[str] = None
    cue: Optional[str] = None


@dataclass(frozen=True, slots=True)
class Line:
    """One line of reporting: ``key`` identifies it across the ledger; ``label`` is for people."""

    key: str
    label: str
    source_type: Optional[str]
    country: Optional[str] = None


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """What the line rules need to know about the article a report comes from."""

    outlet_line: Line  # the line an unattributed report in this article belongs to
    attributions: Mapping[str, AttributionRow]
    relayed_outlets: Mapping[Optional[str], str]  # provenance: attribution id (or None) -> outlet named first
    full_names: Mapping[str, str] = field(default_factory=dict)  # "straw" -> "jack straw" in this article
    not_sources: frozenset[str] = frozenset()  # normalized dateline and byline names


PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "his", "its", "their"})
_BYLINE = re.compile(r"^\s*by\s+", re.IGNORECASE)


_TITLES = re.compile(r"^(mr|mrs|ms|dr|sir|lord|lady|president|prime minister|minister|general|gen|colonel|col)\s+")


def full_name_map(names: Iterable[str]) -> dict[str, str]:
    """Within one article, a surname or a shorter form ("Straw", "Mr Straw") stands for the one full
    name that ends with it ("Jack Straw"); ambiguous short forms (two Smiths) map to nothing."""
    stripped = {_TITLES.sub("", normalize_name(n)) for n in names if n}
    full = {n for n in stripped if len(n.split()) >= 2}
    by_tail: dict[str, set[str]] = {}
    for name in full:
        words = name.split()
        for i in range(1, len(words)):
            by_tail.setdefault(" ".join(words[i:]), set()).add(name)
    return {tail: next(iter(names)) for tail, names in by_tail.items() if len(names) == 1}




def person_key(name: str, full_names: Mapping[str, str]) -> str:
    key = _TITLES.sub("", normalize_name(name))
    return full_names.get(key, key)


def outlet_line(outlet: Optional[str], fallback_id: str, fallback_label: Optional[str] = None) -> Line:
    """The outlet's own line; an article of unknown outlet is a line of its own."""
    if outlet and normalize_name(outlet):
        return Line(f"outlet:{normalize_name(outlet)}", outlet, "media")
    return Line(f"article:{fallback_id}", fallback_label or f"article {fallback_id}", "unknown")


def lines_for(attribution_ids: Sequence[str], ctx: ArticleContext) -> list[Line]:
    """The distinct lines behind a report backed (or denied) by these attributions of one article."""
    if not attribution_ids:
        return [_relayed_or_own(ctx, ())]
    chosen = set(attribution_ids)
    # a parent whose child also backs the report only relays it
    parents = {ctx.attributions[a].parent for a in chosen if a in ctx.attributions}
    lines: dict[str, Line] = {}
    for aid in attribution_ids:
        if aid in parents or aid not in ctx.attributions:
            continue
        line = _line_of(ctx.attributions[aid], ctx, attribution_ids)
        lines.setdefault(line.key, line)
    return list(lines.values()) or [_relayed_or_own(ctx, attribution_ids)]


def is_source_name(name: Optional[str], ctx: ArticleContext) -> bool:
    """A name that can be a line of reporting: not a bare pronoun, the dateline or a byline."""
    if not name or _BYLINE.match(name):
        return False
    key = normalize_name(name)
    return bool(key) and key not in PRONOUNS and key not in ctx.not_sources


PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})


def _order(local_id: str) -> int:
    digits = local_id.lstrip("a")
    return int(digits) if digits.isdigit() else 0


def _antecedent(row: AttributionRow, ctx: ArticleContext) -> Optional[AttributionRow]:
    """The source a pronoun source stands for ("the city's mayor said ... he said"): the nearest earlier
    attribution of the article with a named source ("he"/"she": a person), so one speaker is one line."""
    pronoun = normalize_name(row.source_text or "")
    if pronoun not in PRONOUNS:
        return None
    for earlier in sorted(ctx.attributions.values(), key=lambda r: _order(r.local_id), reverse=True):
        if _order(earlier.local_id) >= _order(row.local_id):
            continue
        if earlier.source_type not in NAMED_TYPES or not is_source_name(earlier.source_name or earlier.source_text, ctx):
            continue
        if pronoun in PERSON_PRONOUNS and earlier.source_type != "named_person":
            continue
        return earlier
    return None


def _line_of(row: AttributionRow, ctx: ArticleContext, report_ids: Sequence[str]) -> Line:
    antecedent = _antecedent(row, ctx)
    if antecedent is not None:
        return _line_of(antecedent, ctx, report_ids)
    name = row.source_name or row.source_text
    if row.source_type in NAMED_TYPES and is_source_name(name, ctx):
        assert name is not None
        if row.source_type == "media":
            return Line(f"outlet:{normalize_name(name)}", name, "media", row.source_country)
        if row.source_type == "named_person":
            # one person is one line: "Jack Straw", "Straw" and "Mr Straw" in one article, and the same
            # name in any article (whatever country the analyzer gave it)
            key = person_key(name, ctx.full_names)
            label = name if normalize_name(name) == key else key.title()
            return Line(f"source:{key}", label, row.source_type, row.source_country)
        # "the defence ministry" of Russia and of Ukraine are two sources
        where = f"@{row.source_country}" if row.source_country else ""
        return Line(f"source:{normalize_name(name)}{where}", name, row.source_type, row.source_country)
    media = _media_ancestor(row, ctx)
    if media is not None:
        return media
    own = _relayed_or_own(ctx, report_ids)
    label = f"{row.source_text or 'unnamed source'} (via {own.label})"
    return Line(own.key, label, row.source_type or "unknown")


def _media_ancestor(row: AttributionRow, ctx: ArticleContext) -> Optional[Line]:
    seen = {row.local_id}
    parent = row.parent
    while parent and parent in ctx.attributions and parent not in seen:
        seen.add(parent)
        up = ctx.attributions[parent]
        name = up.source_name or up.source_text
        if up.source_type == "media" and name and normalize_name(name):
            return Line(f"outlet:{normalize_name(name)}", name, "media")
        parent = up.parent
    return None


def _relayed_or_own(ctx: ArticleContext, report_ids: Iterable[str]) -> Line:
    """An article that credits another outlet with the report relays that outlet's line."""
    for aid in report_ids:
        if aid in ctx.relayed_outlets:
            return outlet_line(ctx.relayed_outlets[aid], "")
    if None in ctx.relayed_outlets:
        return outlet_line(ctx.relayed_outlets[None], "")
    return ctx.outlet_line


class DuplicateGroups:
    """Union-find over article ids; each group's root is its earliest article (published, then ingested)."""

    def __init__(self, order: Mapping[int, tuple]) -> None:
        self._order = order  # article id -> sort key (published or "~", article id)
        self._parent: dict[int, int] = {}

    def union(self, a: int, b: int) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return
        first, second = sorted((ra, rb), key=lambda i: self._order[i])
        self._parent[second] = first

    def root(self, a: int) -> int:
        path = []
        while a in self._parent:
            path.append(a)
            a = self._parent[a]
        for p in path:
            self._parent[p] = a
        return a
