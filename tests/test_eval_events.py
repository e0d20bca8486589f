"""`according eval plover` and `according eval actors` on small hand-written gold files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from according.cli import main
from according.errors import DataNotFound
from according.evaluate.actors import evaluate_actors, load_cases
from according.evaluate.plover import country_matches, evaluate_plover, load_gold
from according.extract.actors import ActorLexicon
from according.extract.events import EventLexicon
from according.records import Actor
from conftest import shared_path


GOLD = [
    {"id": "DOC", "event": "DOCUMENT", "eventText": "documentation record, skipped"},
    {"id": "X-1", "event": "DEMAND", "text": "Chile demanded that Peru reopen the border.",
     "source": [{"actorText": "Chile", "code": "CHL"}], "target": [{"actorText": "Peru", "code": "PER"}],
     "textInfo": {"markup": "(SRC: Chile) (EVT: demanded) that (TAR: Peru) reopen the border."}},
    {"id": "X-2", "event": "FIGHT", "mode": "heavy-weapons", "text": "Syrian artillery shelled Turkish villages.",
     "source": [{"actorText": "Syrian", "code": "SYR", "sector": "MIL"}], "target": [{"actorText": "Turkish", "code": "TUR"}],
     "textInfo": {"markup": "(SRC: Syrian) artillery (EVT: shelled) (TAR: Turkish) villages."}},
    {"id": "X-3", "event": "AGREE", "text": "The Red Cross lost its tents in the storm.",
     "source": [{"actorText": "Red Cross", "code": "NGO"}], "target": "",
     "textInfo": {"markup": "The (SRC: Red Cross) (EVT: lost) its tents in the storm."}},
]


@pytest.fixture()
def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    return path


def test_load_gold_maps_old_names_and_skips_documentation(gold_file):
    records = load_gold(gold_file)
    assert [r.type for r in records] == ["REQUEST", "ASSAULT", "AGREE"]
    assert records[0].triggers and records[0].sources[0].code == "CHL"


def test_evaluate_plover_scores_and_lists_misses(nlp, gold_file):
    scores = evaluate_plover(load_gold(gold_file), nlp, EventLexicon.load(), ActorLexicon.load())
    figures = scores.figures()
    assert figures["cases"] == 3
    assert figures["event_type_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert figures["actor_country_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert [m.id for m in scores.misses] == ["X-3"]
    assert figures["confusion"]["AGREE->NONE"] == 1


@pytest.mark.parametrize("actor, gold, ok", [
    (Actor("UN", (0, 2), "UN", "UNO", "IGO"), ("IGO",), True),
    (Actor("Red Cross", (0, 9), "Red Cross", None, "NGO"), ("NGO",), True),
    (Actor("Peru", (0, 4), "Peru", "PER"), ("IGO",), False),
    (None, (), True),
])
def test_country_matches_non_state_codes(actor, gold, ok):
    from according.evaluate.plover import GoldParty
    assert country_matches(actor, tuple(GoldParty(c, None) for c in gold)) is ok


def test_evaluate_actors_uses_context_and_cameo_international_codes(nlp, tmp_path):
    path = tmp_path / "cases.jsonl"
    rows = [
        {"actor": "Kenyan soldiers", "context": "", "country": "KEN", "sector": "MIL"},
        {"actor": "the army", "context": "Ghanaian", "country": "GHA", "sector": "MIL"},
        {"actor": "the European Union", "context": "", "country": "EUR", "sector": None},
        {"actor": "Kenyan soldiers", "context": "", "country": "UGA", "sector": "MIL"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    scores = evaluate_actors(load_cases(path), nlp, ActorLexicon.load())
    assert scores.figures() == {"cases": 4, "country_accuracy": 0.75, "sector_accuracy": 1.0}


def test_missing_gold_file_is_a_user_error(tmp_path):
    with pytest.raises(DataNotFound):
        load_gold(tmp_path / "absent.json")


def test_cli_json_prints_one_object(gold_file, capsys):
    assert main(["eval", "plover", "--gold", str(gold_file), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["cases"] == 3 and "confusion" in figures


def test_cli_on_the_shared_actor_cases(capsys):
    cases = shared_path("data", "actors", "actor_cases.jsonl")
    assert main(["eval", "actors", "--cases", str(cases), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["cases"] == 155 and figures["country_accuracy"] > 0.8
