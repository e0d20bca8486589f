"""Document signals: dateline, duplicated sentences, provenance."""
from __future__ import annotations

import pytest

from according.extract.signals import duplicate_sentences, find_dateline, provenance_claims
from according.records import Attribution, Mention, Source


@pytest.mark.parametrize(
    "text, dateline",
    [
        ("Headline of the day\nTehran: Iran gave missiles to Russia.", "Tehran"),
        ("Headline of the day\nWASHINGTON (Reuters) - The Senate voted on Tuesday.", "WASHINGTON"),
        ("Headline of the day\nKYIV — Drones struck the city overnight.", "KYIV"),
        ("Headline of the day\nLONDON, March 3 (AP) - Markets fell.", "LONDON"),
        ("Headline of the day\nThe Senate voted on Tuesday: the bill passed.", None),
        ("Headline of the day\nUpdate: the talks were delayed.", None),  # a label, not a place
        ("Headline\nFirst line.\nSecond line.\nThird line.\nParis: too far down to be a dateline.", None),
    ],
)
def test_dateline(nlp, text, dateline):
    found = find_dateline(nlp(text))
    assert (found.text if found else None) == dateline
    if found:
        assert text[found.span[0] : found.span[1]] == dateline


def test_duplicate_sentences_found_with_stripped_spans(nlp):
    text = "Title line\nIran had delivered the missiles, the paper said.\nOther news here today.\nIran had delivered the missiles, the paper said.\n"
    [group] = duplicate_sentences(nlp(text))
    assert len(group) == 2
    assert all(text[s:e] == "Iran had delivered the missiles, the paper said." for s, e in group)


def test_short_repeats_are_not_duplicates(nlp):
    assert duplicate_sentences(nlp("He said no. She agreed. He said no.")) == ()


def _attribution(aid, source_text, source_type, cue, start, text):
    s = text.index(source_text)
    c = text.index(cue)
    return Attribution(id=aid, source=Source(source_text, (s, s + len(source_text)), source_type),
                       cue=Mention(cue, (c, c + len(cue))), content=None)


def test_provenance_first_reporter_and_relays():
    text = "The Daily Ledger was the first to announce the deal. Radio Nine reports that talks went on. It was first reported by The Morning Post."
    attributions = [
        _attribution("a1", "The Daily Ledger", "media", "was the first to announce", 0, text),
        _attribution("a2", "Radio Nine", "media", "reports", 0, text),
    ]
    claims = {(c.outlet, c.claim) for c in provenance_claims(text, attributions)}
    assert claims == {("The Daily Ledger", "first_reported"), ("The Morning Post", "first_reported"), ("Radio Nine", "relayed")}


def test_dateline_place_known_from_the_actor_lexicon(analyzer):
    # the small model does not tag "Minsk" here; the actor lexicon knows it is a Belarusian city
    report = analyzer.analyze("Drones for the army\nMinsk: Belarus delivered drones to Myanmar.")
    assert report.article.dateline is not None and report.article.dateline.text == "Minsk"


def test_a_dateline_is_not_a_speaker(analyzer):
    report = analyzer.analyze("Drones for the army\nMinsk: Belarus delivered drones to Myanmar, according to two officials.")
    assert [a.source.text for a in report.attributions if a.source] == ["two officials"]
    assert [a.id for a in report.attributions] == ["a1"] and report.attributions[0].parent is None
