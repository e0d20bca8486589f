"""Actors: spans naming parties, normalized to country and sector. (Stub; owned by the events work.)"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from spacy.tokens import Doc, Span

from ..records import Actor


@dataclass(frozen=True)
class ActorLexicon:
    @classmethod
    def load(cls) -> "ActorLexicon":
        return cls()


def extract_actors(doc: Doc, lexicon: ActorLexicon) -> Iterator[Actor]:
    return iter(())


def actor_for_span(span: Span, lexicon: ActorLexicon) -> Optional[Actor]:
    return None
