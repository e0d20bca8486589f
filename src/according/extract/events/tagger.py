"""The event tagger: a CRF over a sentence's tokens that labels each word with a PLOVER type or O.

Weights are trained by ``train/train_event_crf.py`` (real-news gold and the PLOVER records) and ship in
``according/models/events/``. The tagger is separate from the lexicon: the lexicon is data, this is a model.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, Optional

MODEL_PACKAGE = "according.models.events"
MODEL_VERSION = "crf-events-v1"
OUTSIDE = "O"
# A word becomes an event when some type's marginal probability reaches this, even where the Viterbi
# path says O: events are rare words, and the path is biased to O (tuned by cross-validation).
THRESHOLD = 0.3


@dataclass(frozen=True)
class EventTagger:
    tagger: Any  # pycrfsuite.Tagger
    name: str = MODEL_VERSION
    threshold: float = THRESHOLD
    # A word the rules coded keeps the rules' event while the tagger gives its type at least this much
    # (the rules carry what a few thousand training sentences cannot: the lexicons' vocabulary, and
    # textbook constructions real news rarely shows).
    rule_floor: float = 0.0

    @classmethod
    def open(cls, path: str | Path, name: str = MODEL_VERSION, threshold: float = THRESHOLD, rule_floor: float = 0.0) -> "EventTagger":
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        return cls(tagger, name, threshold, rule_floor)

    @classmethod
    def packaged(cls) -> Optional["EventTagger"]:
        """The shipped model, or None when its file is missing (the rules then run alone)."""
        path = Path(str(resources.files(MODEL_PACKAGE).joinpath(MODEL_VERSION + ".crfsuite")))
        return cls.open(path) if path.is_file() else None

    def tag(self, features: list[list[str]], rule_types: Optional[list[frozenset[str]]] = None) -> list[TokenTag]:
        """The label of every token (a type, or O) with its marginal probability, and the marginal of
        each type the rules coded at that token (``rule_types``, one set per token)."""
        if not features:
            return []
        tagger = self.tagger
        tagger.set(features)
        labels = tagger.tag()
        types = [label for label in tagger.labels() if label != OUTSIDE]
        known = set(types)
        marginal = tagger.marginal
        surely_outside = 1.0 - self.threshold
        out = []
        for i, label in enumerate(labels):
            coded = rule_types[i] if rule_types is not None else ()
            if label == OUTSIDE and not coded:
                p = marginal(OUTSIDE, i)
                if p > surely_outside:  # the types share less than the threshold: none can reach it
                    out.append(TokenTag(OUTSIDE, p, {}))
                    continue
            marginals = [marginal(t, i) for t in types]
            p = max(marginals, default=0.0)
            best = types[marginals.index(p)] if types else OUTSIDE
            if label == OUTSIDE and p >= self.threshold:
                label = best
            prob = p if label != OUTSIDE else marginal(OUTSIDE, i)
            out.append(TokenTag(label, prob, {t: marginal(t, i) if t in known else 0.0 for t in coded}))
        return out


class TokenTag(NamedTuple):  # a tuple: one is made per token of every sentence, and a frozen dataclass costs thrice as much
    label: str  # a PLOVER type or O
    probability: float  # the tagger's marginal probability of ``label``
    rule_marginals: dict[str, float]  # type the rules coded here -> the tagger's probability of it
