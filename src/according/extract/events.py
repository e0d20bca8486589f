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

from dataclasses import dataclass, field, replace
from typing import Iterator, Optional

from spacy.tokens import Doc, Span, Token

from ..records import Actor, Event, EventObject, Mention
from .actor_lexicon import ActorLexicon
from .actors import actor_for_token, find_names, phrase_span
from .event_arguments import (
    INTENT_VERBS,
    PERSONAL_PRONOUNS, RELATIVE_PRONOUNS, Arguments, is_pronoun, has_obligation, inherited_subject, is_intended, is_negated,
    noun_status, object_parts, pobjects, resolve_pronoun, speaker_of, status_of, verb_arguments,
)
from .event_lexicon import EventLexicon, NounPattern, VerbPattern

__all__ = ["EventLexicon", "extract_events"]

COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"})
THREATENING = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"})
HOSTILE = frozenset({"ASSAULT", "COERCE", "THREATEN", "SANCTION"})
MAX_PARTIES = 5
# Verbs that pass their object's event through ("promised to continue military aid"); "postpone" does not.
ASPECTUAL_VERBS = frozenset({"continue", "resume", "begin", "start", "keep", "maintain", "increase", "expand", "renew"})
NON_STATE_CODES = frozenset({"UNO", "EUR", "IGO", "NGO", "IMG"})
INTERNATIONAL_SECTORS = frozenset({"NGO", "IGO"})
# A definite "the country" inside reported speech is the speaker's own country.
SELF_REFERENCES = frozenset({"country", "nation", "government", "state", "kingdom", "republic"})


@dataclass
class Candidate:
    trigger: Token
    pattern: VerbPattern | NounPattern
    verbal: bool

    @property
    def type(self) -> str:
        return self.pattern.type


@dataclass
class Frame:
    """An event before its parties are normalized: tokens for who, to whom and what."""

    type: str
    trigger: Token
    actors: list[Token] = field(default_factory=list)
    recipients: list[Token] = field(default_factory=list)
    obj: Optional[Token] = None
    quantity: Optional[str] = None
    mode: Optional[str] = None
    context: Optional[str] = None
    status: str = "completed"
    location: Optional[Token] = None
    confidence: float = 0.6
    shown: Optional[Token] = None  # the word reported as the trigger when it is not ``trigger``
    reverse: bool = False  # the recipient is the grammatical subject ("receive", "accept")
    verb: Optional[Token] = None  # the verb that carries tense and modality (a noun's light verb)
    backup: list[Token] = field(default_factory=list)  # recipients to try when the first name no party


def extract_events(doc: Doc, lexicon: EventLexicon, actors: ActorLexicon) -> Iterator[Event]:
    """PLOVER events in text order; ids, times and attribution links are left to the pipeline."""
    for sent in doc.sents:
        yield from _sentence_events(sent, lexicon, actors)


def _sentence_events(sent: Span, lexicon: EventLexicon, actors: ActorLexicon) -> Iterator[Event]:
    candidates = {t.i: c for t in sent if (c := _candidate(t, lexicon)) is not None}
    obligations = [t for t in sent if t.i not in candidates and t.pos_ in ("VERB", "AUX") and has_obligation(t)
                   and speaker_of(t, lexicon.speech_verbs) is not None]
    inner_of: dict[int, Candidate] = {}
    consumed: set[int] = set()
    for i, cand in candidates.items():
        if cand.pattern.frame == "wrap":
            inner = _inner_candidate(cand.trigger, candidates)
            if inner is not None:
                inner_of[i] = inner
        elif not cand.verbal and cand.trigger.dep_ == "dobj" and cand.trigger.head.i in candidates:
            consumed.add(i)  # "launched an attack": the verb pattern already covers the noun
        elif not cand.verbal and _topic_of_event(cand.trigger, candidates):
            consumed.add(i)  # "protested against EU trade deals": the deals are what the protest is about
    shown: dict[int, Token] = {}
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
        frame = Frame("REQUEST", verb, actors=_subjects(verb), status=status_of(verb), confidence=0.5)
        yield from _events(frame, sent, lexicon, actors)
    for i in sorted(candidates):
        if i in consumed:
            continue
        frame = _frame(candidates[i], lexicon)
        frame.shown = shown.get(i, frame.shown)
        if frame.type == "REQUEST" and candidates[i].pattern.frame == "direct" and frame.shown is None:
            said = speaker_of(frame.trigger, lexicon.speech_verbs)  # "told donors that it needs fuel": the telling asks
            frame.shown = said[0] if said is not None and said[0].pos_ == "VERB" else None
        inner = inner_of.get(i)
        if inner is not None:
            frame = _wrap(frame, _frame(inner, lexicon), lexicon)
        for event in _events(frame, sent, lexicon, actors):
            key = (event.type, event.trigger.span, _code(event.actor), _code(event.recipient))
            if key not in seen:
                seen.add(key)
                yield event


TOPIC_PREPOSITIONS = frozenset({"against", "over", "about", "on", "for", "of"})


def _topic_of_event(noun: Token, candidates: dict[int, Candidate]) -> bool:
    prep = noun.head
    return (noun.dep_ == "pobj" and prep.lower_ in TOPIC_PREPOSITIONS and prep.head.i in candidates
            and candidates[prep.head.i].verbal and candidates[prep.head.i].pattern.frame != "wrap")


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


def _verb_keys(verb: Token) -> list[str]:
    lemma = verb.lemma_.lower()
    keys = []
    for child in verb.children:
        if child.dep_ == "prt":
            keys.append(f"{lemma} {child.lower_}")
    for child in verb.children:
        if child.dep_ in ("dobj",):
            keys.append(f"{lemma} {child.lower_}")
    for child in verb.children:
        if child.dep_ in ("prep", "dative", "agent"):
            keys.append(f"{lemma} {child.lower_}")
    keys.append(lemma)
    return keys


def _candidate(token: Token, lexicon: EventLexicon) -> Optional[Candidate]:
    if token.pos_ in ("VERB", "ADJ") or (token.pos_ == "NOUN" and token.dep_ in ("ROOT", "ccomp", "conj") and token.tag_.startswith("VB")):
        obj = next((c for c in token.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if obj is not None and obj.lower_ in RELATIVE_PRONOUNS and token.dep_ == "relcl":
            obj = token.head  # "drones, which Russian forces have employed"
        if obj is not None:
            obj = object_parts(obj)[0]
        pattern = lexicon.verb_pattern(_verb_keys(token), obj)
        if pattern is not None and pattern.type == "THREATEN" and any(
                c.dep_ == "prep" and c.lower_ in ("about", "of") for c in token.children):
            pattern = None  # "had warned about a delivery" reports a concern, not a threat
        if pattern is not None and (token.pos_ != "ADJ" or pattern.frame == "wrap"):
            return Candidate(token, pattern, True)
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ != "compound":
        noun = lexicon.noun_pattern(token)
        if noun is not None:
            return Candidate(token, noun, False)
    return None


def _inner_candidate(verb: Token, candidates: dict[int, Candidate]) -> Optional[Candidate]:
    """The event a REQUEST/REJECT/AGREE/THREATEN verb is about: its complement clause or object noun."""
    frontier = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp", "dobj", "prep", "acl")]
    for _ in range(3):
        following: list[Token] = []
        for child in frontier:
            if child.i in candidates and child.i != verb.i:
                return candidates[child.i]
            if child.dep_ == "prep":
                following.extend(pobjects(child))
            else:
                following.extend(c for c in child.children if c.dep_ in ("xcomp", "ccomp", "conj", "acl", "prep")
                                 or (c.dep_ == "dobj" and child.lemma_.lower() in ASPECTUAL_VERBS))
        frontier = following
    return None


def _frame(cand: Candidate, lexicon: EventLexicon) -> Frame:
    return _verb_frame(cand, lexicon) if cand.verbal else _noun_frame(cand, lexicon)


def _verb_frame(cand: Candidate, lexicon: EventLexicon) -> Frame:
    pattern = cand.pattern
    verb = cand.trigger
    args = verb_arguments(verb)
    frame = Frame(pattern.type, verb, mode=pattern.mode, context=pattern.context, status=status_of(verb))
    used_dobj = False
    if pattern.frame == "reverse":
        frame.reverse = True
        frame.actors = list(args.preps.get("from", []))[:1]
        frame.recipients = [t for t in (args.agent if args.passive else args.subject,) if t is not None]
    else:
        actor = args.agent if args.passive else args.subject
        if actor is None and pattern.type in HOSTILE and args.preps.get("from"):
            actor = args.preps["from"][0]  # "a mortar bomb was fired at it from Gaza"
        frame.actors = [actor] if actor is not None else []
        frame.recipients, used_dobj = _recipients(pattern.recipient, args, verb)
    if used_dobj and frame.recipients:
        frame.backup = _proposers(frame.recipients[0])
    if pattern.type == "THREATEN":
        frame.backup.extend(_conditioned(verb))
    if not used_dobj and args.dobj is not None and not is_pronoun(args.dobj):
        frame.obj, frame.quantity = object_parts(args.dobj)
    frame.location = _location(args, frame.recipients)
    frame.confidence = 0.8 if frame.actors and frame.recipients else 0.6
    _refine(frame, lexicon, instruments=_instruments(verb, args, frame.obj))
    return frame


def _recipients(roles: tuple[str, ...], args: Arguments, verb: Token) -> tuple[list[Token], bool]:
    for role in roles:
        if role == "dobj" and args.dobj is not None:
            return [args.dobj], True
        if role == "dative" and args.dative is not None:
            return [args.dative], False
        if role == "ccomp":
            clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
            subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None) if clause is not None else None
            if subject is not None:
                return [subject], False
        if role == "between" and args.preps.get("between"):
            return list(args.preps["between"]), False
        if role in args.preps:
            return list(args.preps[role][:1]), False
    if args.dobj is not None:  # "sent 5 billion euros in military aid to Ukraine"
        for role in roles:
            if role in ("to", "for"):
                nested = _nested_prep(args.dobj, role)
                if nested is not None:
                    return [nested], False
    if "against" in roles:  # "employed in their conflict against Ukraine"
        for objs in args.preps.values():
            for obj in objs:
                nested = next((o for c in obj.children if c.dep_ == "prep" and c.lower_ == "against"
                               for o in pobjects(c)), None)
                if nested is not None:
                    return [nested], False
    return [], False


def _proposers(noun: Token) -> list[Token]:
    """Who made what is rejected or accepted: "X's proposal", "an offer from X", "calls by X"."""
    found = [c for c in noun.children if c.dep_ == "poss" and not is_pronoun(c)]
    for prep in (c for c in noun.children if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by")):
        found.extend(pobjects(prep))
    return found


def _conditioned(verb: Token) -> list[Token]:
    """The party a threat's condition names: "... unless Baghdad accepted", "if the United States goes ahead"."""
    for clause in verb.subtree:
        if clause.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in clause.children):
            subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None:
                return [subject]
    return []


def _nested_prep(head: Token, word: str, depth: int = 3) -> Optional[Token]:
    """The object of a preposition a few phrases below ``head``."""
    frontier = [head]
    for _ in range(depth):
        following = []
        for token in frontier:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == word:
                    found = next(pobjects(child), None)
                    if found is not None:
                        return found
                if child.dep_ in ("prep", "pobj"):
                    following.append(child)
        frontier = following
    return None


def _location(args: Arguments, recipients: list[Token]) -> Optional[Token]:
    for word in ("in", "at", "near", "inside", "outside", "throughout", "across"):
        for obj in args.preps.get(word, []):
            if obj in recipients:
                continue
            if obj.ent_type_ in ("GPE", "LOC", "FAC") or (obj.pos_ == "PROPN" and not obj.ent_type_):
                return obj
            for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ in ("of", "in")):
                for inner in pobjects(prep):  # "in the capital city of Algiers", "in a jail in Israel"
                    if inner.ent_type_ in ("GPE", "LOC", "FAC"):
                        return inner
            if obj.ent_type_ == "" and any(c.ent_type_ == "GPE" for c in obj.children if c.dep_ in ("compound", "amod", "poss")):
                return obj
    return None


def _instruments(verb: Token, args: Arguments, obj: Optional[Token]) -> list[Token]:
    """What a harm was done with: the object fired, "with"/"in"/"by" phrases, the subject ("bombers")."""
    heads = [t for t in (obj, *args.preps.get("with", []), *args.preps.get("in", []), args.agent, args.subject)
             if t is not None]
    return [m for h in heads for m in (*[c for c in h.children if c.dep_ in ("compound", "amod", "nmod")], h)]


def _noun_frame(cand: Candidate, lexicon: EventLexicon) -> Frame:
    pattern = cand.pattern
    noun = cand.trigger
    frame = Frame(pattern.type, noun, mode=pattern.mode, context=pattern.context, status=noun_status(noun),
                  confidence=0.5)
    own = _noun_actor(noun)
    recipients = _noun_recipients(noun, pattern.recipient)
    if own is not None and noun.dep_ == "pobj" and noun.head.lower_ == "with" and not recipients:
        # "Russia built a factory with Iran's assistance": the helper is the possessor, the helped the subject
        helper = own
        helped_verb = noun.head.head
        while helped_verb.pos_ not in ("VERB", "AUX") and helped_verb.head.i != helped_verb.i:
            helped_verb = helped_verb.head  # "built a stadium with Japan's assistance"
        helped = verb_arguments(helped_verb).subject if helped_verb.pos_ in ("VERB", "AUX") else None
        if helper is not None and helped is not None:
            frame.actors, frame.recipients, frame.shown = [helper], [helped], helped_verb
            if frame.type == "AID":
                frame.type = "COOPERATE"  # help in what the helped party does itself is joint work
            frame.context = frame.context or lexicon.context_of(_clause_tokens(helped_verb))
            frame.status = status_of(helped_verb)
            _refine(frame, lexicon, instruments=[])
            return frame
    light_verb = noun.head if noun.dep_ == "dobj" else (
        noun.head.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else None)
    if (own is None and light_verb is not None and light_verb.pos_ in ("VERB", "AUX") and noun.head.lower_ != "with"
            and _candidate(light_verb, lexicon) is None):  # "protested against the visit" is not a visit
        noun_head = light_verb
        light = verb_arguments(noun_head)
        own = light.agent if light.passive else light.subject
        if not recipients:
            recipients = _noun_recipients(noun_head, pattern.recipient)
        frame.status = status_of(noun_head)
        frame.verb = noun_head
        frame.location = _location(light, recipients)
    if own is None and noun.dep_ == "nsubjpass" and _candidate(noun.head, lexicon) is None:
        own = verb_arguments(noun.head).agent  # "the attack was carried out by Russian bombers"
        frame.verb = noun.head
    actors = [own] if own is not None else []
    if pattern.frame == "reverse":
        actors, recipients = recipients[:1], actors
    frame.actors, frame.recipients = actors, recipients
    of_obj = next((o for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for o in pobjects(c)), None)
    if of_obj is not None and "of" not in pattern.recipient:
        frame.obj, frame.quantity = object_parts(of_obj)
    if frame.location is None:
        frame.location = _location(verb_arguments(noun), recipients)
    modifiers = [c for c in noun.children if c.dep_ in ("compound", "nmod", "amod")]
    modifiers += [cc for m in modifiers for cc in m.conjuncts]
    if frame.type == "ASSAULT" and _labour_stoppage(noun, modifiers, frame, lexicon):
        frame.type, frame.mode, frame.context = "PROTEST", "boycott", None
    _refine(frame, lexicon, instruments=[*modifiers, *([frame.obj] if frame.obj is not None else [])])
    return frame


STOPPAGE_NOUNS = frozenset({"strike", "strikes", "walkout", "stoppage"})
STOPPAGE_SECTORS = frozenset({"LAB", "EDU", "CVL", "PTY", "OPP", "AGR", "BUS", "HLH", "REL"})


def _labour_stoppage(noun: Token, modifiers: list[Token], frame: Frame, lexicon: EventLexicon) -> bool:
    """"a four-day strike", "their strike" by workers: a stoppage, not an air strike."""
    if noun.lower_ not in STOPPAGE_NOUNS:
        return False
    if any(lexicon.object_class_of_token(m) is not None for m in modifiers) or any(
            m.lower_ in ("air", "aerial", "military", "missile", "drone") for m in modifiers):
        return False
    if any(m.like_num or "-" in m.text or m.lower_ in ("general", "national", "nationwide", "labour", "labor", "open-ended")
           for m in noun.subtree if m.i < noun.i):
        return True
    return False


def _noun_actor(noun: Token) -> Optional[Token]:
    modifiers = [c for c in noun.children if c.dep_ in ("compound", "nmod", "amod")]
    for child in [*noun.children, *(g for m in modifiers for g in m.children)]:
        if child.dep_ == "poss" and not is_pronoun(child):
            return child
    for child in noun.children:
        if child.dep_ in ("amod", "compound", "nmod") and child.ent_type_ in ("NORP", "GPE", "ORG"):
            return child
    return None


def _noun_recipients(head: Token, roles: tuple[str, ...]) -> list[Token]:
    for role in roles:
        if role.startswith("acl-"):
            word = role[4:]
            for clause in (c for c in head.children if c.dep_ in ("acl", "relcl")):
                for prep in (p for p in clause.subtree if p.dep_ == "prep" and p.lower_ == word):
                    found = list(pobjects(prep))
                    if found:
                        return found[:1]
            continue
        for prep in (c for c in head.children if c.dep_ in ("prep", "dative") and c.lower_ == role):
            found = list(pobjects(prep))
            if found:
                return found if role == "between" else found[:1]
    return []


def _clause_tokens(verb: Token, limit: int = 40) -> list[Token]:
    return [t for t in verb.subtree][:limit]


def _refine(frame: Frame, lexicon: EventLexicon, instruments: list[Token]) -> None:
    """Mode from the weapon used (ASSAULT), context from the object or the words around."""
    if frame.type == "ASSAULT":
        for token in instruments:
            cls = lexicon.object_class_of_token(token)
            if cls is not None and cls.assault_mode:
                frame.mode = cls.assault_mode
                break
    obj_cls = lexicon.object_class(phrase_span(frame.obj)) if frame.obj is not None else None
    if frame.type in ("AID", "COOPERATE", "REQUEST", "AGREE", "REJECT") and obj_cls is not None and obj_cls.context:
        frame.context = obj_cls.context
    if frame.context is None and frame.type in ("AID", "COOPERATE", "AGREE", "REQUEST", "REJECT", "SANCTION"):
        frame.context = lexicon.context_of(_clause_tokens(frame.trigger))


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
        outer.recipients = inner.recipients
    outer.backup = outer.backup + inner.backup
    if not outer.actors and inner.actors:
        outer.actors = inner.actors
    if outer.type == "AGREE":
        outer.status = "negated" if outer.status == "negated" else "planned"
    if outer.location is None:
        outer.location = inner.location
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


def _events(frame: Frame, sent: Span, lexicon: EventLexicon, actors: ActorLexicon) -> Iterator[Event]:
    frame = _intentions(frame, lexicon)
    speaker = speaker_of(frame.trigger, lexicon.speech_verbs)
    if speaker is not None and frame.trigger.pos_ in ("VERB", "ADJ", "AUX") and has_obligation(frame.trigger):
        # "Russia said Sudan must return the helicopter": a REQUEST from the speaker to Sudan
        frame = replace(frame, type="REQUEST", mode=lexicon.wrapper_modes.get(("REQUEST", frame.type)),
                        recipients=frame.actors, actors=[speaker[1]], status="completed", shown=speaker[0])
    actor_list = _parties(frame.actors, lexicon, actors) or [None]
    recipient_list = _located(_parties(frame.recipients, lexicon, actors) or _parties(frame.backup, lexicon, actors),
                              frame, actors)
    if actor_list == [None] and recipient_list == [None]:
        return
    place = actor_for_token(frame.location, actors) if frame.location is not None else None
    if place is not None and place.country:  # people acting somewhere are presumed to be from there
        actor_list = [_placed(a, place.country) for a in actor_list]
    if actor_list == [None] and frame.type == "ASSAULT":
        actor_list = [_unidentified_attacker(frame, place, actors)]
    home = _only_country(sent, actors)
    if home is not None:  # "President X conceded to demands from UNITA": a domestic actor of the one country named
        actor_list = [_with_home(a, home) for a in actor_list]
        recipient_list = [_with_home(r, home) for r in recipient_list]
    implied: set[int] = set()
    if recipient_list == [None] and frame.type == "PROTEST" and actor_list[0] is not None and actor_list[0].country:
        # a protest with no named target is against the protesters' own government (field practice)
        recipient_list = [replace(actor_list[0], name=actor_list[0].country, sector="GOV", kind="country")]
        implied = {id(recipient_list[0])}
    for actor in actor_list:
        for recipient in recipient_list:
            if actor is not None and recipient is not None and actor.span == recipient.span and id(recipient) not in implied:
                continue
            yield _event(frame, sent, actor, recipient, lexicon)
            accusation = _accusation(frame, sent, actor, recipient, speaker, lexicon, actors)
            if accusation is not None:
                yield accusation


def _only_country(sent: Span, actors: ActorLexicon) -> Optional[str]:
    countries = {m.entry.country for m in find_names(sent, actors) if m.entry.country and len(m.entry.country) == 3}
    countries -= NON_STATE_CODES
    return next(iter(countries)) if len(countries) == 1 else None


def _with_home(actor: Optional[Actor], home: str) -> Optional[Actor]:
    if actor is None or actor.country or not (actor.sector or actor.kind == "person") or actor.sector in INTERNATIONAL_SECTORS:
        return actor
    return replace(actor, country=home)


def _placed(actor: Optional[Actor], country: str) -> Optional[Actor]:
    """"Thousands of people blocked streets in X", "ethnic Albanians demonstrated in Serbia": from X."""
    if actor is None or actor.sector in INTERNATIONAL_SECTORS:
        return actor
    if actor.country is None and actor.sector:
        return replace(actor, country=country)
    if actor.country and "ethnic " in actor.text.lower():
        return replace(actor, country=country)
    return actor


def _unidentified_attacker(frame: Frame, place: Optional[Actor], actors: ActorLexicon) -> Optional[Actor]:
    """A bombing with no named attacker is coded, as the field does, to the place it happened (UAF)."""
    if place is None or not place.country:
        for token in frame.trigger.subtree:
            if token.dep_ == "pobj" and token.head.lower_ in ("near", "in", "outside", "of"):
                candidate = actor_for_token(token, actors)
                if candidate is not None and candidate.country:
                    place = candidate
                    break
    if place is None or not place.country:
        return None
    return replace(place, sector="UAF", kind="unknown")


def _located(recipients: list[Optional[Actor]], frame: Frame, actors: ActorLexicon) -> list[Optional[Actor]]:
    """No recipient, or one with no country ("killed 23 people in Tel Aviv"): the place gives the country."""
    if frame.type in ("CONSULT", "COOPERATE", "SUPPORT"):
        return recipients or [None]  # where parties meet is not whom they meet
    place = actor_for_token(frame.location, actors) if frame.location is not None else None
    if place is None or not place.country:
        return recipients or [None]
    if not recipients:
        return [replace(place, sector=None)]
    return [r if r is None or r.country else replace(r, country=place.country) for r in recipients]


def _parties(tokens: list[Token], lexicon: EventLexicon, actors: ActorLexicon) -> list[Optional[Actor]]:
    found: list[Optional[Actor]] = []
    for token in tokens:
        for part in [token, *token.conjuncts][:MAX_PARTIES]:
            part = object_parts(part)[0]  # "thousands of people": the people
            resolved = resolve_pronoun(part, lexicon.speech_verbs)
            if (resolved.lower_ in SELF_REFERENCES and any(c.lower_ == "the" for c in resolved.children)
                    and not _has_country(resolved, actors)):
                speaker = speaker_of(resolved, lexicon.speech_verbs)  # "X warned that the country needs ..."
                resolved = speaker[1] if speaker is not None else resolved
            if is_pronoun(resolved):
                continue
            found.extend(_split_modifiers(resolved, actors))
    return found[:MAX_PARTIES]


def _has_country(token: Token, lexicon: ActorLexicon) -> bool:
    actor = actor_for_token(token, lexicon)
    return actor is not None and actor.country is not None


def _split_modifiers(token: Token, lexicon: ActorLexicon) -> list[Actor]:
    """"Hungarian and Romanian officials" are two parties: one actor per conjoined country adjective."""
    actor = actor_for_token(token, lexicon)
    if actor is None:
        return []
    for child in token.children:
        conj = child.conjuncts
        if child.dep_ in ("amod", "compound", "nmod") and conj:
            countries = []
            for mod in (child, *conj):
                entry = lexicon.lookup(mod.text)
                if entry is not None and entry.country and entry.country not in countries:
                    countries.append(entry.country)
            if len(countries) > 1:
                return [replace(actor, country=c) for c in countries]
    return [actor]


CLAUSE_DEPS = frozenset({"xcomp", "ccomp", "advcl", "acl", "relcl", "conj", "pcomp"})


def _clause_depth(token: Token) -> int:
    """How many clauses down from the sentence's main verb: the main event is the surest."""
    depth, current = 0, token
    for _ in range(12):
        if current.head.i == current.i:
            break
        depth += current.dep_ in CLAUSE_DEPS
        current = current.head
    return min(depth, 3)


def _sentence_offsets(sent: Span) -> tuple[int, int]:
    text = sent.text
    return sent.start_char, sent.start_char + len(text.rstrip())


def _event(frame: Frame, sent: Span, actor: Optional[Actor], recipient: Optional[Actor], lexicon: EventLexicon) -> Event:
    trigger = frame.shown if frame.shown is not None else frame.trigger
    obj = None
    if frame.obj is not None:
        span = phrase_span(frame.obj)
        cls = lexicon.object_class(span)
        obj = EventObject(span.text, (span.start_char, span.end_char), cls.cls if cls else None, frame.quantity)
    location = None
    if frame.location is not None:
        loc = phrase_span(frame.location)
        location = Mention(loc.text, (loc.start_char, loc.end_char))
    return Event(
        type=frame.type,
        trigger=Mention(trigger.text, (trigger.idx, trigger.idx + len(trigger.text))),
        actor=actor, recipient=recipient, mode=frame.mode, context=frame.context, object=obj,
        status=frame.status, location=location, sentence=_sentence_offsets(sent),
        confidence=round(max(0.1, frame.confidence - 0.1 * _clause_depth(frame.trigger)), 2),
    )


def _accusation(frame: Frame, sent: Span, actor: Optional[Actor], recipient: Optional[Actor],
                speaker: Optional[tuple[Token, Token]], lexicon: EventLexicon, actors: ActorLexicon) -> Optional[Event]:
    """A speaker who says it suffered a hostile act blames the one who did it (field coding practice)."""
    if speaker is None or frame.type not in HOSTILE or actor is None or not actor.country:
        return None
    said = actor_for_token(speaker[1], actors)
    victim = recipient.country if recipient is not None else said.country if said is not None else None
    if said is None or not said.country or said.country != victim or actor.country == said.country:
        return None  # only a speaker who says it (or no one else named) suffered the act blames the doer
    verb = speaker[0]
    return Event(
        type="ACCUSE", trigger=Mention(verb.text, (verb.idx, verb.idx + len(verb.text))),
        actor=said, recipient=actor, mode="allege", context=frame.context, status="completed",
        sentence=_sentence_offsets(sent), confidence=0.5,
    )
