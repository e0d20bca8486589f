"""The time scanner tries its pattern only at the words that can start a match; it must find what trying
it everywhere finds (``_PATTERN.finditer``), on every alternative and on the words that fold to ASCII."""
from __future__ import annotations

import pytest

from according.extract.times import _PATTERN, scan

TEXTS = [
    "Talks began in September of last year, resumed last March and again on March 5, 2023 (Sept. 9 too).",
    "The shipment left on 5th March 2021; a second followed in June 2021 and the iso date 2021-06-30.",
    "They met last Saturday morning, will meet next Tuesday, and spoke early Monday or late Friday night.",
    "In mid-March, in early April and in late May 2019 the strikes went on; in 2022 they stopped.",
    "They fought for almost a year, for two weeks, for at least 3 months and for more than a decade.",
    "Police arrived three days ago, a few weeks ago, some 20 years ago and less than a month ago.",
    "Earlier this week, later this month, this year and next year; yesterday, today, tonight, tomorrow.",
    "Iran recently gave missiles; lately, previously and earlier it had not, in recent weeks it did.",
    "No times here: the informant, the onset, a lastly-built tower, fortunes, somehow, alas, Monday's_x.",
    "Jan.5 and jan. 5, MARCH 3 and march3, Dec 25th, 12 Dec, mAy 1st 2020, 1999-12-31-01.",
    "Folding: ſeptember 5, \u212aelvin, \u0130n 2020, \u0131n 2021, \uff11\uff19\uff19\uff19 and ٢٠٢٠, café on Friday.",
    "in\u00a02020, on\u2003Friday, for\ttwo\nweeks, three_days ago, 3 days ago, on\nMonday.",
    "",
    "2024",
    "on",
]


@pytest.mark.parametrize("text", TEXTS)
def test_scan_finds_what_finditer_finds(text: str) -> None:
    expected = [(m.span(), m.lastgroup) for m in _PATTERN.finditer(text)]
    assert [(m.span(), m.lastgroup) for m in scan(text)] == expected


def test_scan_finds_expressions_at_all() -> None:
    found = [m.group(0) for m in scan(TEXTS[6])]
    assert "yesterday" in found and "tomorrow" in found and len(found) >= 6
