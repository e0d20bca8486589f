"""Time expressions resolved against the published date (2024-09-07 is a Saturday)."""
from __future__ import annotations

import pytest

from according.extract.times import extract_times

PUBLISHED = "2024-09-07"


@pytest.mark.parametrize(
    "sentence, expression, resolved, kind",
    [
        ("Zelensky spoke in Germany on Friday.", "on Friday", "2024-09-06", "date"),
        ("The talks ended on Saturday.", "on Saturday", "2024-09-07", "date"),
        ("The ministers will meet on Monday.", "on Monday", "2024-09-09", "date"),
        ("They met last Saturday.", "last Saturday", "2024-08-31", "date"),
        ("A CNN source said it in January.", "in January", "2024-01", "month"),
        ("The deal was signed in November.", "in November", "2023-11", "month"),
        ("Talks began in September of last year.", "in September of last year", "2023-09", "month"),
        ("Talks began last March.", "last March", "2024-03", "month"),
        ("The shipment left on March 5, 2023.", "on March 5, 2023", "2023-03-05", "date"),
        ("The shipment left on 5 March.", "on 5 March", "2024-03-05", "date"),
        ("Prices rose in June 2021.", "in June 2021", "2021-06", "month"),
        ("The strikes began in 2022.", "in 2022", "2022", "year"),
        ("Prices fell during 2019.", "during 2019", "2019", "year"),
        ("They have been held since 2015.", "since 2015", "2015-01-01/2024-09-07", "interval"),
        ("Officials had warned about it for almost a year.", "for almost a year", "2023-09-07/2024-09-07", "interval"),
        ("They have fought for two weeks.", "for two weeks", "2024-08-24/2024-09-07", "interval"),
        ("Police arrived three days ago.", "three days ago", "2024-09-04", "date"),
        ("Iran recently gave missiles.", "recently", "../2024-09-07", "vague"),
        ("The group met last week.", "last week", "2024-08-26/2024-09-01", "interval"),
        ("Inflation fell last month.", "last month", "2024-08", "month"),
        ("The minister resigned yesterday.", "yesterday", "2024-09-06", "date"),
    ],
)
def test_resolved_against_published(nlp, sentence, expression, resolved, kind):
    times = list(extract_times(nlp(sentence), PUBLISHED))
    assert [(t.text, t.resolved, t.kind) for t in times] == [(expression, resolved, kind)]
    start = sentence.index(expression)
    assert times[0].span == (start, start + len(expression))


@pytest.mark.parametrize("sentence", ["Zelensky spoke on Friday.", "It happened last week.", "They met in January."])
def test_relative_times_stay_unresolved_without_a_published_date(nlp, sentence):
    [time] = extract_times(nlp(sentence), None)
    assert time.resolved is None


@pytest.mark.parametrize(
    "sentence",
    [
        "This may be the end of the talks.",  # "may" the verb
        "Protesters will march on the capital.",  # "march" the verb
        "He was sad.",
        "A 2022 report found nothing.",  # a year as a modifier, not "in 2022"
    ],
)
def test_no_time_where_there_is_none(nlp, sentence):
    assert list(extract_times(nlp(sentence), PUBLISHED)) == []


def test_absolute_dates_resolve_without_published(nlp):
    [time] = extract_times(nlp("The shipment left on March 5, 2023."), None)
    assert time.resolved == "2023-03-05"


def test_verbless_sentences_terminate(nlp):
    # a sentence whose root is not a verb once sent the clause search round in circles
    times = list(extract_times(nlp("Earlier this month and yesterday."), PUBLISHED))
    assert [t.resolved for t in times] == ["2024-09", "2024-09-06"]


@pytest.mark.parametrize(
    "sentence, published",
    [
        ("The city was founded 3000 years ago.", "2024-09-07"),
        ("The city was founded 3000 years ago.", "9999-12-31"),
        ("The siege lasted for 1000000 days.", "2024-09-07"),
        ("The feud went on for 99999999999999999999999999 years.", "2024-09-07"),
        ("The feud went on for " + "9" * 5000 + " years.", "2024-09-07"),  # past int()'s digit limit
        ("The minister resigned yesterday.", "0001-01-01"),
        ("The talks ended last week.", "0001-01-01"),
        ("The envoy left on Friday.", "0001-01-01"),
        ("The talks ended last month and began last year.", "0001-01-01"),
        ("The ministers will meet tomorrow.", "9999-12-31"),
        ("The ministers will meet next week.", "9999-12-31"),
        ("The ministers will meet on Monday.", "9999-12-31"),
        ("The ministers will meet next month, next year and in March next year.", "9999-12-31"),
        ("The ministers will meet in January.", "9999-12-31"),
        ("The deal will be signed on 5 January.", "9999-12-31"),
    ],
)
def test_time_arithmetic_past_the_calendar_stays_unresolved(nlp, sentence, published):
    """Years outside 1-9999 are no date: the expression is found, its value is None (never "10000-12")."""
    times = list(extract_times(nlp(sentence), published))
    assert times, "the expression is still found"
    for t in times:
        assert t.resolved is None or _valid_iso(t.resolved), t
    if published == "9999-12-31" and "will" in sentence:
        assert all(t.resolved is None for t in times)


def _valid_iso(value: str) -> bool:
    import datetime as dt
    import re

    for part in value.split("/"):
        if part == "..":
            continue
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", part):
            return False
        year, month, day = (int(x) for x in (part + "-01-01")[:10].split("-"))
        dt.date(year, month, day)
    return True


def test_far_back_but_in_range_still_resolves(nlp):
    [t] = extract_times(nlp("The city was founded 1500 years ago."), "2024-09-07")
    assert t.resolved == "0524-09-07"
