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
