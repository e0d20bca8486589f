"""The event tagger: a CRF over a sentence's tokens that labels each word with a PLOVER type or O.

Weights are trained by ``train/train_event_crf.py`` (real-news gold and the PLOVER records) and ship in
``according/models/events/``. The tagger is separate from the lexicon: the lexicon is data, this is a model.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Optional

MODEL_PACKAGE = "according.models.events"
MODEL_VERSION = "crf-events-v1"
OUTSIDE = "O"


@dataclass(frozen=True)
class EventTagger:
    tagger: Any  # pycrfsuite.Tagger
    name: str = MODEL_VERSION
    # A word becomes an event when some type's marginal probability reaches this, even where the Viterbi
    # path says O: events are rare words, and the path is biased to O (tuned by cross-validation).
    threshold: float = 0.3
    # A word the rules coded keeps the rules' type while the tagger gives that type at least this much
    # (the rules carry what a few thousand training sentences cannot: the lexicons' vocabulary).
    rule_floor: float = 0.05

    @classmethod
    def open(cls, path: str | Path, name: str = MODEL_VERSION, threshold: float = 0.3, rule_floor: float = 0.05) -> "EventTagger":
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        return cls(tagger, name, threshold, rule_floor)

    @classmethod
    def packaged(cls) -> Optional["EventTagger"]:
        """The shipped model, or None when its file is missing (the rules then run alone)."""
        path = Path(str(resources.files(MODEL_PACKAGE).joinpath(MODEL_VERSION + ".crfsuite")))
        return cls.open(path) if path.is_file() else None

    def tag(self, features: list[list[str]], rule_types: Optional[list[frozenset[str]]] = None) -> list[tuple[str, float]]:
        """(label, marginal probability of that label) for every token; ``rule_types`` (per token) are
        the types the rules coded there, kept when the tagger does not rule them out."""
        if not features:
            return []
        tagger = self.tagger
        tagger.set(features)
        labels = tagger.tag()
        types = [label for label in tagger.labels() if label != OUTSIDE]
        out = []
        for i, label in enumerate(labels):
            best = max(types, key=lambda t: tagger.marginal(t, i)) if types else OUTSIDE
            p = tagger.marginal(best, i) if types else 0.0
            if label == OUTSIDE and p >= self.threshold:
                label = best
            if label == OUTSIDE and rule_types is not None and rule_types[i]:
                kept = max(rule_types[i], key=lambda t: tagger.marginal(t, i) if t in types else 0.0)
                q = tagger.marginal(kept, i) if kept in types else 0.0
                if q >= self.rule_floor:
                    label, p = kept, q
            out.append((label, p if label != OUTSIDE else tagger.marginal(OUTSIDE, i)))
        return out
