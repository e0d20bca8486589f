"""The event lexicon: verb and noun patterns per PLOVER type and mode, object classes, context words.

All vocabulary is data in ``according/lexicons/``: ``event_verbs.tsv``, ``event_nouns.tsv``,
``object_classes.tsv``, ``event_contexts.tsv``, ``event_speech_verbs.txt``, ``event_wrapper_modes.tsv``,
``event_figurative.txt``, ``event_container_nouns.txt``, ``event_states.txt``, ``event_death_causes.txt``,
``event_act_nouns.txt``, ``event_undergo_verbs.txt``, and ``event_verbs_petrarch.tsv`` (built from PETRARCH2
by ``build_event_verbs.py``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Mapping, Optional

from spacy.tokens import Token

from ..doc_views import columns
from ..lexicon_files import packaged_lines, packaged_words, read_tsv

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
FRAMES = ("direct", "reverse", "wrap")
NO_EVENT = "NONE"  # a verb pattern that marks an idiom as no event ("kill off demand")


@dataclass(frozen=True, slots=True)
class VerbPattern:
    verb: str
    objects: Optional[frozenset[str]]  # head lemmas of the direct object; None = any
    groups: frozenset[str]  # object groups (@weapon ...) that also match
    needs_no_object: bool
    type: str
    mode: Optional[str]
    context: Optional[str]
    recipient: tuple[str, ...]
    frame: str

    def specificity(self) -> int:
        if self.objects:
            return 3
        if self.groups:
            return 2
        return 1 if self.needs_no_object else 0


@dataclass(frozen=True, slots=True)
class NounPattern:
    noun: str
    type: str
    mode: Optional[str]
    context: Optional[str]
    recipient: tuple[str, ...]
    frame: str


@dataclass(frozen=True, slots=True)
class ObjectClass:
    cls: str
    group: Optional[str]
    context: Optional[str]
    assault_mode: Optional[str]


def _petrarch_types() -> dict[str, tuple[str, ...]]:
    rows = read_tsv(packaged_lines("event_verbs_petrarch.tsv"), 2, "event_verbs_petrarch.tsv")
    return {verb: tuple(types.split("|")) for verb, types in rows}


def _verb_patterns(rows: Iterable[list[str]]) -> dict[str, tuple[VerbPattern, ...]]:
    table: dict[str, list[VerbPattern]] = {}
    for verb, obj, type_, mode, context, recipient, frame in rows:
        if (type_ not in PLOVER_TYPES and type_ != NO_EVENT) or (frame or "direct") not in FRAMES:
            raise ValueError(f"event_verbs.tsv: bad type or frame in row for {verb!r}")
        alternatives = [o for o in obj.split("|") if o] if obj not in ("", "*", "-") else []
        pattern = VerbPattern(
            verb=verb,
            objects=frozenset(o for o in alternatives if not o.startswith("@")) or None,
            groups=frozenset(o[1:] for o in alternatives if o.startswith("@")),
            needs_no_object=obj == "-",
            type=type_, mode=mode or None, context=context or None,
            recipient=tuple(r for r in recipient.split("|") if r), frame=frame or "direct",
        )
        table.setdefault(verb, []).append(pattern)
    return {k: tuple(sorted(v, key=lambda p: -p.specificity())) for k, v in table.items()}


@dataclass(frozen=True)
class EventLexicon:
    verbs: Mapping[str, tuple[VerbPattern, ...]]
    nouns: Mapping[str, NounPattern]
    objects: Mapping[str, ObjectClass]
    contexts: Mapping[str, str]
    speech_verbs: frozenset[str]
    wrapper_modes: Mapping[tuple[str, str], str]
    figurative: frozenset[str]  # ASSAULT verbs that need a named attacker or weapon ("hit by a crisis")
    containers: frozenset[str]  # nouns that take their event from a modifier ("mediation mission")
    # verb lemma -> PLOVER types PETRARCH2's CAMEO verb dictionary codes it to (a hint for the tagger)
    petrarch_types: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    states: frozenset[str] = frozenset()  # nouns of a state of affairs ("the war"): no event by themselves
    death_causes: frozenset[str] = frozenset()  # "died of starvation", "died aged 83": a death that is no attack
    acts: frozenset[str] = frozenset()  # nouns of a course of action ("decision", "move"): not a party
    undergo: frozenset[str] = frozenset()  # light verbs whose subject undergoes the act ("faced criticism")

    @classmethod
    def load(cls) -> "EventLexicon":
        verbs = _verb_patterns(read_tsv(packaged_lines("event_verbs.tsv"), 7, "event_verbs.tsv"))
        nouns = {
            noun: NounPattern(noun, type_, mode or None, context or None,
                              tuple(r for r in recipient.split("|") if r), frame or "direct")
            for noun, type_, mode, context, recipient, frame
            in read_tsv(packaged_lines("event_nouns.tsv"), 6, "event_nouns.tsv")
        }
        objects = {
            phrase: ObjectClass(cls_, group or None, context or None, mode or None)
            for phrase, cls_, group, context, mode
            in read_tsv(packaged_lines("object_classes.tsv"), 5, "object_classes.tsv")
        }
        contexts = dict(read_tsv(packaged_lines("event_contexts.tsv"), 2, "event_contexts.tsv"))
        speech = packaged_words("event_speech_verbs.txt")
        modes = {
            (wrapper, inner): mode
            for wrapper, inner, mode in read_tsv(packaged_lines("event_wrapper_modes.tsv"), 3, "event_wrapper_modes.tsv")
        }
        return cls(MappingProxyType(verbs), MappingProxyType(nouns), MappingProxyType(objects),
                   MappingProxyType(contexts), speech, MappingProxyType(modes), packaged_words("event_figurative.txt"),
                   packaged_words("event_container_nouns.txt"), MappingProxyType(_petrarch_types()), packaged_words("event_states.txt"),
                   packaged_words("event_death_causes.txt"), packaged_words("event_act_nouns.txt"),
                   packaged_words("event_undergo_verbs.txt"))

    def verb_pattern(self, keys: Iterable[str], obj: Optional[Token]) -> Optional[VerbPattern]:
        """The most specific pattern for the first key that has one matching the direct object."""
        obj_lemma = obj.lemma_.lower() if obj is not None else None
        # "suspended aid deliveries", "ended mediation efforts": a noun modifier can name the object;
        # "photographs and other military intelligence": so can a conjoined object
        related = [*obj.conjuncts, *(c for c in obj.children if c.dep_ in ("compound", "amod"))] if obj is not None else []
        modifier_lemmas = {t.lemma_.lower() for t in related}
        obj_group = self.object_class_of_token(obj).group if obj is not None and self.object_class_of_token(obj) else None
        for key in keys:
            for pattern in self.verbs.get(key, ()):
                if pattern.objects is not None or pattern.groups:
                    named = pattern.objects or frozenset()
                    if (obj_lemma in named or (obj is not None and obj.lower_ in named) or modifier_lemmas & named
                            or (obj_group is not None and obj_group in pattern.groups)):
                        return pattern
                    continue
                if pattern.needs_no_object and obj is not None:
                    continue
                return pattern
        return None

    def noun_pattern(self, token: Token) -> Optional[NounPattern]:
        cols, i = columns(token.doc), token.i
        if i > 0:
            pair = self.nouns.get(f"{cols.lower[i - 1]} {cols.lower[i]}")
            if pair is not None:
                return pair
        found = self.nouns.get(cols.lower[i]) or self.nouns.get(cols.lemma[i])
        if found is None and cols.lemma[i] in self.containers:
            for child in token.children:  # "a mediation mission", "the bombing campaign"
                if child.dep_ == "compound" and child.i < token.i:
                    found = self.nouns.get(child.lower_) or self.nouns.get(child.lemma_.lower())
                    if found is not None:
                        break
        return found

    def object_class_of_token(self, token: Token) -> Optional[ObjectClass]:
        doc = token.doc
        if token.i > 0:
            prev = doc[token.i - 1]
            found = self.objects.get(f"{prev.lemma_.lower()} {token.lemma_.lower()}")
            if found is not None:
                return found
        return self.objects.get(token.lemma_.lower()) or self.objects.get(token.lower_)

    def object_class(self, tokens: Iterable[Token]) -> Optional[ObjectClass]:
        """The most specific class named in a phrase: two-word names first, then the rightmost word."""
        found: Optional[ObjectClass] = None
        for token in tokens:
            if token.i > 0:
                prev = token.doc[token.i - 1]
                pair = self.objects.get(f"{prev.lemma_.lower()} {token.lemma_.lower()}")
                if pair is not None:
                    return pair
            single = self.objects.get(token.lemma_.lower()) or self.objects.get(token.lower_)
            if single is not None and found is None:
                found = single
        return found

    def context_of(self, tokens: Iterable[Token]) -> Optional[str]:
        for token in tokens:
            context = self.contexts.get(token.lemma_.lower()) or self.contexts.get(token.lower_)
            if context:
                return context
        return None
