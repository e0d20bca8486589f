"""Document signals: dateline, duplicated sentences, provenance claims, share of anonymous sources."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable, Iterable, Optional, Sequence

from spacy.tokens import Doc, Span

from ..records import Attribution, Event, Mention, Offsets, ProvenanceClaim, Signals
from .doc_views import entities_in, sentences, text as doc_text

# "TEHRAN:", "Tehran -", "WASHINGTON (Reuters) -", "LONDON, March 3 (AP) —" at the start of a line.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z'.\-]*(?:\s+[A-Z][A-Za-z'.\-]*){0,3})"
    r"(?:,\s+[A-Z][a-z]{2,9}\.?(?:\s+\d{1,2})?)?"
    r"(?:\s+\([A-Za-z .&-]{2,30}\))?"
    r"\s*(?::|\s[-–—])\s",
    re.MULTILINE,
)
_DATELINE_LINES = 3  # a dateline opens the body: the first lines after the title only
_MIN_DUPLICATE_WORDS = 5
_WORD = re.compile(r"\w+")

_FIRST_REPORT_CUE = re.compile(r"\b(?:was|were|is|are)\s+the\s+first\s+to\b|\bfirst\s+(?:reported|revealed|announced|broke)\b", re.I)
_FIRST_REPORTED_BY = re.compile(
    r"\b(?:as\s+)?first\s+(?:reported|revealed|disclosed)\s+by\s+(?P<outlet>(?:the\s+)?[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,4})"
)


def find_dateline(doc: Doc, is_place: Optional[Callable[[Span], bool]] = None) -> Optional[Mention]:
    """A place name opening one of the first body lines, followed by a colon or dash.

    A place is what the parser tags GPE/LOC, what ``is_place`` (the actor lexicon) knows, or all capitals.
    """
    text = doc_text(doc)
    limit = _nth_line_end(text, _DATELINE_LINES + 1)
    for match in _DATELINE.finditer(text, 0, limit):
        start, end = match.span("place")
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        if (text[start:end].isupper() or any(ent.label_ in ("GPE", "LOC") for ent in entities_in(span))
                or (is_place is not None and is_place(span))):
            return Mention(text=text[start:end], span=(start, end))
    return None


def _nth_line_end(text: str, n: int) -> int:
    end = -1
    for _ in range(n):
        end = text.find("\n", end + 1)
        if end < 0:
            return len(text)
    return end


def duplicate_sentences(doc: Doc) -> tuple[tuple[Offsets, ...], ...]:
    """Groups of sentences that say the same thing word for word (a copy-editing slip or a paste)."""
    groups: dict[str, list[Offsets]] = defaultdict(list)
    text = doc_text(doc)
    for sent in sentences(doc):
        start, end = _stripped(text, sent.start_char, sent.end_char)
        words = _WORD.findall(text[start:end].lower())  # on the string: far cheaper than token objects
        if len(words) >= _MIN_DUPLICATE_WORDS:
            groups[" ".join(words)].append((start, end))
    return tuple(tuple(spans) for spans in groups.values() if len(spans) > 1)


def _stripped(text: str, start: int, end: int) -> Offsets:
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return (start, end)


def provenance_claims(text: str, attributions: Sequence[Attribution]) -> tuple[ProvenanceClaim, ...]:
    """Who the article says reported first, and which media it relays."""
    claims: list[ProvenanceClaim] = []
    first_ids: set[str] = set()
    for attribution in attributions:
        source = attribution.source  # an unsourced attribution ("is believed to") names no outlet
        if source is None or source.text is None or source.span is None \
                or not _FIRST_REPORT_CUE.search(attribution.cue.text + " " + _after(text, attribution.cue.span)):
            continue
        first_ids.add(attribution.id)
        claims.append(ProvenanceClaim(outlet=source.text, span=source.span, claim="first_reported", attribution=attribution.id))
    for match in _FIRST_REPORTED_BY.finditer(text):
        outlet = match.group("outlet").rstrip(".")  # a sentence's full stop is not part of the name
        start = match.start("outlet")
        claims.append(ProvenanceClaim(outlet=outlet, span=(start, start + len(outlet)), claim="first_reported"))
    claims = list({_outlet_key(c.outlet): c for c in reversed(claims)}.values())[::-1]  # one claim per outlet, the first
    first_outlets = {_outlet_key(c.outlet) for c in claims}
    relayed: dict[str, ProvenanceClaim] = {}
    for attribution in attributions:
        source = attribution.source
        if source is None or source.text is None or source.span is None \
                or attribution.id in first_ids or source.type != "media":
            continue
        key = _outlet_key(source.text)
        if key not in first_outlets and key not in relayed:
            relayed[key] = ProvenanceClaim(outlet=source.text, span=source.span, claim="relayed", attribution=attribution.id)
    return tuple(claims) + tuple(relayed.values())


def _after(text: str, span: Offsets, width: int = 20) -> str:
    return text[span[1] : span[1] + width]


def _outlet_key(name: str) -> str:
    name = name.strip().lower()
    return name[4:] if name.startswith("the ") else name


def anonymous_share(attributions: Iterable[Attribution]) -> Optional[float]:
    typed = [a.source.type for a in attributions if a.named_source is not None]  # of the sources named
    if not typed:
        return None
    return round(sum(1 for t in typed if t == "anonymous") / len(typed), 3)


def document_signals(doc: Doc, attributions: Sequence[Attribution], events: Sequence[Event]) -> Signals:
    return Signals(
        duplicate_sentences=duplicate_sentences(doc),
        anonymous_share=anonymous_share(attributions),
        unattributed_events=sum(1 for e in events if not e.attributions),
        provenance=provenance_claims(doc_text(doc), attributions),
    )
