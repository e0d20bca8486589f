"""Events found by the tagger, with their parties read by the frame rules.

The rules keep the events they code while the tagger gives their type at least ``rule_floor`` (0 by
default: all of them, but for state-of-affairs nouns such as "the war", which need the tagger's own
threshold); where the rules coded a word the tagger rules out, their parties go under the tagger's
type; a word only the tagger found gets a generic frame (subject / agent as actor; object or a
party-taking preposition as recipient). Events with no political party are dropped. Confidence is
the tagger's probability of the type, discounted by how the parties were read (``event_confidence``).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from typing import Iterable, Iterator, Optional, Sequence

from spacy.tokens import Doc, Span, Token

from ...records import Actor, Event, Mention
from ..actors import ActorLexicon, extract_actors
from ..doc_views import sentence_of, sentences as doc_sentences, token_at
from .arguments import noun_status
from .extract import event_from_frame, sentence_events, sentence_offsets
from .features import sentence_features
from .frames import Candidate, build_frame, candidate_at, trigger_candidates
from .lexicon import EventLexicon, NounPattern, VerbPattern
from .parties import named_only_by, only_country, with_home
from .roles import RoleModel, sentence_candidates
from .tagger import OUTSIDE, EventTagger, TokenTag

# Sectors of people who act privately: a visit, a deal or a demand among them is no political event
PRIVATE_SECTORS = frozenset({"CVL", "BUS", "EDU", "HLH", "REL", "MED", "AGR", "ELI", "LAB", "REF", "CRM"})
# Types whose parties may be private people: victims of violence, detainees, those who flee, protesters
PRIVATE_PARTY_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION", "PROTEST"})
VERB_RECIPIENTS = ("dobj", "against", "on", "at", "into", "with", "to", "dative")
# Types whose verb's object is what moves (troops, aid), not whom the act is on
MOVING_TYPES = frozenset({"CONCEDE", "RETREAT", "MOBILIZE", "AID"})
NOUN_RECIPIENTS = ("on", "against", "with", "to", "between", "at", "into", "of")


def extract_tagged_events(doc: Doc, lexicon: EventLexicon, actors: ActorLexicon, tagger: EventTagger,
                          roles: Optional[RoleModel] = None, doc_actors: Optional[Sequence[Actor]] = None) -> Iterator[Event]:
    """PLOVER events in text order, the tagger deciding which words are events (and the role model, when
    given, who acted and on whom, among ``doc_actors``: the doc's actors, found here when not given)."""
    sentences = list(doc_sentences(doc))
    home = article_home(sentences, actors)
    parties: Optional[Sequence[Actor]] = doc_actors
    for sent in sentences:
        sentence_country = only_country(sent, actors)
        events: Iterable[Event] = list(_sentence(sent, lexicon, actors, tagger))
        if roles is not None and events:
            if parties is None:
                parties = list(extract_actors(doc, actors))
            events = _with_roles(events, sent, sentence_candidates(sent, parties, lexicon, actors), roles, lexicon)
        for event in events:
            event = _distinct_parties(event)
            if not political(event) or _natural_death(event, doc, lexicon):
                continue
            yield _at_home(event, sentence_country, home, sent, actors) if sentence_country or home else event


def _with_roles(events: list[Event], sent: Span, candidates: list[Actor], roles: RoleModel, lexicon: EventLexicon) -> list[Event]:
    """Each event's parties as the role model reads them. The rules' parties stand where the model cannot
    see what they know: one trigger coded for several parties (one event per actor and recipient the
    frame names), a compound party ("Russia and Turkey agreed": the model scores phrases one by one),
    and converse verbs whose subject is the recipient ("received missiles from X")."""
    per_trigger = Counter((e.trigger.span, e.type) for e in events)
    out = []
    for event in events:
        token = token_at(sent.doc, event.trigger.span[0])
        compound = any(p is not None and p.countries for p in (event.actor, event.recipient))
        if (token is not None and per_trigger[(event.trigger.span, event.type)] == 1 and not compound
                and not _converse(token, lexicon) and not _back_reference(token)):
            event = roles.assign(event, token, candidates, lexicon.speech_verbs)
        out.append(event)
    return out


BACK_REFERENCE_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})


def _back_reference(token: Token) -> bool:
    """"the shipment", "the transfer": a definite noun with nothing of its own names no party; it refers
    back to an event the article told (the link step joins it there), so no phrase around it is chosen."""
    children = list(token.children)
    return (token.pos_ == "NOUN" and bool(children) and all(c.dep_ == "det" for c in children)
            and all(c.lower_ in BACK_REFERENCE_DETERMINERS for c in children))


def _converse(token: Token, lexicon: EventLexicon) -> bool:
    candidate = candidate_at(token, lexicon)
    return candidate is not None and candidate.pattern.frame == "reverse"


def article_home(sentences: list[Span], actors: ActorLexicon) -> Optional[str]:
    """The country the article is about: the one most sentences name alone (ties: the first named)."""
    counts = Counter(c for sent in sentences if (c := only_country(sent, actors)) is not None)
    return counts.most_common(1)[0][0] if counts else None


DEATH_VERBS = frozenset({"die", "perish"})


def _natural_death(event: Event, doc: Doc, lexicon: EventLexicon) -> bool:
    """A death whose own phrase names a cause other than violence ("died of starvation", "has died aged
    83", "died owing to freezing weather") is no ASSAULT; a death in a conflict with no such cause is."""
    if event.type != "ASSAULT":
        return False
    token = token_at(doc, event.trigger.span[0])
    if token is None or token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in DEATH_VERBS:
        return False
    causes = lexicon.death_causes
    return any(t.lemma_.lower() in causes or t.lower_ in causes
               for child in token.rights if child.dep_ not in ("conj", "cc", "relcl", "ccomp")
               for t in child.subtree)


def political(event: Event) -> bool:
    """A PLOVER event needs a political party: a state or its organs, an international body, an armed
    group, a party. Private people count only as victims, detainees, those who flee and protesters; a
    visit needs a political visitor (a teenager travelling to Syria is no diplomatic visit)."""
    parties = [p for p in (event.actor, event.recipient) if p is not None]
    if event.type == "CONSULT" and event.mode == "visit":
        # a visitor acts for a state or a body: a person the text gives no office or side ("Robinson
        # travelled to Syria") travels privately
        actor = event.actor
        return actor is not None and _political_party(actor) and (actor.kind != "person" or actor.sector is not None)
    if not parties or event.type in PRIVATE_PARTY_TYPES:
        return True
    return any(_political_party(p) for p in parties)


def _political_party(actor: Actor) -> bool:
    if actor.sector in PRIVATE_SECTORS:
        return False
    return bool(actor.sector or actor.country or actor.kind in ("country", "organization", "person"))


def _distinct_parties(event: Event) -> Event:
    """One phrase is not both who acted and on whom ("X opposed ..." read twice)."""
    if event.actor is not None and event.recipient is not None and event.actor.span == event.recipient.span:
        return replace(event, recipient=None)
    return event


# Sectors of a state's own organs: where the text does not place one, the article's country does ("the
# administration" in a story about Washington). People and groups (civilians, refugees, militants, rebels)
# are of where the story happens, which the country an article names most often is not (a story about
# Britain's Isis members in Syrian camps; about US policy towards Kurdish forces): cross-validated on the
# real-news gold, the article's country miscoded such parties about twice as often as it placed them right.
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "SPY"})


def _at_home(event: Event, local: Optional[str], home: Optional[str], sent: Span, actors: ActorLexicon) -> Event:
    """Parties the text names by role only ("the president", "rebel positions", "civilians") are of the
    country the sentence names (``local``); else a state organ, or a person, is of the article's
    country (``home``). When the sentence names that country only in the actor's own phrase, the
    recipient is of the article's country: "Russian warplanes struck rebel-held areas" in an article about
    Syria did not strike Russia."""
    actor = with_home(event.actor, local) if local else _article_party(event.actor, home, sent, actors)
    recipient_home = local
    if (home and home != local and event.recipient is not None and not event.recipient.country
            and actor is not None and local and actor.country == local and named_only_by(sent, actors, actor)):
        recipient_home = home
    if recipient_home:
        recipient = with_home(event.recipient, recipient_home)
    else:
        recipient = _article_party(event.recipient, home, sent, actors)
    if actor is event.actor and recipient is event.recipient:
        return event
    return replace(event, actor=actor, recipient=recipient)


def _article_party(party: Optional[Actor], home: Optional[str], sent: Span, actors: ActorLexicon) -> Optional[Actor]:
    """The party placed by the article's country when it is a state organ or a person the text does not
    name a people of ("Kurdish and Arab units" are not the army of a story's US)."""
    if party is None or home is None or not (party.sector in STATE_SECTORS or (party.sector is None and party.kind == "person")):
        return party
    span = sent.doc.char_span(party.span[0], party.span[1], alignment_mode="expand")
    if span is not None and any(t.ent_type_ == "NORP" and actors.lookup(t.text) is None for t in span):
        return party
    return with_home(party, home)


def sentence_hints(sent: Span, lexicon: EventLexicon, actors: ActorLexicon,
                   consumed: Optional[set[int]] = None) -> tuple[dict[int, list[Event]], dict[int, frozenset[str]], dict[int, str]]:
    """The rule events by trigger token, their types, and the lexicon's type for every word it knows;
    ``consumed`` receives the words the rules read as part of another event."""
    doc = sent.doc
    candidates = trigger_candidates(sent, lexicon)
    by_token: dict[int, list[Event]] = defaultdict(list)
    for event in sentence_events(sent, lexicon, actors, dict(candidates), consumed):
        token = token_at(doc, event.trigger.span[0])
        if token is not None:
            by_token[token.i].append(event)
    rule_types = {i: frozenset(e.type for e in events) for i, events in by_token.items()}
    lexicon_types = {i: c.type for i, c in candidates.items()}
    return by_token, rule_types, lexicon_types


def _sentence(sent: Span, lexicon: EventLexicon, actors: ActorLexicon, tagger: EventTagger) -> Iterator[Event]:
    consumed: set[int] = set()
    by_token, rule_types, lexicon_types = sentence_hints(sent, lexicon, actors, consumed)
    labels = tagger.tag(sentence_features(sent, lexicon, rule_types, lexicon_types),
                        [rule_types.get(i, frozenset()) for i in range(sent.start, sent.end)])
    doc = sent.doc
    eventful = {i: tag.label for i, tag in enumerate(labels, start=sent.start) if tag.label != OUTSIDE or by_token.get(i)}
    # "the decision to withdraw troops", "a plot to behead an officer": one act, the noun's
    complement = {doc[i].head.i: i for i in eventful if _complement_of_act(doc[i], eventful)}
    skipped = set(complement.values()) | _told_twice(doc, eventful, set(by_token))
    for i, tag in enumerate(labels, start=sent.start):
        if i not in eventful or i in skipped:
            continue  # neither the rules nor the tagger found an event here, or it completes another one
        for event in _token_events(doc[i], tag, by_token.get(i), consumed, sent, lexicon, actors, tagger):
            yield _complement_party(event, doc[complement[i]], eventful[complement[i]], sent, lexicon, actors) \
                if i in complement else event


def _token_events(token: Token, tag: TokenTag, coded: Optional[list[Event]], consumed: set[int], sent: Span,
                  lexicon: EventLexicon, actors: ActorLexicon, tagger: EventTagger) -> Iterator[Event]:
    status = _nominal_status(token, tag.label) if tag.label != OUTSIDE else None
    if coded:
        # "the war", "the threat from IS": a state of affairs is an event only when the tagger finds one
        floor = tagger.threshold if token.lemma_.lower() in lexicon.states and token.pos_ == "NOUN" else tagger.rule_floor
        kept = [e for e in coded if tag.rule_marginals.get(e.type, 0.0) >= floor]
        if kept:  # the rules' own reading, while the tagger does not rule its type out
            for event in kept:
                p = max(tag.rule_marginals[event.type], tag.probability if tag.label == event.type else 0.0)
                yield replace(event, confidence=event_confidence(p, event, True), status=_nominal_status(token, event.type) or event.status)
            return
        if tag.label != OUTSIDE:  # the tagger's type, with the parties the rules read
            event = replace(coded[0], type=tag.label, mode=None)
            yield replace(event, confidence=event_confidence(tag.probability, event, False), status=status or event.status)
        return
    if tag.label == OUTSIDE or token.i in consumed or token.dep_ == "compound":
        return  # "warned it would close the border": the closing is what the threat is about;
        # a noun modifying a noun ("attack helicopters") names a kind of thing, not an act
    for event in _generic(token, tag.label, sent, lexicon, actors, tag.probability):
        event = replace(event, confidence=event_confidence(tag.probability, event, False))
        yield replace(event, status=status) if status else event


def _complement_party(event: Event, verb: Token, type_: str, sent: Span, lexicon: EventLexicon, actors: ActorLexicon) -> Event:
    """A noun's event takes the recipient its completing infinitive names when it names none itself
    ("a plot to behead a police officer"); not what it moves ("the decision to pull the troops out")."""
    if event.recipient is not None or event.type in MOVING_TYPES:
        return event
    inner = next(iter(_generic(verb, type_ if type_ != OUTSIDE else event.type, sent, lexicon, actors, 0.0)), None)
    if inner is None or inner.recipient is None or (event.actor is not None and event.actor.span == inner.recipient.span):
        return event
    return replace(event, recipient=inner.recipient)


SAME_ACT_PREPOSITIONS = frozenset({"by", "in", "during", "with"})


def _told_twice(doc: Doc, eventful: dict[int, str], coded: set[int]) -> set[int]:
    """The words of one act the tagger read twice with one type: a verb and its object noun (a verb the
    rules know covers its noun, "launched an offensive"; else the noun, which reads the light verb's
    parties, "carried out air strikes"), a verb and the noun that is its means ("was hit by a surprise
    attack", "were killed in strikes": the verb, which has the parties)."""
    out: set[int] = set()
    for i, label in eventful.items():
        token = doc[i]
        if label == OUTSIDE or token.pos_ != "NOUN":
            continue
        if token.dep_ == "dobj" and eventful.get(token.head.i) == label and token.head.pos_ == "VERB":
            out.add(i if token.head.i in coded else token.head.i)
        elif (token.dep_ == "pobj" and token.head.lower_ in SAME_ACT_PREPOSITIONS and token.head.head.pos_ == "VERB"
              and eventful.get(token.head.head.i) == label):
            out.add(i)
    return out


def _complement_of_act(token: Token, eventful: dict[int, str]) -> bool:
    """An infinitive completing a noun that is itself an event of the sentence ("decision to pull out",
    "call to end the fighting"): PLOVER codes the noun's act (an announced withdrawal is CONCEDE, planned),
    not a second, completed one."""
    head = token.head
    return (token.dep_ == "acl" and token.tag_ == "VB" and head.i != token.i and head.pos_ == "NOUN"
            and head.i in eventful and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children))


def event_confidence(type_probability: float, event: Event, rules_agree: bool) -> float:
    """How likely the whole event (type and parties) is right: the tagger's probability of the type,
    discounted when the parties were read by the generic frame rather than the type's own rules and
    when no party is placed (see docs/events.md for how this tracks precision)."""
    parties = [p for p in (event.actor, event.recipient) if p is not None]
    placed = sum(1 for p in parties if p.country)
    factor = (0.6 + 0.2 * rules_agree) * (0.6 + 0.2 * placed)
    return round(min(1.0, type_probability * factor / 0.8), 2)


def _nominal_status(token: Token, type_: str) -> Optional[str]:
    """PLOVER conventions the verb group does not show: a named withdrawal or decision (CONCEDE as a
    noun) is announced, not done: planned; "in talks" and "held since" go on."""
    if token.pos_ == "NOUN" and type_ == "CONCEDE" and not any(c.dep_ == "neg" or c.lower_ == "no" for c in token.children):
        # ... unless the clause that names it says it was not made ("a final decision had not been made");
        # "the move would have consequences" predicts what follows the move, not whether it is made
        return "negated" if noun_status(token) == "negated" else "planned"
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
    events = list(event_from_frame(frame, sent, lexicon, actors))
    if events:
        yield from events
        return
    # no party named: still an event ("the decision had not been made"), with what the frame knows
    yield Event(type=type_, trigger=Mention(token.text, (token.idx, token.idx + len(token.text))), status=frame.status,
                sentence=sentence_offsets(sent), confidence=confidence)


def frame_event(token: Token, type_: str, lexicon: EventLexicon, actors: ActorLexicon) -> Optional[Event]:
    """The event the rules, or else the generic frame, read at a word under the given type: the parties the
    role model sees as the rules' choice (training reads them here, as ``_sentence`` does when tagging)."""
    sent = sentence_of(token.doc, token.i)
    by_token, _, _ = sentence_hints(sent, lexicon, actors)
    coded = by_token.get(token.i)
    if coded:
        return replace(coded[0], type=type_)
    return next(iter(_generic(token, type_, sent, lexicon, actors, 0.0)), None)
