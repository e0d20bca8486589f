"""PLOVER JSONL export: the field's record shape, with the sourcing under "according"."""
from __future__ import annotations

import json

import pytest

from according.export.plover import report_to_plover

TEXT = ("Kenyan officials said on Monday that Kenya gave maize to Somalia.\n"
        "Somalia denied receiving maize from Kenya, a government spokesman said.")


@pytest.fixture(scope="module")
def records(analyzer):
    report = analyzer.analyze(TEXT, published="2024-03-05", title="Maize for Somalia")
    return report, list(report_to_plover(report))


def test_one_record_per_event_with_plover_fields(records):
    report, out = records
    assert len(out) == len(report.events) >= 1
    for record in out:
        assert {"id", "date", "actor", "recipient", "event", "mode", "context", "event_text", "text",
                "text_info", "cite_info", "according"} <= set(record)
        json.dumps(record)  # plain JSON


def test_aid_record_codes_and_offsets(records):
    report, out = records
    aid = next(r for r in out if r["event"] == "AID" and r["actor"] and r["actor"]["code"] == "KEN")
    assert aid["recipient"]["code"] == "SOM"
    start, end = aid["text_info"]["trigger"]
    assert report.text[start:end] == aid["event_text"]
    s, e = aid["text_info"]["sentence"]
    assert aid["text"] == report.text[s:e]
    assert aid["date"] == "2024-03-05" and aid["cite_info"]["title"] == "Maize for Somalia"


def test_according_key_carries_the_sourcing(records):
    report, out = records
    aid = next(r for r in out if r["event"] == "AID" and r["actor"] and r["actor"]["code"] == "KEN")
    according = aid["according"]
    assert according["status"] == "completed"
    assert according["attributions"], "the event is reported by the Kenyan officials"
    backing = according["attributions"][0]
    assert {"source", "source_type", "cue", "stance"} <= set(backing)
    assert according["unattributed"] is False
