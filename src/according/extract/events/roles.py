"""Who acted and on whom: a learned choice among the party phrases of an event's sentence.

The frame rules read an event's parties from a handful of constructions (subject, object, "against" ...);
on real news they put places, weapons and reporters in the roles about half the time. The role model
scores every party phrase of the sentence as the event's actor (A), recipient (R) or neither (O) from the
dependency path between trigger and phrase, the phrase's kind, sector and place in the sentence, the
trigger's voice, and what the rules chose (one feature among others): a maximum-entropy classifier
(python-crfsuite on one-item sequences) trained by ``train/train_event_crf.py`` on the real-news gold.
The same ``role_features`` feed training and use, so the two cannot drift.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from spacy.tokens import Doc, Span, Token

from ...records import Actor, Event
from ..actors.lexicon import ActorLexicon
from ..doc_views import columns
from .lexicon import EventLexicon
from .parties import names_an_act, owner_of_act, parties

MODEL_PACKAGE = "according.models.events"
ROLE_MODEL_VERSION = "roles-v1"
ACTOR, RECIPIENT, NEITHER = "A", "R", "O"
LOCATIVE = frozenset({"in", "inside", "near", "across", "throughout", "within", "around", "outside", "from"})
MAX_PATH = 4


@dataclass(frozen=True)
class RoleModel:
    tagger: Any  # pycrfsuite.Tagger over one-item sequences labelled A / R / O
    name: str = ROLE_MODEL_VERSION
    # a phrase takes a role when the model gives it at least this probability (tuned by cross-validation)
    threshold: float = 0.3

    @classmethod
    def open(cls, path: str | Path, name: str = ROLE_MODEL_VERSION, threshold: float = 0.3) -> "RoleModel":
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        return cls(tagger, name, threshold)

    @classmethod
    def packaged(cls) -> Optional["RoleModel"]:
        """The shipped model, or None when its file is missing (the rules' parties then stand)."""
        path = Path(str(resources.files(MODEL_PACKAGE).joinpath(ROLE_MODEL_VERSION + ".crfsuite")))
        return cls.open(path) if path.is_file() else None

    def probabilities(self, features: Sequence[list[str]]) -> list[tuple[float, float]]:
        """(P(actor), P(recipient)) for each candidate's features."""
        out = []
        tagger = self.tagger
        labels = set(tagger.labels())
        for f in features:
            tagger.set([f])
            tagger.tag()
            out.append((tagger.marginal(ACTOR, 0) if ACTOR in labels else 0.0,
                        tagger.marginal(RECIPIENT, 0) if RECIPIENT in labels else 0.0))
        return out

    def assign(self, event: Event, trigger: Token, candidates: Sequence[Actor],
               speech_verbs: frozenset[str] = frozenset()) -> Event:
        """The event with the parties the model prefers among ``candidates`` and the rules' own parties."""
        pool = candidate_pool(candidates, event, trigger, speech_verbs)
        if not pool:
            return event
        probs = self.probabilities(candidate_features(event, trigger, pool))
        doc = trigger.doc
        actor = _best(pool, [p[0] if not _a_place_where(doc, a) else 0.0 for a, p in zip(pool, probs)], self.threshold, exclude=None)
        if _dative_of(event.recipient, trigger):
            # "Iran has given Russia hundreds of drones": the second object is what is given
            recipient = event.recipient
            actor = actor if not _same_party(recipient, actor) else event.actor
        else:
            recipient = _best(pool, [p[1] for p in probs], self.threshold, exclude=actor)
        if (actor is not None and recipient is None and event.actor is not None and event.recipient is not None
                and _same_party(actor, event.recipient) and not _same_party(actor, event.actor)):
            # the model makes the rules' recipient the actor but finds no recipient: half a swap, which a
            # construction the news rarely shows explains better ("Russia built it with Iran's assistance")
            actor, recipient = event.actor, event.recipient
        # where the model finds no phrase likely enough, the rules' reading stands (textbook constructions
        # the training news rarely shows: "X handed Y over to Z")
        if actor is None and event.actor is not None and not _same_party(event.actor, recipient):
            actor = event.actor
        if recipient is None and event.recipient is not None and not _same_party(event.recipient, actor):
            recipient = event.recipient
        if actor is not None and (_a_place_where(doc, actor) or (recipient is not None and _inside(actor, recipient))):
            actor = None  # "the assault on the Afrin enclave in north-west Syria": the target's words did not attack
        # a member of the rules' compound party ("Russian" of "Russian and Syrian airstrikes") is the whole
        # party; its other member is not the one acted on
        actor, recipient = _whole(actor, event.actor), _whole(recipient, event.recipient)
        if actor is not None and recipient is not None and actor.countries and _inside(recipient, actor):
            recipient = event.recipient if event.recipient is not None and not _inside(event.recipient, actor) else None
        if actor is event.actor and recipient is event.recipient:
            return event
        return replace(event, actor=actor, recipient=recipient)


# Prepositions that make a place the scene of an event ("fighting in Idlib", "troops left from Syria")
LOCATIVE_PREPOSITIONS = frozenset({"in", "into", "from", "inside", "near", "across", "at", "within", "outside",
                                   "throughout", "around", "towards", "toward", "through"})


def _a_place_where(doc: Doc, actor: Actor) -> bool:
    """A place named as where something happens ("in northern Syria", "from Syria") does not act."""
    if actor.kind != "country" or actor.sector:
        return False
    root = _root(doc, actor)
    return root is not None and root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPOSITIONS


def _whole(chosen: Optional[Actor], rule_party: Optional[Actor]) -> Optional[Actor]:
    """The rules' compound party when the chosen phrase is one of its members, else the phrase."""
    if chosen is not None and rule_party is not None and rule_party.countries and _inside(chosen, rule_party):
        return rule_party
    return chosen


def _inside(part: Actor, whole: Actor) -> bool:
    return whole.span[0] <= part.span[0] and part.span[1] <= whole.span[1] and tuple(part.span) != tuple(whole.span)


def _dative_of(party: Optional[Actor], trigger: Token) -> bool:
    root = _root(trigger.doc, party) if party is not None else None
    return root is not None and root.dep_ == "dative" and root.head.i == trigger.i


def _same_party(a: Actor, b: Optional[Actor]) -> bool:
    """One phrase, or one party named twice ("Thailand warned that it would close ...": "it" is Thailand)."""
    return b is not None and (tuple(a.span) == tuple(b.span) or (bool(a.name) and a.name == b.name and a.country == b.country))


def _best(pool: Sequence[Actor], probs: Sequence[float], threshold: float, exclude: Optional[Actor]) -> Optional[Actor]:
    best, best_p = None, threshold
    for actor, p in zip(pool, probs):
        if p >= best_p and not (exclude is not None and _same_party(actor, exclude)):
            best, best_p = actor, p
    return best


def candidate_pool(candidates: Iterable[Actor], event: Event, trigger: Optional[Token] = None,
                   speech_verbs: frozenset[str] = frozenset()) -> list[Actor]:
    """The sentence's party phrases and the rules' parties (which may be resolved pronouns), once each;
    with ``trigger``, none inside the phrase of what the event moves or uses (its object), and not the
    speaker of a report the event is told in ("X denied the transfer had been carried out": X did not
    transfer anything)."""
    pool: dict[tuple[int, int], Actor] = {}
    for actor in (event.actor, event.recipient):
        if actor is not None:
            pool.setdefault(tuple(actor.span), actor)
    thing = _object_phrase(trigger.doc, event) if trigger is not None else None
    speakers = _speakers(trigger, speech_verbs) if trigger is not None else []
    for actor in candidates:
        if thing is not None and actor.span[0] < thing[1] and thing[0] < actor.span[1]:
            continue  # "delivered hundreds of attack drones to Russia": what is given is no party
        if any(a <= actor.span[0] < b for a, b in speakers):
            continue
        pool.setdefault(tuple(actor.span), actor)
    return list(pool.values())


DATELINE_MARKS = frozenset({":", "—", "–", "-", "--"})


def _dateline(doc: Doc, actor: Actor) -> bool:
    """A place that opens its sentence and is cut off from it by a colon or dash ("Minsk: ...")."""
    span = doc.char_span(actor.span[0], actor.span[1], alignment_mode="expand")
    if span is None or not len(span) or span.start != columns(doc).sent_start[span.start] or span.end >= len(doc):
        return False
    return doc[span.end].text in DATELINE_MARKS and (actor.kind == "country" or span.root.ent_type_ in ("GPE", "LOC"))


def _speakers(trigger: Token, speech_verbs: frozenset[str]) -> list[tuple[int, int]]:
    """The subjects' characters of the speech verbs whose clausal complement holds the trigger."""
    out = []
    current = trigger
    for _ in range(8):
        head = current.head
        if head.i == current.i:
            break
        if current.dep_ == "ccomp" and head.lemma_.lower() in speech_verbs:
            for subj in (c for c in head.children if c.dep_ == "nsubj"):
                out.append((subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge.text)))
        current = head
    return out


def _object_phrase(doc: Doc, event: Event) -> Optional[tuple[int, int]]:
    """The characters of the phrase that holds the event's object, its quantity included ("hundreds of
    attack drones"), up to the object's end (the parser may hang "to Myanmar's military" on "dozens")."""
    if event.object is None:
        return None
    span = doc.char_span(event.object.span[0], event.object.span[1], alignment_mode="expand")
    if span is None or not len(span):
        return None
    head = span.root
    while head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.i != head.head.i:
        head = head.head.head  # "hundreds of drones", "a shipment of missiles"
    return min(head.left_edge.idx, event.object.span[0]), event.object.span[1]  # not a "to Y" hung on it


PRONOUNS = frozenset({"he", "she", "it", "they", "him", "her", "them", "we", "us", "i", "me", "his", "its", "their", "our"})


def sentence_candidates(sent: Span, doc_actors: Sequence[Actor], lexicon: EventLexicon, actors: ActorLexicon) -> list[Actor]:
    """The party phrases of a sentence: the doc's actors that lie in it (not its dateline), and its pronouns resolved as the
    frame rules resolve them (``parties``: the speaker of the quote they are in, else the nearest earlier
    subject of their kind, else for "he"/"she" the nearest named person), spanning the pronoun's own word."""
    found = _compounds([p for a in doc_actors if sent.start_char <= a.span[0] and a.span[1] <= sent.end_char
                        and not _dateline(sent.doc, a)  # "MINSK: Belarus delivered ...": where the story was filed
                        for p in _not_an_act(a, sent.doc, lexicon, actors)],
                       sent.doc, lexicon, actors)
    doc = sent.doc
    cols = columns(doc)
    for i in range(sent.start, sent.end):
        if cols.pos[i] != "PRON" or cols.lower[i] not in PRONOUNS:
            continue  # a Token only for a pronoun
        token = doc[i]
        resolved = next((a for a in parties([token], lexicon, actors) if a is not None), None)
        if resolved is not None:
            found.append(replace(resolved, text=token.text, span=(token.idx, token.idx + len(token.text))))
    return found


def _not_an_act(actor: Actor, doc: Doc, lexicon: EventLexicon, actors: ActorLexicon) -> list[Actor]:
    """The party a phrase names: "the president's decision" is the president's."""
    root = _root(doc, actor)
    owner = owner_of_act(root) if root is not None and names_an_act(root, lexicon) else None
    if owner is None:
        return [actor]
    return [a for a in parties([owner], lexicon, actors) if a is not None]


def _compounds(found: list[Actor], doc: Doc, lexicon: EventLexicon, actors: ActorLexicon) -> list[Actor]:
    """The phrases with conjoined parties of several countries ("Russian and Syrian airstrikes") as one
    compound party each, in place of its members: the rules code it so, and a member alone is half of it."""
    out: list[Actor] = []
    for actor in found:
        root = _root(doc, actor)
        if root is not None and root.conjuncts and root.dep_ != "conj":
            whole = next((a for a in parties([root], lexicon, actors) if a is not None), None)
            if whole is not None and whole.countries and whole.span[0] <= actor.span[0] and actor.span[1] <= whole.span[1]:
                out = [a for a in out if not _inside(a, whole)]
                out.append(whole)
                continue
        if out and out[-1].countries and _inside(actor, out[-1]):
            continue  # a later member of the compound just added
        out.append(actor)
    return out


def candidate_features(event: Event, trigger: Token, pool: Sequence[Actor]) -> list[list[str]]:
    return [role_features(trigger, a, _root(trigger.doc, a), event.type, event.actor, event.recipient) for a in pool]


def _root(doc: Doc, actor: Actor) -> Optional[Token]:
    span = doc.char_span(actor.span[0], actor.span[1], alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _arc(token: Token) -> str:
    if token.dep_ == "pobj" and token.head.dep_ in ("prep", "agent"):
        return "p:" + token.head.lower_
    if token.dep_ in ("prep", "agent") and token.head is not token:
        return ""  # folded into the pobj's arc
    return token.dep_


def dependency_path(a: Token, b: Token) -> str:
    """The arcs from ``a`` up to the common ancestor, then down to ``b``: "^|vnsubj" when b is a's subject,
    "^|vp:against" for "attack on ... against b", "^xcomp|vnsubj" for the subject of a's governing verb."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    index_b = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in index_b:
            m = index_b[t.i]
            break
    else:
        return "none"
    ups = [x for x in (_arc(t) for t in up_a[:k]) if x]
    downs = [x for x in (_arc(t) for t in reversed(up_b[:m])) if x]
    if len(ups) + len(downs) > MAX_PATH:
        return "far"
    return "^" + "^".join(ups) + "|v" + "v".join(downs)


def _distance(n: int) -> str:
    return "1" if n <= 1 else "2-3" if n <= 3 else "4-7" if n <= 7 else "8+"


def role_features(trigger: Token, actor: Actor, root: Optional[Token], type_: str,
                  rule_actor: Optional[Actor], rule_recipient: Optional[Actor]) -> list[str]:
    """Features of one candidate party phrase for one event."""
    tpos = "V" if trigger.pos_ in ("VERB", "AUX", "ADJ") else "N"
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children)
    f = ["b", f"type={type_}", f"tpos={tpos}", f"kind={actor.kind}", f"sector={actor.sector or '-'}",
         f"pron={root is not None and root.pos_ == 'PRON'}",
         f"placed={bool(actor.country)}", f"intl={actor.country in ('UNO', 'EUR', 'IGO', 'IMG')}"]
    span = tuple(actor.span)
    is_rule_actor = rule_actor is not None and tuple(rule_actor.span) == span
    # the country a domestic act implies as its recipient ("lifted the curfew": its own) is written with
    # the actor's words: that phrase is the rules' actor, not also their recipient
    is_rule_recipient = rule_recipient is not None and tuple(rule_recipient.span) == span and not is_rule_actor
    f += [f"ra={is_rule_actor}", f"rr={is_rule_recipient}", f"ra|tpos={is_rule_actor}|{tpos}",
          f"rr|tpos={is_rule_recipient}|{tpos}", f"ra|type={is_rule_actor}|{type_}", f"rr|type={is_rule_recipient}|{type_}"]
    sent_start = columns(trigger.doc).sent_start
    if root is None or sent_start[root.i] != sent_start[trigger.i]:
        f.append("outside")
        return f
    path = dependency_path(trigger, root)
    before = root.i < trigger.i
    f += [f"path={path}", f"path|tpos={path}|{tpos}", f"path|passive={path}|{passive}", f"path|type={path}|{type_}",
          f"before={before}", f"before|passive={before}|{passive}", f"dist={_distance(abs(root.i - trigger.i))}",
          f"dep={root.dep_}", f"ent={root.ent_type_ or '-'}", f"kind|path={actor.kind}|{path}",
          f"sector|before={actor.sector or '-'}|{before}"]
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE:
        f += ["locative", f"locative|kind={actor.kind}"]
    if root.head.i == trigger.i:
        f.append(f"child={root.dep_}")
    if trigger.head.i == root.i:
        f.append(f"parent={trigger.dep_}")
    return f
