"""Event frames: a trigger (verb or noun of the event lexicon) and the tokens around it.

A frame holds tokens, not yet normalized parties: the actor (subject, "by" phrase in the passive,
"from" phrase for "receive"), the recipient where the pattern says (object, "to", "on", ...), the
object, the place, and the mode and context read from the weapon or goods involved.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Span, Token

from ..actors.resolve import phrase_span
from ..doc_views import Columns, columns
from .arguments import (
    RELATIVE_PRONOUNS, Arguments, is_pronoun, noun_status, object_parts, pobjects, status_of, verb_arguments,
)
from .lexicon import NO_EVENT, EventLexicon, NounPattern, VerbPattern

HOSTILE = frozenset({"ASSAULT", "COERCE", "THREATEN", "SANCTION"})
# Verbs that pass their object's event through ("promised to continue military aid"); "postpone" does not.
ASPECTUAL_VERBS = frozenset({"continue", "resume", "begin", "start", "keep", "maintain", "increase", "expand", "renew"})


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
    locates_actor: bool = True  # whether ``location`` is where the actor acted
    needs_party: bool = False  # only worth coding when the recipient resolves to a party (stated obligations)


PARTICLES = frozenset({"back", "out", "off", "away", "down", "up", "over", "in"})


def _verb_keys(verb: Token) -> list[str]:
    return _verb_keys_at(columns(verb.doc), verb.i)


def _verb_keys_at(cols: Columns, i: int) -> list[str]:
    lemma = cols.lemma[i]
    children = cols.children(i)
    # a particle the parser read as an adverb right after the verb ("pulled back its forces") is one too
    keys = [f"{lemma} {cols.lower[c]}" for c in children
            if cols.dep[c] == "prt" or (cols.dep[c] == "advmod" and c == i + 1 and cols.lower[c] in PARTICLES)]
    keys += [f"{lemma} {cols.lower[c]}" for c in children if cols.dep[c] == "dobj"]
    keys += [f"{lemma} {cols.lower[c]}" for c in children if cols.dep[c] in ("prep", "dative", "agent")]
    keys.append(lemma)
    return keys


CANDIDATE_POS = frozenset({"VERB", "ADJ", "NOUN", "PROPN"})  # the only words ``candidate_at`` takes


def trigger_candidates(sent: Span, lexicon: EventLexicon) -> dict[int, Candidate]:
    """``candidate_at`` for every word of the sentence that has a candidate, by token index."""
    doc, cols = sent.doc, columns(sent.doc)
    return {i: c for i in range(sent.start, sent.end)
            if _may_be_candidate(cols, i, lexicon) and (c := candidate_at(doc[i], lexicon)) is not None}


def _may_be_candidate(cols: Columns, i: int, lexicon: EventLexicon) -> bool:
    """False where ``candidate_at`` surely finds nothing, read from the columns: no verb key and no noun
    (nor container noun) of the lexicon at the word. Most words are such, and need no Token."""
    pos = cols.pos[i]
    if pos not in CANDIDATE_POS:
        return False
    dep = cols.dep[i]
    if (pos in ("VERB", "ADJ") or (pos == "NOUN" and dep in ("ROOT", "ccomp", "conj") and cols.tag[i].startswith("VB"))) and any(
            key in lexicon.verbs for key in _verb_keys_at(cols, i)):
        return True
    if pos in ("NOUN", "PROPN") and dep != "compound":
        nouns, lower, lemma = lexicon.nouns, cols.lower, cols.lemma
        return ((i > 0 and f"{lower[i - 1]} {lower[i]}" in nouns) or lower[i] in nouns or lemma[i] in nouns
                or lemma[i] in lexicon.containers)
    return False


def candidate_at(token: Token, lexicon: EventLexicon) -> Optional[Candidate]:
    if token.pos_ in ("VERB", "ADJ") or (token.pos_ == "NOUN" and token.dep_ in ("ROOT", "ccomp", "conj") and token.tag_.startswith("VB")):
        keys = _verb_keys(token)
        pattern = None
        if any(key in lexicon.verbs for key in keys):  # most words have no pattern: skip reading the object
            obj = next((c for c in token.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if obj is not None and obj.lower_ in RELATIVE_PRONOUNS and token.dep_ == "relcl":
                obj = token.head  # "drones, which Russian forces have employed"
            if obj is not None:
                obj = object_parts(obj)[0]
            pattern = lexicon.verb_pattern(keys, obj)
        if pattern is not None and pattern.type == "THREATEN" and any(
                c.dep_ == "prep" and c.lower_ in ("about", "of") for c in token.children):
            pattern = None  # "had warned about a delivery" reports a concern, not a threat
        if pattern is not None and pattern.type == NO_EVENT:
            return None
        if pattern is not None and (token.pos_ != "ADJ" or pattern.frame == "wrap"):
            return Candidate(token, pattern, True)
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ != "compound":
        noun = lexicon.noun_pattern(token)
        if noun is not None:
            return Candidate(token, noun, False)
    return None


def inner_candidate(verb: Token, candidates: dict[int, Candidate]) -> Optional[Candidate]:
    """The event a REQUEST/REJECT/AGREE/THREATEN verb is about: its complement clause or object noun."""
    frontier = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp", "dobj", "prep", "acl")
                or (c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("for", "that") for m in c.children))]
    if verb.pos_ == "NOUN" and verb.dep_ == "dobj":
        # "reiterated its demand that Israel ease restrictions": the parser often hangs the clause on the verb
        frontier += [c for c in verb.head.children if c.dep_ == "ccomp" and c.i > verb.i]
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


def build_frame(cand: Candidate, lexicon: EventLexicon) -> Frame:
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
    frame.location = location_of(args, frame.recipients)
    frame.confidence = 0.8 if frame.actors and frame.recipients else 0.6
    refine(frame, lexicon, instruments=_instruments(verb, args, frame.obj))
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


def location_of(args: Arguments, recipients: list[Token]) -> Optional[Token]:
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


TIME_PREPOSITIONS = frozenset({"since", "after", "before", "until", "following", "during"})


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
            frame.context = frame.context or lexicon.context_of(clause_tokens(helped_verb))
            frame.status = status_of(helped_verb)
            refine(frame, lexicon, instruments=[])
            return frame
    light_verb = noun.head if noun.dep_ == "dobj" else (  # not "held since his arrest": a time, not a light verb
        noun.head.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.lower_ not in TIME_PREPOSITIONS
        else None)
    if (own is None and light_verb is not None and light_verb.pos_ in ("VERB", "AUX") and noun.head.lower_ != "with"
            and candidate_at(light_verb, lexicon) is None):  # "protested against the visit" is not a visit
        noun_head = light_verb
        light = verb_arguments(noun_head)
        own = light.agent if light.passive else light.subject
        if noun.dep_ == "pobj" and noun.head.lower_ == "under" and own is not None:
            # "the city is under attack", "civilians live under siege": the subject undergoes the act
            recipients, own = recipients or [own], None
        elif noun.dep_ == "dobj" and noun_head.lemma_.lower() in lexicon.undergo and own is not None and not light.passive:
            # "Putin faced western criticism from Washington": Putin is criticised, by whoever the noun names
            recipients = [own]
            own = next((o for c in (*noun.children, *noun_head.children) if c.dep_ == "prep" and c.lower_ == "from"
                        for o in pobjects(c)), None)
        if not recipients:
            recipients = _noun_recipients(noun_head, pattern.recipient)
        light_status = status_of(noun_head)
        # the verb group's own mark wins ("did not hold talks"); else the noun's ("is under attack", "live under siege")
        frame.status = frame.status if light_status == "completed" else light_status
        frame.verb = noun_head
        frame.confidence = 0.7  # "staged demonstrations", "held talks": the light verb makes a full event
        frame.location = location_of(light, recipients)
    if own is None and noun.dep_ == "nsubjpass" and candidate_at(noun.head, lexicon) is None:
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
        frame.location = location_of(verb_arguments(noun), recipients)
    modifiers = [c for c in noun.children if c.dep_ in ("compound", "nmod", "amod")]
    modifiers += [cc for m in modifiers for cc in m.conjuncts]
    if frame.type == "ASSAULT" and _labour_stoppage(noun, modifiers, frame, lexicon):
        frame.type, frame.mode, frame.context = "PROTEST", "boycott", None
    refine(frame, lexicon, instruments=[*modifiers, *([frame.obj] if frame.obj is not None else [])])
    return frame


STOPPAGE_NOUNS = frozenset({"strike", "strikes", "walkout", "stoppage"})
LABOUR_WORDS = frozenset({"union", "unions", "worker", "workers", "employee", "staff", "ballot", "pay", "wage", "wages",
                          "teacher", "nurse", "pension", "pensions", "picket", "walkout"})


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
    if _noun_actor(noun) is not None:  # "Russian strikes killed two workers" are attacks
        return False
    return any(t.lemma_.lower() in LABOUR_WORDS for t in noun.sent)  # "balloting workers on strikes"


def _noun_actor(noun: Token) -> Optional[Token]:
    modifiers = [c for c in noun.children if c.dep_ in ("compound", "nmod", "amod")]
    for child in [*noun.children, *(g for m in modifiers for g in m.children)]:
        if child.dep_ == "poss" and not is_pronoun(child):
            return child
    for child in noun.children:
        if child.dep_ in ("amod", "compound", "nmod") and child.ent_type_ in ("NORP", "GPE", "ORG"):
            return child
        if child.dep_ == "compound" and child.pos_ == "PROPN" and any(
                g.dep_ in ("amod", "compound") and g.ent_type_ in ("NORP", "GPE", "ORG") for g in child.children):
            return child  # "Islamic State attacks": the tagger marks "Islamic" alone, the name ends at "State"
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


def clause_tokens(verb: Token, limit: int = 40) -> list[Token]:
    return [t for t in verb.subtree][:limit]


def refine(frame: Frame, lexicon: EventLexicon, instruments: list[Token]) -> None:
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
        frame.context = lexicon.context_of(clause_tokens(frame.trigger))
