"""An attribution that names no source ("is believed to", "rumours that") has a typed source without
words: type ``unknown``, text and span null. Everything downstream reads it as unnamed."""
from __future__ import annotations

import json

import jsonschema

from according.cli.schema import schema_text
from according.ledger.independence import ArticleContext, AttributionRow, lines_for, outlet_line
from according.ledger.revive import report_from_dict
from according.render import render_text
from according.web.evidence import attribution_spans

TEXT = "The harbour master is believed to have left the port on Friday. Two officials said the ferry was late."


def _unsourced(report):
    return next(a for a in report.attributions if "believed" in a.cue.text)


def test_unsourced_attribution_has_an_unknown_source_without_words(analyzer):
    report = analyzer.analyze(TEXT)
    a = _unsourced(report)
    assert a.source is not None and a.source.type == "unknown"
    assert (a.source.text, a.source.span, a.source.entity) == (None, None, None)
    assert a.named_source is None and a.stance == "hedged"
    named = next(a for a in report.attributions if a.cue.text == "said")
    assert named.named_source is not None and named.named_source.text == "Two officials"


def test_unsourced_report_validates_renders_and_revives(analyzer):
    report = analyzer.analyze(TEXT)
    data = report.to_dict()
    jsonschema.Draft202012Validator(json.loads(schema_text())).validate(data)
    a = _unsourced(report)
    assert f"{a.id} (no source) (unknown, hedged" in render_text(report)
    # the share of anonymous sources is over the sources the text names: one of one
    assert report.signals.anonymous_share == 1.0
    revived = report_from_dict(json.loads(json.dumps(data)), report.text)
    assert _unsourced(revived).source == a.source
    spans = attribution_spans(next(x for x in data["attributions"] if x["id"] == a.id))
    assert [s.kind for s in spans] == ["cue", "content"]  # no source drawn


def test_unsourced_attribution_is_the_outlets_own_line():
    ctx = ArticleContext(outlet_line("Harbour Gazette", "x"), {
        "a1": AttributionRow("a1", None, "unknown", None, None, "hedged", None),
        "a2": AttributionRow("a2", "the coastguard", "official_organization", None, None, "asserted", None),
    }, {})
    assert [line.key for line in lines_for(("a1",), ctx)] == ["outlet:harbour gazette"]
    assert [line.key for line in lines_for(("a1", "a2"), ctx)] == ["outlet:harbour gazette", "source:coastguard"]
    assert lines_for(("a1",), ctx)[0].label == "unnamed source (via Harbour Gazette)"
