"""A "he" or "she" whose sentence names the speaker: the source is the name ("Mattis did not mention
Syria, but he warned that ..." -> Mattis; "The commander says he wants what, he believes, ..." -> the
commander). The pronoun stays the source when the sentence has no name for it, or inside a quotation,
where it is the speaker's own word for someone."""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from spacy.tokens import Doc, Token

from .lexicon import AttributionLexicon
from .quotes import quote_depth
from .rules import RawAttribution, TokRange

PERSONAL = frozenset({"he", "she"})
NOT_PERSONS = ("GPE", "LOC", "FAC", "ORG")


def _pronoun(doc: Doc, rng: Optional[TokRange]) -> bool:
    return rng is not None and rng[1] - rng[0] == 1 and doc[rng[0]].lower_ in PERSONAL


def _named_by_parent(doc: Doc, raw: RawAttribution, raws: list[RawAttribution], sent_start: int) -> Optional[TokRange]:
    """The source of the attribution whose content holds this cue, when it names someone in this sentence."""
    best = None
    for other in raws:
        if other is raw or other.content is None or other.source is None or _pronoun(doc, other.source):
            continue
        if other.content[0] <= raw.cue[0] < other.content[1] and sent_start <= other.source[0] and other.source[1] <= raw.source[0]:
            if best is None or other.content[1] - other.content[0] < best[1]:
                best = (other.source, other.content[1] - other.content[0])
    return best[0] if best else None


def _person_like(tok: Token, lexicon: AttributionLexicon) -> bool:
    if tok.ent_type_ == "PERSON":
        return True
    if tok.pos_ == "PROPN":
        return tok.ent_type_ not in NOT_PERSONS or any(
            c.dep_ == "appos" and c.lemma_.lower() in lexicon.role_heads for c in tok.children)
    return tok.pos_ == "NOUN" and tok.tag_ == "NN" and tok.lemma_.lower() in lexicon.role_heads


def _nearest_person(doc: Doc, pronoun: int, sent_start: int, lexicon: AttributionLexicon) -> Optional[TokRange]:
    """The person the sentence names last before the pronoun: the nearest subject that names a person
    (past other "he"s: "The commander says he wants ..., he believes"), else the nearest person's name."""
    for tok in reversed(doc[sent_start:pronoun]):
        if tok.dep_ != "nsubj":
            continue
        if tok.lower_ in PERSONAL or tok.tag_ in ("WP", "WDT"):
            continue  # another "he", or "who": the same person, look further back
        if _person_like(tok, lexicon):
            return _phrase(doc, tok)
        break
    for tok in reversed(doc[sent_start:pronoun]):
        if tok.pos_ == "PROPN" and tok.dep_ != "compound" and (tok.ent_type_ == "PERSON" or any(
                c.dep_ == "appos" and c.lemma_.lower() in lexicon.role_heads for c in tok.children)):
            return _phrase(doc, tok)
    return None


def _phrase(doc: Doc, tok: Token) -> TokRange:
    """The name or the noun phrase, without a trailing apposition or relative clause."""
    start = tok.left_edge.i
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ in ("prep",) and child.i == end:
            end = child.right_edge.i + 1
        else:
            break
    return (start, end)


def name_pronoun_sources(doc: Doc, raws: list[RawAttribution], lexicon: AttributionLexicon) -> list[RawAttribution]:
    if not any(_pronoun(doc, r.source) for r in raws):
        return raws
    quoted = quote_depth(doc)
    out = []
    for raw in raws:
        if _pronoun(doc, raw.source) and not quoted[raw.source[0]]:
            sent_start = doc[raw.source[0]].sent.start
            name = _named_by_parent(doc, raw, raws, sent_start) or _nearest_person(doc, raw.source[0], sent_start, lexicon)
            if name is not None:
                raw = replace(raw, source=name)
        out.append(raw)
    return out
