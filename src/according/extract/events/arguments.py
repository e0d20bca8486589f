"""Who and what around an event trigger: subject, object, recipient phrases, status, speaker.

Reads the dependency tree only: active and passive voice, relative clauses and participles, subjects
shared by conjoined or controlled verbs ("refused to send"), pronouns inside reported speech, modals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

from spacy.tokens import Token

from ..doc_views import columns, sentence_of

SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
PERSONAL_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "its", "their", "his", "her", "our", "them", "him", "us"})
# Passive forms that describe the subject's own stance: "is opposed to", "is committed to".
STATIVE_PASSIVES = frozenset({"oppose", "commit", "dedicate", "devote", "determine", "resolve", "engage", "involve"})
NEGATIONS = frozenset({"not", "n't", "never", "no"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
HYPOTHETICAL_AUX = frozenset({"would", "could", "might", "may", "can", "'d"})
OBLIGATION_AUX = frozenset({"must", "should"})
QUANTITY_HEADS = frozenset({
    "hundreds", "thousands", "dozens", "millions", "scores", "tens", "batch", "batches", "number",
    "shipment", "consignment", "lot", "lots", "tons", "tonnes", "hundred", "thousand", "dozen", "part",
    "some", "most", "all", "many", "one", "two", "three", "four", "five", "members", "group",
    "kg", "kilograms", "kilogrammes", "worth", "litres", "liters", "barrels", "units", "pieces", "crates",
    "boxes", "containers", "truckloads", "consignments", "shipments", "doses", "sacks", "bags",
})
ONGOING_MODIFIERS = frozenset({"increasing", "ongoing", "continuing", "continued", "growing", "escalating", "intensifying"})
PLANNED_MODIFIERS = frozenset({"planned", "proposed", "expected", "possible", "potential", "future"})
PLAN_VERBS = frozenset({"plan", "intend", "prepare", "aim", "seek", "want", "hope", "expect", "decide", "try", "attempt"})
# Verbs that state an intention (not an attempt): "plans to impose", "prepared to strike".
INTENT_VERBS = frozenset({"plan", "intend", "prepare", "aim", "vow", "swear", "want", "threaten", "pledge"})
# "face the prospect of an attack", "risks being executed": an act that may come, not one that came
PROSPECT_HEADS = frozenset({"prospect", "risk", "possibility", "danger", "chance", "likelihood"})
PLAN_NOUNS = frozenset({"plan", "plans", "intention", "preparation", "preparations"})
# Acts whose passive names a state that lasts: "are held in camps", "is besieged", "have been detained for years"
HELD_STATES = frozenset({"hold", "detain", "imprison", "jail", "intern", "confine", "besiege", "encircle", "occupy", "blockade",
                         "accuse", "charge", "suspect", "want"})  # "is accused of", "is wanted for": a standing charge
# Verbs that judge someone for a deed named in their "of"/"for"/"with" clause: that someone is its doer
JUDGED_DOER_VERBS = frozenset({"accuse", "blame", "charge", "suspect", "convict", "condemn", "criticise", "criticize",
                               "praise", "thank", "commend", "fault", "punish", "sanction", "arrest", "jail", "sentence"})
# Acts whose present tense is a state under way, not news of a deed: "as Turkish forces besiege the city"
LASTING_ACTS = frozenset({"hold", "detain", "besiege", "encircle", "occupy", "blockade"})
SENTENCE_VERBS = frozenset({"jail", "imprison"})  # "has been jailed for eight years": the sentence, not time served
PRESENT_BE = frozenset({"is", "are", "'s", "'re", "am"})
NEGOTIATION_HEADS = frozenset({"negotiation", "negotiations", "talks", "negotiate", "discuss", "deal"})


def is_pronoun(token: Token) -> bool:
    """A personal pronoun ("it", "they"), not the country "US" written in capitals."""
    return token.lower_ in PERSONAL_PRONOUNS and (token.pos_ == "PRON" or token.text.islower() or token.text.istitle())


@dataclass
class Arguments:
    """The phrases around a trigger, by grammatical role (heads of noun phrases)."""

    subject: Optional[Token] = None
    agent: Optional[Token] = None
    dobj: Optional[Token] = None
    dative: Optional[Token] = None
    passive: bool = False
    preps: dict[str, list[Token]] = field(default_factory=dict)


NOT_PARTIES = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"})


CALENDAR_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
})


def _is_time_or_amount(token: Token) -> bool:
    """"on Wednesday", "in 2021": no party (but "Kyiv" tagged TIME in "at Kyiv overnight" is one)."""
    if token.ent_type_ not in NOT_PARTIES:
        return False
    return token.pos_ != "PROPN" or token.lower_ in CALENDAR_WORDS


def pobjects(prep: Token) -> Iterator[Token]:
    """The objects of a preposition, leaving out times and amounts ("on Wednesday" names no party)."""
    for child in prep.children:
        if child.dep_ in ("pobj", "pcomp") and not _is_time_or_amount(child):
            yield child
        elif child.dep_ == "prep":  # "out of", "away from"
            yield from pobjects(child)


def _add_preps(args: Arguments, head: Token) -> None:
    for child in head.children:
        if child.dep_ in ("prep", "agent", "dative") and child.pos_ == "ADP":
            for obj in pobjects(child):
                args.preps.setdefault(child.lower_, []).append(obj)


def verb_arguments(verb: Token) -> Arguments:
    args = Arguments()
    for child in verb.children:
        dep = child.dep_
        if dep in SUBJECT_DEPS and args.subject is None:
            args.subject = child
        elif dep in ("nsubjpass", "csubjpass"):
            args.passive, args.dobj = True, child
        elif dep == "agent":
            args.agent = next(pobjects(child), None)
        elif dep in ("dobj", "attr") and args.dobj is None and not args.passive:
            args.dobj = child
        elif dep in ("dative", "iobj") and child.pos_ != "ADP":
            args.dative = child
    if args.subject is None:  # a parser slip hangs the subject on the auxiliary ("Egypt and Qatar are ...")
        for aux in (c for c in verb.children if c.dep_ in ("aux", "auxpass")):
            args.subject = next((g for g in aux.children if g.dep_ in SUBJECT_DEPS), args.subject)
    if any(c.dep_ == "auxpass" for c in verb.children):
        args.passive = True
    if args.passive and args.agent is None and verb.lemma_.lower() in STATIVE_PASSIVES:
        args.passive, args.subject, args.dobj = False, args.dobj, None  # "Israel is opposed to ..."
    _add_preps(args, verb)
    if args.dobj is not None and args.dobj.pos_ != "PRON":
        for key, objs in _dobj_preps(args.dobj).items():
            if objs:
                args.preps.setdefault(key, []).extend(objs)
    if args.preps.get("to") and args.dative is None:
        args.dative = args.preps["to"][0]
    _fill_from_context(verb, args)
    return args


def _dobj_preps(dobj: Token) -> dict[str, list[Token]]:
    """Prepositions on the object, and on its "of" phrase ("a state of siege in Haiti")."""
    found: dict[str, list[Token]] = {}
    for child in dobj.children:
        if child.dep_ != "prep":
            continue
        if child.lower_ != "of":
            found.setdefault(child.lower_, []).extend(pobjects(child))
            continue
        for inner in pobjects(child):
            for grand in inner.children:
                if grand.dep_ == "prep" and grand.lower_ != "of":
                    found.setdefault(grand.lower_, []).extend(pobjects(grand))
    return found


def _fill_from_context(verb: Token, args: Arguments) -> None:
    """Subjects and objects given by the clause around: relative clauses, participles, control."""
    dep = verb.dep_
    if dep == "relcl":
        head = verb.head
        if args.subject is not None and args.subject.lower_ in RELATIVE_PRONOUNS:
            args.subject = head
        elif args.dobj is not None and args.dobj.lower_ in RELATIVE_PRONOUNS:
            args.dobj = head
        elif args.subject is None and not args.passive:
            args.subject = head
        elif args.passive and (args.dobj is None or args.dobj.lower_ in RELATIVE_PRONOUNS):
            args.dobj = head
    elif dep == "acl" and args.subject is None and verb.head.lemma_.lower() in PLAN_NOUNS and _planner(verb.head) is not None:
        args.subject = _planner(verb.head)  # "rebel commanders made plans to attack the airport": the planners attack
    elif dep == "acl" and args.subject is None:
        has_object = args.dobj is not None and not args.passive
        if verb.tag_ == "VBN" and not has_object:
            args.passive = True
            args.dobj = args.dobj or verb.head
        else:
            args.subject = verb.head
    elif args.subject is None and not (args.passive and args.agent is not None):
        inherited = inherited_subject(verb)
        if inherited is not None:
            if args.passive and args.agent is None and dep == "conj":
                args.dobj = args.dobj or inherited
            else:
                args.subject = inherited


def _planner(noun: Token) -> Optional[Token]:
    """Whose plan a plan noun is: its possessor ("Turkey's plans"), else the subject of the verb it is the
    object of ("made plans", "are making final plans")."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is not None:
        return owner
    if noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX"):
        return next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
    return None


def inherited_subject(verb: Token) -> Optional[Token]:
    """The subject a verb shares with the verb it is conjoined to or controlled by."""
    current = verb
    for _ in range(4):
        if current.dep_ not in ("xcomp", "conj", "advcl", "acomp", "pcomp") or current.head.i == current.i:
            return None
        head = current.head
        if head.dep_ == "prep" and current.dep_ == "pcomp":  # "resorted to throwing stones"
            head = head.head
            if head.lemma_.lower() in JUDGED_DOER_VERBS:
                # "Russia accused Turkey of shelling towns", "he was charged with planning attacks":
                # the one accused (or thanked) did it, not the accuser
                judged = next((c for c in head.children if c.dep_ in ("dobj", "nsubjpass")), None)
                if judged is not None:
                    return judged
        if current.dep_ == "xcomp" and head.pos_ in ("VERB", "AUX"):
            objects = [c for c in head.children if c.dep_ in ("dobj",)]
            if objects and head.lemma_.lower() in ("urge", "ask", "order", "force", "press", "allow", "tell", "pressure", "call"):
                return objects[0]
        for child in head.children:
            if child.dep_ in SUBJECT_DEPS:
                if child.lower_ in RELATIVE_PRONOUNS and head.dep_ == "relcl":
                    return head.head
                return child
        if head.dep_ == "acl" and head.tag_ == "VBG":
            return head.head
        current = head
    return None


def speaker_of(token: Token, speech_verbs: frozenset[str]) -> Optional[tuple[Token, Token]]:
    """The (speech verb, subject) that reports the clause a token is in, or None."""
    cols = columns(token.doc)
    at = token.i
    for _ in range(8):  # up the heads over the columns: a Token only for a speech verb
        if cols.head[at] == at:
            break
        dep = cols.dep[at]
        at = cols.head[at]
        if cols.lemma[at] in speech_verbs and dep in ("ccomp", "conj", "advcl", "dobj", "parataxis", "xcomp"):
            current = token.doc[at]
            subject = next((c for c in current.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and not is_pronoun(subject):
                return current, subject
    root = sentence_of(token.doc, token.i).root
    for child in root.children:
        if child.lower_ == "according":
            for prep in child.children:
                obj = next(pobjects(prep), None)
                if obj is not None:
                    return child, obj
    return None


def resolve_pronoun(token: Token, speech_verbs: frozenset[str]) -> Token:
    """A personal pronoun inside reported speech stands for the speaker ("Syria says it will ...")."""
    if not is_pronoun(token):
        return token
    found = speaker_of(token, speech_verbs)
    return found[1] if found is not None else token


def status_of(trigger: Token) -> str:
    """completed | ongoing | planned | hypothetical | negated | negotiated, from the verb group."""
    verbs = [trigger]
    head = trigger
    while head.dep_ in ("xcomp", "conj") and head.head.i != head.i and len(verbs) < 4:
        head = head.head
        verbs.append(head)
    aux = {c.lower_ for v in verbs[:2] for c in v.children if c.dep_ in ("aux", "auxpass", "neg")}
    if aux & NEGATIONS or any(c.dep_ == "neg" for c in trigger.children):
        return "negated"
    if trigger.head.lemma_.lower() in NEGOTIATION_HEADS and trigger.dep_ in ("acl", "xcomp", "relcl"):
        return "negotiated"
    if aux & HYPOTHETICAL_AUX and _future_in_past(verbs[-1], aux):
        return "planned"  # "said he would report to the council next week": what was then announced
    if aux & HYPOTHETICAL_AUX or _in_condition(trigger) or any(v.lemma_.lower() in PROSPECT_HEADS for v in verbs[1:]):
        return "hypothetical"
    if aux & FUTURE_AUX or any(v.lemma_.lower() in PLAN_VERBS for v in verbs[1:]):
        return "planned"
    if trigger.dep_ == "acl" and trigger.tag_ == "VB" and trigger.head.lemma_.lower() in PLAN_NOUNS:
        return "planned"  # "making final plans to attack"
    if trigger.tag_ == "VBG" and aux & {"is", "are", "was", "were", "been", "be", "'s", "'re", "am"}:
        return "ongoing"
    if "being" in aux:
        return "ongoing"  # "the fighters being held by the SDF"
    if trigger.tag_ == "VBG" and (trigger.dep_ == "acl" or any(c.dep_ == "mark" and c.lower_ in ("while", "as")
                                                               for c in trigger.children)):
        return "ongoing"  # "forces holding the city", "while withdrawing troops" (not "struck ..., killing three")
    if trigger.tag_ in ("VBP", "VBZ") and trigger.lemma_.lower() in LASTING_ACTS and not aux:
        return "ongoing"  # "as Turkish forces besiege the city", "the army holds the town": a state that lasts
    if trigger.tag_ == "VBN" and trigger.lemma_.lower() in HELD_STATES:
        if aux & PRESENT_BE or ("been" in aux and trigger.lemma_.lower() not in SENTENCE_VERBS
                                and any(c.dep_ == "prep" and c.lower_ in ("for", "since") for c in trigger.children)):
            return "ongoing"  # "are held in camps", "have been held for two years" (not "were detained")
    return "completed"


def _in_condition(token: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in token.children)


def _future_in_past(top: Token, aux: set[str]) -> bool:
    """"would" in a clause reported by a past-tense verb, with no condition: the past's future, not a
    hypothesis ("said it would withdraw"; not "said it would withdraw if attacked", "would have")."""
    if aux & (HYPOTHETICAL_AUX - {"would", "'d"}) or "have" in aux or top.dep_ != "ccomp" or top.head.tag_ != "VBD":
        return False
    return not _in_condition(top) and not any(
        c.dep_ == "advcl" and _in_condition(c) for c in top.children)


def noun_status(noun: Token) -> str:
    if noun.dep_ == "pobj" and noun.head.lower_ == "under":
        return "ongoing"  # "under attack", "under siege", "under fire"
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in PROSPECT_HEADS:
        return "hypothetical"
    near = [c for c in noun.children if c.dep_ in ("amod", "compound", "det", "nmod")]
    modifiers = {c.lower_ for c in near} | {g.lower_ for c in near for g in c.children if g.dep_ == "amod"}
    if modifiers & ONGOING_MODIFIERS:
        return "ongoing"
    if modifiers & PLANNED_MODIFIERS:
        return "planned"
    if "any" in modifiers:
        return "hypothetical"
    head = noun.head
    if noun.dep_ in ("nsubj", "dobj", "nsubjpass"):
        if _in_condition(head):
            return "hypothetical"  # "if the fighting spread"
        aux = {c.lower_ for c in head.children if c.dep_ in ("aux", "neg")}
        if aux & HYPOTHETICAL_AUX:
            return "hypothetical"
        if aux & NEGATIONS:
            return "negated"
        if aux & FUTURE_AUX:
            return "planned"
    return "completed"


def has_obligation(verb: Token) -> bool:
    """"must cooperate", "should withdraw", and "must be ready to mediate" (the modal on the copula)."""
    cols = columns(verb.doc)
    holders = [verb.i]
    if verb.dep_ in ("acomp", "xcomp") and verb.head.lemma_ == "be":
        holders.append(cols.head[verb.i])
    return any(cols.dep[c] == "aux" and cols.lower[c] in OBLIGATION_AUX for v in holders for c in cols.children(v))


def is_future(verb: Token) -> bool:
    cols = columns(verb.doc)
    return any(cols.dep[c] == "aux" and cols.lower[c] in FUTURE_AUX for c in cols.children(verb.i))


def is_intended(verb: Token, *, hostile: bool = False) -> bool:
    """Stated as what the subject will do ("will withdraw", "would boycott"); a harm also when it may."""
    allowed = FUTURE_AUX | {"would"} | ({"may", "might", "could"} if hostile else set())
    return any(c.dep_ == "aux" and c.lower_ in allowed for c in verb.children)


def is_negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in NEGATIONS) for c in verb.children)


def object_parts(obj: Token) -> tuple[Token, Optional[str]]:
    """The real object and its quantity: "hundreds of drones" -> (drones, "hundreds")."""
    if obj.lower_ in QUANTITY_HEADS:
        of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        inner = next(pobjects(of), None) if of is not None else None
        if inner is not None:
            number = " ".join(c.text for c in obj.children if c.dep_ in ("nummod", "quantmod") and c.i < obj.i)
            return inner, f"{number} {obj.text}".strip()
    numbers = [c for c in obj.children if c.dep_ == "nummod"]
    if numbers:
        n = numbers[0]
        return obj, obj.doc[n.left_edge.i:n.i + 1].text
    return obj, None
