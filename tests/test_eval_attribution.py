"""The PolNeAR reader and the attribution metrics, on small hand-written brat files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from according.errors import DataNotFound
from according.evaluate.attribution_metrics import (
    Scores, SpanRelation, gold_quote_type, match_exact, match_overlap, normalize, score_article,
)
from according.evaluate.polnear import parse_ann, read_polnear
from conftest import shared_path


TEXT = "The mayor said the road would reopen. “It is safe,” she added, “and open.”"
ANN = (
    "T1\tSource 0 9\tThe mayor\n"
    "T2\tCue 10 14\tsaid\n"
    "T3\tContent 15 36\tthe road would reopen\n"
    "T4\tAttribution 10 14\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tSource 52 55\tshe\n"
    "T6\tCue 56 61\tadded\n"
    "T7\tContent 38 51;63 74\t“It is safe,” “and open.”\n"
    "T8\tAttribution 56 61\tadded\n"
    "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5\n"
    "T9\tCue 0 3\tThe\n"
    "T10\tAttribution-no-source 0 3\tThe\n"
    "E3\tAttribution-no-source:T10 Cue:T9\n"
    "T11\tDiscuss 0 9\tThe mayor\n"
)


def test_parse_ann_reads_relations_and_fragments() -> None:
    relations = parse_ann(ANN)
    assert len(relations) == 3
    by_cue = {TEXT[r.cue[0][0]:r.cue[0][1]]: r for r in relations}
    assert by_cue["added"].content == ((38, 51), (63, 74))
    assert by_cue["said"].source == ((0, 9),)
    assert by_cue["The"].source is None and by_cue["The"].content is None


def test_read_polnear_picks_first_annotator(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "a1_zz99.ann").write_text("", encoding="utf-8")
    (tmp_path / "attributions" / "a1_ab12.ann").write_text(ANN, encoding="utf-8")
    articles = list(read_polnear(tmp_path))
    assert [(a.name, a.annotator, len(a.relations)) for a in articles] == [("a1", "ab12", 3)]


def test_read_polnear_rejects_wrong_layout(tmp_path: Path) -> None:
    with pytest.raises(DataNotFound):
        list(read_polnear(tmp_path))


@pytest.mark.parametrize("text,fragments,expected", [
    ("  said  ", ((0, 8),), ((2, 6),)),
    ("a b", ((0, 1), (1, 2)), ((0, 1),)),
    ("abc", None, None),
])
def test_normalize(text, fragments, expected) -> None:
    assert normalize(text, fragments) == expected


def test_matching_is_one_to_one() -> None:
    gold = [((0, 10),), ((20, 30),)]
    pred = [((0, 10),), ((0, 10),), ((25, 40),)]
    assert match_exact(gold, pred) == [(0, 0)]
    assert sorted(match_overlap(gold, pred)) == [(0, 0), (1, 2)]


@pytest.mark.parametrize("content,kind", [
    ("“It is safe,”", "direct"),
    ("the road would “reopen soon”", "mixed"),
    ("the road would reopen", "indirect"),
])
def test_gold_quote_type(content: str, kind: str) -> None:
    assert gold_quote_type(content, ((0, len(content)),)) == kind


def test_scores_exact_overlap_token_relation() -> None:
    gold = [SpanRelation(((0, 9),), ((10, 14),), ((15, 36),))]
    pred = [
        SpanRelation(((0, 9),), ((10, 14),), ((15, 29),)),  # content a word short
        SpanRelation(None, ((56, 61),), None),  # a false alarm
    ]
    scores = Scores()
    errors: list = []
    score_article(scores, "a1", TEXT, gold, pred, errors)
    out = scores.to_dict()
    assert out["source"]["exact"]["f1"] == 100.0
    assert out["cue"]["exact"]["p"] == 50.0 and out["cue"]["exact"]["r"] == 100.0
    assert out["content"]["exact"]["f1"] == 0.0
    assert out["content"]["overlap"]["f1"] == 100.0
    assert 0 < out["content"]["token"]["f1"] < 100
    assert out["relation"]["exact"]["tp"] == 0
    kinds = {(e.role, e.kind) for e in errors}
    assert ("content", "miss") in kinds and ("cue", "false_alarm") in kinds


def test_cli_eval_attribution_json(capsys: pytest.CaptureFixture[str]) -> None:
    dev = shared_path("data", "polnear", "dev")
    from according.cli import main

    assert main(["eval", "attribution", "--gold", str(dev), "--limit", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["articles"] == 2
    for role in ("source", "cue", "content"):
        assert set(out[role]) == {"exact", "overlap", "token"}
        assert 0 < out[role]["overlap"]["f1"] <= 100
    assert out["model"] in ("rules", "rules+crf-polnear-v1")


def test_a_predicted_span_is_cut_at_line_breaks_as_brat_spans_are() -> None:
    from according.evaluate.attribution_eval import by_line

    text = "She wrote: “Not today.\n\nMaybe next spring.”"
    start = text.index("“")
    assert by_line(text, ((start, len(text)),)) == ((start, text.index("\n")), (text.index("Maybe"), len(text)))
    assert by_line(text, ((0, 9),)) == ((0, 9),)
    assert by_line(text, None) is None
