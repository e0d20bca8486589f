"""The checker of further event annotations (train/check_annotations.py) finds what would mistrain the tagger."""
from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "train" / "check_annotations.py"


def _checker():
    spec = importlib.util.spec_from_file_location("check_annotations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SENTENCES = ["Turkey launched an assault on Afrin.", "Russia and Iran agreed to talks."]


def test_a_well_formed_annotation_passes():
    event = {"s": 2, "trigger": "agreed", "type": "AGREE", "alt_types": ["CONSULT"], "status": "planned",
             "actor": {"text": "Russia and Iran", "countries": ["RUS", "IRN"], "sector": "GOV"}, "recipient": None}
    assert _checker().problems({"events": [event]}, SENTENCES) == []


def test_each_kind_of_mistake_is_named():
    check = _checker()
    bad = [
        {"s": 3, "trigger": "x", "type": "AID", "status": "completed"},  # no third sentence
        {"s": 1, "trigger": "attacked", "type": "ASSAULT", "status": "completed"},  # not in the sentence
        {"s": 1, "trigger": "assault", "type": "ATTACK", "status": "completed"},  # no PLOVER type
        {"s": 1, "trigger": "assault", "type": "ASSAULT", "status": "done"},
        {"s": 1, "trigger": "assault", "type": "ASSAULT", "status": "completed",
         "actor": {"text": "Ankara", "countries": ["TUR"]}},  # a party the sentence does not name
        {"s": 1, "trigger": "assault", "type": "ASSAULT", "status": "completed",
         "actor": {"text": "Turkey", "countries": ["Turkey"], "sector": "ARMY"}},
    ]
    found = [check.problems({"events": [event]}, SENTENCES) for event in bad]
    assert all(len(f) >= 1 for f in found), found
    assert "not a sentence" in found[0][0] and "trigger" in found[1][0] and "PLOVER type" in found[2][0]
    assert "status" in found[3][0] and "not a phrase" in found[4][0]
    assert len(found[5]) == 2 and "ISO-3" in found[5][0] and "sector" in found[5][1]
