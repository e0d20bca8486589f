"""Events: PLOVER-coded who did what to whom, read from the dependency tree with data-file patterns.

A trigger is a verb or noun of ``event_verbs.tsv`` / ``event_nouns.tsv``. Its actor is the subject (the
"by" phrase in the passive, the "from" phrase for verbs like "receive"), its recipient is found where
the pattern says (object, "to", "on", ...). Wrappers (REQUEST, REJECT, AGREE, THREATEN) take their mode
from the event they govern ("refused to send troops" is REJECT/assist, not a negated AID). Cooperative
events stated as intentions ("will provide") are AGREE, as PLOVER codes them. Inside reported speech a
pronoun is the speaker; an attack the speaker says it suffered also yields ACCUSE against the attacker;
an obligation the speaker states ("X said Y must ...") is a REQUEST. Compound actors and recipients
yield one event per pair.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterator, Optional

from spacy.tokens import Doc, Span, Token

from ...records import Actor, Event, EventObject, Mention
from ..actors.lexicon import ActorLexicon
from ..actors.resolve import actor_for_token, phrase_span
from ..doc_views import Columns, columns, span_text
from .arguments import (
    INTENT_VERBS, OBLIGATION_AUX, has_obligation, is_intended, is_negated, is_pronoun, speaker_of, status_of, verb_arguments,
)
from .frames import HOSTILE, Candidate, Frame, build_frame, inner_candidate, trigger_candidates
from .lexicon import EventLexicon
from .parties import between_sides, located, only_country, parties, placed, unidentified_attacker, with_home

__all__ = ["EventLexicon", "extract_events"]


COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"})
THREATENING = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"})
# Measures a government takes at home, whose unnamed target is its own country ("lifted the curfew").
DOMESTIC = frozenset({"CONCEDE", "COERCE", "REJECT"})
FOREIGN_PRONE = frozenset({"ASSAULT", "THREATEN", "MOBILIZE", "AID"})


def extract_events(doc: Doc, lexicon: EventLexicon, actors: ActorLexicon) -> Iterator[Event]:
    """PLOVER events in text order; ids, times and attribution links are left to the pipeline."""
    for sent in doc.sents:
        yield from sentence_events(sent, lexicon, actors)


def sentence_events(sent: Span, lexicon: EventLexicon, actors: ActorLexicon,
                    candidates: Optional[dict[int, Candidate]] = None, consumed_out: Optional[set[int]] = None) -> Iterator[Event]:
    """The rule extractor's events of one sentence (``candidates``: its trigger words, if known;
    ``consumed_out`` receives the trigger words the rules read as part of another event)."""
    if candidates is None:
        candidates = trigger_candidates(sent, lexicon)
    doc, cols = sent.doc, columns(sent.doc)
    pos = cols.pos
    obligations = [t for t in (doc[i] for i in range(sent.start, sent.end)
                               if i not in candidates and pos[i] in ("VERB", "AUX") and _may_oblige(cols, i))
                   if has_obligation(t) and speaker_of(t, lexicon.speech_verbs) is not None]
    inner_of: dict[int, Candidate] = {}
    consumed: set[int] = consumed_out if consumed_out is not None else set()
    for i, cand in candidates.items():
        if cand.pattern.frame == "wrap":
            inner = inner_candidate(cand.trigger, candidates)
            if inner is not None:
                inner_of[i] = inner
        elif not cand.verbal and cand.trigger.dep_ == "dobj" and cand.trigger.head.i in candidates:
            consumed.add(i)  # "launched an attack": the verb pattern already covers the noun
        elif not cand.verbal and _topic_of_event(cand.trigger, candidates):
            consumed.add(i)  # "protested against EU trade deals": the deals are what the protest is about
        elif not cand.verbal and _same_event(cand, candidates):
            consumed.add(i)  # "killed five militants in a raid": the raid is the killing
        if not cand.verbal and cand.trigger.dep_ == "dobj" and cand.trigger.head.lemma_.lower() in lexicon.undergo:
            consumed.add(cand.trigger.head.i)  # "faced sharp criticism": the criticism is the event, not the facing
    shown: dict[int, Token] = {}
    for i, cand in candidates.items():
        clause = next((c for c in cand.trigger.children if c.dep_ == "ccomp"), None)
        if (cand.type == "THREATEN" and i not in inner_of and cand.trigger.lemma_.lower() in lexicon.speech_verbs
                and clause is not None and not _own_intention(clause)):
            consumed.add(i)  # "traders warned that the fall could be short-lived": a forecast, not a threat
    for i, inner in list(inner_of.items()):
        if _is_speech_only(candidates[i], inner, lexicon):
            consumed.add(i)
            del inner_of[i]
            if inner.type == "REQUEST":
                shown[inner.trigger.i] = candidates[i].trigger  # "warned allies that it needs": the warning asks
        else:
            consumed.add(inner.trigger.i)
    seen: set[tuple] = set()
    for verb in obligations:  # "X said Y must drop barriers": a demand from X to Y, whatever Y must do
        obliged = _subjects(verb)
        if obliged:  # "should be judged" names no one who must act
            frame = Frame("REQUEST", verb, actors=obliged, status=status_of(verb), confidence=0.5, needs_party=True)
            yield from event_from_frame(frame, sent, lexicon, actors)
    for i in sorted(candidates):
        if i in consumed:
            continue
        frame = build_frame(candidates[i], lexicon)
        frame.shown = shown.get(i, frame.shown)
        if frame.type == "REQUEST" and candidates[i].pattern.frame == "direct" and frame.shown is None:
            said = speaker_of(frame.trigger, lexicon.speech_verbs)  # "told donors that it needs fuel": the telling asks
            frame.shown = said[0] if said is not None and said[0].pos_ == "VERB" else None
        inner = inner_of.get(i)
        if inner is not None:
            frame = _wrap(frame, build_frame(inner, lexicon), lexicon)
        elif not candidates[i].verbal and candidates[i].pattern.frame == "wrap" and not frame.recipients:
            continue  # "killing off demand": a demand about nothing, to no one, is market demand
        elif candidates[i].trigger.pos_ == "ADJ":
            continue  # "not prepared to recommend the offer": willing to do nothing coded is no event
        elif (frame.type == "REQUEST" and candidates[i].pattern.frame == "wrap" and not frame.recipients
              and not frame.backup and frame.location is None):
            continue  # "he asked in a webcast": a question, not a request to anyone
        for event in event_from_frame(frame, sent, lexicon, actors):
            key = (event.type, event.trigger.span, _code(event.actor), _code(event.recipient))
            if key not in seen:
                seen.add(key)
                yield event


def _may_oblige(cols: Columns, i: int) -> bool:
    """False where ``has_obligation`` surely is: no modal of obligation under the word nor, for a
    complement of a copula, under its head (read from the columns; most verbs need no Token)."""
    holders = (i, cols.head[i]) if cols.dep[i] in ("acomp", "xcomp") else (i,)
    return any(cols.dep[c] == "aux" and cols.lower[c] in OBLIGATION_AUX for v in holders for c in cols.children(v))


TOPIC_PREPOSITIONS = frozenset({"against", "over", "about", "on", "for", "of"})


def _topic_of_event(noun: Token, candidates: dict[int, Candidate]) -> bool:
    prep = noun.head
    return (noun.dep_ == "pobj" and prep.lower_ in TOPIC_PREPOSITIONS and prep.head.i in candidates
            and candidates[prep.head.i].verbal and candidates[prep.head.i].pattern.frame != "wrap")


def _own_intention(clause: Token) -> bool:
    """"warned it would respond": the speaker says what it will do, which is a threat."""
    subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    return subject is not None and is_pronoun(subject) and is_intended(clause, hostile=True)


def _same_event(noun: Candidate, candidates: dict[int, Candidate]) -> bool:
    prep = noun.trigger.head
    if noun.trigger.dep_ != "pobj" or prep.lower_ not in ("in", "during", "with") or prep.head.i not in candidates:
        return False
    return candidates[prep.head.i].type == noun.type


def _subjects(verb: Token) -> list[Token]:
    args = verb_arguments(verb)
    subject = args.agent if args.passive else args.subject
    return [subject] if subject is not None else []


def _code(actor: Optional[Actor]) -> Optional[str]:
    return None if actor is None else (actor.country or actor.sector or actor.text)


def _is_speech_only(wrapper: Candidate, inner: Candidate, lexicon: EventLexicon) -> bool:
    """"warned allies that the country needs ..." reports a REQUEST; it threatens no one."""
    return (wrapper.type == "THREATEN" and wrapper.trigger.lemma_.lower() in lexicon.speech_verbs
            and (wrapper.type, inner.type) not in lexicon.wrapper_modes)


def _wrap(outer: Frame, inner: Frame, lexicon: EventLexicon) -> Frame:
    """REQUEST/REJECT/AGREE/THREATEN over another event: mode and object from the inner event."""
    if outer.type == "AGREE" and inner.type in THREATENING:
        outer.type = "THREATEN"  # "is prepared to impose martial law"
    outer.mode = lexicon.wrapper_modes.get((outer.type, inner.type), outer.mode)
    if outer.mode == "*":
        outer.mode = inner.mode
    outer.context = outer.context or inner.context or _type_context(inner.type)
    if outer.obj is None or outer.obj.i == inner.trigger.i:
        outer.obj, outer.quantity = inner.obj, inner.quantity
    if not outer.recipients:
        asked = [t for t in inner.actors if t not in outer.actors]
        # a demand is addressed to whoever must act ("its demand that Israel ease ..."); an offer, refusal
        # or threat is aimed at the inner event's target
        outer.recipients = asked if outer.type == "REQUEST" and asked else inner.recipients
    if outer.location is None and inner.location is not None:
        # where the inner event happens can name its target ("agreed to set up a centre in Tokyo"),
        # but it does not say where the one who agreed or appealed is
        outer.location, outer.locates_actor = inner.location, False
    outer.backup = outer.backup + inner.backup
    if not outer.actors and inner.actors:
        outer.actors = inner.actors
    if outer.type == "AGREE":
        outer.status = "negated" if outer.status == "negated" else "planned"
    return outer


def _type_context(type_: str) -> Optional[str]:
    return {"ASSAULT": "military", "MOBILIZE": "military", "RETREAT": "military"}.get(type_)


def _intentions(frame: Frame, lexicon: EventLexicon) -> Frame:
    """PLOVER codes promised cooperation as AGREE, promised non-cooperation as REJECT, and a declared
    intention to do harm (or to withdraw) as THREATEN."""
    hostile = frame.type in THREATENING
    verb = frame.verb if frame.verb is not None else frame.trigger
    planned = verb.dep_ == "xcomp" and verb.head.lemma_.lower() in INTENT_VERBS
    if verb.pos_ != "VERB" or not (is_intended(verb, hostile=hostile) or (hostile and planned)):
        return frame
    if frame.reverse:  # "Syria will not accept refugees": Syria is the one who refuses
        frame = replace(frame, actors=frame.recipients, recipients=frame.actors, reverse=False)
    if hostile:
        return replace(frame, type="THREATEN", mode=_threat_mode(frame, lexicon), status="planned")
    if frame.type not in COOPERATIVE:
        return frame
    if is_negated(verb):
        return replace(frame, type="REJECT", mode=lexicon.wrapper_modes.get(("REJECT", frame.type)), status="completed")
    return replace(frame, type="AGREE", mode=None, context=frame.context or _type_context(frame.type), status="planned")


def _threat_mode(inner: Frame, lexicon: EventLexicon) -> Optional[str]:
    mode = lexicon.wrapper_modes.get(("THREATEN", inner.type))
    return inner.mode if mode == "*" else mode


def event_from_frame(frame: Frame, sent: Span, lexicon: EventLexicon, actors: ActorLexicon) -> Iterator[Event]:
    """The events of a frame, its parties normalized (one event per actor and recipient pair; conjoined
    parties are one compound party)."""
    stated_type = frame.type
    frame = _intentions(frame, lexicon)
    speaker = speaker_of(frame.trigger, lexicon.speech_verbs)
    if speaker is not None and frame.trigger.pos_ in ("VERB", "ADJ", "AUX") and has_obligation(frame.trigger):
        # "Russia said Sudan must return the helicopter": a REQUEST from the speaker to Sudan
        frame = replace(frame, type="REQUEST", mode=lexicon.wrapper_modes.get(("REQUEST", frame.type)),
                        recipients=frame.actors, actors=[speaker[1]], status="completed", shown=speaker[0])
    # a noun's "between" names its sides ("stress on a partnership between X and Y"), unless the noun has
    # an actor of its own ("Egypt's mediation", "Norway launched a mediation effort between ...")
    own_actor = bool(frame.actors) and not (frame.trigger.pos_ == "NOUN" and frame.verb is not None
                                            and frame.trigger.dep_ == "pobj")
    sides = between_sides(frame.recipients, lexicon, actors) if not own_actor else None
    if sides is not None:  # "a partnership between Washington and a Kurdish-led force"
        actor_list = [sides[0]]
        recipient_list = located([sides[1]] if sides[1] is not None else [], frame, actors)
    else:
        actor_list = parties(frame.actors, lexicon, actors) or [None]
        recipient_list = located(parties(frame.recipients, lexicon, actors) or parties(frame.backup, lexicon, actors),
                                 frame, actors)
    if actor_list == [None] and recipient_list == [None]:
        return
    if frame.needs_party and recipient_list == [None]:
        return  # "sport should be above it all": an obligation of no party is no request
    several = len(actor_list) > 1 or any(a is not None and a.countries for a in actor_list) or (
        actor_list != [None] and any(t.conjuncts for t in frame.actors))  # a compound party meets or deals within itself
    if stated_type == "CONSULT" and recipient_list == [None] and not several:
        return  # "would consult on how to ...", "will host the forum": consulting takes a counterpart
    if (stated_type in ("AGREE", "SUPPORT") and frame.trigger.pos_ in ("NOUN", "PROPN") and recipient_list == [None]
            and frame.trigger.dep_ != "dobj" and not several):
        return  # "in a deal worth 25m euros": a deal with no one, not reached or signed by anyone
    if stated_type == "AID" and recipient_list == [None] and frame.obj is None:
        return  # "relied on advisers to help him decide": aid to no one, of nothing
    if stated_type == "AID" and frame.trigger.pos_ in ("NOUN", "PROPN") and not _goods(frame, lexicon):
        return  # "sales of internet connections", "the acquisition of an exchange": trade, not aid
    if (frame.type == "ASSAULT" and actor_list == [None] and frame.trigger.lemma_.lower() in lexicon.figurative
            and not _armed(frame, lexicon)):
        return  # "Argentina was hit by a crisis"
    place = actor_for_token(frame.location, actors) if frame.location is not None else None
    if place is not None and place.country and frame.locates_actor:  # people acting somewhere are from there
        actor_list = [placed(a, place.country) for a in actor_list]
    if actor_list == [None] and frame.type == "ASSAULT":
        actor_list = [unidentified_attacker(frame, place, actors)]
    unplaced = any(p is not None and not p.country for p in (*actor_list, *recipient_list))
    wants_target = recipient_list == [None] and frame.type in DOMESTIC
    home = only_country(sent, actors) if unplaced or wants_target else None
    if home is not None:  # "President X conceded to demands from UNITA": a domestic actor of the one country named
        actor_list = [with_home(a, home) for a in actor_list]
        if frame.type not in FOREIGN_PRONE:  # an attack's unnamed victims need not be the attacker's people
            recipient_list = [with_home(r, home) for r in recipient_list]
    implied: set[int] = set()
    if recipient_list == [None] and frame.type == "PROTEST" and actor_list[0] is not None and actor_list[0].country:
        # a protest with no named target is against the protesters' own government (field practice)
        recipient_list = [replace(actor_list[0], name=actor_list[0].country, sector="GOV", kind="country", countries=())]
        implied = {id(recipient_list[0])}
    elif (recipient_list == [None] and home is not None and frame.type in DOMESTIC
          and actor_list[0] is not None and actor_list[0].country == home):
        # a government acting at home with no named target acts on its own country ("lifted the curfew")
        recipient_list = [replace(actor_list[0], name=home, sector=None, kind="country", countries=())]
        implied = {id(recipient_list[0])}
    for actor in actor_list:
        for recipient in recipient_list:
            if actor is not None and recipient is not None and actor.span == recipient.span and id(recipient) not in implied:
                continue
            yield _event(frame, sent, actor, recipient, lexicon)
            accusation = _accusation(frame, sent, actor, recipient, speaker, lexicon, actors)
            if accusation is not None:
                yield accusation


CLAUSE_DEPS = frozenset({"xcomp", "ccomp", "advcl", "acl", "relcl", "conj", "pcomp"})


def _clause_depth(token: Token) -> int:
    """How many clauses down from the sentence's main verb: the main event is the surest."""
    depth, current = 0, token
    for _ in range(12):
        if current.head.i == current.i:
            break
        depth += current.dep_ in CLAUSE_DEPS
        if current.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children):
            depth += 1  # a purpose ("staged protests to demand reforms") is below the act
        current = current.head
    return min(depth, 3)


INHERENT_AID_NOUNS = frozenset({"aid", "assistance", "asylum", "airlift", "grant", "loan", "package"})


def _goods(frame: Frame, lexicon: EventLexicon) -> bool:
    """Whether a nominal transfer is of aid, arms, money or troops (or is aid by its very name)."""
    if frame.trigger.lemma_.lower() in INHERENT_AID_NOUNS:
        return True
    if frame.obj is None:
        return False
    cls = lexicon.object_class(phrase_span(frame.obj))
    return cls is not None and cls.group in ("weapon", "aid", "money", "troops")


def _armed(frame: Frame, lexicon: EventLexicon) -> bool:
    """Whether a weapon is named around the trigger (object, "with"/"by" phrase, subject)."""
    return any(lexicon.object_class_of_token(t) is not None and lexicon.object_class_of_token(t).group == "weapon"
               for t in frame.trigger.subtree)


ROLE_PREPOSITIONS = frozenset({"from", "to", "for", "against", "on", "at", "into", "in", "with", "by"})


def _object_span(token: Token) -> Span:
    """The object's phrase without the parties attached to it ("missiles from Iran" is "missiles")."""
    span = phrase_span(token)
    cut = [c.left_edge.i for c in token.children if c.dep_ == "prep" and c.lower_ in ROLE_PREPOSITIONS and c.i > token.i]
    end = min([span.end, *cut])
    while end > span.start + 1 and (span.doc[end - 1].is_punct or span.doc[end - 1].is_space):
        end -= 1
    return span.doc[span.start:max(end, token.i + 1)]


def sentence_offsets(sent: Span) -> tuple[int, int]:
    text = span_text(sent)
    return sent.start_char, sent.start_char + len(text.rstrip())


def _event(frame: Frame, sent: Span, actor: Optional[Actor], recipient: Optional[Actor], lexicon: EventLexicon) -> Event:
    trigger = frame.shown if frame.shown is not None else frame.trigger
    obj = None
    if frame.obj is not None:
        span = _object_span(frame.obj)
        cls = lexicon.object_class(span)
        obj = EventObject(span_text(span), (span.start_char, span.end_char), cls.cls if cls else None, frame.quantity)
    location = None
    if frame.location is not None:
        loc = phrase_span(frame.location)
        location = Mention(span_text(loc), (loc.start_char, loc.end_char))
    return Event(
        type=frame.type,
        trigger=Mention(trigger.text, (trigger.idx, trigger.idx + len(trigger.text))),
        actor=actor, recipient=recipient, mode=frame.mode, context=frame.context, object=obj,
        status=frame.status, location=location, sentence=sentence_offsets(sent),
        confidence=round(max(0.1, frame.confidence - 0.1 * _clause_depth(frame.trigger)), 2),
    )


def _accusation(frame: Frame, sent: Span, actor: Optional[Actor], recipient: Optional[Actor],
                speaker: Optional[tuple[Token, Token]], lexicon: EventLexicon, actors: ActorLexicon) -> Optional[Event]:
    """A speaker who says it suffered a hostile act blames the one who did it (field coding practice)."""
    if speaker is None or frame.type not in HOSTILE or actor is None or not actor.country:
        return None
    said = actor_for_token(speaker[1], actors)
    if said is not None and said.sector == "MED":
        return None  # an outlet reports; it does not blame
    # with no target named, only an attack is taken to be against the speaker ("said the attack was ...")
    unnamed = said.country if said is not None and frame.type == "ASSAULT" else None
    victim = recipient.country if recipient is not None else unnamed
    if said is None or not said.country or said.country != victim or actor.country == said.country:
        return None  # only a speaker who says it (or no one else named) suffered the act blames the doer
    verb = speaker[0]
    return Event(
        type="ACCUSE", trigger=Mention(verb.text, (verb.idx, verb.idx + len(verb.text))),
        actor=said, recipient=actor, mode="allege", context=frame.context, status="completed",
        sentence=sentence_offsets(sent), confidence=0.5,
    )
