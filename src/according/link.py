"""Tie extracted pieces together: events to the attributions that back or deny them, times to events
and attributions, and repeated mentions of one event within an article into one event.

Pure functions over records plus the parsed Doc (for syntax); no spaCy state is kept.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable, Optional, Sequence

from spacy.tokens import Doc, Token

from .extract.doc_views import columns, sentence_of, token_at
from .records import Actor, Attribution, Event, Offsets, TimeExpression
from .timeline import around_publication

EventTypeOf = Callable[[Token], Optional[str]]  # the event type a noun names ("transfer" -> AID), if any

_ANAPHORIC_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "such"})
_REAL_STATUSES = frozenset({"completed", "ongoing"})
_WEAK_TIME_KINDS = frozenset({"vague"})


def _inside(offset: int, span: Optional[Offsets]) -> bool:
    return span is not None and span[0] <= offset < span[1]


def backing_attributions(event: Event, attributions: Sequence[Attribution],
                         doc: Optional[Doc] = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(backing ids, denying ids): the innermost attribution whose content holds the trigger, else one
    whose cue is the trigger.

    Only the innermost counts: an outer "CNN reports that officials said ..." is reachable through the
    inner attribution's ``parent``. A verbal event is itself a statement ("X rejected the plan, he
    said"): what reports it is the attribution around it, not the one its own verb cues. With ``doc``, a
    denial denies only what its content claims: an act its content mentions in a modifier ("disputed
    Trump's claim that IS was defeated, used to justify his decision to withdraw") is not denied.
    """
    at = event.trigger.span[0]
    holders = [a for a in attributions if _inside(at, a.content.span if a.content else None)]
    if not holders:
        holders = [a for a in attributions if _inside(at, a.cue.span)]
    if not holders:
        return (), ()
    innermost = min(holders, key=lambda a: _width(a.content.span if a.content and _inside(at, a.content.span) else a.cue.span))
    if innermost.stance == "denied" and not _inside(at, innermost.cue.span):
        if doc is not None and innermost.content is not None and _told_aside(doc, at, innermost.content.span):
            return (), ()
        return (), (innermost.id,)
    return (innermost.id,), ()


# Dependencies that attach a detail to a claim rather than make it: relative, adverbial and participial
# clauses, appositions
_MODIFIER_DEPS = frozenset({"relcl", "advcl", "appos"})


def _told_aside(doc: Doc, at: int, content: Offsets) -> bool:
    """Whether the word at ``at`` sits in a modifier inside the content, below what the content claims."""
    current = token_at(doc, at)
    for _ in range(24):
        if current is None or current.head.i == current.i:
            return False
        if current.dep_ in _MODIFIER_DEPS or (current.dep_ == "acl" and not _complement(current)):
            return True
        if not _inside(current.head.idx, content):
            return False  # reached what the content claims
        current = current.head
    return False


def _complement(clause: Token) -> bool:
    """"the claim that IS was defeated", "his decision to withdraw": the clause says what the noun is."""
    return any(c.dep_ == "mark" or (c.dep_ == "aux" and c.lower_ == "to") for c in clause.children)


def _width(span: Offsets) -> int:
    return span[1] - span[0]


def _same_party(a: Optional[Actor], b: Optional[Actor]) -> bool:
    if a is None or b is None:
        return True
    if a.country and b.country:  # a compound party ("Russia and Turkey") by the country that stands for it
        return a.country == b.country
    return a.name.lower() == b.name.lower()


def _compatible_class(a: Optional[str], b: Optional[str]) -> bool:
    """Equal, unknown on one side, or one the general form of the other (missile ~ ballistic_missile)."""
    return a is None or b is None or a == b or a.endswith("_" + b) or b.endswith("_" + a)


def corefers(first: Event, later: Event, published: Optional[str] = None) -> bool:
    """Whether two mentions in one article are the same event ("Iran gave missiles" ... "the transfer").

    With the article's ``published`` day, a mention with no time of its own is told as current: it is
    not the one dated far from publication ("the withdrawal" ... "a withdrawal in 2015")."""
    if first.type != later.type or (first.mode and later.mode and first.mode != later.mode):
        return False
    if not (_same_party(first.actor, later.actor) and _same_party(first.recipient, later.recipient)):
        return False
    if not _compatible_class(_cls(first), _cls(later)):
        return False
    if first.status != later.status:  # "is shelling" and "shelled": the status of each report stands
        return False
    a, b = _resolved(first), _resolved(later)
    if a is None or b is None:
        dated = a or b
        return dated is None or published is None or around_publication(dated, published)
    return a.startswith(b) or b.startswith(a)


def _cls(event: Event) -> Optional[str]:
    return event.object.cls if event.object else None


def _resolved(event: Event) -> Optional[str]:
    if event.time is None or event.time.kind in _WEAK_TIME_KINDS:
        return None
    return event.time.resolved


def absorb(target: Event, other: Event) -> Event:
    """``target`` completed with what ``other`` knows, and backed by both mentions' sources."""
    actor, recipient = _fuller(target.actor, other.actor), _fuller(target.recipient, other.recipient)
    if actor is not None and recipient is not None and actor.countries and _within(recipient, actor):
        recipient = other.recipient if other.recipient is not None and not _within(other.recipient, actor) else None
    return replace(
        target,
        actor=actor,
        recipient=recipient,
        object=target.object or other.object,
        mode=target.mode or other.mode,
        context=target.context or other.context,
        time=target.time or other.time,
        location=target.location or other.location,
        attributions=_union(target.attributions, other.attributions),
        denied_by=_union(target.denied_by, other.denied_by),
        confidence=max(target.confidence, other.confidence),
        # one trigger read as two events ("said" blaming for two attacks) is one mention of the merged event
        mentions=tuple({m.span: m for m in target.mentions + (other.mentions or (other.trigger,))}.values()),
    )


def _fuller(party: Optional[Actor], other: Optional[Actor]) -> Optional[Actor]:
    """The party, or the other mention's when that names more of it: "Russia agreed ..." and "the deal
    Russia and Turkey agreed" are one deal of both."""
    if party is None:
        return other
    if other is not None and other.country == party.country and set(party.codes) < set(other.codes):
        return other
    return party


def _within(part: Actor, whole: Actor) -> bool:
    """A member of a compound party ("Syrian" of "Russian and Syrian"): not the one it acts on."""
    return whole.span[0] <= part.span[0] and part.span[1] <= whole.span[1]


def _union(a: Iterable[str], b: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*a, *b]))


def merge_coreferent(events: Iterable[Event], published: Optional[str] = None) -> list[Event]:
    kept: list[Event] = []
    for event in events:
        for index in range(len(kept) - 1, -1, -1):
            if corefers(kept[index], event, published):
                kept[index] = absorb(kept[index], event)
                break
        else:
            kept.append(event)
    return kept


def _governor(token: Token) -> Token:
    """The verb whose clause holds the token (the token itself when it is a verb)."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token


def _attached(anchor: Token, time_token: Token) -> bool:
    """Same clause: "recently gave" yes; "gave ... a delivery officials had warned about for a year" no."""
    return _governor(time_token) == _governor(anchor)


def time_near(doc: Doc, anchor_offset: int, times: Sequence[TimeExpression], *, require_attached: bool,
              taken: frozenset[Offsets] = frozenset()) -> Optional[TimeExpression]:
    """The time expression of the anchor's sentence that is attached to it in the parse, or else nearest.

    ``taken`` are times already known to date something else (a statement: "a source stated in January"):
    they are used only when attached to the anchor itself.
    """
    anchor = token_at(doc, anchor_offset)
    if anchor is None:
        return None
    sent = sentence_of(doc, anchor.i)
    candidates = [t for t in times if sent.start_char <= t.span[0] < sent.end_char]
    scored = []
    for time in candidates:
        token = token_at(doc, time.span[0])
        if token is None:
            continue
        if require_attached:
            attached = token.head == anchor  # the cue's own modifier, not one inside its content
            if not attached:
                continue
        else:
            attached = _attached(anchor, token)
        if not attached and (time.kind in _WEAK_TIME_KINDS or time.span in taken):
            continue
        scored.append((not attached, time.kind in _WEAK_TIME_KINDS, abs(token.i - anchor.i), time))
    return min(scored, key=lambda s: s[:3])[3] if scored else None


def _anaphoric_type(attribution: Attribution, doc: Doc, event_type_of: EventTypeOf) -> Optional[tuple[str, int]]:
    """("AID", offset) when the content names an event only by a definite noun: "denied the transfer"."""
    if attribution.content is None:
        return None
    content = doc.char_span(*attribution.content.span, alignment_mode="contract")
    pos = columns(doc).pos
    for i in range(content.start, content.end) if content is not None else ():
        if pos[i] != "NOUN":
            continue  # a Token only for a noun
        token = doc[i]
        if token.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETERMINERS for c in token.children):
            type_ = event_type_of(token)
            if type_ is not None:
                return type_, token.idx
    return None


def link_anaphora(doc: Doc, events: list[Event], attributions: Sequence[Attribution], event_type_of: EventTypeOf) -> list[Event]:
    """An attribution whose content holds no event but refers back to one ("Iran denied the transfer")
    backs, or denies, the latest earlier event of that type that really happened (not a hypothesis)."""
    # An attribution holds an event its content tells; one that only cues an event ("denied" coded REJECT)
    # still leaves its content's definite noun to find the event it refers to
    content_of = {a.id: a.content.span if a.content else None for a in attributions}
    holding = {i for e in events for i in (*e.attributions, *e.denied_by)
               if any(_inside(m.span[0], content_of.get(i)) for m in (e.mentions or (e.trigger,)))}
    for attribution in attributions:
        if attribution.id in holding:
            continue
        found = _anaphoric_type(attribution, doc, event_type_of)
        if found is None:
            continue
        type_, at = found
        earlier = [i for i, e in enumerate(events)
                   if e.type == type_ and e.trigger.span[0] < at and e.status in _REAL_STATUSES]
        if not earlier:
            continue
        target = events[max(earlier, key=lambda i: max(m.span[0] for m in (events[i].mentions or (events[i].trigger,)) if m.span[0] < at))]
        field = "denied_by" if attribution.stance == "denied" else "attributions"
        events[events.index(target)] = replace(target, **{field: _union(getattr(target, field), (attribution.id,))})
    return events


def link_events(doc: Doc, events: Iterable[Event], attributions: Sequence[Attribution], times: Sequence[TimeExpression],
                event_type_of: Optional[EventTypeOf] = None, published: Optional[str] = None) -> tuple[Event, ...]:
    linked = []
    taken = frozenset(a.time.span for a in attributions if a.time is not None)
    for event in sorted(events, key=lambda e: e.trigger.span):
        backing, denying = backing_attributions(event, attributions, doc)
        time = event.time or time_near(doc, event.trigger.span[0], times, require_attached=False, taken=taken)
        linked.append(replace(event, attributions=backing, denied_by=denying, time=time, mentions=(event.trigger,)))
    merged = merge_coreferent(linked, published)
    if event_type_of is not None:
        merged = link_anaphora(doc, merged, attributions, event_type_of)
    return tuple(replace(event, id=f"e{i}") for i, event in enumerate(merged, start=1))


def link_attribution_times(doc: Doc, attributions: Iterable[Attribution], times: Sequence[TimeExpression]) -> tuple[Attribution, ...]:
    """When an attribution was made ("a source stated in January"): a time attached to its cue."""
    return tuple(
        a if a.time is not None else replace(a, time=time_near(doc, a.cue.span[0], times, require_attached=True))
        for a in attributions
    )
