"""Events found by the tagger, with their parties read by the frame rules.

The tagger decides which words are events and of what type; the rule extractor's frame machinery reads
who did it to whom. Where the rules coded the same word, their parties and mode are kept; where they
coded it with another type, their parties are kept under the tagger's type; a word only the tagger
found gets a generic frame (subject / agent as actor; object or a party-taking preposition as
recipient). Confidence is the tagger's marginal probability of the type.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from typing import Iterator, Optional

from spacy.tokens import Doc, Span, Token

from ...records import Event, Mention
from ..actors import ActorLexicon
from .extract import event_from_frame, sentence_events, sentence_offsets
from .features import sentence_features
from .frames import Candidate, build_frame, candidate_at
from .lexicon import EventLexicon, NounPattern, VerbPattern
from .parties import only_country, with_home
from .tagger import OUTSIDE, EventTagger

VERB_RECIPIENTS = ("dobj", "against", "on", "at", "into", "with", "to", "dative")
NOUN_RECIPIENTS = ("on", "against", "with", "to", "between", "at", "into", "of")


def extract_tagged_events(doc: Doc, lexicon: EventLexicon, actors: ActorLexicon, tagger: EventTagger) -> Iterator[Event]:
    """PLOVER events in text order, the tagger deciding which words are events."""
    sentences = list(doc.sents)
    home = article_home(sentences, actors)
    for sent in sentences:
        local = only_country(sent, actors) or home
        for event in _sentence(sent, lexicon, actors, tagger):
            yield _at_home(event, local) if local else event


def article_home(sentences: list[Span], actors: ActorLexicon) -> Optional[str]:
    """The country the article is about: the one most sentences name alone (ties: the first named)."""
    counts = Counter(c for sent in sentences if (c := only_country(sent, actors)) is not None)
    return counts.most_common(1)[0][0] if counts else None


def _at_home(event: Event, home: str) -> Event:
    """Parties the text names by role only ("the president", "rebel positions", "civilians") are of the
    country the sentence, or else the article, is about."""
    actor, recipient = with_home(event.actor, home), with_home(event.recipient, home)
    if actor is event.actor and recipient is event.recipient:
        return event
    return replace(event, actor=actor, recipient=recipient)


def sentence_hints(sent: Span, lexicon: EventLexicon, actors: ActorLexicon) -> tuple[dict[int, list[Event]], dict[int, frozenset[str]], dict[int, str]]:
    """The rule events by trigger token, their types, and the lexicon's type for every word it knows."""
    doc = sent.doc
    by_token: dict[int, list[Event]] = defaultdict(list)
    for event in sentence_events(sent, lexicon, actors):
        token = _token_at(doc, event.trigger.span[0])
        if token is not None:
            by_token[token.i].append(event)
    rule_types = {i: frozenset(e.type for e in events) for i, events in by_token.items()}
    lexicon_types = {t.i: c.type for t in sent if (c := candidate_at(t, lexicon)) is not None}
    return by_token, rule_types, lexicon_types


def _sentence(sent: Span, lexicon: EventLexicon, actors: ActorLexicon, tagger: EventTagger) -> Iterator[Event]:
    by_token, rule_types, lexicon_types = sentence_hints(sent, lexicon, actors)
    labels = tagger.tag(sentence_features(sent, lexicon, rule_types, lexicon_types),
                        [rule_types.get(t.i, frozenset()) for t in sent])
    for token, (label, prob) in zip(sent, labels):
        if label == OUTSIDE:
            continue
        confidence = round(prob, 2)
        status = _nominal_status(token, label)
        coded = by_token.get(token.i)
        if coded:
            same = [e for e in coded if e.type == label]
            chosen = same or [replace(e, type=label, mode=None) for e in coded[:1]]
            for event in chosen:
                yield replace(event, confidence=confidence, status=status or event.status)
        else:
            for event in _generic(token, label, sent, lexicon, actors, confidence):
                yield replace(event, status=status) if status else event


def _nominal_status(token: Token, type_: str) -> Optional[str]:
    """PLOVER conventions the verb group does not show: a named withdrawal or decision (CONCEDE as a
    noun) is announced, not done: planned; "in talks" and "held since" go on."""
    if token.pos_ == "NOUN" and type_ == "CONCEDE" and not any(c.dep_ == "neg" or c.lower_ == "no" for c in token.children):
        return "planned"
    if token.pos_ == "NOUN" and token.dep_ == "pobj" and token.head.lower_ == "in" and token.head.head.lemma_ == "be":
        return "ongoing"
    if token.pos_ == "VERB" and token.tag_ == "VBN" and any(c.dep_ == "prep" and c.lower_ == "since" for c in token.children):
        return "ongoing"
    return None


def _generic(token: Token, type_: str, sent: Span, lexicon: EventLexicon, actors: ActorLexicon, confidence: float) -> Iterator[Event]:
    verbal = token.pos_ in ("VERB", "AUX", "ADJ")
    lemma = token.lemma_.lower()
    pattern: VerbPattern | NounPattern
    if verbal:
        pattern = VerbPattern(lemma, None, frozenset(), False, type_, None, None, VERB_RECIPIENTS, "direct")
    else:
        pattern = NounPattern(lemma, type_, None, None, NOUN_RECIPIENTS, "direct")
    frame = build_frame(Candidate(token, pattern, verbal), lexicon)
    frame.confidence = confidence
    events = list(event_from_frame(frame, sent, lexicon, actors))
    if events:
        yield from (replace(e, confidence=confidence) for e in events)
        return
    # no party named: still an event ("the decision had not been made"), with what the frame knows
    yield Event(type=type_, trigger=Mention(token.text, (token.idx, token.idx + len(token.text))), status=frame.status,
                sentence=sentence_offsets(sent), confidence=confidence)


def _token_at(doc: Doc, offset: int) -> Token | None:
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None
