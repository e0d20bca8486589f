"""Noun cues: "Trump's claim that ...", "reports by News Corp that ...", "rumours that ...".

A noun from the lexicon attributes the "that" clause it heads (or that completes the clause it is the
subject or object of: "the position was that ...", "fears are growing that ..."). Its source is the
possessor ("Trump's"), a name or body before it ("the US announcement", "the government position"), or
the "by"/"from"/"of" phrase after it ("reports by News Corp", "the demands of the opposition");
otherwise no one is named ("claims that ...").
"""
from __future__ import annotations

from typing import Iterator, Optional

from spacy.tokens import Span, Token

from ..doc_views import words_in
from .lexicon import AttributionLexicon
from .rules import RawAttribution, TokRange, _extend_to_quotes, plausible_source, trim

SOURCE_PREPS = ("by", "from", "of")
NAME_ENTS = ("PERSON", "ORG", "NORP", "GPE")
MAX_GAP = 3  # tokens between the noun and a "that" clause hung on its verb ("reports by X on Friday that")


def _that_clause(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.left_edge.lower_ == "that" and tok.left_edge.pos_ == "SCONJ"


def _content_clause(noun: Token, lexicon: AttributionLexicon) -> Optional[Token]:
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp", "appos") and child.i > noun.i and _that_clause(child):
            return child
    head = noun.head
    if noun.dep_ in ("nsubj", "dobj", "attr") and head.i != noun.i and head.lemma_.lower() not in lexicon.cue_verbs:
        for child in head.children:
            if child.dep_ == "ccomp" and child.i > noun.i and _that_clause(child) and _completes(noun, head, child):
                return child
    return None


def _completes(noun: Token, verb: Token, clause: Token) -> bool:
    """The "that" clause hung on the noun's verb completes the noun: "the position was that ...", "fears
    are growing that ...", "followed reports by X on Friday that ..." (a few tokens after the object)."""
    if noun.dep_ == "nsubj":
        return verb.lemma_ == "be" or (verb.i < clause.left_edge.i and not any(c.dep_ == "dobj" for c in verb.children))
    return clause.left_edge.i - noun.right_edge.i - 1 <= MAX_GAP


def _without_case(tok: Token) -> Optional[TokRange]:
    """A possessor's words without its "'s"."""
    idx = [t.i for t in tok.subtree if t.dep_ != "case"]
    return (min(idx), max(idx) + 1) if idx else None


def _noun_source(noun: Token, lexicon: AttributionLexicon) -> Optional[TokRange]:
    doc = noun.doc
    for child in noun.children:
        if child.dep_ == "poss":
            # "Holm stood by his remarks that ...": the name, not the pronoun
            return (_light_verb_subject(noun, lexicon) if child.pos_ == "PRON" else None) or _without_case(child)
    for child in noun.lefts:
        if child.dep_ in ("compound", "amod", "nmod") and (child.ent_type_ in NAME_ENTS or child.pos_ == "PROPN"
                                                            or child.lemma_.lower() in lexicon.institution_heads):
            return trim(doc, (child.left_edge.i, child.i + 1))
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ in SOURCE_PREPS:
            objects = [o for o in child.children if o.dep_ == "pobj"]
            if objects and plausible_source(objects[0], lexicon) and objects[0].pos_ != "PRON":
                return trim(doc, (objects[0].left_edge.i, objects[0].right_edge.i + 1))
    return _light_verb_subject(noun, lexicon)


def _light_verb_subject(noun: Token, lexicon: AttributionLexicon) -> Optional[TokRange]:
    """"Morrison stood by previous comments that ...", "the delegation edged towards an admission that
    ...": the one who makes, stands by or moves towards the statement. Not after a cue verb: who
    rejects "claims that ..." is not who claims."""
    verb = noun.head
    if noun.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head
    elif noun.dep_ != "dobj":
        return None
    if verb.pos_ != "VERB" or verb.lemma_.lower() in lexicon.cue_verbs or verb.lemma_.lower() in lexicon.as_verbs:
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lower_ == "it" or not plausible_source(subject, lexicon):
        return None
    return trim(noun.doc, (subject.left_edge.i, subject.right_edge.i + 1))




def find_noun_cues(sent: Span, lexicon: AttributionLexicon) -> Iterator[RawAttribution]:
    """Every noun cue of the sentence with a "that" clause (see the module's docstring)."""
    doc = sent.doc
    for noun in words_in(sent, "NOUN", lexicon.that_nouns):
        clause = _content_clause(noun, lexicon)
        if clause is None:
            continue
        start = clause.left_edge.i + 1  # after "that" (parsed as a mark or an adverb)
        content = trim(doc, (start, clause.right_edge.i + 1)) if start <= clause.i else None
        yield RawAttribution(cue=(noun.i, noun.i + 1), source=_noun_source(noun, lexicon),
                             content=_extend_to_quotes(doc, content), cue_head=noun.i, confident=True)
