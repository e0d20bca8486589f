"""What the whole article tells about a mention that names no country itself.

Two readings a careful reader makes: a definite description refers back to an earlier, fuller one
("the Syrian regime" ... "regime forces"; "a US-led coalition" ... "the coalition"); and a party the
article leaves unplaced ("civilians", "the opposition", "Kurdish forces") is of the country the article
is about, when one country clearly dominates its places. Both are computed once per document and kept
in ``doc.user_data``.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Optional

from spacy.tokens import Doc, Span, Token

from ..doc_views import columns

LEMMA_INDEX_KEY = "according.lemma_positions"
HOME_KEY = "according.home_country"
PLACE_KEY = "according.home_place"
NON_STATE_CODES = frozenset({"UNO", "EUR", "IGO", "IMG", "NGO"})
INDEFINITE = frozenset({"a", "an", "another", "some", "any", "every", "each", "no"})
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
# A home country must be named this often, and this many times more often than the runner-up.
HOME_MIN_MENTIONS = 3
HOME_MARGIN = 1.5


def lemma_positions(doc: Doc) -> dict[str, list[int]]:
    """Where each noun and adjective lemma occurs, in text order, built once per document."""
    index = doc.user_data.get(LEMMA_INDEX_KEY)
    if index is None:
        index = {}
        cols = columns(doc)
        for i, (pos, lemma) in enumerate(zip(cols.pos, cols.lemma)):
            if pos in ("NOUN", "ADJ", "PROPN"):
                index.setdefault(lemma, []).append(i)
        doc.user_data[LEMMA_INDEX_KEY] = index
    return index


def refers_back(span: Span) -> bool:
    """A common-noun phrase that is not indefinite ("the president", "regime forces", not "a president")."""
    root = span.root
    if root.pos_ != "NOUN":
        return False
    return not any(t.dep_ == "det" and t.lower_ in INDEFINITE for t in root.children)


def anaphora_keys(span: Span, generic_heads: Iterable[str]) -> list[str]:
    """The words an earlier mention must share: the head ("the president"), unless it is generic, and the
    nouns modifying it ("regime forces" -> regime)."""
    root = span.root
    generic = frozenset(generic_heads)
    keys = [] if root.lemma_.lower() in generic or root.lower_ in generic else [root.lemma_.lower()]
    keys += [t.lemma_.lower() for t in root.children
             if t.dep_ in MODIFIER_DEPS and t.i < root.i and t.pos_ == "NOUN" and span.start <= t.i]
    return keys


def earlier_heads(span: Span, key: str, *, limit: int = 4) -> list[Token]:
    """The heads of the nearest earlier phrases using ``key`` (a modifier gives its head noun)."""
    doc = span.doc
    positions = [p for p in lemma_positions(doc).get(key, ()) if p < span.start]
    heads = []
    for p in reversed(positions[-limit:]):
        token = doc[p]
        heads.append(token.head if token.dep_ in MODIFIER_DEPS and token.head.i != token.i else token)
    return heads


def home_country(doc: Doc, countries: Iterable[Optional[str]]) -> Optional[str]:
    """The country the article is about: the most named one (places, people, bodies), when it leads
    clearly; ``countries`` lists the country of every name in the document, computed by the caller once."""
    return _leader(doc, HOME_KEY, countries)


def home_place(doc: Doc, places: Iterable[Optional[str]]) -> Optional[str]:
    """The country the article's action happens in: the one its places ("in Idlib", "across northern
    Syria") name most, when it leads clearly; ``places`` lists the country of every such place name. A
    story about Washington's or London's policy happens in Syria."""
    return _leader(doc, PLACE_KEY, places)


def _leader(doc: Doc, key: str, countries: Iterable[Optional[str]]) -> Optional[str]:
    if key in doc.user_data:
        return doc.user_data[key]
    counts = Counter(c for c in countries if c and c not in NON_STATE_CODES)
    ranked = counts.most_common(2)
    home = None
    if ranked and ranked[0][1] >= HOME_MIN_MENTIONS and (len(ranked) == 1 or ranked[0][1] >= HOME_MARGIN * ranked[1][1]):
        home = ranked[0][0]
    doc.user_data[key] = home
    return home
