"""Actor normalization measured against annotated actor strings (actor_cases.jsonl).

Each case is an actor string, an optional context (e.g. "Saudi" for "the National Guard"), the
expected ISO 3166 alpha-3 country and the PLOVER/CAMEO sector (empty or null where none applies).
The context is read as a modifier before the actor string ("Saudi" + "the National Guard" is read
"Saudi National Guard"). CAMEO puts international bodies in the
country slot (UNO, EUR, IGO) and leaves the sector empty; an actor coded with that country and
sector IGO counts as right.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from spacy.language import Language

from ..errors import DataNotFound
from ..extract.actors import ActorLexicon, actor_for_span

INTERNATIONAL_CODES = frozenset({"UNO", "EUR", "IGO"})


@dataclass(frozen=True, slots=True)
class ActorCase:
    actor: str
    context: str
    country: Optional[str]
    sector: Optional[str]


@dataclass(frozen=True, slots=True)
class ActorMiss:
    case: ActorCase
    country: Optional[str]
    sector: Optional[str]


@dataclass
class ActorScores:
    cases: int = 0
    country: int = 0
    sector: int = 0
    misses: list[ActorMiss] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "country_accuracy": round(self.country / self.cases, 4) if self.cases else None,
            "sector_accuracy": round(self.sector / self.cases, 4) if self.cases else None,
        }


def load_cases(path: str | Path) -> list[ActorCase]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as exc:
        raise DataNotFound(f"cannot read actor cases {path}: {exc}") from exc
    return [ActorCase(r["actor"].strip(), (r.get("context") or "").strip(), r.get("country") or None,
                      r.get("sector") or None) for r in rows]


def _sector_ok(case: ActorCase, country: Optional[str], sector: Optional[str]) -> bool:
    if sector == case.sector:
        return True
    return case.sector is None and case.country in INTERNATIONAL_CODES and country == case.country and sector == "IGO"


def _without_article(text: str) -> str:
    first, _, rest = text.partition(" ")
    return rest if rest and first.lower() in ("the", "a", "an") else text


def evaluate_actors(cases: list[ActorCase], nlp: Language, lexicon: ActorLexicon) -> ActorScores:
    scores = ActorScores()
    texts = (f"{c.context} {_without_article(c.actor)}" if c.context else c.actor for c in cases)
    for case, doc in zip(cases, nlp.pipe(texts, batch_size=128)):
        actor = actor_for_span(doc[:], lexicon)
        country = actor.country if actor else None
        sector = actor.sector if actor else None
        ok_country = country == case.country
        ok_sector = _sector_ok(case, country, sector)
        scores.cases += 1
        scores.country += ok_country
        scores.sector += ok_sector
        if not (ok_country and ok_sector):
            scores.misses.append(ActorMiss(case, country, sector))
    return scores
