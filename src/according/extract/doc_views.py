"""Views of the parse that several extractors read: the entities, the sentences, the text, built once per Doc.

spaCy builds each afresh on every access: ``doc.ents`` and ``span.ents`` make a Span per entity of the
whole document, ``doc.text`` joins every token. Read per sentence or per mention, that cost grows with
the square of the article. These functions build each view once and keep it in ``doc.user_data`` (as the
actor resolver keeps its name table), and give the same values as the spaCy properties they stand for.
"""
from __future__ import annotations

from bisect import bisect_left

from typing import Optional

from spacy.tokens import Doc, Span, Token

ENTS_KEY = "according.ents"  # (the entities, their start tokens)
SENTS_KEY = "according.sents"
TEXT_KEY = "according.text"


def entities(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``."""
    return _ents(doc)[0]


def entities_in(span: Span) -> list[Span]:
    """``span.ents``: the entities wholly inside the span, in text order."""
    ents, starts = _ents(span.doc)
    out = []
    for k in range(bisect_left(starts, span.start), len(ents)):  # the first entity starting in the span ...
        if ents[k].end > span.end:
            break  # ... and those after it, up to the first that runs past the span (spaCy stops there too)
        out.append(ents[k])
    return out


def sentences(doc: Doc) -> tuple[Span, ...]:
    """``tuple(doc.sents)``."""
    held = doc.user_data.get(SENTS_KEY)
    if held is None:
        held = doc.user_data[SENTS_KEY] = tuple(doc.sents)
    return held


def text(doc: Doc) -> str:
    """``doc.text``."""
    held = doc.user_data.get(TEXT_KEY)
    if held is None:
        held = doc.user_data[TEXT_KEY] = doc.text
    return held


def token_at(doc: Doc, offset: int) -> Optional[Token]:
    """The token holding the character at ``offset`` (or the next one, inside whitespace)."""
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _ents(doc: Doc) -> tuple[tuple[Span, ...], list[int]]:
    held = doc.user_data.get(ENTS_KEY)
    if held is None:
        ents = tuple(doc.ents)
        held = doc.user_data[ENTS_KEY] = (ents, [e.start for e in ents])
    return held
