"""Event coding measured against the PLOVER gold standard records (PLOVER_GSR_CAMEO.json).

Each record is one sentence with its coded event. The sentence is parsed and coded by
the analyzer's event extraction (the tagger over the rules; ``--rules-only``: the rules alone); the event compared is the one whose trigger overlaps a gold (EVT: ...) span (the
most confident one if several), else the most confident event of the sentence. Gold names from PLOVER
0.5 are mapped to 2.0 (DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, INVESTIGATE -> ACCUSE/investigate,
FIGHT -> ASSAULT), as are its 0.5 mode names (demo-org -> demo, strike-hun -> hunger, ...); the gold's CAMEO country codes that differ from ISO 3166 (JAP, ITL, VTN) are mapped;
the gold's non-state codes (IGO, NGO, IMG, ISM) match an actor with an international code (UNO, EUR,
IGO, NGO) or with no country and sector IGO, NGO or REB.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from spacy.language import Language

from ..errors import DataNotFound
from ..extract.actors import ActorLexicon
from ..extract.events import EventLexicon, EventTagger, RoleModel, extract_events, extract_tagged_events
from ..records import Actor, Event

TYPE_NAMES_05 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
CAMEO_TO_ISO = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
# PLOVER 0.5 mode names that the 2.0 table renamed
MODE_NAMES_05 = {"demo-org": "demo", "demo-spon": "demo", "riot-spon": "riot", "strike-hun": "hunger",
                 "strike-gen": "boycott", "confiscate": "seize"}
NON_STATE_GOLD = frozenset({"IGO", "NGO", "IMG", "ISM"})
NON_STATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "IMG"})
NON_STATE_SECTORS = frozenset({"IGO", "NGO", "REB"})
EVT = re.compile(r"\(EVT:\s*([^()]*?)\s*[)}]")


@dataclass(frozen=True, slots=True)
class GoldParty:
    code: str
    sector: Optional[str]


@dataclass(frozen=True, slots=True)
class GoldRecord:
    id: str
    text: str
    type: str
    mode: Optional[str]
    sources: tuple[GoldParty, ...]
    targets: tuple[GoldParty, ...]
    triggers: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Miss:
    id: str
    text: str
    gold: str
    got: str


@dataclass
class PloverScores:
    cases: int = 0
    type_correct: int = 0
    strict_type_correct: int = 0  # the sentence's primary event, chosen without looking at the gold type
    found: int = 0
    actor_cases: int = 0
    actor_country: int = 0
    actor_sector_cases: int = 0
    actor_sector: int = 0
    recipient_cases: int = 0
    recipient_country: int = 0
    mode_cases: int = 0
    mode_correct: int = 0
    confusion: Counter = field(default_factory=Counter)
    misses: list[Miss] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> Optional[float]:
            return round(a / b, 4) if b else None
        return {
            "cases": self.cases,
            "events_found": self.found,
            "event_type_accuracy": ratio(self.type_correct, self.cases),
            "primary_event_type_accuracy": ratio(self.strict_type_correct, self.cases),
            "actor_country_accuracy": ratio(self.actor_country, self.actor_cases),
            "actor_sector_accuracy": ratio(self.actor_sector, self.actor_sector_cases),
            "recipient_country_accuracy": ratio(self.recipient_country, self.recipient_cases),
            "mode_accuracy": ratio(self.mode_correct, self.mode_cases),
            "confusion": {f"{g}->{p}": n for (g, p), n in self.confusion.most_common()},
        }


def _parties(value: Any) -> tuple[GoldParty, ...]:
    if not isinstance(value, list):
        return ()
    found = []
    for item in value:
        if isinstance(item, dict) and item.get("code"):
            code = CAMEO_TO_ISO.get(item["code"], item["code"])
            sector = (item.get("sector") or "")[:3] or None
            found.append(GoldParty(code, None if sector == "***" else sector))
    return tuple(found)


def _trigger_spans(text: str, markup: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for phrase in EVT.findall(markup):
        for word in phrase.replace("...", " ").split():
            at = text.find(word)
            if at >= 0:
                spans.append((at, at + len(word)))
    return tuple(spans)


def load_gold(path: str | Path) -> list[GoldRecord]:
    """The gold records (the DOCUMENT record skipped), with 0.5 type names mapped to PLOVER 2.0."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataNotFound(f"cannot read PLOVER gold records {path}: {exc}") from exc
    records = []
    for item in data:
        if item.get("event") == "DOCUMENT" or not item.get("text"):
            continue
        info = item.get("textInfo")
        markup = info.get("markup", "") if isinstance(info, dict) else (info or "")
        mode = item.get("mode") or ("investigate" if item["event"] == "INVESTIGATE" else None)
        mode = MODE_NAMES_05.get(mode, mode) if mode else None
        records.append(GoldRecord(
            item["id"], item["text"], TYPE_NAMES_05.get(item["event"], item["event"]), mode,
            _parties(item.get("source")), _parties(item.get("target")), _trigger_spans(item["text"], markup),
        ))
    return records


def choose_event(events: list[Event], triggers: Iterable[tuple[int, int]]) -> Optional[Event]:
    spans = list(triggers)
    aligned = [e for e in events if any(e.trigger.span[0] < b and a < e.trigger.span[1] for a, b in spans)]
    pool = aligned or events
    return max(pool, key=lambda e: e.confidence, default=None)


def country_matches(actor: Optional[Actor], gold: tuple[GoldParty, ...], *, parties: tuple[GoldParty, ...] = ()) -> bool:
    """Whether an actor has a gold code. With no gold target, none is right; so is one of the gold's
    joint parties ("(SRC/TAR: Israel) and (SRC/TAR: Lebanon) renewed negotiations")."""
    if not gold:
        return actor is None or actor.country is None or (len(parties) > 1 and country_matches(actor, parties))
    if actor is None:
        return False
    for party in gold:
        if party.code in NON_STATE_GOLD:
            if actor.country in NON_STATE_CODES or (actor.country is None and actor.sector in NON_STATE_SECTORS):
                return True
        elif actor.country == party.code:
            return True
    return False


def _describe(event: Optional[Event]) -> str:
    if event is None:
        return "no event"
    def who(a: Optional[Actor]) -> str:
        return "-" if a is None else f"{a.country or '?'}/{a.sector or '?'}"
    return f"{event.type}/{event.mode or '-'} {who(event.actor)} -> {who(event.recipient)} [{event.trigger.text}]"


def evaluate_plover(records: list[GoldRecord], nlp: Language, events: EventLexicon, actors: ActorLexicon,
                    tagger: Optional[EventTagger] = None, roles: Optional[RoleModel] = None) -> PloverScores:
    """With ``tagger`` (and ``roles``), events are found as the analyzer finds them; without, by the rules alone."""
    scores = PloverScores()
    for record, doc in zip(records, nlp.pipe((r.text for r in records), batch_size=64)):
        coded = list(extract_events(doc, events, actors) if tagger is None else extract_tagged_events(doc, events, actors, tagger, roles))
        event = _best_for(record, coded)
        primary = choose_event(coded, record.triggers)
        scores.strict_type_correct += primary is not None and primary.type == record.type
        _score(scores, record, event)
    return scores


def _best_for(record: GoldRecord, coded: list[Event]) -> Optional[Event]:
    """Among events of the gold type (compound actors give several), the best aligned; else any."""
    same_type = [e for e in coded if e.type == record.type]
    candidates = [e for e in same_type if country_matches(e.actor, record.sources)] or same_type
    return choose_event(candidates, record.triggers) or choose_event(coded, record.triggers)


def _score(scores: PloverScores, record: GoldRecord, event: Optional[Event]) -> None:
    scores.cases += 1
    predicted = event.type if event is not None else "NONE"
    scores.found += event is not None
    scores.confusion[(record.type, predicted)] += 1
    ok_type = predicted == record.type
    scores.type_correct += ok_type
    wrong = [] if ok_type else ["type"]
    if record.sources:
        scores.actor_cases += 1
        ok = event is not None and country_matches(event.actor, record.sources)
        scores.actor_country += ok
        wrong += [] if ok else ["actor"]
        sectors = [p.sector for p in record.sources if p.sector]
        if sectors:
            scores.actor_sector_cases += 1
            scores.actor_sector += bool(event is not None and event.actor is not None and event.actor.sector in sectors)
    scores.recipient_cases += 1
    ok_recipient = event is not None and country_matches(event.recipient, record.targets, parties=record.sources)
    scores.recipient_country += ok_recipient
    wrong += [] if ok_recipient else ["recipient"]
    if record.mode:
        scores.mode_cases += 1
        scores.mode_correct += bool(event is not None and event.mode == record.mode)
    if wrong:
        gold = f"{record.type}/{record.mode or '-'} {','.join(p.code for p in record.sources) or '-'} -> {','.join(p.code for p in record.targets) or '-'}"
        scores.misses.append(Miss(record.id, record.text, f"{gold} ({', '.join(wrong)} wrong)", _describe(event)))
