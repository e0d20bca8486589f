"""Lines of reporting and near-duplicates, on hand-built reports and plain texts."""
from __future__ import annotations

import pytest

from according.ledger import minhash
from according.ledger.independence import (
    ArticleContext, AttributionRow, full_name_map, lines_for, normalize_name, outlet_line,
)
from according.ledger.queries import get_story, list_stories
from according.ledger.store import Ledger
from according.ledger.stories import rebuild_stories
from according.records import Event, Report
from test_ledger_merge import _hash, report

PERMS = minhash.Permutations.default()

BASE = ("The finance ministry said on Tuesday that inflation slowed to four percent in March, the lowest "
        "level in two years, as food and fuel prices eased and the central bank held interest rates steady. "
        "Economists had expected a smaller fall, and several warned that a weaker currency could push import "
        "costs up again before the summer. The ministry will publish its next estimate at the end of April, "
        "together with revised figures for wages and household spending in the first quarter.")


@pytest.mark.parametrize("other,duplicate", [
    (BASE, True),
    ("LONDON (Metro Post) - " + BASE + " Reporting by wire staff.", True),
    (BASE.replace("four percent", "4 percent").replace("Tuesday", "Wednesday"), True),
    ("The football club said on Tuesday that its striker will miss the rest of the season after knee surgery, "
     "a blow to its hopes of winning the league title this spring.", False),
    ("Inflation slowed in March as fuel prices eased, according to figures the ministry published.", False),
])
def test_near_duplicates(other, duplicate):
    sim = minhash.similarity(minhash.signature(BASE, PERMS), minhash.signature(other, PERMS))
    assert (sim >= minhash.DUPLICATE_JACCARD) is duplicate


def test_signature_is_stable_across_processes():
    # stored signatures must not depend on PYTHONHASHSEED: blake2b shingle hashes and fixed seeds
    assert minhash.signature("one two three four five six", PERMS)[:3].tolist() == \
        minhash.signature("one two three four five six", minhash.Permutations.default())[:3].tolist()


@pytest.mark.parametrize("name,normalized", [
    ("The Wall Street Journal", "wall street journal"),
    ("Wall Street Journal", "wall street journal"),
    ("Iran's Foreign Ministry", "iran foreign ministry"),
])
def test_normalize_name(name, normalized):
    assert normalize_name(name) == normalized


def _ctx(*rows: AttributionRow, relayed=None) -> ArticleContext:
    return ArticleContext(outlet_line("Own Outlet", "x"), {r.local_id: r for r in rows}, relayed or {})


LINE_CASES = [
    # nested: "CNN reported, citing the Wall Street Journal" -> WSJ only
    ((AttributionRow("a1", "CNN", "media", "CNN", "USA", "asserted", None),
      AttributionRow("a2", "the Wall Street Journal", "media", None, "USA", "asserted", "a1")),
     ("a1", "a2"), None, ["outlet:wall street journal"]),
    # anonymous inside a media attribution belongs to that outlet
    ((AttributionRow("a1", "Reuters", "media", None, None, "asserted", None),
      AttributionRow("a2", "two officials", "anonymous", None, None, "asserted", "a1")),
     ("a2",), None, ["outlet:reuters"]),
    # anonymous in an article that credits another outlet with the report
    ((AttributionRow("a1", "people familiar", "anonymous", None, None, "asserted", None),),
     ("a1",), {None: "Northgate Wire"}, ["outlet:northgate wire"]),
    # anonymous, on its own: the article's outlet
    ((AttributionRow("a1", "a diplomat", "anonymous", None, None, "asserted", None),),
     ("a1",), None, ["outlet:own outlet"]),
    # a named official and an anonymous source: two lines
    ((AttributionRow("a1", "the Pentagon", "official_organization", "Pentagon", "USA", "asserted", None),
      AttributionRow("a2", "a diplomat", "anonymous", None, None, "asserted", None)),
     ("a1", "a2"), None, ["source:pentagon@USA", "outlet:own outlet"]),
    # no attribution at all: the outlet asserts it
    ((), (), None, ["outlet:own outlet"]),
]


@pytest.mark.parametrize("rows,ids,relayed,keys", LINE_CASES)
def test_lines_for(rows, ids, relayed, keys):
    assert [line.key for line in lines_for(ids, _ctx(*rows, relayed=relayed))] == keys


def test_relay_across_articles_counts_once_and_two_anonymous_outlets_count_twice(tmp_path):
    wsj = report("Iran gave ballistic missiles to Russia, according to two people familiar with the matter.",
                 "The Wall Street Journal", "2024-09-05", actor="Iran", recipient="Russia", trigger="gave",
                 obj="ballistic missiles", cls="ballistic_missile",
                 sources=(("two people familiar with the matter", "anonymous", "asserted", None, None),))
    relay = report("CNN reported that the Wall Street Journal said Iran delivered ballistic missiles to Russia.",
                   "Evening Post", "2024-09-06", actor="Iran", recipient="Russia", trigger="delivered",
                   obj="ballistic missiles", cls="ballistic_missile",
                   sources=(("CNN", "media", "asserted", None, None),
                            ("the Wall Street Journal", "media", "asserted", None, "a1")))
    other = report("Iran sent ballistic missiles to Russia, an official said.", "Island Times", "2024-09-06",
                   actor="Iran", recipient="Russia", trigger="sent", obj="ballistic missiles",
                   cls="ballistic_missile", sources=(("an official", "anonymous", "asserted", None, None),))
    with Ledger.open(tmp_path / "l.db") as led:
        for r in (wsj, relay, other):
            led.add_report(r, content_hash=_hash(r.text))
        rebuild_stories(led.conn)
        [story] = list_stories(led.conn)
        assert (story.reports, story.independent_sources, story.first_outlet) == (3, 2, "The Wall Street Journal")


def test_denied_by_in_the_same_article_contests_the_story(tmp_path):
    text = "Iran delivered drones to Russia, officials said, but Tehran's mission denied the transfer."
    base = report(text, "Gulf Daily", "2024-09-06", actor="Iran", recipient="Russia", trigger="delivered",
                  obj="drones", cls="drone", sources=(("officials", "anonymous", "asserted", None, None),
                                                       ("Tehran's mission", "official_organization", "denied",
                                                        "IRN", None)))
    event = base.events[0]
    r = Report(base.article, text, attributions=base.attributions,
               events=(Event(event.type, event.trigger, event.actor, event.recipient, object=event.object,
                             sentence=event.sentence, attributions=("a1",), denied_by=("a2",), id="e1"),))
    with Ledger.open(tmp_path / "l.db") as led:
        led.add_report(r, content_hash=_hash(text))
        rebuild_stories(led.conn)
        [story] = list_stories(led.conn)
        assert (story.status, story.reports, story.independent_sources, story.denials) == ("contested", 1, 1, 1)
        detail = get_story(led.conn, story.id)
        assert [(s.role, s.label, s.is_party) for s in detail.sources if s.role == "denies"] == [
            ("denies", "Tehran's mission", True)]


def test_hypothetical_events_make_no_story(tmp_path):
    r = report("Any transfer of drones from Iran to Russia would be an escalation, the official said.",
               "Gulf Daily", "2024-09-06", actor="Iran", recipient="Russia", trigger="transfer", obj="drones",
               cls="drone", status="hypothetical",
               sources=(("the official", "named_person", "conditional", None, None),))
    with Ledger.open(tmp_path / "l.db") as led:
        led.add_report(r, content_hash=_hash(r.text))
        rebuild_stories(led.conn)
        assert list_stories(led.conn) == []


def _person(aid: str, text: str, name=None, country=None) -> AttributionRow:
    return AttributionRow(aid, text, "named_person", name, country, "asserted", None)


def test_one_person_is_one_line_whatever_the_mention():
    """ "Jack Straw", "Straw", "Mr Straw" and Straw with a country are one line in an article."""
    rows = (_person("a1", "Jack Straw"), _person("a2", "Straw"), _person("a3", "Mr Straw", country="GBR"),
            _person("a4", "Straw", "Straw", "GBR"))
    ctx = ArticleContext(outlet_line("Own Outlet", "x"), {r.local_id: r for r in rows}, {},
                         full_name_map(r.source_text for r in rows))
    assert {line.key for line in lines_for(["a1", "a2", "a3", "a4"], ctx)} == {"source:jack straw"}


def test_an_ambiguous_surname_is_not_guessed():
    rows = (_person("a1", "Anna Smith"), _person("a2", "John Smith"), _person("a3", "Smith"))
    ctx = ArticleContext(outlet_line("Own Outlet", "x"), {r.local_id: r for r in rows}, {},
                         full_name_map(r.source_text for r in rows))
    assert {line.key for line in lines_for(["a1", "a2", "a3"], ctx)} == {
        "source:anna smith", "source:john smith", "source:smith"}


@pytest.mark.parametrize("text", ["he", "By Martin Chulov", "Minsk"])
def test_pronouns_bylines_and_datelines_are_not_sources(text):
    ctx = ArticleContext(outlet_line("Own Outlet", "x"), {"a1": _person("a1", text)}, {}, {},
                         frozenset({"minsk"}))
    assert [line.key for line in lines_for(["a1"], ctx)] == ["outlet:own outlet"]


def test_a_pronoun_source_is_the_earlier_speaker_it_stands_for():
    """ "the city's mayor said ..." then "..., he said": one speaker, one line; a pronoun before any named
    person, or "he" after only an organisation, is no one's line but the outlet's."""
    ministry = AttributionRow("a2", "the ministry", "official_organization", "the ministry", None, "asserted", None)
    rows = (_person("a1", "the city's mayor"), ministry, _person("a3", "he"))
    ctx = ArticleContext(outlet_line("Own Outlet", "x"), {r.local_id: r for r in rows}, {}, {})
    assert {line.key for line in lines_for(["a1", "a3"], ctx)} == {"source:city mayor"}
    alone = ArticleContext(outlet_line("Own Outlet", "x"), {"a1": _person("a1", "he"), "a2": ministry}, {}, {})
    assert [line.key for line in lines_for(["a1"], alone)] == ["outlet:own outlet"]
