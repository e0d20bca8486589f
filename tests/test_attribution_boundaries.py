"""The content boundary step (extract/attribution/boundaries.py): candidates, hard limits, the shipped model."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from according.extract.attribution.boundaries import (
    BoundaryModel, BoundaryView, end_candidates, load_boundary_model, start_candidates,
)
from according.extract.attribution.rules import RawAttribution
from attribution_support import attributions, extractor, pipeline
from conftest import shared_path


def _raw(doc, cue_word: str, source: tuple[int, int], content: tuple[int, int]) -> RawAttribution:
    cue = next(t.i for t in doc if t.text == cue_word)
    return RawAttribution(cue=(cue, cue + 1), source=source, content=content, cue_head=cue)


def _text(doc, rng) -> str:
    return doc[rng[0]:rng[1]].text


def test_an_end_weight_moves_the_end_before_a_trailing_phrase() -> None:
    doc = pipeline()("Ms. Rivera said the bridge would reopen in May on Twitter.")
    raw = _raw(doc, "said", (0, 2), (3, 11))
    assert _text(doc, raw.content) == "the bridge would reopen in May on Twitter"
    model = BoundaryModel({}, {"nw=on": 3.0})
    (out,) = model.revise(doc, [raw])
    assert _text(doc, out.content) == "the bridge would reopen in May"


def test_a_margin_keeps_the_found_boundary() -> None:
    doc = pipeline()("Ms. Rivera said the bridge would reopen in May on Twitter.")
    raw = _raw(doc, "said", (0, 2), (3, 11))
    (out,) = BoundaryModel({}, {"nw=on": 3.0}, end_margin=5.0).revise(doc, [raw])
    assert out.content == raw.content


def test_a_start_weight_drops_the_cues_own_words() -> None:
    doc = pipeline()("The mayor said on Friday that the bridge would reopen.")
    raw = _raw(doc, "said", (0, 2), (3, 10))
    assert _text(doc, raw.content) == "on Friday that the bridge would reopen"
    (out,) = BoundaryModel({"pw=that": 3.0}, {}).revise(doc, [raw])
    assert _text(doc, out.content) == "the bridge would reopen"


def test_a_content_never_grows_over_its_cue_or_source() -> None:
    doc = pipeline()("The mayor said the bridge would reopen, the council added.")
    raw = _raw(doc, "added", (8, 10), (0, 7))  # "The mayor said the bridge would reopen" before "the council added"
    for cand in start_candidates(BoundaryView.of(doc), raw) + end_candidates(BoundaryView.of(doc), raw, 0):
        assert cand.position <= 8
    # a model that wants the content to run to the end of the sentence cannot take in source and cue
    (out,) = BoundaryModel({}, {"send": 9.0, "nw=.": 9.0}).revise(doc, [raw])
    assert out.content[1] <= raw.source[0]


def test_candidates_hold_the_found_boundary_and_stay_within_reach() -> None:
    doc = pipeline()("Officials said on Monday that the talks, which began in March, had failed and would not resume.")
    view = BoundaryView.of(doc)
    said = next(t.i for t in doc if t.text == "said")
    raw = RawAttribution(cue=(said, said + 1), source=(0, 1), content=(said + 4, len(doc) - 1), cue_head=said)
    starts = [c.position for c in start_candidates(view, raw)]
    ends = [c.position for c in end_candidates(view, raw, raw.content[0])]
    assert raw.content[0] in starts and raw.content[1] in ends
    assert all(p > said for p in starts)  # never back over the cue
    assert len(set(starts)) == len(starts) and len(set(ends)) == len(ends)
    found = next(c for c in start_candidates(view, raw) if c.position == raw.content[0])
    assert "found" in found.features() and "w=the" in found.features()


def test_fragments_keep_their_inner_edges() -> None:
    doc = pipeline()('"The bridge," she said, "will reopen in May on Twitter."')
    said = next(t.i for t in doc if t.text == "said")
    first, second = (0, said - 2), (said + 2, len(doc))
    raw = RawAttribution(cue=(said, said + 1), source=(said - 1, said), content=(0, len(doc)), cue_head=said,
                         content_fragments=(first, second))
    (out,) = BoundaryModel({}, {}).revise(doc, [raw])
    assert out.content_fragments == raw.content_fragments


def test_the_shipped_model_loads_with_the_tagger() -> None:
    model = load_boundary_model()
    if model is None:
        pytest.skip("no boundary model shipped")
    assert model.start_weights or model.end_weights  # a side whose model did not pay is left empty
    from according.extract.attribution import AttributionExtractor

    assert extractor(True).boundaries is None  # off by default
    with_model = AttributionExtractor.load(boundaries=True)
    assert (with_model.boundaries is not None) == (with_model.tagger is not None)
    assert AttributionExtractor.load(use_model=False, boundaries=True).boundaries is None  # rules alone


def test_the_shipped_model_keeps_a_speakers_line() -> None:
    from according.extract.attribution import AttributionExtractor, extract_attributions

    ex = AttributionExtractor.load(boundaries=True)
    if ex.boundaries is None:
        pytest.skip("no boundary model or tagger shipped")
    doc = pipeline()("HOST: Welcome back.\nMAYOR: Well, look, it was a good night for the city.")
    contents = [a.content.text for a in extract_attributions(doc, ex) if a.content is not None]
    # the whole line, up to its full stop (which no content holds)
    assert "Well, look, it was a good night for the city" in contents


@pytest.mark.parametrize("text, content", [
    ("The senator said on Tuesday that the budget would pass next week.", "the budget would pass next week"),
    ('"We will not back down," the union leader said.', '"We will not back down,"'),
])
def test_plain_contents_stay_whole(text: str, content: str) -> None:
    found = [a for a in attributions(text) if a.content is not None]
    assert any(a.content.text == content for a in found), [a.content.text for a in found]


def test_cli_eval_attribution_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dev = shared_path("data", "polnear", "dev")
    from according.cli import main

    args = ["eval", "attribution", "--gold", str(dev), "--limit", "1", "--json", "--cache", str(tmp_path), "--boundaries"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert len(list(tmp_path.glob("*.spacy"))) == 1
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out) == first
