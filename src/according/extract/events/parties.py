"""Parties of an event: tokens resolved to actors, with the field's coding conventions.

A pronoun in reported speech is the speaker; "the country" in a speaker's words is the speaker's;
"Russia and Turkey" and "Hungarian and Romanian officials" are each one compound party; a place stands
for an unnamed target ("killed 23 people in Tel Aviv"); people acting somewhere are from there; a domestic
actor with no country takes the one country its sentence names; an attack with no named attacker is
coded to its place (UAF).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from spacy.tokens import Span, Token

from ...records import Actor
from ..actors.lexicon import ActorLexicon
from ..actors.resolve import actor_for_token, find_names, phrase_span
from ..doc_views import columns
from .arguments import is_pronoun, object_parts, resolve_pronoun, speaker_of
from .frames import Frame
from .lexicon import EventLexicon

MAX_PARTIES = 5
NON_STATE_CODES = frozenset({"UNO", "EUR", "IGO", "NGO", "IMG"})
INTERNATIONAL_SECTORS = frozenset({"NGO", "IGO"})
# A definite "the country" inside reported speech is the speaker's own country.
SELF_REFERENCES = frozenset({"country", "nation", "government", "state", "kingdom", "republic"})


HOME_KEY = "according.only_country"


def only_country(sent: Span, actors: ActorLexicon) -> Optional[str]:
    """The one country a sentence names, if it names exactly one (cached in ``doc.user_data``)."""
    cache = sent.doc.user_data.setdefault(HOME_KEY, {})
    if sent.start not in cache:
        cache[sent.start] = _only_country(sent, actors)
    return cache[sent.start]


def _in_relative_clause(token: Token) -> bool:
    cols = columns(token.doc)
    at = token.i
    for _ in range(12):  # up the heads over the columns
        if cols.dep[at] == "relcl":
            return True
        if cols.head[at] == at:
            return False
        at = cols.head[at]
    return False


def _named_countries(sent: Span, actors: ActorLexicon) -> list[tuple[int, str]]:
    """(character offset, country) of the states the sentence names: not an outlet's country, not one in a
    relative clause ("the MP, who opposed the Iraq war, ..."), not an international or non-state code."""
    doc = sent.doc
    return [(doc[m.start].idx, m.entry.country) for m in find_names(sent, actors)
            if m.entry.country and len(m.entry.country) == 3 and m.entry.sector != "MED"
            and m.entry.country not in NON_STATE_CODES and not _in_relative_clause(doc[m.start])]


def _only_country(sent: Span, actors: ActorLexicon) -> Optional[str]:
    countries = {country for _, country in _named_countries(sent, actors)}
    return next(iter(countries)) if len(countries) == 1 else None


def named_only_by(sent: Span, actors: ActorLexicon, party: Actor) -> bool:
    """Whether every state the sentence names is named inside the party's own phrase ("Russian warplanes
    struck rebel-held areas": Russia is the attacker's country, not the place attacked)."""
    return all(party.span[0] <= at < party.span[1] for at, _ in _named_countries(sent, actors))


def with_home(actor: Optional[Actor], home: str) -> Optional[Actor]:
    if actor is None or actor.country or not (actor.sector or actor.kind == "person") or actor.sector in INTERNATIONAL_SECTORS:
        return actor
    return replace(actor, country=home)


def placed(actor: Optional[Actor], country: str) -> Optional[Actor]:
    """"Thousands of people blocked streets in X", "ethnic Albanians demonstrated in Serbia": from X."""
    if actor is None or actor.sector in INTERNATIONAL_SECTORS:
        return actor
    if actor.country is None and actor.sector:
        return replace(actor, country=country)
    if actor.country and "ethnic " in actor.text.lower():
        return replace(actor, country=country, countries=())
    return actor


def unidentified_attacker(frame: Frame, place: Optional[Actor], actors: ActorLexicon) -> Optional[Actor]:
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


def located(recipients: list[Optional[Actor]], frame: Frame, actors: ActorLexicon) -> list[Optional[Actor]]:
    """No recipient, or one with no country ("killed 23 people in Tel Aviv"): the place gives the country."""
    if frame.type in ("CONSULT", "COOPERATE", "SUPPORT", "AGREE"):
        return recipients or [None]  # where parties meet or agree is not whom they meet or agree with
    place = actor_for_token(frame.location, actors) if frame.location is not None else None
    if place is None or not place.country:
        return recipients or [None]
    if not recipients:
        return [replace(place, sector=None)]
    return [r if r is None or r.country else replace(r, country=place.country) for r in recipients]


def parties(tokens: list[Token], lexicon: EventLexicon, actors: ActorLexicon) -> list[Optional[Actor]]:
    """One party per token: conjoined parties ("Russia and Turkey agreed", "US, British and French
    forces") are one compound party, as the field codes them, not one event per member."""
    found: list[Optional[Actor]] = []
    for token in tokens:
        party = _coordination(token, lexicon, actors)
        if party is not None:
            found.append(party)
    return found[:MAX_PARTIES]


def between_sides(recipients: list[Token], lexicon: EventLexicon, actors: ActorLexicon) -> Optional[tuple[Actor, Optional[Actor]]]:
    """The sides of "between": in "a partnership between Washington and a Kurdish-led force" the first
    acts, on the others; one phrase naming both sides ("a clash between US and Russian citizens") is a
    compound actor. None when the parties are not of "between" or it names one side only."""
    if len(recipients) != 1:
        return None
    token = recipients[0]
    if token.dep_ != "pobj" or token.head.lower_ != "between":
        return None
    parts = _listed(token)
    if len(parts) > 1:
        first, rest = _party_of(parts[:1], lexicon, actors), _party_of(parts[1:], lexicon, actors)
        return (first, rest) if first is not None and rest is not None else None
    party = _party_of(parts, lexicon, actors)
    return (party, None) if party is not None and party.countries else None


def _coordination(token: Token, lexicon: EventLexicon, actors: ActorLexicon) -> Optional[Actor]:
    """The party a token and its conjuncts name: one actor, or a compound of the members that are parties."""
    return _party_of(_listed(token), lexicon, actors)


def _party_of(parts: list[Token], lexicon: EventLexicon, actors: ActorLexicon) -> Optional[Actor]:
    members: list[Actor] = []
    for part in parts:
        part = object_parts(part)[0]  # "thousands of people": the people
        resolved = resolve_pronoun(part, lexicon.speech_verbs)
        if (resolved.lower_ in SELF_REFERENCES and any(c.lower_ == "the" for c in resolved.children)
                and not _has_country(resolved, actors)):
            speaker = speaker_of(resolved, lexicon.speech_verbs)  # "X warned that the country needs ..."
            resolved = speaker[1] if speaker is not None else resolved
        if is_pronoun(resolved):
            antecedent = _previous_subject(resolved, actors)
            if antecedent is not None and resolved.lower_ in PLURAL_PRONOUNS and antecedent.conjuncts and len(parts) == 1:
                # "Russia and Iran ... In return, they acquiesced": "they" is the whole coordination
                return _coordination(antecedent, lexicon, actors)
            resolved = antecedent or resolved
        if is_pronoun(resolved):
            continue
        if names_an_act(resolved, lexicon):
            resolved = owner_of_act(resolved) or resolved  # "the president's decision": the president decided
        members.extend(_split_modifiers(resolved, actors))
    if len(members) < 2:
        return members[0] if members else None
    if all(m.span == members[0].span for m in members):
        words = members[0].span  # "Hungarian and Romanian officials": one phrase, several countries
    else:
        first, last = phrase_span(parts[0]), phrase_span(parts[-1])
        words = (min(first.start_char, last.start_char), max(first.end_char, last.end_char))
    return compound(members, words, parts[0].doc.text)


def _listed(token: Token) -> list[Token]:
    """A token and its conjuncts, but for a noun that the parser joined to the names in apposition to it:
    in "a deal with Assad's allies, Russia and Iran" the allies are Russia and Iran."""
    parts = [token, *token.conjuncts][:MAX_PARTIES]
    doc = token.doc
    after = phrase_span(token).end
    if (len(parts) > 2 and token.pos_ == "NOUN" and after < len(doc) and doc[after].text == ","
            and all(p.pos_ == "PROPN" for p in parts[1:])):
        return parts[1:]
    return parts


def compound(members: list[Actor], span: tuple[int, int], text: str) -> Actor:
    """One party of several members over the words ``span`` of ``text``: the country most members share
    (the first on a tie: "Atarib, Atmeh and Sarmada" are Syrian even if one name is misread) stands for
    it, with the sector and kind of its first member of that country; ``countries`` keeps every member's
    in text order (when they are more than one)."""
    codes = [c for m in members for c in m.codes]
    countries = tuple(dict.fromkeys(codes))
    names = list(dict.fromkeys(m.name for m in members if m.name))
    country = max(countries, key=codes.count) if countries else None  # max keeps the first of equals
    first = next((m for m in members if country in m.codes), members[0])
    sector = first.sector or next((m.sector for m in members if m.sector), None)
    return Actor(text[span[0]:span[1]], span, " and ".join(names), country, sector, first.kind,
                 countries if len(countries) > 1 else ())


PRONOUN_KINDS = {"he": ("person",), "she": ("person",), "it": ("country", "organization"),
                 "they": ("group", "organization", "country"), "him": ("person",), "her": ("person",),
                 "them": ("group", "organization", "country"), "his": ("person",), "its": ("country", "organization"),
                 "their": ("group", "organization", "country")}
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
ANTECEDENT_SENTENCES = 2  # how far back a pronoun's antecedent is looked for


def _previous_subject(pronoun: Token, actors: ActorLexicon) -> Optional[Token]:
    """The nearest earlier subject, or named person for "he"/"she", that is a placed party of the
    pronoun's kind, in this sentence or the two before ("Erdogan ... He has repeatedly threatened ...")."""
    kinds = PRONOUN_KINDS.get(pronoun.lower_)
    if kinds is None:
        return None
    doc = pronoun.doc
    cols = columns(doc)
    first = cols.sent_start[pronoun.i]
    for _ in range(ANTECEDENT_SENTENCES):
        if first == 0:
            break
        first = cols.sent_start[first - 1]
    # the nearest earlier subject first ("Erdogan met Putin ... He threatened": Erdogan), then the nearest
    # named person for "he"/"she"
    for subjects_only in (True, False):
        persons = not subjects_only and "person" in kinds
        for i in range(pronoun.i - 1, first - 1, -1):
            if cols.dep[i] not in ("nsubj", "nsubjpass") and not (persons and cols.ent_type[i] == "PERSON"):
                continue  # neither a subject nor a named person: no Token made
            token = doc[i]
            named_person = token.ent_type_ == "PERSON" and token.ent_iob_ != "O" and (i + 1 >= len(doc) or doc[i + 1].ent_iob_ != "I")
            subject = token.dep_ in ("nsubj", "nsubjpass")
            if not (subject or (not subjects_only and named_person and "person" in kinds)) or is_pronoun(token):
                continue
            actor = actor_for_token(token, actors)
            if subjects_only and actor is None and pronoun.lower_ in PLURAL_PRONOUNS and token.tag_ == "NNS":
                return None  # "the missiles were moved, but their transfer ...": "their" is the missiles
            if actor is not None and actor.country and actor.kind in kinds:
                return token
            if subjects_only and actor is not None and actor.country and pronoun.lower_ in PLURAL_PRONOUNS and token.conjuncts:
                return token  # "Robinson and Rojkan had been holidaying ... when they were detained": people, together
    return None


def names_an_act(token: Token, lexicon: EventLexicon) -> bool:
    """A phrase headed by an act or a state of affairs ("the refusal", "a bombing campaign", "the war")
    names what was done, not who did it or to whom."""
    if token.pos_ != "NOUN":
        return False
    lemma = token.lemma_.lower()
    return (lemma in lexicon.acts or lemma in lexicon.containers or lemma in lexicon.states
            or lexicon.noun_pattern(token) is not None)


def owner_of_act(act: Token) -> Optional[Token]:
    """Whose act a phrase names, when it says so by a possessor ("the president's decision", "Turkey's
    refusal"); None otherwise (the phrase itself may still name parties: "demands from UNITA", "a
    meeting between Israel and the PLO", "a US plan")."""
    return next((c for c in act.children if c.dep_ == "poss"), None)


def _has_country(token: Token, lexicon: ActorLexicon) -> bool:
    actor = actor_for_token(token, lexicon)
    return actor is not None and actor.country is not None


def _split_modifiers(token: Token, lexicon: ActorLexicon) -> list[Actor]:
    """"Hungarian and Romanian officials", "US, British and French forces": one member per country
    modifier when the modifiers are conjoined (the members share the phrase; ``_coordination`` makes
    them one actor)."""
    actor = actor_for_token(token, lexicon)
    if actor is None:
        return []
    modifiers = [c for c in token.children if c.dep_ in ("amod", "compound", "nmod")]
    if not any(m.conjuncts for m in modifiers):
        return [actor]
    countries: list[str] = []
    for mod in sorted({t.i: t for m in modifiers for t in (m, *m.conjuncts)}.values(), key=lambda t: t.i):
        entry = lexicon.lookup(mod.text)
        if entry is not None and entry.country and entry.country not in countries:
            countries.append(entry.country)
    if len(countries) > 1:
        return [replace(actor, country=c) for c in countries]
    return [actor]
