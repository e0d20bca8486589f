"""Where a content begins and ends: newswire quotation marks written as two apostrophes, the
complementizer of the content's own clause, and their negatives. Sentences written for these tests."""
from __future__ import annotations

from typing import Optional

import pytest

from according.evaluate.attribution_eval import predicted_relation
from according.extract.actors import ActorLexicon
from according.extract.attribution import AttributionExtractor, extract_attributions
from according.extract.attribution.quotes import quote_depth
from according.records import Attribution

from attribution_support import extractor as _extractor, pipeline as _nlp


def at_cue(text: str, cue: str) -> Optional[Attribution]:
    return next((a for a in extract_attributions(_nlp()(text), _extractor()) if a.cue.text == cue), None)


def test_two_apostrophes_open_a_quotation_as_well_as_close_it() -> None:
    text = "''The bridge will open in May,'' said Anna Berg, the city engineer. ''We are on schedule.''"
    doc = _nlp()(text)
    depth = quote_depth(doc)
    assert [t.text for t in doc if depth[t.i]][:3] == ["''", "The", "bridge"]
    assert not depth[[t.text for t in doc].index("said")]
    a = at_cue(text, "said")
    assert a is not None and a.content is not None
    assert a.content.text.startswith("''The bridge") and a.quote == "direct"


def test_a_backtick_quotation_still_closes_with_two_apostrophes() -> None:
    doc = _nlp()("The ``temporary'' closure, the engineer said, has lasted a year.")
    depth = quote_depth(doc)
    assert [t.text for t in doc if depth[t.i]] == ["`", "`", "temporary", "''"]  # `` is two tokens


def test_a_possessive_apostrophe_is_no_quotation() -> None:
    doc = _nlp()("The pilots' union said the strike would go ahead on Monday.")
    assert not any(quote_depth(doc))
    a = at_cue("The pilots' union said the strike would go ahead on Monday.", "said")
    assert a is not None and a.quote == "indirect"


@pytest.mark.parametrize("text, content_start, polnear_start", [
    # an if-clause inside the content stays in it
    ("The mayor said that if the river rises again, the school will close.", "if the river rises", "that if the river"),
    # the comma after the complementizer is not content
    ("The mayor said that, if re-elected, she would close the old school.", "if re-elected", "that, if re-elected"),
])
def test_a_clause_after_the_complementizer_starts_the_content(text: str, content_start: str, polnear_start: str) -> None:
    a = at_cue(text, "said")
    assert a is not None and a.content is not None and a.content.text.startswith(content_start)
    # PolNeAR's convention puts the complementizer back, and only it
    rel = predicted_relation(text, a, "polnear")
    assert rel.content is not None and text[rel.content[0][0]:].startswith(polnear_start)


def test_a_plain_complementizer_is_still_left_out() -> None:
    a = at_cue("The mayor said that the old school would close.", "said")
    assert a is not None and a.content is not None and a.content.text == "the old school would close"
    b = at_cue("The mayor asked whether the old school would close.", "asked")
    assert b is not None and b.content is not None and b.content.text == "the old school would close"


def _credits(text: str) -> list[tuple[Optional[str], Optional[str]]]:
    found = extract_attributions(_nlp()(text), _extractor())
    return [(a.source and a.source.text, a.content and a.content.text) for a in found if "―" in a.cue.text]


def test_a_dash_credit_takes_the_whole_quoted_line() -> None:
    # a quotation with a quotation inside, and one opened with a closing mark
    text = ("What our readers wrote.\n"
            "“She calls the plan “a mistake” and I agree.” ― Ines Moreau\n"
            "”It is a shame. We deserve better.” ― Paul Grant.\n")
    assert _credits(text) == [("Ines Moreau", "“She calls the plan “a mistake” and I agree.”"),
                              ("Paul Grant", "”It is a shame. We deserve better.”")]


def test_a_dash_inside_a_sentence_is_no_credit() -> None:
    assert _credits("The council ― which met on Friday ― said the road would close.") == []
    assert _credits("“We will see,” she said ― and left the room.") == []


def test_a_cue_inside_a_quotation_is_the_quoted_speakers_own() -> None:
    text = "“I always say that the river decides, and people believe me,” the ferryman told the Courier."
    found = list(extract_attributions(_nlp()(text), _extractor()))
    assert [a.cue.text for a in found if a.cue.text in ("say", "believe")] == []
    told = next(a for a in found if a.cue.text == "told")
    assert told.source is not None and told.source.text == "the ferryman"
    # outside quotation marks the same report is one
    a = at_cue("The ferryman says that the river decides.", "says")
    assert a is not None and a.content is not None and a.content.text == "the river decides"


def test_polnear_convention_keeps_a_relative_pronoun_as_the_source() -> None:
    text = "The engineers, who say the old bridge is unsafe, met the mayor on Monday."
    doc = _nlp()(text)
    polnear = AttributionExtractor.load(name_pronouns=False, actors=ActorLexicon.load())
    kept = next(a for a in extract_attributions(doc, polnear) if a.cue.text == "say")
    named = next(a for a in extract_attributions(doc, _extractor()) if a.cue.text == "say")
    assert kept.source is not None and kept.source.text == "who"
    assert named.source is not None and named.source.text == "The engineers"


def test_an_act_with_a_noun_object_is_an_attribution_only_under_polnear() -> None:
    text = "The teachers' union condemned the decision on Monday."
    doc = _nlp()(text)
    polnear = AttributionExtractor.load(name_pronouns=False, acts=True, actors=ActorLexicon.load())
    assert [a.cue.text for a in extract_attributions(doc, _extractor())] == []
    kept = [a for a in extract_attributions(doc, polnear) if a.cue.text == "condemned"]
    assert len(kept) == 1 and kept[0].content is not None and kept[0].content.text.startswith("the decision")
    # a statement stays an attribution either way
    clause = _nlp()("The teachers' union condemned that the decision was taken in secret.")
    assert [a.cue.text for a in extract_attributions(clause, _extractor())] == ["condemned"]
