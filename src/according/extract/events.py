"""Events: PLOVER-coded who did what to whom. (Stub; owned by the events work.)"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from spacy.tokens import Doc

from ..records import Event
from .actors import ActorLexicon


@dataclass(frozen=True)
class EventLexicon:
    @classmethod
    def load(cls) -> "EventLexicon":
        return cls()


def extract_events(doc: Doc, lexicon: EventLexicon, actors: ActorLexicon) -> Iterator[Event]:
    return iter(())
