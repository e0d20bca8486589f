"""From raw token ranges to Attribution records: source type, antecedent, stance, quote type, nesting."""
from __future__ import annotations

from typing import Iterable, Iterator, Optional

from spacy.tokens import Doc, Span, Token

from ...records import Attribution, Mention, Source
from .lexicon import AttributionLexicon
from .rules import RawAttribution, TokRange

PRONOUNS = {"he": "PERSON", "she": "PERSON", "him": "PERSON", "her": "PERSON", "it": "ORG", "they": "ANY", "we": "ANY", "i": "ANY"}
DENIAL_WORDS = frozenset({"false", "untrue", "baseless", "fake", "lie", "nonsense", "ridiculous", "wrong", "inaccurate", "groundless"})
HEDGE_WORDS = frozenset({"reportedly", "allegedly", "apparently", "possibly", "perhaps", "probably", "likely", "unclear", "may", "might", "maybe", "seemingly", "purportedly"})
CONDITIONAL_WORDS = frozenset({"would", "if", "unless", "should"})
ORG_ENTS = ("ORG", "GPE", "NORP", "FAC")
ANTECEDENT_WINDOW = 400  # characters to look back for a pronoun's antecedent


def mention(doc: Doc, rng: Optional[TokRange]) -> Optional[Mention]:
    if rng is None:
        return None
    span = doc[rng[0]:rng[1]]
    return Mention(span.text, (span.start_char, span.end_char))


def _head(span: Span) -> Token:
    return span.root


def source_type(span: Span, lexicon: AttributionLexicon) -> str:
    """named_person | official_organization | media | anonymous | document | unknown, from the phrase."""
    head = _head(span)
    lemma = head.lemma_.lower()
    words = {t.lower_ for t in span}
    if head.pos_ == "PRON":
        return "unknown"
    if lemma in lexicon.anonymous_heads and head.pos_ != "PROPN":
        return "anonymous"
    if lemma in lexicon.document_heads and head.pos_ != "PROPN":
        return "document"
    proper = [t for t in span if t.pos_ == "PROPN"]
    if proper and (words & lexicon.media_words) and not any(t.ent_type_ == "PERSON" for t in span):
        return "media"
    if head.ent_type_ == "PERSON" or (proper and all(t.ent_type_ == "PERSON" for t in proper)):
        return "named_person"
    if head.ent_type_ in ORG_ENTS or any(t.ent_type_ in ORG_ENTS for t in proper) or lemma in lexicon.institution_heads:
        return "official_organization"
    if head.pos_ == "PROPN":
        return "named_person"
    return "unknown"


def _antecedent(doc: Doc, span: Span) -> Optional[Span]:
    """The nearest earlier named entity a pronoun or a definite "the official" can refer to."""
    head = _head(span)
    wanted = PRONOUNS.get(head.lower_) if head.pos_ == "PRON" else None
    definite = head.pos_ == "NOUN" and span[0].lower_ == "the" and len(span) <= 3
    if wanted is None and not definite:
        return None
    if wanted == "ANY" and head.lower_ in ("we", "i"):
        return None
    kinds = ("PERSON",) if wanted == "PERSON" or definite else ("ORG", "GPE", "NORP", "PERSON") if wanted == "ANY" else ORG_ENTS
    best = None
    for ent in doc.ents:
        if ent.end_char > span.start_char:
            break
        if ent.label_ in kinds and span.start_char - ent.start_char <= ANTECEDENT_WINDOW:
            best = ent
    return best


def _words(doc: Doc, rng: Optional[TokRange]) -> set[str]:
    if rng is None:
        return set()
    return {t.lower_ for t in doc[rng[0]:rng[1]]}


def stance(doc: Doc, raw: RawAttribution, lexicon: AttributionLexicon) -> str:
    """denied > conditional > hedged > asserted, from the cue verb and the words of the content."""
    verb = doc[raw.cue_head]
    entry = lexicon.cue_verbs.get(verb.lemma_.lower())
    content = _words(doc, raw.content)
    if entry is not None and entry.stance == "denied":
        return "denied"
    head_content = _words(doc, (raw.content[0], min(raw.content[1], raw.content[0] + 6))) if raw.content else set()
    if head_content & DENIAL_WORDS:
        return "denied"
    if content & CONDITIONAL_WORDS:
        return "conditional"
    nearby = _words(doc, (doc[raw.cue_head].sent.start, doc[raw.cue_head].sent.end))
    if content & HEDGE_WORDS or nearby & {"reportedly", "allegedly"} or (entry is not None and entry.stance == "hedged"):
        return "hedged"
    return "asserted"


def quote_type(text: str) -> str:
    marks = sum(text.count(q) for q in "\"“”")
    if not marks:
        return "indirect"
    body = text.rstrip(".,;:!? ")
    if text[:1] in "\"“" and body[-1:] in "\"”" and marks == 2:
        return "direct"
    return "mixed"


def _source(doc: Doc, rng: Optional[TokRange], lexicon: AttributionLexicon) -> Optional[Source]:
    if rng is None:
        return None
    span = doc[rng[0]:rng[1]]
    kind = source_type(span, lexicon)
    antecedent = _antecedent(doc, span)
    ante_mention = None
    if antecedent is not None:
        ante_mention = Mention(antecedent.text, (antecedent.start_char, antecedent.end_char))
        if kind in ("unknown", "anonymous"):
            kind = source_type(antecedent, lexicon)
    return Source(span.text, (span.start_char, span.end_char), kind, None, ante_mention)


def finish(doc: Doc, raws: Iterable[RawAttribution], lexicon: AttributionLexicon) -> Iterator[Attribution]:
    """Records in text order with ids a1, a2, ...; ``parent`` is the innermost content holding the cue."""
    ordered = sorted(raws, key=lambda r: (r.cue[0], r.cue[1]))
    ids = {k: f"a{k + 1}" for k in range(len(ordered))}
    for k, raw in enumerate(ordered):
        cue = mention(doc, raw.cue)
        content = mention(doc, raw.content)
        assert cue is not None
        parent = None
        best_len = None
        for j, other in enumerate(ordered):
            if j == k or other.content is None:
                continue
            if other.content[0] <= raw.cue[0] and raw.cue[1] <= other.content[1]:
                size = other.content[1] - other.content[0]
                if best_len is None or size < best_len:
                    parent, best_len = ids[j], size
        sent = doc[raw.cue_head].sent
        yield Attribution(
            source=_source(doc, raw.source, lexicon),
            cue=cue,
            content=content,
            quote=quote_type(content.text) if content else "indirect",
            stance=stance(doc, raw, lexicon),
            channel=mention(doc, raw.channel),
            parent=parent,
            sentence=(sent.start_char, sent.end_char),
            id=ids[k],
            content_fragments=tuple(m for m in (mention(doc, f) for f in raw.content_fragments) if m),
        )
