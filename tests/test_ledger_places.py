"""The place of an event its parse gave none: the first place narrower than a country its sentence names."""
from __future__ import annotations

import pytest

from according.ledger.features import sentence_place
from ledger_support import build, report, stories, why


@pytest.mark.parametrize("sentence, place", [
    ("Turkey's attack on the Kurdish enclave of Afrin is a new phase of the war.", "afrin"),
    ("The ground assault on the Afrin enclave in north-west Syria began on Sunday.", "afrin"),
    ("Thousands are fleeing towards the al-Hawl refugee camp in north-east Syria.", "al hawl"),
    ("A British man was killed in Raqqa, the group's former capital.", "raqqa"),
    ("The defence of the Syrian city of Afrin was a hopeless cause.", "afrin"),
    # as wide as a country, or no place
    ("Troops massed on the border inside northern Syria.", None),
    ("In January the talks in Syria's capital stalled.", None),
    ("Iran delivered drones to Russia, officials said.", None),
])
def test_sentence_place(sentence, place):
    assert sentence_place(sentence) == place


def test_two_outlets_naming_one_town_have_the_same_place(tmp_path):
    strike = dict(etype="ASSAULT", actor="Iran", recipient="Syria", status="completed")
    reports = [
        report("Iran shelled Syria's border town of Qamishli on Monday, killing three, officials said.",
               "Daily Ledger", "2024-03-04", trigger="shelled", **strike),
        report("Iran's artillery hit Syria near Qamishli, residents told reporters after the shelling of the town.",
               "Metro Post", "2024-03-05", trigger="hit", **strike),
    ]
    with build(tmp_path / "p.db", reports) as led:
        assert "place 1.00" in why(led.conn, "Metro Post")
        assert stories(led.conn) == [["Daily Ledger", "Metro Post"]]


def _located(r, place: str):
    """The report with its event placed where its parse would put it ("in northern Syria")."""
    from dataclasses import replace as _replace
    from ledger_support import mention
    return _replace(r, events=tuple(_replace(e, location=mention(r.text, place)) for e in r.events))


# Three weeks apart, so that the date no longer carries them over the threshold: the place decides
LATER_STRIKE = "Before dawn, drones sent by Iran attacked Syria at Qamishli, a local monitor reported."


@pytest.mark.parametrize("first, place, together", [
    # "northern Syria" holds Qamishli: a region contradicts no town in it (place 0.50, unknown)
    ("Iran attacked Syria's Kurdish fighters in northern Syria on Monday, officials said.", "northern Syria", True),
    # two towns still part two reports
    ("Iran attacked Syria's Kurdish fighters in Hasakah on Monday, officials said.", "Hasakah", False),
])
def test_a_region_does_not_part_two_reports_of_an_attack_in_one_of_its_towns(tmp_path, first, place, together):
    attack = dict(etype="ASSAULT", actor="Iran", recipient="Syria", status="completed", trigger="attacked")
    reports = [_located(report(first, "Daily Ledger", "2024-03-04", **attack), place),
               _located(report(LATER_STRIKE, "Metro Post", "2024-03-26", **attack), "Qamishli")]
    with build(tmp_path / "r.db", reports) as led:
        if together:
            assert "place 0.50" in why(led.conn, "Metro Post")
        assert stories(led.conn) == ([["Daily Ledger", "Metro Post"]] if together else [["Daily Ledger"], ["Metro Post"]])


def test_an_act_called_by_another_name_is_one_trigger(tmp_path):
    """"offensive" and "assault" name one act: full trigger evidence, as "attack" and "attacked" have."""
    first = report("Iran began an offensive on Syria's Kurdish fighters in Hasakah on Monday, officials said.",
                   "Daily Ledger", "2024-03-04", etype="ASSAULT", actor="Iran", recipient="Syria",
                   status="completed", trigger="offensive")
    later = report("Before dawn, the assault by Iran on Syria reached the outskirts of Hasakah, a monitor said.",
                   "Metro Post", "2024-03-26", etype="ASSAULT", actor="Iran", recipient="Syria",
                   status="completed", trigger="assault")
    with build(tmp_path / "n.db", [_located(first, "Hasakah"), _located(later, "Hasakah")]) as led:
        assert "trigger 1.00" in why(led.conn, "Metro Post")
        assert stories(led.conn) == [["Daily Ledger", "Metro Post"]]


def test_a_denial_naming_the_act_by_another_form_of_its_word_refers_to_it():
    """"assaulted" denied as "any assault": the act names of the merge do not hide the word itself."""
    from according.ledger.independence import AttributionRow
    from according.ledger.stories import EventRow, _refers

    event = EventRow(1, 1, "e1", ("ASSAULT", "IRN", "SYR"), None, "completed", None, (), trigger="assaulted")
    denial = AttributionRow("a1", "Iran's ministry", "official_organization", "Iran", "IRN", "denied", None,
                            content="any assault on the town by its forces")
    unrelated = AttributionRow("a2", "Iran's ministry", "official_organization", "Iran", "IRN", "denied", None,
                               content="the border was ever closed")
    assert _refers(denial, event)
    assert not _refers(unrelated, event)
