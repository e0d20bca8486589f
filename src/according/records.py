"""Small typed records that extractors yield and reports are made of.

Every span is ``(start, end)``: Python string offsets into the article text exactly as read.
``to_dict()`` gives the JSON shape documented in docs/schema.md (schema ``according/1``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Optional

Offsets = tuple[int, int]

SCHEMA = "according/1"

SOURCE_TYPES = ("named_person", "official_organization", "media", "anonymous", "document", "unknown")
STANCES = ("asserted", "denied", "hedged", "conditional")
QUOTE_TYPES = ("direct", "indirect", "mixed")
EVENT_STATUSES = ("completed", "ongoing", "planned", "negotiated", "hypothetical", "negated")


_SCALARS = (str, int, float, type(None))


def _plain(value: Any) -> Any:
    """JSON-ready form: dataclasses become dicts (their own ``to_dict`` where defined), tuples lists."""
    if isinstance(value, _SCALARS):  # most values: checked first, since the ledger writer serialises every report
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    names = getattr(type(value), "__dataclass_fields__", None)  # the records' fields, in order (none is a ClassVar)
    if names is not None:
        return value.to_dict() if hasattr(value, "to_dict") else {n: _plain(getattr(value, n)) for n in names}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return {n: _plain(getattr(self, n)) for n in type(self).__dataclass_fields__}  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Mention(_Record):
    """A piece of the text: what it says and where."""

    text: str
    span: Offsets


@dataclass(frozen=True, slots=True)
class Actor(_Record):
    """A span naming a party, normalized to a country (ISO 3166 alpha-3) and a sector (GOV, MIL, MED, ...).

    International bodies have no ISO code: they take their CAMEO code (UNO, EUR, IGO) with sector IGO.
    A compound party ("Russia and Turkey", "US, British and French forces") is one actor: ``countries``
    lists its members' countries in text order, and ``country`` (the one most members share, the first
    on a tie) stands for it where one code is read; ``countries`` is empty for a party of one country or none.
    """

    text: str
    span: Offsets
    name: str
    country: Optional[str] = None
    sector: Optional[str] = None
    kind: str = "unknown"  # country | organization | person | group | unknown
    countries: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """Every country of the party: its members' for a compound party, else its own (or none)."""
        return self.countries or ((self.country,) if self.country else ())


@dataclass(frozen=True, slots=True)
class TimeExpression(_Record):
    """A time expression and, when a published date is known, what it resolves to.

    ``resolved`` is ISO 8601: a day ``2024-09-06``, a month ``2024-01``, a year ``2023``, or an
    interval ``2023-09-07/2024-09-07``. It is None when it cannot be resolved without guessing.
    """

    text: str
    span: Offsets
    resolved: Optional[str] = None
    kind: str = "date"  # date | month | year | interval | vague


@dataclass(frozen=True, slots=True)
class Source(_Record):
    """Who an attribution is credited to. An unsourced attribution ("is believed to", "rumours that")
    has a source with a type (``unknown``) and no words: ``text`` and ``span`` are None."""

    text: Optional[str]
    span: Optional[Offsets]
    type: str = "unknown"  # one of SOURCE_TYPES
    entity: Optional[Actor] = None
    antecedent: Optional[Mention] = None  # what a pronoun or "the official" refers to


@dataclass(frozen=True, slots=True)
class Attribution(_Record):
    """Who says what: a source, the cue that attributes, the content attributed."""

    source: Optional[Source]
    cue: Mention
    content: Optional[Mention]
    quote: str = "indirect"  # one of QUOTE_TYPES
    stance: str = "asserted"  # one of STANCES
    channel: Optional[Mention] = None
    time: Optional[TimeExpression] = None
    parent: Optional[str] = None  # id of the attribution this one is nested in
    sentence: Optional[Offsets] = None
    id: str = ""
    # The pieces of a discontinuous content ("“A,” he said. “B.”"); ``content`` then spans them all.
    content_fragments: tuple[Mention, ...] = ()

    @property
    def named_source(self) -> Optional[Source]:
        """The source when the text names one (has its words), else None."""
        source = self.source
        return source if source is not None and source.span is not None else None


@dataclass(frozen=True, slots=True)
class EventObject(_Record):
    text: str
    span: Offsets
    cls: Optional[str] = None  # ballistic_missile, drone, air_defence, ...
    quantity: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "span": list(self.span), "class": self.cls, "quantity": self.quantity}


@dataclass(frozen=True, slots=True)
class Event(_Record):
    """A PLOVER event: who did what to whom, with its status, time and backing."""

    type: str
    trigger: Mention
    actor: Optional[Actor] = None
    recipient: Optional[Actor] = None
    mode: Optional[str] = None
    context: Optional[str] = None
    object: Optional[EventObject] = None
    status: str = "completed"  # one of EVENT_STATUSES
    time: Optional[TimeExpression] = None
    location: Optional[Mention] = None
    sentence: Optional[Offsets] = None
    attributions: tuple[str, ...] = ()
    denied_by: tuple[str, ...] = ()
    confidence: float = 0.5
    id: str = ""
    mentions: tuple[Mention, ...] = ()  # every trigger in the article that reports this same event


@dataclass(frozen=True, slots=True)
class ArticleInfo(_Record):
    title: Optional[str] = None
    published: Optional[str] = None
    dateline: Optional[Mention] = None
    outlet: Optional[str] = None
    url: Optional[str] = None
    id: Optional[str] = None
    encoding: Optional[str] = None  # how the input's bytes were decoded (utf-8, utf-16, cp1252, ...)
    notes: tuple[str, ...] = ()  # what the reader had to change, e.g. lone surrogates replaced with U+FFFD


@dataclass(frozen=True, slots=True)
class Signals(_Record):
    """Document-level signals a reader weighs a report by."""

    duplicate_sentences: tuple[tuple[Offsets, ...], ...] = ()
    anonymous_share: Optional[float] = None  # share of attributions whose source is anonymous
    unattributed_events: int = 0
    provenance: tuple["ProvenanceClaim", ...] = ()


@dataclass(frozen=True, slots=True)
class ProvenanceClaim(_Record):
    """A claim about who reported something first ("was the first to announce", "first reported by")."""

    outlet: str
    span: Offsets
    claim: str  # first_reported | relayed
    attribution: Optional[str] = None


@dataclass(frozen=True, slots=True)
class Report(_Record):
    """Everything `according` found in one article."""

    article: ArticleInfo
    text: str
    actors: tuple[Actor, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    events: tuple[Event, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    signals: Signals = field(default_factory=Signals)
    model: dict[str, str] = field(default_factory=dict)  # which pipeline and attribution model made it

    def to_dict(self, *, include_text: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"schema": SCHEMA}
        for f in fields(self):
            if f.name == "text" and not include_text:
                continue
            out[f.name] = _plain(getattr(self, f.name))
        return out
