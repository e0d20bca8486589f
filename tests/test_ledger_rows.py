"""Small conversions from reports to ledger rows: event days and party keys."""
from __future__ import annotations

import pytest

from according.ledger.rows import party_key
from according.timeline import parse_day
from according.records import Actor


@pytest.mark.parametrize("value,day", [
    ("2024-09-06", "2024-09-06"),
    ("2024-09", "2024-09-01"),
    ("2024-08-26/2024-09-01", "2024-08-26"),  # last week
    ("2023-09-07/2024-09-07", None),  # the past year: too wide to date an event
    ("2023", None),
    ("", None),
    ("2024-02-30", None),
])
def test_parse_day(value, day):
    got = parse_day(value)
    assert (got.isoformat() if got else None) == day


@pytest.mark.parametrize("actor,key", [
    (Actor("Iran's army", (0, 11), "Iran", "IRN", "MIL", "organization"), "IRN"),
    (Actor("the Wagner Group", (0, 16), "Wagner Group", None, "REB", "group"), "wagner group"),
    (None, ""),
])
def test_party_key(actor, key):
    assert party_key(actor) == key


def test_stored_report_json_revives_to_the_same_report():
    from according.ledger.revive import report_from_dict
    from test_ledger_merge import CORPUS

    for report in CORPUS:
        assert report_from_dict(report.to_dict(include_text=False), report.text) == report


def test_plover_export_uses_the_story_first_report(tmp_path, capsys):
    import json

    from according.cli import main
    from according.ledger.store import Ledger
    from according.ledger.stories import rebuild_stories
    from test_ledger_merge import CORPUS, _hash

    db = tmp_path / "l.db"
    with Ledger.open(db) as led:
        for r in CORPUS:
            led.add_report(r, content_hash=_hash(r.text))
        rebuild_stories(led.conn)
    assert main(["export", "--db", str(db), "--format", "plover"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    drones = next(r for r in records if r["according"]["ledger"]["status"] == "contested")
    assert drones["event"] == "AID" and drones["actor"]["code"] == "IRN" and drones["recipient"]["code"] == "RUS"
    assert drones["cite_info"]["outlet"] == "Daily Ledger"
    assert [x["role"] for x in drones["according"]["ledger"]["reports"]].count("denies") == 1


@pytest.mark.parametrize("resolved,published,day", [
    ("2024-09-02", "2024-09-06", "2024-09-02"),
    (None, "2024-09-06", "2024-09-06"),
    ("2013", "2018-04-10", None),  # "the sarin attack in 2013": not dated by a 2018 article
    ("2018", "2018-04-10", "2018-04-10"),  # this year: the article's day is the best guess
    ("../2024-09-07", "2024-09-07", "2024-09-07"),  # "recently"
    ("2015-01-01/2016-12-31", "2018-04-10", None),
])
def test_event_day(resolved, published, day):
    from according.ledger.rows import event_day
    from according.records import Event, Mention, TimeExpression

    time = TimeExpression("then", (0, 4), resolved, "year") if resolved else None
    assert event_day(Event("ASSAULT", Mention("used", (0, 4)), time=time), published) == day


@pytest.mark.parametrize("resolved, published, near", [
    ("2018-12-19", "2018-12-20", True), ("2018-11", "2018-12-20", True), ("2018", "2018-12-20", True),
    ("2015", "2018-12-20", False), ("2018-06-01", "2018-12-20", False), ("2019-01-15", "2018-12-20", True),
    ("2017-01-01/2018-12-31", "2018-12-20", True), ("2015", "", True),
])
def test_around_publication(resolved, published, near):
    from according.timeline import around_publication
    assert around_publication(resolved, published) is near


def _compound_report():
    from according.records import ArticleInfo, Event, Mention, Report

    text = "Russia and Turkey agreed on a ceasefire with Syria."
    both = Actor("Russia and Turkey", (0, 17), "Russia and Türkiye", "RUS", None, "country", ("RUS", "TUR"))
    syria = Actor("Syria", (45, 50), "Syria", "SYR", None, "country")
    event = Event("AGREE", Mention("agreed", (18, 24)), both, syria, sentence=(0, len(text)), id="e1")
    return Report(ArticleInfo(published="2019-09-16"), text, actors=(both, syria), events=(event,))


def test_a_compound_party_is_stored_with_its_members_and_revives(tmp_path):
    """"Russia and Turkey" is one event: keyed by the country that stands for it, its members kept, and
    the stored report revives with them."""
    from according.ledger.revive import report_from_dict
    from according.ledger.store import Ledger

    report = _compound_report()
    assert report_from_dict(report.to_dict(include_text=False), report.text) == report
    with Ledger.open(tmp_path / "l.db") as led:
        led.add_report(report, content_hash="c1")
        rows = led.conn.execute("SELECT actor_key, actor_country, actor_countries, recipient_countries FROM events").fetchall()
    assert rows == [("RUS", "RUS", "RUS|TUR", None)]


def test_migration_fills_compound_countries_from_the_stored_reports(tmp_path):
    """A version-5 ledger (no countries columns) gets them from the reports it already stores."""
    import sqlite3

    from according.ledger.schema import MIGRATIONS, SCHEMA_VERSION
    from according.ledger.store import Ledger

    path = tmp_path / "old.db"
    with Ledger.open(path) as led:
        led.add_report(_compound_report(), content_hash="c1")
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE events DROP COLUMN actor_countries")
    conn.execute("ALTER TABLE events DROP COLUMN recipient_countries")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.commit()
    conn.close()
    assert len(MIGRATIONS) == SCHEMA_VERSION
    with Ledger.open(path) as led:
        assert led.conn.execute("SELECT actor_countries FROM events").fetchall() == [("RUS|TUR",)]
