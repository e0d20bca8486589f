"""The PolNeAR convention's options (``unsourced``, ``bare_speech``) and the speaker line's full stop.
Sentences written for these tests."""
from __future__ import annotations

import dataclasses

import pytest

from according.extract.attribution import AttributionLexicon, extract_attributions
from according.extract.attribution.crf import plausible
from according.extract.attribution.features import token_table
from according.records import Attribution

from attribution_support import extractor as _extractor, pipeline as _nlp


def found(text: str, cue: str, **options: bool) -> list[Attribution]:
    extractor = dataclasses.replace(_extractor(), name_pronouns=False, acts=True, passive_subjects=True,
                                    nested_rule_cues=False, **options)
    return [a for a in extract_attributions(_nlp()(text), extractor) if cue in a.cue.text]


@pytest.mark.parametrize("text,cue,pieces", [
    # a forecast no one is named for: the subject and what is expected of it
    ("Mrs. Clinton is not expected to publicly pressure Mr. Sanders to quit the race.", "expected",
     ["Mrs. Clinton", "to publicly pressure Mr. Sanders to quit the race"]),
    # an impression: the subject and what it seems
    ("The mayor's supporters seemed equally unperturbed.", "seemed", ["The mayor's supporters", "equally unperturbed"]),
    ("The governor seemed ready to sign the bill.", "seemed", ["The governor", "ready to sign the bill"]),
])
def test_an_unsourced_forecast_or_impression_is_kept_in_pieces(text: str, cue: str, pieces: list[str]) -> None:
    hits = found(text, cue, unsourced=True)
    assert hits and hits[0].named_source is None
    assert [m.text for m in hits[0].content_fragments] == pieces
    # the real-news convention: no one says anything
    assert found(text, cue) == []


def test_an_impression_ends_with_its_complement() -> None:
    hits = found("The closures appear to have steadied the other casinos, although some still struggle.", "appear",
                 unsourced=True)
    assert hits and hits[0].content_fragments[-1].text == "to have steadied the other casinos"


def test_an_imperative_is_no_unsourced_attribution() -> None:
    assert found("Read the rest of the report on the council's website.", "Read", unsourced=True) == []


def test_a_speaker_line_content_ends_before_the_full_stop() -> None:
    a = next(a for a in extract_attributions(_nlp()("Sanders: Clinton Email Story Has Moved.\n\nWASHINGTON (AP) -"), _extractor())
             if a.cue.text == ":")
    assert a.content is not None and a.content.text == "Clinton Email Story Has Moved"
    # a question mark is what was said
    a = next(a for a in extract_attributions(_nlp()("WALLACE: Is it over?"), _extractor()) if a.cue.text == ":")
    assert a.content is not None and a.content.text == "Is it over?"


def test_a_said_without_a_content_stays_only_with_bare_speech() -> None:
    doc = _nlp()("The senator said so on Tuesday.")
    lexicon = AttributionLexicon.load()
    table = token_table(doc, lexicon)
    said = next(t.i for t in doc if t.text == "said")
    cue, source = (said, said + 1), (0, 2)
    assert not plausible(table, cue, source, None, lexicon)
    assert plausible(table, cue, source, None, lexicon, bare_speech=True)
    # no source and no content is nothing, either way
    assert not plausible(table, cue, None, None, lexicon, bare_speech=True)
