"""From raw token ranges to Attribution records: source type, antecedent, stance, quote type, nesting."""
from __future__ import annotations

from typing import Iterable, Iterator, Optional

from spacy.tokens import Doc, Span, Token

from ...records import Actor, Attribution, Mention, Source
from ..actors import ActorLexicon, actor_for_span
from ..doc_views import columns, entities, sentence_of, span_text
from .lexicon import AttributionLexicon
from .rules import RawAttribution, TokRange, reduced_passive

PRONOUNS = {"he": "PERSON", "she": "PERSON", "him": "PERSON", "her": "PERSON", "it": "ORG", "they": "ANY", "we": "ANY", "i": "ANY"}
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "i", "me"})
DENIAL_WORDS = frozenset({"false", "untrue", "baseless", "fake", "lie", "nonsense", "ridiculous", "wrong", "inaccurate", "groundless"})
HEDGE_WORDS = frozenset({"reportedly", "allegedly", "apparently", "possibly", "perhaps", "probably", "likely", "unclear", "may", "might", "maybe", "seemingly", "purportedly", "could"})
HEDGE_MODALS = frozenset({"may", "might", "could"})
CONDITION_MARKS = frozenset({"if", "unless"})
HYPOTHETICAL_MODALS = frozenset({"would", "could", "will"})
ORG_ENTS = ("ORG", "GPE", "NORP", "FAC")
PLURAL_TAGS = ("NNS", "NNPS")
NAME_DEPS = ("compound", "flat", "nmod")  # the tokens that make up a name with its head
ANTECEDENT_WINDOW = 400  # characters to look back for a pronoun's antecedent
UNNAMED = Source(None, None, "unknown")  # "is believed to", "rumours that": typed, with no words


def mention(doc: Doc, rng: Optional[TokRange]) -> Optional[Mention]:
    if rng is None:
        return None
    span = doc[rng[0]:rng[1]]
    return Mention(span_text(span), (span.start_char, span.end_char))


def _head(span: Span) -> Token:
    """The phrase's head noun: the parse root, or its last noun before a comma or preposition when
    the root is not a noun ("Current and former US officials" parsed with "Current" as root)."""
    root = span.root
    if root.pos_ in ("NOUN", "PROPN", "PRON"):
        return root
    last = None
    for tok in span:
        if tok.pos_ in ("ADP", "PUNCT") and last is not None:
            break
        if tok.pos_ in ("NOUN", "PROPN"):
            last = tok
    return last or root


def people_surnames(doc: Doc) -> frozenset[str]:
    """Last words of the article's full person names: "Mattis" after "Jim Mattis" is a person."""
    return frozenset(doc[e.end - 1].text for e in entities(doc) if e.label_ == "PERSON" and len(e) > 1)


def _name_tokens(head: Token) -> list[Token]:
    """The head and the name parts before it ("The Irrawaddy Monitor" -> Irrawaddy, Monitor)."""
    return [c for c in head.lefts if c.dep_ in NAME_DEPS] + [head]


def _is_person_name(tok: Token, people: frozenset[str], actor: Optional[Actor]) -> bool:
    if actor is not None and actor.kind in ("organization", "country"):
        return False
    return (tok.ent_type_ == "PERSON" or (tok.pos_ == "PROPN" and tok.text in people)
            or (actor is not None and actor.kind == "person"))


def _appositive_person(head: Token, people: frozenset[str]) -> bool:
    """"the White House spokeswoman, Sarah Sanders": a role named by the person in apposition."""
    return any(c.dep_ == "appos" and c.pos_ == "PROPN" and _is_person_name(c, people, None) for c in head.children)


def _is_media(head: Token, lexicon: AttributionLexicon, actor: Optional[Actor]) -> bool:
    if actor is not None and actor.sector == "MED" and head.pos_ == "PROPN":
        return True
    lemma = head.lemma_.lower()
    compounds = [c.lemma_.lower() for c in head.lefts if c.dep_ == "compound"]
    if lemma in lexicon.media_heads or (compounds and f"{compounds[-1]} {lemma}" in lexicon.media_heads):
        return True
    if head.pos_ != "PROPN" or head.ent_type_ == "PERSON":
        return False
    return any(t.lower_ in lexicon.media_words for t in _name_tokens(head))


def _has_organization(head: Token, actors: Optional[ActorLexicon]) -> bool:
    """A spokesperson's body: "an FCO spokesperson", "the ministry's spokesman", "a spokesman for X"."""
    for child in head.children:
        if child.dep_ in ("compound", "poss", "nmod") and (child.ent_type_ in ORG_ENTS or child.pos_ == "PROPN"):
            return True
        if child.dep_ == "prep" and child.lower_ == "for":
            return any(o.ent_type_ in ORG_ENTS or o.pos_ == "PROPN" for o in child.subtree)
    return False


def source_type(span: Span, lexicon: AttributionLexicon, actors: Optional[ActorLexicon] = None,
                people: Optional[frozenset[str]] = None, actor: Optional[Actor] = None) -> str:
    """named_person | official_organization | media | anonymous | document | unknown, from the phrase.

    ``actors`` (the actor lexicon) and ``people`` (the article's surnames, ``people_surnames``) tell
    persons, bodies and outlets apart; ``actor`` is the span's actor when the caller has it already.
    """
    head = _head(span)
    lemma = head.lemma_.lower()
    if people is None:
        people = people_surnames(span.doc)
    if actor is None and actors is not None and head.pos_ != "PRON":
        actor = actor_for_span(span, actors)
    if head.pos_ == "PRON":
        return "named_person" if head.lower_ in PERSON_PRONOUNS else "unknown"
    plural = head.tag_ in PLURAL_TAGS
    if head.pos_ == "PROPN":
        if _is_media(head, lexicon, actor):
            return "media"
        if _is_person_name(head, people, actor):
            return "named_person"
        if head.ent_type_ in ORG_ENTS or (actor is not None and actor.kind in ("organization", "country")):
            # "The Kurds believed ...": a people speaking is not a body
            return "anonymous" if head.ent_type_ == "NORP" and plural else "official_organization"
        if lemma in lexicon.document_heads:
            return "document"
        return "anonymous" if plural else "named_person"
    if _appositive_person(head, people):
        return "named_person"
    if lemma in lexicon.document_heads:
        return "document"
    if _is_media(head, lexicon, actor):
        return "media"
    if lemma.startswith("spokes") and _has_organization(head, actors):
        return "official_organization"
    if head.lower_ in lexicon.anonymous_heads or lemma in lexicon.anonymous_heads:
        return "anonymous"
    if lemma in lexicon.role_heads:
        # "the prime minister" is one person the article identifies; "Kurdish commanders" are not
        return "anonymous" if plural else "named_person"
    if lemma in lexicon.institution_heads:
        return "official_organization"
    return "unknown"


def _antecedent(doc: Doc, span: Span, lexicon: AttributionLexicon) -> Optional[Span]:
    """The nearest earlier named entity a pronoun or a definite "the official" can refer to."""
    head = _head(span)
    wanted = PRONOUNS.get(head.lower_) if head.pos_ == "PRON" else None
    definite = (head.pos_ == "NOUN" and span[0].lower_ == "the" and len(span) <= 3
                and (head.lemma_.lower() in lexicon.role_heads or head.lemma_.lower() in lexicon.anonymous_heads)
                and head.tag_ not in PLURAL_TAGS)
    if wanted is None and not definite:
        return None
    if wanted == "ANY" and head.lower_ in ("we", "i"):
        return None
    kinds = ("PERSON",) if wanted == "PERSON" or definite else ("ORG", "GPE", "NORP", "PERSON") if wanted == "ANY" else ORG_ENTS
    best = None
    for ent in entities(doc):
        if ent.end_char > span.start_char:
            break
        if ent.label_ in kinds and span.start_char - ent.start_char <= ANTECEDENT_WINDOW:
            best = ent
    return best


def _words(doc: Doc, rng: Optional[TokRange]) -> set[str]:
    if rng is None:
        return set()
    lower = columns(doc).lower
    return {lower[i] for i in range(*rng)}


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _conditional(doc: Doc, rng: TokRange) -> bool:
    """A condition ("if", "unless") or a hypothetical ("any transfer would ...", "Granting X would ...")."""
    span = doc[rng[0]:rng[1]]
    lower = columns(doc).lower
    root = None
    for i in range(span.start, span.end):
        if lower[i] not in CONDITION_MARKS and lower[i] not in HYPOTHETICAL_MODALS:
            continue  # a Token only for the words that may matter
        tok = doc[i]
        if root is None:
            root = span.root
        if tok.lower_ in CONDITION_MARKS and _on_own_clause(tok, root):
            return True
        if tok.lower_ in HYPOTHETICAL_MODALS and tok.dep_ == "aux":
            verb = tok.head
            for subj in verb.children:
                if subj.dep_ == "csubj" or (subj.dep_ in ("nsubj", "nsubjpass")
                                            and (subj.tag_ == "VBG" or any(d.lower_ == "any" for d in subj.children))):
                    return True
    return False


def _on_own_clause(mark: Token, root: Token) -> bool:
    """A condition on the content's own clause ("X would close the border if ..."), not one inside the
    content of a report it relays ("officials said Thailand warned it would close the border if ...")."""
    clause = mark.head if mark.dep_ == "mark" else mark  # the parser also reads "if" as a preposition
    return clause.i == root.i or clause.head.i == root.i


def _hedged_content(doc: Doc, rng: TokRange) -> bool:
    """A hedge on the content's own clause ("he probably remains", "could have been killed"), not one
    buried in a relative clause further on."""
    span = doc[rng[0]:rng[1]]
    lower = columns(doc).lower
    root = None
    for i in range(span.start, span.end):
        if lower[i] not in HEDGE_WORDS:
            continue  # a Token only for the hedge words
        tok = doc[i]
        if root is None:
            root = span.root
        if tok.lower_ not in HEDGE_WORDS or (tok.lower_ in HEDGE_MODALS and tok.dep_ != "aux"):
            continue  # "by May" is a month
        if tok.head.i == root.i or tok.i == root.i or tok.head.head.i == root.i:
            return True
    return False


def _denial_word(doc: Doc, rng: TokRange, lexicon: AttributionLexicon) -> bool:
    """"false", "wrong" ... among the content's first words, saying a claim is untrue: not judging an
    act ("it would be wrong to send them there" opposes a plan; "wrong to suggest that ..." denies)."""
    lower = columns(doc).lower
    for i in range(*rng):
        if lower[i] not in DENIAL_WORDS:
            continue
        word = doc[i]
        acts = [c for holder in (word, word.head) for c in holder.children if c.dep_ == "xcomp" and c.i > word.i]
        if acts and all(act.lemma_.lower() not in lexicon.cue_verbs for act in acts):
            continue
        return True
    return False


def stance(doc: Doc, raw: RawAttribution, lexicon: AttributionLexicon) -> str:
    """denied > conditional > hedged > asserted, from the cue verb and the words of the content."""
    verb = doc[raw.cue_head]
    entry = lexicon.cue_verbs.get(verb.lemma_.lower())
    if entry is not None and entry.stance == "denied":
        return "denied"
    if entry is not None and entry.cls == "cognition" and any(c.dep_ == "neg" for c in verb.children) and not _passive(verb):
        return "denied"  # "we don't think he is there"
    if raw.content is not None and _denial_word(doc, (raw.content[0], min(raw.content[1], raw.content[0] + 6)), lexicon):
        return "denied"
    if raw.content is not None and _conditional(doc, raw.content):
        return "conditional"
    cols = columns(doc)
    nearby = _words(doc, (cols.sent_start[verb.i], cols.sent_end[verb.i]))
    if nearby & {"reportedly", "allegedly"} or (entry is not None and entry.stance == "hedged"):
        return "hedged"
    if raw.content is not None and _hedged_content(doc, raw.content):
        return "hedged"
    # "is believed to", "is thought to", "was reported to have": the writer relays an unsourced belief
    if entry is not None and (_passive(verb) or reduced_passive(verb, lexicon)) and raw.source is None:
        return "hedged"
    return "asserted"


def quote_type(text: str) -> str:
    marks = sum(text.count(q) for q in ("\"", "“", "”", "``", "''"))
    if not marks:
        return "indirect"
    body = text.rstrip(".,;:!? ")
    if text.startswith(("\"", "“", "``", "''")) and body.endswith(("\"", "”", "''")) and marks == 2:
        return "direct"
    return "mixed"


def _source(doc: Doc, rng: Optional[TokRange], lexicon: AttributionLexicon, actors: Optional[ActorLexicon],
            people: frozenset[str]) -> Source:
    if rng is None:
        return UNNAMED  # the guidelines' type for an attribution that names no one
    span = doc[rng[0]:rng[1]]
    actor = actor_for_span(span, actors) if actors is not None and _head(span).pos_ != "PRON" else None
    kind = source_type(span, lexicon, actors, people, actor)
    antecedent = _antecedent(doc, span, lexicon)
    ante_mention = None
    if antecedent is not None:
        ante_mention = Mention(span_text(antecedent), (antecedent.start_char, antecedent.end_char))
        if kind == "unknown":
            kind = source_type(antecedent, lexicon, actors, people)
    return Source(span_text(span), (span.start_char, span.end_char), kind, actor, ante_mention)


def finish(doc: Doc, raws: Iterable[RawAttribution], lexicon: AttributionLexicon,
           actors: Optional[ActorLexicon] = None) -> Iterator[Attribution]:
    """Records in text order with ids a1, a2, ...; ``parent`` is the innermost content holding the cue."""
    people = people_surnames(doc)
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
        sent = sentence_of(doc, raw.cue_head)
        yield Attribution(
            source=_source(doc, raw.source, lexicon, actors, people),
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
