"""Any text gives a report whose every span is inside the text and says what the text says there.

A Hypothesis property test over the real analyzer: random Unicode including lone surrogates, control
characters, runs of punctuation and news-like fragments. A few hundred examples (300) run in the suite;
``python bench/hostile.py --fuzz N`` runs a longer search. The report also validates against the shipped JSON Schema.
"""
from __future__ import annotations

import functools
import json
import os

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from according.cli.schema import schema_text

EXAMPLES = int(os.environ.get("ACCORDING_FUZZ_EXAMPLES", "300"))

FRAGMENTS = [
    "Officials said", " Russia sent drones to Iran", " according to two people familiar with it", ", he said.",
    " \u201cWe will not back down,\u201d", " on Friday", " 3000 years ago", " for 1000000 days", " next week",
    " Smith said", " Smith", "\n", "\n\n", " ", "[[[[[[", "]]]]", "((((", "\"\"\"", "...", "'", "\u2019",
    "\ud800", "\udfff", "\x00", "\x0b", "\x1b[2J", "\ufeff", "\u200b", "e\u0301", "\U0001F600", "<div>", "&amp;",
    " Mr.", " U.S.", " 2024-09-07", " in March next year", " The ministry denied it.", ":", " - ",
]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=30).map("".join),
)


@functools.lru_cache(maxsize=1)
def schema_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(schema_text()))


@pytest.fixture(scope="module")
def validator():
    return schema_validator()


def spans_in(value, path="report"):
    """Every {text, span} pair in a report's JSON form, with where it is."""
    if isinstance(value, dict):
        if isinstance(value.get("span"), list) and isinstance(value.get("text"), str):
            yield path, value["text"], value["span"]
        for key, item in value.items():
            yield from spans_in(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from spans_in(item, f"{path}[{i}]")


def check_report(report, text: str, validator) -> None:
    assert len(report.text) == len(text)  # lone surrogates become U+FFFD, one for one: offsets hold
    data = report.to_dict()
    json.dumps(data, ensure_ascii=False).encode("utf-8")  # printable and storable as is
    validator.validate(data)
    for path, piece, (start, end) in spans_in(data):
        assert 0 <= start <= end <= len(report.text), (path, start, end)
        assert report.text[start:end] == piece, (path, piece, report.text[start:end])
    for group in data["signals"]["duplicate_sentences"]:
        for start, end in group:
            assert 0 <= start <= end <= len(report.text)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=texts, published=st.sampled_from([None, "2024-09-07", "0001-01-01", "9999-12-31"]))
def test_any_text_gives_a_report_with_true_spans(analyzer, text, published):
    report = analyzer.analyze(text, published=published)
    check_report(report, text, schema_validator())


def test_the_report_of_a_real_article_validates_against_the_schema(analyzer, validator):
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "examples" / "drones-for-the-junta.txt"
    text = path.read_text(encoding="utf-8")
    report = analyzer.analyze(text, published="2024-06-13")
    assert report.events and report.attributions  # a report with every part filled in
    check_report(report, text, validator)


def test_schema_rejects_a_report_that_breaks_it(analyzer, validator):
    data = analyzer.analyze("Russia sent drones to Iran, officials said.").to_dict()
    data["attributions"][0]["stance"] = "shouted"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)


def test_a_speaker_line_with_nothing_after_its_colon_gives_a_report(analyzer) -> None:
    # found by the fuzz test: the rules' content is trimmed to nothing, the tagger's features must cope
    report = analyzer.analyze("À:\r")
    for a in report.attributions:
        assert a.cue.span[0] < a.cue.span[1]
