"""The project's first real example against its hand annotation (read from ../shared/gold).

Matching: an attribution is found when a reported one overlaps the gold source span and the gold cue
span; an event when a reported one has the gold type (or an accepted alternative), the same actor and
recipient country, and a trigger mention overlapping the gold trigger. Misses are printed.
"""
from __future__ import annotations

import json

import pytest

from conftest import shared_path

STANCE = {"assert": "asserted", "deny": "denied", "conditional": "conditional", "hedge": "hedged"}


def _overlap(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


@pytest.fixture(scope="module")
def gold_and_report(analyzer):
    gold = json.loads(shared_path("gold", "iran-missiles-to-russia.json").read_text(encoding="utf-8"))
    text = shared_path("examples", "iran-missiles-to-russia.txt").read_text(encoding="utf-8")
    return gold, analyzer.analyze(text, published=gold["published"])


def _match_attributions(gold, report):
    matched, misses = {}, []
    for g in gold["attributions"]:
        found = [a for a in report.attributions
                 if a.source and _overlap(a.source.span, g["source"]["span"]) and _overlap(a.cue.span, g["cue"]["span"])]
        if found:
            matched[g["id"]] = found[0]
        else:
            misses.append(f"attribution {g['id']}: {g['source']['text']!r} {g['cue']['text']!r}")
    return matched, misses


def _country(actor):
    return actor.country if actor is not None else None


def _match_events(gold, report):
    matched, misses, used = {}, [], set()
    for g in gold["events"]:
        types = {g["type"], *g.get("alt_types", [])}
        found = [e for e in report.events
                 if e.id not in used and e.type in types and _country(e.actor) == g["actor"]
                 and _country(e.recipient) == g["recipient"]
                 and any(_overlap(m.span, g["trigger"]["span"]) for m in (e.mentions or (e.trigger,)))]
        if found:
            matched[g["id"]] = found[0]
            used.add(found[0].id)
        else:
            misses.append(f"event {g['id']}: {g['type']} {g['actor']} -> {g['recipient']} trigger {g['trigger']['text']!r}")
    return matched, misses


def test_every_gold_attribution_and_event_is_found(gold_and_report):
    gold, report = gold_and_report
    attributions, misses = _match_attributions(gold, report)
    events, event_misses = _match_events(gold, report)
    misses += event_misses
    for g in gold["attributions"]:
        a = attributions.get(g["id"])
        if a is not None and a.stance != STANCE[g["stance"]]:
            misses.append(f"attribution {g['id']}: stance {a.stance}, gold {STANCE[g['stance']]}")
    for g in gold["events"]:
        e = events.get(g["id"])
        for denier in g.get("denied_by", []):
            if e is not None and (denier not in attributions or attributions[denier].id not in e.denied_by):
                misses.append(f"event {g['id']}: not linked to its denial {denier}")
    print("\n".join(["missed:"] + misses) if misses else "all gold attributions and events found")
    assert not misses


def test_times_dateline_and_duplicates(gold_and_report):
    gold, report = gold_and_report
    resolved = {t.text: t.resolved for t in report.times}
    for g in gold["events"] + gold["attributions"]:
        if "time" in g:
            assert resolved.get(g["time"]["text"]) == g["time"]["resolved"], g["id"]
    assert report.article.dateline is not None
    assert list(report.article.dateline.span) == gold["dateline"]["span"]
    assert [sorted(map(list, group)) for group in report.signals.duplicate_sentences] == [gold["duplicate_sentences"]]


def test_resolved_times_attach_to_their_event_and_attribution(gold_and_report):
    gold, report = gold_and_report
    events, _ = _match_events(gold, report)
    attributions, _ = _match_attributions(gold, report)
    for g in gold["events"]:
        if "time" in g and g["id"] in events:
            e = events[g["id"]]
            assert e.time is not None and e.time.resolved == g["time"]["resolved"], g["id"]
    for g in gold["attributions"]:
        if "time" in g and g["id"] in attributions:
            a = attributions[g["id"]]
            assert a.time is not None and a.time.resolved == g["time"]["resolved"], g["id"]
