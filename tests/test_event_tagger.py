"""The trained event tagger on the pipeline: what it codes, and what it must leave alone (own sentences)."""
from __future__ import annotations

import pytest

from according.extract.events import EventTagger
from according.extract.events.tagged import _nominal_status, article_home
from according.pipeline import Analyzer
from conftest import shared_path


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def test_the_packaged_tagger_is_used_and_named(analyzer: Analyzer) -> None:
    assert EventTagger.packaged() is not None
    report = analyzer.analyze("Government warplanes bombed rebel positions near the town on Sunday.")
    assert report.model["events"].startswith("rules+crf-events")


@pytest.mark.parametrize("text, type_", [
    ("Russian warplanes bombed rebel positions in Idlib province on Sunday, killing at least 12 civilians.", "ASSAULT"),
    ("Turkish police detained 14 suspected militants in raids across Istanbul on Tuesday.", "COERCE"),
    ("The foreign minister condemned the attack on the embassy as a crime.", "ACCUSE"),
])
def test_political_acts_are_coded(analyzer: Analyzer, text: str, type_: str) -> None:
    events = analyzer.analyze(text).events
    assert type_ in {e.type for e in events}, [(e.type, e.trigger.text) for e in events]
    assert all(0.0 < e.confidence <= 1.0 for e in events)


@pytest.mark.parametrize("text", [
    "The striker returned from injury and scored twice as the club beat its rivals on Saturday.",
    "She travelled to Lisbon with her family for a week of sunshine.",
])
def test_ordinary_words_are_not_events(analyzer: Analyzer, text: str) -> None:
    events = analyzer.analyze(text).events
    assert not [e for e in events if e.type in ("ASSAULT", "RETREAT", "CONSULT")], [(e.type, e.trigger.text) for e in events]


@pytest.mark.parametrize("text", [
    "A malnourished child died of starvation in a besieged suburb of Aleppo.",
    "Iraq's former prime minister, who led the country through the war, has died aged 79.",
    "Dozens of displaced Syrians have died in recent weeks owing to freezing weather in the camp.",
])
def test_a_death_from_illness_age_or_weather_is_no_attack(analyzer: Analyzer, text: str) -> None:
    events = analyzer.analyze(text).events
    assert not [e for e in events if e.trigger.text.startswith("died")], [(e.type, e.trigger.text) for e in events]


def test_a_death_in_a_conflict_is_still_an_attack(analyzer: Analyzer) -> None:
    events = analyzer.analyze("More than 300 civilians have died since the Ethiopian army began its offensive in Tigray.").events
    assert [e for e in events if e.type == "ASSAULT" and e.trigger.text == "died"], [(e.type, e.trigger.text) for e in events]


def test_a_named_withdrawal_is_planned(analyzer: Analyzer) -> None:
    doc = analyzer.nlp("The withdrawal surprised the allies.")
    assert _nominal_status(doc[1], "CONCEDE") == "planned"
    assert _nominal_status(doc[1], "RETREAT") is None


@pytest.mark.parametrize("text, status", [
    ("Officials in Canberra said a final decision on the embassy had not been made.", "negated"),
    ("The decision would have grave consequences for the Kurds, diplomats in Brussels warned.", "planned"),
    ("The decision was announced in Ottawa on Monday.", "planned"),
])
def test_a_named_decision_takes_the_status_its_clause_gives(analyzer: Analyzer, text: str, status: str) -> None:
    doc = analyzer.nlp(text)
    decision = next(t for t in doc if t.lower_ == "decision")
    assert _nominal_status(decision, "CONCEDE") == status


def test_the_article_home_is_the_country_most_sentences_name(analyzer: Analyzer) -> None:
    doc = analyzer.nlp("Fighting raged in Syria on Monday. Rebels in Syria said they held the town. "
                       "A French diplomat spoke in Paris. Aid reached Syria at last.")
    assert article_home(list(doc.sents), analyzer.extractors.actors) == "SYR"


def test_a_recipient_named_by_role_is_not_placed_in_the_attackers_country(analyzer: Analyzer) -> None:
    # the sentence names Russia only in the attacker's phrase: the areas struck are of the article's country
    text = ("Fighting raged in Syria on Monday. Rebels in Syria said they held the town. "
            "Russian warplanes struck rebel-held areas on Tuesday.")
    events = [e for e in analyzer.analyze(text).events if e.actor is not None and e.actor.text == "Russian warplanes"]
    assert events and events[0].actor.country == "RUS"
    assert events[0].recipient is not None and events[0].recipient.country == "SYR"
    # a country the sentence names elsewhere still places the recipient: domestic arrests stay domestic
    home = [e for e in analyzer.analyze("Fighting raged in Syria on Monday. Rebels in Syria held the town. "
                                        "In Turkey, police detained opposition members.").events
            if e.actor is not None and e.actor.text == "police"]
    assert home and home[0].recipient is not None and home[0].recipient.country == "TUR"


def test_the_packaged_petrarch_verbs_are_what_the_build_script_makes(tmp_path, monkeypatch) -> None:
    from importlib import resources

    from according.lexicons import build_event_verbs as build

    types = build.verb_types(shared_path("data", "petrarch2", "CAMEO.verbpatterns.150430.txt"),
                             build.plover_map(shared_path("data", "plover", "CAMEO2PLOVER-2021.txt")))
    packaged = resources.files("according").joinpath("lexicons", "event_verbs_petrarch.tsv").read_text(encoding="utf-8")
    rows = dict(line.split("\t") for line in packaged.splitlines() if line and not line.startswith("#"))
    assert rows == {verb: "|".join(sorted(ts)) for verb, ts in types.items()}
    assert "ASSAULT" in rows["attack"].split("|") and "COERCE" in rows["arrest"].split("|")


def test_confidence_ranks_events_whose_parties_the_rules_read_higher() -> None:
    from according.extract.events.tagged import event_confidence
    from according.records import Actor, Event, Mention

    placed = Actor("Turkey", (0, 6), "Turkey", country="TUR", kind="country")
    event = Event(type="ASSAULT", trigger=Mention("shelled", (7, 14)), actor=placed, recipient=placed)
    bare = Event(type="ASSAULT", trigger=Mention("shelled", (7, 14)))
    assert event_confidence(0.9, event, True) == 0.9
    assert event_confidence(0.9, bare, False) < event_confidence(0.9, event, False) < event_confidence(0.9, event, True)


@pytest.mark.parametrize("text, kept", [
    ("The prime minister's decision to withdraw the troops from Mali angered the army.", "decision"),
    ("The minister's threat to expel the diplomats was condemned in Paris.", "threat"),
])
def test_an_infinitive_completing_an_event_noun_is_that_event_not_a_second_one(analyzer: Analyzer, text: str, kept: str) -> None:
    events = analyzer.analyze(text).events
    triggers = {e.trigger.text for e in events}
    assert kept in triggers and not triggers & {"withdraw", "expel"}, [(e.type, e.trigger.text) for e in events]


def test_an_infinitive_under_a_noun_that_is_no_event_is_still_coded(analyzer: Analyzer) -> None:
    events = analyzer.analyze("Rebel commanders made plans to attack the airport on Sunday.").events
    assert "attack" in {e.trigger.text for e in events}, [(e.type, e.trigger.text) for e in events]


def test_an_event_noun_takes_the_recipient_of_the_infinitive_that_completes_it(analyzer: Analyzer) -> None:
    events = analyzer.analyze("Iran's threat to attack Saudi oil facilities was condemned by the UN.").events
    threat = next(e for e in events if e.trigger.text == "threat")
    assert threat.type == "THREATEN" and threat.recipient is not None and threat.recipient.country == "SAU"
    assert "attack" not in {e.trigger.text for e in events}
