"""Token features for the event tagger: the parse around a word, what the lexicons and the rules say of it.

The same function feeds training (``train/train_event_crf.py``) and tagging, so the two cannot drift.
Features are strings (python-crfsuite's attribute form). What the rule extractor coded at a word is one
feature among others: the tagger learns on real news when to trust the rules and when not.
"""
from __future__ import annotations

from typing import Mapping

from spacy.tokens import Span

from ..doc_views import Columns, columns, entities_in
from .lexicon import EventLexicon

ROLE_CHILDREN = frozenset({"nsubj", "nsubjpass", "dobj", "agent", "dative", "xcomp", "ccomp", "neg", "aux", "auxpass", "poss", "compound", "amod", "prt"})
PARTY_ENTS = frozenset({"GPE", "NORP", "ORG", "PERSON"})
# Who does it and to what, as words: "defended the city" is fighting, "defended the decision" is support;
# "forces" and "protesters" as subjects say which kind of act a verb is.
PARTY_DEPS = {"nsubj": "s", "nsubjpass": "o", "dobj": "o", "agent": "s"}


def sentence_features(sent: Span, lexicon: EventLexicon, rule_types: Mapping[int, frozenset[str]],
                      lexicon_types: Mapping[int, str]) -> list[list[str]]:
    """One feature list per token of the sentence."""
    has_party = any(e.label_ in PARTY_ENTS for e in entities_in(sent))
    cols = columns(sent.doc)
    return [_token_features(cols, i, sent.start, sent.end, lexicon, rule_types, lexicon_types, has_party)
            for i in range(sent.start, sent.end)]


def _token_features(cols: Columns, i: int, start: int, end: int, lexicon: EventLexicon,
                    rule_types: Mapping[int, frozenset[str]], lexicon_types: Mapping[int, str], has_party: bool) -> list[str]:
    lemma = cols.lemma[i]
    pos = cols.pos[i]
    dep = cols.dep[i]
    f = ["b", "l=" + lemma, "p=" + pos, "t=" + cols.tag[i], "d=" + dep, "pd=" + pos + "|" + dep]
    if pos not in ("NOUN", "VERB", "PROPN", "ADJ"):
        return f  # events live on content words; keep the rest cheap
    head = cols.head[i]
    head_lemma = cols.lemma[head]
    f += ["hl=" + head_lemma, "hd=" + cols.dep[head], "hp=" + cols.pos[head]]
    for t in rule_types.get(i, ()):
        f.append(f"rule={t}")
    lex = lexicon_types.get(i)
    if lex is not None:
        f += [f"lex={lex}", f"lex|p={lex}|{pos}"]
    hlex = lexicon_types.get(head)
    if hlex is not None and head != i:
        f.append(f"hlex={hlex}")
    for t in lexicon.petrarch_types.get(lemma, ()) if pos == "VERB" else ():
        f.append(f"pv={t}")
    for c in cols.children(i):
        c_dep = cols.dep[c]
        if c_dep in ROLE_CHILDREN:
            f.append("c=" + c_dep)
            if c_dep in ("nsubj", "nsubjpass", "agent", "dobj", "poss") and cols.ent_type[c]:
                f.append(f"c={c_dep}|{cols.ent_type[c]}")
            if c_dep == "agent":  # "by" itself: the party is its object
                c = next((g for g in cols.children(c) if cols.dep[g] == "pobj"), c)
            if c_dep in PARTY_DEPS:
                f += _party_features(cols, c, PARTY_DEPS[c_dep], lexicon)
        elif c_dep == "prep":
            f.append("prep=" + cols.lower[c])
            obj = next((g for g in cols.children(c) if cols.dep[g] == "pobj"), None)
            if obj is not None and cols.ent_type[obj]:
                f.append(f"prep={cols.lower[c]}|{cols.ent_type[obj]}")
    if pos == "NOUN":
        f += _noun_object_features(cols, i, lexicon)
    if lemma in lexicon.speech_verbs:
        f.append("speech")
    if head_lemma in lexicon.speech_verbs and dep in ("ccomp", "xcomp"):
        f.append("reported")
    if not has_party:
        f.append("no_party_in_sentence")
    if cols.ent_type[i]:
        f.append("ent=" + cols.ent_type[i])
    if i > start:
        f.append("l-1=" + cols.lemma[i - 1])
    if i + 1 < end:
        f.append("l+1=" + cols.lemma[i + 1])
    return f


def _party_features(cols: Columns, c: int, role: str, lexicon: EventLexicon) -> list[str]:
    """The head word of a subject or object, and the object class the lexicon gives it (weapon, troops...)."""
    out = [f"{role}={cols.lemma[c]}"]
    found = lexicon.objects.get(cols.lemma[c])
    if found is not None:
        out.append(f"{role}g={found.group or found.cls}")
    return out


def _noun_object_features(cols: Columns, i: int, lexicon: EventLexicon) -> list[str]:
    """An event noun's object after "of"/"on"/"against" ("the capture of the town", "an attack on
    troops"), read as a verb's object."""
    for c in cols.children(i):
        if cols.dep[c] == "prep" and cols.lower[c] in ("of", "on", "against"):
            obj = next((g for g in cols.children(c) if cols.dep[g] == "pobj"), None)
            if obj is not None:
                return _party_features(cols, obj, "o", lexicon)
    return []
