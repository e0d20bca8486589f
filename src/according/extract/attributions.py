"""Attributions: source, cue, content, quote type, stance. (Stub; owned by the attribution work.)"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from spacy.tokens import Doc

from ..records import Attribution


@dataclass(frozen=True)
class AttributionLexicon:
    @classmethod
    def load(cls) -> "AttributionLexicon":
        return cls()


def extract_attributions(doc: Doc, lexicon: AttributionLexicon) -> Iterator[Attribution]:
    return iter(())
