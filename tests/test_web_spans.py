"""Drawing spans under text: escaping, rows for overlapping spans, clipping to a sentence."""
from __future__ import annotations

import re

import pytest

from according.web.evidence import article_html, report_snippets
from according.web.spans import Span, render


def _text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize("text", ["<script>alert(1)</script> said Bob", 'a "quoted" <b>&amp</b> \' x'])
def test_text_and_labels_are_escaped(text):
    html = str(render(text, [Span(0, 8, "<i>LBL</i>", "source", title='"><script>')]))
    assert "<script>" not in html and "<b>" not in html and "<i>LBL" not in html
    assert 'data-label="&lt;i&gt;LBL&lt;/i&gt;"' in html


def test_overlapping_spans_take_rows_and_words_keep_their_text():
    text = "Iran sent drones to Russia, officials said."
    spans = [Span(0, 26, "CONTENT", "content"), Span(5, 9, "AID", "event"), Span(28, 37, "SOURCE", "source"),
             Span(38, 42, "CUE", "cue")]
    html = str(render(text, spans))
    assert _text_of(html).replace("  ", " ") == text
    tops = dict(re.findall(r'<span class="lbl k-(\w+)" data-label="\w+" style="top:calc\(1.45em \+ (\d+)px\)', html))
    assert tops["content"] == tops["source"] == tops["cue"] == "3" and tops["event"] == "20"  # one row down
    assert html.count('class="lbl') == 4
    assert "var(--event)" in html and "calc(1.45em + 17px)" in html  # the event's bar, one row down


def test_render_clips_to_the_range_and_links():
    text = "First one. Iran sent drones. Last one."
    html = str(render(text, [Span(16, 20, "AID", "event", href="/stories/s1")], 11, 28))
    assert _text_of(html) == "Iran sent drones." and 'href="/stories/s1"' in html


def test_report_snippets_joins_the_event_and_attribution_sentences():
    text = "Iran sent drones to Russia. Officials said so. Nothing else."
    report = {"events": [{"id": "e1", "type": "AID", "sentence": [0, 27], "trigger": {"text": "sent", "span": [5, 9]},
                          "actor": {"text": "Iran", "span": [0, 4], "country": "IRN"}, "recipient": None, "object": None}],
              "attributions": [{"id": "a1", "sentence": [28, 46], "source": {"text": "Officials", "span": [28, 37],
                                "type": "anonymous"}, "cue": {"text": "said", "span": [38, 42]}, "content": None,
                                "stance": "asserted", "quote": "indirect"}]}
    snippets = report_snippets(text, report, "e1", {"a1": "denies"})
    assert [(s.start, s.end) for s in snippets] == [(0, 46)]
    html = str(snippets[0].html)
    assert 'data-label="CUE · DENIES"' in html and "Nothing" not in html and "ACTOR" in html


def test_every_mention_of_an_event_is_drawn_and_linked():
    text = "Iran sends drones. Iran delivered them last week."
    event = {"id": "e1", "type": "AID", "status": "completed", "trigger": {"text": "sends", "span": [5, 10]},
             "mentions": [{"text": "sends", "span": [5, 10]}, {"text": "delivered", "span": [24, 33]}]}
    html = str(article_html(text, {"events": [event], "attributions": []}, lambda eid: "/stories/s1"))
    assert html.count('href="/stories/s1"') == 2 and html.count('data-label="AID"') == 2
