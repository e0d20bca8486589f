"""Token features for the event tagger: the parse around a word, what the lexicons and the rules say of it.

The same function feeds training (``train/train_event_crf.py``) and tagging, so the two cannot drift.
Features are strings (python-crfsuite's attribute form). What the rule extractor coded at a word is one
feature among others: the tagger learns on real news when to trust the rules and when not.
"""
from __future__ import annotations

from typing import Mapping

from spacy.tokens import Span, Token

from ..doc_views import entities_in
from .lexicon import EventLexicon

ROLE_CHILDREN = frozenset({"nsubj", "nsubjpass", "dobj", "agent", "dative", "xcomp", "ccomp", "neg", "aux", "auxpass", "poss", "compound", "amod", "prt"})
PARTY_ENTS = frozenset({"GPE", "NORP", "ORG", "PERSON"})


def sentence_features(sent: Span, lexicon: EventLexicon, rule_types: Mapping[int, frozenset[str]],
                      lexicon_types: Mapping[int, str]) -> list[list[str]]:
    """One feature list per token of the sentence."""
    has_party = any(e.label_ in PARTY_ENTS for e in entities_in(sent))
    out: list[list[str]] = []
    tokens = list(sent)
    for k, tok in enumerate(tokens):
        out.append(_token_features(tok, k, tokens, lexicon, rule_types, lexicon_types, has_party))
    return out


def _token_features(tok: Token, k: int, tokens: list[Token], lexicon: EventLexicon,
                    rule_types: Mapping[int, frozenset[str]], lexicon_types: Mapping[int, str], has_party: bool) -> list[str]:
    lemma = tok.lemma_.lower()
    pos = tok.pos_
    f = ["b", f"l={lemma}", f"p={pos}", f"t={tok.tag_}", f"d={tok.dep_}", f"pd={pos}|{tok.dep_}"]
    if pos not in ("NOUN", "VERB", "PROPN", "ADJ"):
        return f  # events live on content words; keep the rest cheap
    head = tok.head
    f += [f"hl={head.lemma_.lower()}", f"hd={head.dep_}", f"hp={head.pos_}"]
    for t in rule_types.get(tok.i, ()):
        f.append(f"rule={t}")
    lex = lexicon_types.get(tok.i)
    if lex is not None:
        f += [f"lex={lex}", f"lex|p={lex}|{pos}"]
    hlex = lexicon_types.get(head.i)
    if hlex is not None and head.i != tok.i:
        f.append(f"hlex={hlex}")
    for t in lexicon.petrarch_types.get(lemma, ()) if pos == "VERB" else ():
        f.append(f"pv={t}")
    for c in tok.children:
        if c.dep_ in ROLE_CHILDREN:
            f.append(f"c={c.dep_}")
            if c.dep_ in ("nsubj", "nsubjpass", "agent", "dobj", "poss") and c.ent_type_:
                f.append(f"c={c.dep_}|{c.ent_type_}")
        elif c.dep_ == "prep":
            f.append(f"prep={c.lower_}")
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.ent_type_:
                f.append(f"prep={c.lower_}|{obj.ent_type_}")
    if lemma in lexicon.speech_verbs:
        f.append("speech")
    if head.lemma_.lower() in lexicon.speech_verbs and tok.dep_ in ("ccomp", "xcomp"):
        f.append("reported")
    if not has_party:
        f.append("no_party_in_sentence")
    if tok.ent_type_:
        f.append(f"ent={tok.ent_type_}")
    if k > 0:
        f.append(f"l-1={tokens[k - 1].lemma_.lower()}")
    if k + 1 < len(tokens):
        f.append(f"l+1={tokens[k + 1].lemma_.lower()}")
    return f
