"""The real pipeline and attribution extractor for the attribution tests, loaded once per test session."""
from __future__ import annotations

import functools

from according.extract.actors import ActorLexicon
from according.extract.attribution import AttributionExtractor, extract_attributions
from according.records import Attribution


@functools.lru_cache(maxsize=1)
def pipeline():
    from according.nlp.loading import load_pipeline

    return load_pipeline()


@functools.lru_cache(maxsize=1)
def actors() -> ActorLexicon:
    return ActorLexicon.load()


@functools.lru_cache(maxsize=2)
def extractor(use_model: bool = True) -> AttributionExtractor:
    return AttributionExtractor.load(use_model=use_model, actors=actors())


def attributions(text: str, use_model: bool = True) -> list[Attribution]:
    return list(extract_attributions(pipeline()(text), extractor(use_model)))
