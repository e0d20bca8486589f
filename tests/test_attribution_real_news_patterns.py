"""Attribution patterns of real news the extractor used to miss or get wrong: judgements with an "as"
complement, unsourced hearsay passives, noun cues with a "that" clause, a "he"/"she" whose sentence
names the speaker, a trailing ", X told Y." after a comma, and their negatives. Sentences written for
these tests."""
from __future__ import annotations

from typing import Optional

import pytest

from according.records import Attribution

from attribution_support import attributions


def at_cue(text: str, cue: str, use_model: bool = True) -> Optional[Attribution]:
    return next((a for a in attributions(text, use_model) if cue in a.cue.text), None)


def source_of(a: Optional[Attribution]) -> Optional[str]:
    assert a is not None, "no attribution at that cue"
    named = a.named_source
    return named.text.strip(" ,") if named is not None and named.text is not None else None


JUDGEMENTS = [
    # (text, cue word, source or None, a word of the content)
    ("The navy, which regards the islands as a strategic asset, sent two frigates.", "regards", "the navy", "asset"),
    ("The dam is widely seen as a symbol of the old regime.", "seen", None, "symbol"),
    ("Farmers protested over what was viewed as an unfair tax on diesel.", "viewed", None, "tax"),
    ("The reform, described by the finance minister as a turning point, passed on Monday.", "described",
     "the finance minister", "turning point"),
    ("Despite being labelled “dangerous radicals”, the group won three seats.", "labelled", None, "radicals"),
]


@pytest.mark.parametrize("text,cue,source,word", JUDGEMENTS)
@pytest.mark.parametrize("use_model", [True, False])
def test_judgement_with_as(text: str, cue: str, source: Optional[str], word: str, use_model: bool) -> None:
    a = at_cue(text, cue, use_model)
    got = source_of(a)
    assert (got.lower() if got else None) == (source.lower() if source else None)
    assert a.content is not None and word in a.content.text


def test_see_without_as_is_no_attribution() -> None:
    assert at_cue("The guards saw the convoy leave the border post at dawn.", "saw") is None


HEARSAY = [
    ("Olsen, a retired pilot, is believed to be the last survivor of the crash.", "believed", "the last survivor"),
    ("The brigade, said to number 4,000 fighters, has not moved.", "said", "4,000 fighters"),
    ("The convoy, reported to be carrying fuel, was stopped at the border.", "reported", "carrying fuel"),
]


@pytest.mark.parametrize("text,cue,word", HEARSAY)
def test_unsourced_hearsay_passive(text: str, cue: str, word: str) -> None:
    a = at_cue(text, cue)
    assert source_of(a) is None  # the subject is who is spoken of, not who speaks
    assert word in a.content.text
    assert a.stance == "hedged"


def test_a_planned_passive_is_no_attribution() -> None:
    assert at_cue("The new checkpoints were intended to reassure the villagers.", "intended") is None


NOUN_CUES = [
    ("The mayor’s claim that the bridge was safe angered residents.", "claim", "The mayor", "bridge was safe"),
    ("Rumours that the plant would close spread through the town.", "Rumours", None, "plant would close"),
    ("It came after reports by the Tribune that the port had been sold.", "reports", "the Tribune", "port had been sold"),
    ("The union’s position was that the deal had been signed in bad faith.", "position", "The union", "bad faith"),
    ("Anders Holm stood by his earlier remarks that the audit was flawed.", "remarks", "Anders Holm", "audit was flawed"),
]


@pytest.mark.parametrize("text,cue,source,words", NOUN_CUES)
def test_noun_cue_with_that_clause(text: str, cue: str, source: Optional[str], words: str) -> None:
    a = at_cue(text, cue)
    assert source_of(a) == source
    assert a.content is not None and words in a.content.text and not a.content.text.startswith("that ")


def test_noun_without_that_clause_is_no_attribution() -> None:
    assert at_cue("The claim was filed with the court in March.", "claim") is None
    assert at_cue("Her position on the board has never been stronger.", "position") is None


def test_rejecting_claims_is_not_making_them() -> None:
    found = attributions("The ministry rejected claims that the convoy had been attacked.")
    assert any(a.stance == "denied" and source_of(a) == "The ministry" for a in found)
    # whoever made the claims is not named: not the ministry
    assert all(source_of(a) is None for a in found if "claims" in a.cue.text and "reject" not in a.cue.text)


def test_fears_are_growing_has_no_source() -> None:
    found = attributions("Fears are growing that the river will flood the lower town.")
    assert [source_of(a) for a in found if a.content and "flood" in a.content.text] == [None]


PRONOUNS = [
    ("In her letter, Ingrid Varga did not name the firm, but she warned that the audit would be delayed.",
     "warned", "Ingrid Varga"),
    ("The chairman of the delegation says he wants a new vote, which, he believes, the opposition will win.",
     "believes", "The chairman of the delegation"),
]


@pytest.mark.parametrize("text,cue,source", PRONOUNS)
def test_pronoun_source_named_in_the_sentence(text: str, cue: str, source: str) -> None:
    assert source_of(at_cue(text, cue)) == source


def test_pronoun_stays_without_a_name_in_the_sentence() -> None:
    text = "Ingrid Varga chairs the committee. She warned that the audit would be delayed."
    a = at_cue(text, "warned")
    assert source_of(a) == "She"


def test_pronoun_inside_a_quotation_stays() -> None:
    text = "“Tom Reyes is wrong when he says the road is safe,” said Ana Ruiz."
    a = at_cue(text, "says")
    assert a is None or source_of(a) == "he"


def test_trailing_report_after_a_comma() -> None:
    a = at_cue("The clinic stays open until June, its director, Lena Brandt, told the Courier.", "told")
    assert source_of(a) == "its director, Lena Brandt"
    assert a.content is not None and a.content.text == "The clinic stays open until June"


def test_a_clause_that_was_revealed_is_not_the_content_of_its_own_verb() -> None:
    found = attributions("The minister revealed he was talking to the unions about pensions.")
    assert [a.cue.text for a in found if "talking" in a.cue.text] == []


def test_adding_takes_the_speaker_of_the_report_it_continues() -> None:
    a = at_cue("Maria Lind said Berg had misled the board, adding that he “should resign”.", "adding")
    assert source_of(a) == "Maria Lind"


def test_reportedly_has_no_named_source() -> None:
    a = at_cue("The soldiers reportedly burned the fields near the river.", "reportedly")
    assert a is None or source_of(a) is None


def test_a_belief_with_its_clause_outside_quotations() -> None:
    a = at_cue("Local officials believed the attack had taken place a month earlier.", "believed")
    assert source_of(a) == "Local officials"
    assert "attack had taken place" in a.content.text


def test_first_person_belief_inside_a_quotation_is_the_speakers_own() -> None:
    found = attributions("“We will do what I think voters would expect us to do,” said Ana Ruiz.")
    assert [a.cue.text for a in found if a.cue.text == "think"] == []
    assert any(source_of(a) == "Ana Ruiz" for a in found)


def test_participle_modifying_its_speaker() -> None:
    a = at_cue("Fresh details have emerged, with residents claiming the dam had been opened at night.", "claiming")
    assert source_of(a) == "residents"


def test_quoted_as_saying() -> None:
    a = at_cue("The Herald quoted local doctors as saying the clinic had run out of insulin.", "saying")
    assert source_of(a) == "local doctors"


def test_participle_after_a_comma_is_passive() -> None:
    text = "The brigade is the youngest unit of the northern army, regarded variously as heroes or deserters."
    a = at_cue(text, "regarded")
    assert a is not None and source_of(a) is None


def test_judging_an_act_wrong_is_no_denial_but_calling_a_claim_wrong_is() -> None:
    judged = attributions("The minister said it would be wrong to send the two prisoners abroad.")
    assert judged and all(a.stance != "denied" for a in judged), [(a.cue.text, a.stance) for a in judged]
    for text in ("The ministry said the report was false.", "The ministry said it was wrong to suggest that troops had left."):
        found = attributions(text)
        assert any(a.stance == "denied" and a.cue.text == "said" for a in found), [(a.cue.text, a.stance) for a in found]
