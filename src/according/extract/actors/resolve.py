"""Actors: spans naming parties, normalized to a country (ISO 3166 alpha-3) and a sector.

The country comes from a name in the phrase (country, short name, adjective or demonym, capital,
unambiguous city, known organization), preferring the words that modify the head directly over those
inside a prepositional phrase ("Russia's ambassador to Poland" is Russian). The sector comes from an
organization at the head, the head noun ("soldiers" MIL), a title before a name ("President X" GOV) or an
apposition ("X, a spokeswoman for ..."). A bare name with no evidence borrows it from a fuller mention
of the same person earlier or later in the article ("Ukrainian President Volodymyr Zelensky" ... "Zelensky").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from spacy.tokens import Doc, Span, Token

from ...records import Actor
from .lexicon import MAX_NAME_TOKENS, ActorLexicon, NameEntry

__all__ = ["ActorLexicon", "extract_actors", "actor_for_span", "actor_for_token", "phrase_span"]

PLACE_KINDS = frozenset({"country", "demonym", "capital", "city"})
EMBEDDING_DEPS = frozenset({"prep", "agent", "relcl", "acl", "advcl", "pcomp", "ccomp", "xcomp"})
PHRASE_EXCLUDED_DEPS = frozenset({"relcl", "acl", "advcl", "conj", "cc", "ccomp", "xcomp", "mark", "case"})
# Heads that say little about the sector when a modifier says more ("intelligence officials" SPY).
GENERIC_HEADS = frozenset({
    "official", "officer", "agency", "office", "department", "member", "head", "chief", "source",
    "spokesman", "spokeswoman", "spokesperson", "delegation", "unit", "group", "leader", "force",
    "personnel", "staff", "service", "people", "man", "woman", "agent", "worker", "workers",
})
NEGATING_PREFIXES = frozenset({"pro", "anti", "non", "post"})
ACTOR_ENTITY_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON", "LOC", "FAC"})
PERSON_LABELS = frozenset({"PERSON"})


@dataclass(frozen=True, slots=True)
class NameMatch:
    start: int  # token index in the doc
    end: int
    entry: NameEntry


def find_names(span: Span, lexicon: ActorLexicon) -> list[NameMatch]:
    """Longest known names in the span, left to right."""
    doc = span.doc
    matches: list[NameMatch] = []
    i = span.start
    while i < span.end:
        token = doc[i]
        if token.lower_.replace("\u2019", "'") not in lexicon.first_words or _after_negating_prefix(token):
            if token.ent_type_ in ("GPE", "NORP") and token.pos_ == "PROPN":
                slip = lexicon.lookup_misspelled(token.text)  # "Ethopia has agreed ..."
                if slip is not None:
                    matches.append(NameMatch(i, i + 1, slip))
            i += 1
            continue
        best: Optional[NameMatch] = None
        for n in range(1, min(MAX_NAME_TOKENS, span.end - i) + 1):
            text = doc[i:i + n].text
            if n > 1 and not lexicon.could_start(text):
                break  # no known name begins with these words: stop growing the candidate
            entry = lexicon.lookup(text)
            if entry is not None and (entry.kind not in PLACE_KINDS or not _inside_longer_person(doc, i, i + n)):
                best = NameMatch(i, i + n, entry)
        if best is not None:
            matches.append(best)
            i = best.end
        else:
            i += 1
    return matches


def _after_negating_prefix(token: Token) -> bool:
    doc = token.doc
    return token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ in NEGATING_PREFIXES


def _entity_bounds(token: Token) -> tuple[int, int]:
    """Start and end of the named entity a token is in, read from the IOB tags."""
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def _inside_longer_person(doc: Doc, start: int, end: int) -> bool:
    token = doc[start]
    if token.ent_type_ not in PERSON_LABELS or token.pos_ != "PROPN":
        return False
    ent_start, ent_end = _entity_bounds(token)
    return max(ent_end, end) - min(ent_start, start) > end - start


def _embedded(token: Token, root: Token) -> bool:
    """Whether the token sits in a prepositional phrase or clause below the root of its phrase."""
    current = token
    steps = 0
    while current.i != root.i and steps < 50:
        if current.dep_ in EMBEDDING_DEPS:
            return True
        if current.head.i == current.i:
            return False
        current = current.head
        steps += 1
    return False


def phrase_span(token: Token) -> Span:
    """The noun phrase a token heads, without relative clauses, clauses and conjuncts."""
    lo = hi = token.i
    stack = [token]
    while stack:
        current = stack.pop()
        for child in current.children:
            if child.dep_ in PHRASE_EXCLUDED_DEPS or child.is_space:
                continue
            lo, hi = min(lo, child.i), max(hi, child.i)
            stack.append(child)
    doc = token.doc
    for child in token.children:  # a clause cut out of the phrase also cuts off what follows it
        if child.dep_ in PHRASE_EXCLUDED_DEPS and child.dep_ not in ("cc", "conj"):
            if child.i > token.i:
                hi = min(hi, child.left_edge.i - 1)
            else:
                lo = max(lo, child.right_edge.i + 1)
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space):
        hi -= 1
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    return doc[lo:hi + 1]


def _choose_country(matches: list[NameMatch], root: Token) -> Optional[NameMatch]:
    doc = root.doc
    with_country = [m for m in matches if m.entry.country]
    if not with_country:
        return None
    # "ethnic Albanians in south Serbia": an ethnic adjective names no state when a place is given
    ethnic = [m for m in with_country if m.start > 0 and doc[m.start - 1].lower_ == "ethnic"]
    for m in with_country:
        if m.start <= root.i < m.end and m.entry.kind in PLACE_KINDS and (m not in ethnic or len(with_country) == 1):
            return m
    if ethnic and len(ethnic) < len(with_country):
        with_country = [m for m in with_country if m not in ethnic] + ethnic
    direct = [m for m in with_country if not _embedded(doc[m.end - 1], root) and m not in ethnic]
    embedded = [m for m in with_country if m not in direct]
    embedded = [m for m in embedded if m not in ethnic] + [m for m in embedded if m in ethnic]
    for group in (direct, embedded):
        places = [m for m in group if m.entry.kind in PLACE_KINDS]
        if places:
            return places[0]
        if group:
            return group[0]
    return None


def _sector_word(token: Token, lexicon: ActorLexicon) -> Optional[str]:
    doc = token.doc
    if token.i > 1 and doc[token.i - 1].text == "-":  # "Secretary-General" is split by the tokenizer
        joined = lexicon.sector_of(f"{doc[token.i - 2].text}-{token.text}")
        if joined is not None:
            return joined.sector
    if token.i > 0:
        pair = lexicon.sector_of(f"{doc[token.i - 1].text} {token.text}")
        if pair is not None:
            return pair.sector
    for word in (token.text, token.lemma_):
        entry = lexicon.sector_of(word)
        if entry is not None:
            return entry.sector
    return None


def _choose_sector(span: Span, matches: list[NameMatch], lexicon: ActorLexicon) -> Optional[str]:
    root = span.root
    for m in matches:
        if m.start <= root.i < m.end:
            if m.entry.kind == "person":  # the article's title ("Senator X") beats the lexicon's default
                titled = _modifier_sector(root, span, lexicon)
                if titled:
                    return titled
            if m.entry.sector:
                return m.entry.sector
            if m.entry.kind == "capital" and m.end - m.start == len(span):
                return "GOV"  # a capital standing alone is its government ("Moscow said")
            if m.entry.kind in PLACE_KINDS:
                return None
    head_sector = _sector_word(root, lexicon) if root.ent_type_ not in PERSON_LABELS else None
    generic = root.lemma_.lower() in GENERIC_HEADS or root.lower_ in GENERIC_HEADS
    if head_sector and not generic:
        return head_sector
    if generic:  # "Red Cross officials" are the Red Cross's
        for m in matches:
            if m.entry.sector and m.entry.kind == "organization" and not _embedded(span.doc[m.end - 1], root):
                return m.entry.sector
    modifier = _modifier_sector(root, span, lexicon)
    if modifier:
        return modifier
    if head_sector:
        return head_sector
    for m in matches:
        if m.entry.sector and not _embedded(span.doc[m.end - 1], root):
            return m.entry.sector
    return None


def _modifier_sector(root: Token, span: Span, lexicon: ActorLexicon) -> Optional[str]:
    """Sector from a title before a name, a noun or adjective modifying the head, or an apposition."""
    before = [t for t in span if t.i < root.i and t.head.i == root.i and t.dep_ in ("compound", "amod", "nmod")]
    found = [s for s in (_sector_word(t, lexicon) for t in reversed(before)) if s]
    if found:  # "national intelligence agency officer": the specific sector over the generic GOV
        return next((s for s in found if s != "GOV"), found[0])
    for token in reversed([t for t in span if t.i < root.i and not t.is_punct]):
        sector = _sector_word(token, lexicon)
        if sector and not _embedded(token, root):
            return sector
    for child in root.children:
        if child.dep_ == "appos" and span.start <= child.i < span.end:
            sector = _sector_word(child, lexicon) or _modifier_sector(child, span, lexicon)
            if sector:
                return sector
    return None


def _kind(span: Span, country: Optional[NameMatch], matches: list[NameMatch]) -> str:
    root = span.root
    for m in matches:
        if m.start <= root.i < m.end:
            return "organization" if m.entry.kind == "organization" else (
                "person" if m.entry.kind == "person" else "country")
    if root.ent_type_ in PERSON_LABELS:
        return "person"
    if root.ent_type_ == "ORG":
        return "organization"
    if root.tag_ in ("NNS", "NNPS") or root.ent_type_ == "NORP":
        return "group"
    return "unknown" if country is None else "group"


def actor_for_span(span: Span, lexicon: ActorLexicon, *, use_other_mentions: bool = True) -> Optional[Actor]:
    """Normalize any span (an attribution's source, an event's argument) to an Actor, or None."""
    if len(span) == 0:
        return None
    matches = find_names(span, lexicon)
    country = _choose_country(matches, span.root)
    sector = _choose_sector(span, matches, lexicon)
    name = _name(span, matches)
    if country is None and use_other_mentions and (span.root.ent_type_ in PERSON_LABELS or span.root.pos_ == "PROPN"):
        other = _other_mention(span, lexicon)
        if other is not None:
            return Actor(span.text, (span.start_char, span.end_char), name, other.country,
                         sector or other.sector, "person")
    if country is None and sector is None:
        return None
    code = country.entry.country if country else None
    return Actor(span.text, (span.start_char, span.end_char), name, code, sector, _kind(span, country, matches))


def _name(span: Span, matches: list[NameMatch]) -> str:
    root = span.root
    for m in matches:
        if m.start <= root.i < m.end:
            return m.entry.name
    if root.ent_type_:
        start, end = _entity_bounds(root)
        return span.doc[max(start, span.start):min(end, span.end)].text
    text = span.text
    for article in ("the ", "The ", "a ", "A ", "an ", "An "):
        if text.startswith(article):
            return text[len(article):]
    return text


PERSON_INDEX_KEY = "according.person_countries"


def _person_countries(doc: Doc, surname: str, lexicon: ActorLexicon) -> list[tuple[int, Actor]]:
    """The PERSON mentions ending in ``surname`` whose own phrase names a country, in text order.

    Resolved once per surname per doc (kept in ``doc.user_data``), so each mention's lookup is a list
    walk, not a resolution of every other mention: 2,000 "Smith said" sentences stay linear.
    """
    index = doc.user_data.get(PERSON_INDEX_KEY)
    if index is None:
        index = {"ends": {}, "resolved": {}}
        for ent in doc.ents:
            if ent.label_ in PERSON_LABELS:
                index["ends"].setdefault(doc[ent.end - 1].text, []).append(ent.end - 1)
        doc.user_data[PERSON_INDEX_KEY] = index
    key = (id(lexicon), surname)
    resolved = index["resolved"].get(key)
    if resolved is None:
        resolved = []
        for last in index["ends"].get(surname, ()):
            other = actor_for_span(phrase_span(doc[last]), lexicon, use_other_mentions=False)
            if other is not None and other.country:
                resolved.append((last, other))
        index["resolved"][key] = resolved
    return resolved


def _other_mention(span: Span, lexicon: ActorLexicon) -> Optional[Actor]:
    """A fuller mention of the same person in the article, which names their country."""
    for last, other in _person_countries(span.doc, span.root.text, lexicon):
        if not span.start <= last < span.end:  # at most len(span) entries are skipped
            return other
    return None


def actor_for_token(token: Token, lexicon: ActorLexicon) -> Optional[Actor]:
    """The actor named by the noun phrase a token heads."""
    if token.pos_ == "PRON":
        return None
    return actor_for_span(phrase_span(token), lexicon)


def extract_actors(doc: Doc, lexicon: ActorLexicon) -> Iterator[Actor]:
    """Every noun phrase that names a party with a known country or sector, in text order."""
    seen_until = -1
    for chunk in _candidate_phrases(doc, lexicon):
        if chunk.start < seen_until:
            continue
        if not _names_a_party(chunk.root, lexicon):
            # "Russia's increasing strikes" is no party, but Russia is
            parts = [e for e in chunk.ents if e.label_ in ACTOR_ENTITY_LABELS]
        else:
            parts = [chunk]
        for part in parts:
            actor = actor_for_span(part, lexicon)
            if actor is not None:
                seen_until = chunk.end
                yield actor


def _names_a_party(root: Token, lexicon: ActorLexicon) -> bool:
    return (root.ent_type_ in ACTOR_ENTITY_LABELS or root.pos_ == "PROPN" or _sector_word(root, lexicon) is not None
            or lexicon.lookup(root.text) is not None)


def _candidate_phrases(doc: Doc, lexicon: ActorLexicon) -> Iterator[Span]:
    chunks = list(doc.noun_chunks)
    covered = set()
    spans: list[Span] = []
    for chunk in chunks:
        has_entity = any(t.ent_type_ in ACTOR_ENTITY_LABELS for t in chunk)
        if has_entity or _sector_word(chunk.root, lexicon):
            spans.append(chunk)
            covered.update(range(chunk.start, chunk.end))
    for ent in doc.ents:
        if ent.label_ in ACTOR_ENTITY_LABELS and ent.start not in covered:
            spans.append(ent)
    spans.sort(key=lambda s: (s.start, -s.end))
    return iter(spans)
