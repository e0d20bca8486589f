"""The ledger on hand-built Reports: merge, independence, denials, status, first report.

These tests do not depend on extraction quality: each article's Report is written by hand, the way a
perfect analyzer would report the sentence, and stored in a real SQLite ledger.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Optional

import pytest

from according.ledger.merge import DEFAULT_THRESHOLD, MergeItem, merge, normalize_key
from according.ledger.store import Ledger
from according.ledger.stories import rebuild_stories
from according.ledger import queries
from according.records import (
    Actor, ArticleInfo, Attribution, Event, EventObject, ProvenanceClaim, Report, Signals, Source,
)
from ledger_support import mention, party


def _source(text: str, phrase: str, kind: str, country: Optional[str] = None) -> Source:
    m = mention(text, phrase)
    entity = Actor(phrase, m.span, phrase, country, None, "organization") if kind != "anonymous" else None
    return Source(phrase, m.span, kind, entity)


def report(
    text: str, outlet: str, published: str, *, actor: str, recipient: str, trigger: str, obj: str, cls: str,
    sources: tuple = (), status: str = "completed", provenance: tuple = (),
) -> Report:
    """One event in one sentence; ``sources`` are (phrase, type, stance, country, parent) tuples."""
    attributions, ids = [], []
    for n, (phrase, kind, stance, country, parent) in enumerate(sources, 1):
        aid = f"a{n}"
        attributions.append(Attribution(
            _source(text, phrase, kind, country), mention(text, phrase), None, stance=stance, parent=parent, id=aid,
        ))
        ids.append(aid)
    event = Event(
        "AID", mention(text, trigger), party(text, actor), party(text, recipient), context="military",
        object=EventObject(obj, mention(text, obj).span, cls), status=status, sentence=(0, len(text)),
        attributions=tuple(ids), id="e1",
    )
    claims = tuple(ProvenanceClaim(o, mention(text, o).span, "first_reported", aid) for o, aid in provenance)
    return Report(ArticleInfo(title=None, published=published, outlet=outlet), text, events=(event,),
                  attributions=tuple(attributions), signals=Signals(provenance=claims))


WIRE = ("Iran delivered drones to Russia last week, officials said on Friday, adding that the shipment of "
        "several hundred attack drones crossed the Caspian Sea by ship and was unloaded at a port in the south.")

CORPUS = [
    report(WIRE, "Daily Ledger", "2024-09-06", actor="Iran", recipient="Russia", trigger="delivered",
           obj="drones", cls="drone", sources=(("officials", "anonymous", "asserted", None, None),)),
    # syndicated copy of the first, one day later, under another masthead
    report("Wire copy. " + WIRE, "Metro Post", "2024-09-07", actor="Iran", recipient="Russia",
           trigger="delivered", obj="drones", cls="drone",
           sources=(("officials", "anonymous", "asserted", None, None),)),
    # relays the Daily Ledger (provenance claim) and its anonymous people: still the Daily Ledger's line
    report("The Daily Ledger was the first to report that Iran sent drones to Russia, according to two people "
           "familiar with the matter.", "Harbor Times", "2024-09-07", actor="Iran", recipient="Russia",
           trigger="sent", obj="drones", cls="drone",
           sources=(("The Daily Ledger", "media", "asserted", None, None),
                    ("two people familiar with the matter", "anonymous", "asserted", None, None)),
           provenance=(("Daily Ledger", "a1"),)),
    # its own anonymous source: a second line
    report("Iran supplied drones to Russia, a Western diplomat said.", "Coastal Herald", "2024-09-08",
           actor="Iran", recipient="Russia", trigger="supplied", obj="drones", cls="drone",
           sources=(("a Western diplomat", "anonymous", "asserted", None, None),)),
    # a denial in another article
    report("Iran's foreign ministry denied sending drones to Russia.", "River Gazette", "2024-09-09",
           actor="Iran", recipient="Russia", trigger="sending", obj="drones", cls="drone", status="negated",
           sources=(("Iran's foreign ministry", "official_organization", "denied", "IRN", None),)),
    # another object class: another story, confirmed by a party to it
    report("Iran delivered ballistic missiles to Russia, the Pentagon said.", "North Star", "2024-09-10",
           actor="Iran", recipient="Russia", trigger="delivered", obj="ballistic missiles", cls="ballistic_missile",
           sources=(("the Pentagon", "official_organization", "asserted", "USA", None),)),
    report("Russia's defence ministry said Iran handed over ballistic missiles to Russia.", "Steppe Daily",
           "2024-09-11", actor="Iran", recipient="Russia", trigger="handed over", obj="ballistic missiles",
           cls="ballistic_missile",
           sources=(("Russia's defence ministry", "official_organization", "asserted", "RUS", None),)),
    # the same kind of delivery a year later: a separate event
    report("Iran delivered drones to Russia, a US official said.", "Valley Voice", "2025-10-01",
           actor="Iran", recipient="Russia", trigger="delivered", obj="drones", cls="drone",
           sources=(("a US official", "anonymous", "asserted", None, None),)),
    # a different supplier and a different recipient
    report("North Korea shipped artillery shells to Russia, officials said.", "Plains Courier", "2024-09-08",
           actor="North Korea", recipient="Russia", trigger="shipped", obj="artillery shells", cls="artillery",
           sources=(("officials", "anonymous", "asserted", None, None),)),
    report("Iran delivered drones to Venezuela, officials said.", "Lagoon Tribune", "2024-09-08",
           actor="Iran", recipient="Venezuela", trigger="delivered", obj="drones", cls="drone",
           sources=(("officials", "anonymous", "asserted", None, None),)),
]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture()
def ledger(tmp_path):
    with Ledger.open(tmp_path / "t.db") as led:
        for r in CORPUS:
            led.add_report(r, content_hash=_hash(r.text), origin=r.article.outlet)
        rebuild_stories(led.conn)
        yield led


def _by_key(led: Ledger) -> dict:
    return {(s.actor_key, s.recipient_key, s.object_class, s.first_date[:4]): s
            for s in queries.list_stories(led.conn)}


EXPECTED = [
    # key: (actor, recipient, class, year) -> reports, articles, independent, denials, status, first outlet
    (("IRN", "RUS", "drone", "2024"), 4, 5, 2, 1, "contested", "Daily Ledger"),
    (("IRN", "RUS", "ballistic_missile", "2024"), 2, 2, 2, 0, "confirmed", "North Star"),
    (("IRN", "RUS", "drone", "2025"), 1, 1, 1, 0, "asserted", "Valley Voice"),
    (("PRK", "RUS", "artillery", "2024"), 1, 1, 1, 0, "asserted", "Plains Courier"),
    (("IRN", "VEN", "drone", "2024"), 1, 1, 1, 0, "asserted", "Lagoon Tribune"),
]


def test_story_count(ledger):
    assert len(queries.list_stories(ledger.conn)) == len(EXPECTED)


@pytest.mark.parametrize("key,reports,articles,independent,denials,status,first", EXPECTED)
def test_story_counts(ledger, key, reports, articles, independent, denials, status, first):
    story = _by_key(ledger)[key]
    assert (story.reports, story.articles, story.independent_sources, story.denials, story.status,
            story.first_outlet) == (reports, articles, independent, denials, status, first)


def test_syndicated_copy_is_detected(ledger):
    rows = ledger.conn.execute(
        "SELECT c.outlet, o.outlet FROM article_duplicates d JOIN articles c ON c.id = d.article_id "
        "JOIN articles o ON o.id = d.copy_of").fetchall()
    assert rows == [("Metro Post", "Daily Ledger")]


def test_story_detail_lists_every_report_and_why(ledger):
    story = _by_key(ledger)[("IRN", "RUS", "drone", "2024")]
    detail = queries.get_story(ledger.conn, story.id)
    assert sorted(r.outlet for r in detail.reports) == [
        "Coastal Herald", "Daily Ledger", "Harbor Times", "Metro Post", "River Gazette"]
    assert [r.role for r in detail.reports if r.outlet == "River Gazette"] == ["denies"]
    assert all(r.why for r in detail.reports)
    assert {s.key for s in detail.sources if s.role == "backs"} == {"outlet:daily ledger", "outlet:coastal herald"}
    assert [s.label for s in detail.sources if s.role == "denies"] == ["Iran's foreign ministry"]


def test_rebuild_is_idempotent_and_ids_stable(ledger):
    before = [s.id for s in queries.list_stories(ledger.conn)]
    rebuild_stories(ledger.conn)
    assert [s.id for s in queries.list_stories(ledger.conn)] == before


def test_same_article_twice_is_skipped(ledger):
    r = CORPUS[0]
    assert ledger.add_report(r, content_hash=_hash(r.text)) is None
    assert ledger.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == len(CORPUS)


def _item(i: int, key: tuple, day, cls=None, *, trigger="deliver", words="drones caspian port ship",
          place=None, copy_of=None) -> MergeItem:
    return MergeItem(i, key, day, cls, triggers=frozenset(trigger.split()), words=frozenset(words.split()),
                     entities=frozenset(), place=place, object_words=frozenset(), copy_of=copy_of)


def _groups(items) -> list[list[int]]:
    return sorted((sorted(c.members) for c in merge(items)), key=min)


IR = ("AID", "IRN", "RUS")
MERGE_CASES = [
    # (items), expected groups of indices
    ([_item(0, IR, 0, "drone"), _item(1, IR, 2, "drone")], [[0, 1]]),
    # two deliveries a year apart, or a month apart: two events
    ([_item(0, IR, 0, "drone"), _item(1, IR, 365, "drone")], [[0], [1]]),
    ([_item(0, IR, 0, "drone"), _item(1, IR, 31, "drone")], [[0], [1]]),
    # another supplier, another recipient, another object class: another event
    ([_item(0, IR, 0, "drone"), _item(1, ("AID", "PRK", "RUS"), 0, "drone")], [[0], [1]]),
    ([_item(0, IR, 0, "drone"), _item(1, ("AID", "IRN", "VEN"), 0, "drone")], [[0], [1]]),
    ([_item(0, IR, 0, "drone"), _item(1, IR, 1, "ballistic_missile")], [[0], [1]]),
    # an unknown object class joins the story it fits
    ([_item(0, IR, 0, "drone"), _item(1, IR, 2, None)], [[0, 1]]),
    # no chaining: 0, 20, 40 are not one story because each is near the previous one
    ([_item(i, IR, d, "drone") for i, d in enumerate((0, 20, 40))], [[0, 1], [2]]),
    # same type and parties, same days, other places and other words: two events
    ([_item(0, ("ASSAULT", "TUR", "SYR"), 0, trigger="strike", words="afrin villages shelling", place="afrin"),
      _item(1, ("ASSAULT", "TUR", "SYR"), 1, trigger="attack", words="idlib convoy", place="idlib")], [[0], [1]]),
    # undated: joins only with the same parties, object and a near-identical sentence
    ([_item(0, IR, None, "drone"), _item(1, IR, 5, "drone"), _item(2, IR, 400, "drone")], [[0, 1], [2]]),
    ([_item(0, IR, None, "drone", words="shipment unloaded port"), _item(1, IR, 5, "drone")], [[0], [1]]),
    # a near-duplicate copy joins the story of the report it repeats, dated or not
    ([_item(0, IR, 5, "drone"), _item(1, IR, None, None, words="other", copy_of=0)], [[0, 1]]),
    # symmetric types: parties in either order, or one of them in either role
    ([_item(0, ("CONSULT", "RUS", "TUR"), 0, trigger="meet", words="sochi talks"),
      _item(1, ("CONSULT", "TUR", "RUS"), 1, trigger="meet", words="sochi talks")], [[0, 1]]),
    ([_item(0, ("CONSULT", "RUS", "TUR"), 0, trigger="meet", words="sochi talks"),
      _item(1, ("CONSULT", "", "TUR"), 1, trigger="meet", words="sochi talks")], [[0, 1]]),
    # one type family: a withdrawal coded CONCEDE in one report and RETREAT in another is one event ...
    ([_item(0, ("CONCEDE", "USA", "SYR"), 0, trigger="withdr", words="troops syria pull decision"),
      _item(1, ("RETREAT", "USA", "SYR"), 1, trigger="withdr", words="troops syria pull decision")], [[0, 1]]),
    # ... but another family never is, whatever the words
    ([_item(0, ("AID", "USA", "SYR"), 0, trigger="send", words="troops syria border"),
      _item(1, ("ASSAULT", "USA", "SYR"), 0, trigger="send", words="troops syria border")], [[0], [1]]),
    # a party known only by a name ("civilians") is compatible with a code; two codes are not
    ([_item(0, ("ASSAULT", "TUR", "SYR"), 0, trigger="shell", words="afrin villages shelling", place="afrin"),
      _item(1, ("ASSAULT", "TUR", "civilians"), 1, trigger="shell", words="afrin villages shelling", place="afrin"),
      _item(2, ("ASSAULT", "TUR", "IRQ"), 1, trigger="shell", words="afrin villages shelling", place="afrin")],
     [[0, 1], [2]]),
]


@pytest.mark.parametrize("spec,expected", MERGE_CASES)
def test_merge_cases(spec, expected):
    assert _groups(spec) == expected


PARTIAL_CASES = [
    # a passive "drones were delivered to Russia" joins the one IRN -> RUS drone story
    ([_item(0, IR, 0, "drone"), _item(1, ("AID", "", "RUS"), 3, "drone")], [[0, 1]]),
    # ... but not when two suppliers fit as well: it stays apart rather than guess
    ([_item(0, IR, 0, "drone"), _item(1, ("AID", "PRK", "RUS"), 0, "drone"), _item(2, ("AID", "", "RUS"), 3, "drone")],
     [[0], [1], [2]]),
    # ... nor when it is far away in time or of another class
    ([_item(0, IR, 0, "drone"), _item(1, ("AID", "", "RUS"), 300, "drone")], [[0], [1]]),
    ([_item(0, IR, 0, "drone"), _item(1, ("AID", "IRN", ""), 2, "artillery")], [[0], [1]]),
    # an unknown recipient: "Iran delivered drones, officials said"
    ([_item(0, IR, 0, "drone"), _item(1, ("AID", "IRN", ""), 2, None)], [[0, 1]]),
    # two reports of one withdrawal that both lack the recipient, with the same words: one story
    ([_item(0, ("CONCEDE", "USA", ""), 0, trigger="withdr", words="troops syria pull"),
      _item(1, ("CONCEDE", "USA", ""), 1, trigger="withdr", words="troops syria decision")], [[0, 1]]),
    # ... but not an unrelated concession with other words and trigger
    ([_item(0, ("CONCEDE", "USA", ""), 0, trigger="withdr", words="troops syria pull"),
      _item(1, ("CONCEDE", "USA", ""), 1, trigger="ease", words="tariffs steel canada")], [[0], [1]]),
    # undated and half the parties: stays apart
    ([_item(0, IR, 0, "drone"), _item(1, ("AID", "", "RUS"), None, "drone")], [[0], [1]]),
]


@pytest.mark.parametrize("spec,expected", PARTIAL_CASES)
def test_partial_parties(spec, expected):
    assert _groups(spec) == expected


# Articles on one topic: the words of two articles about the same withdrawal, and of one about a trade row
WITHDRAWAL = "trump decision pull troops syria kurds pentagon mattis withdrawal abrupt allies islamic state"
WITHDRAWAL_2 = "trump troops syria withdrawal pentagon kurds betrayal decision allies abandon fighters"
TRADE = "tariffs steel canada exports dairy farmers negotiators quota ottawa"


def _in(item: MergeItem, article: int, words: str, *, self_loop: bool = False) -> MergeItem:
    return replace(item, article=article, article_words=tuple(sorted(set(words.split()))), self_loop=self_loop)


WD = dict(trigger="decision", words="sudden decision pull troops")
TOPIC_CASES = [
    # the coder's default (USA -> USA: a country acting on itself) in one article, a wrong actor code
    # ("the president" coded SYR) in another on the same topic: one decision, the conflict lowers the score
    ([_in(_item(0, ("CONCEDE", "USA", "USA"), 0, None, **WD), 1, WITHDRAWAL, self_loop=True),
      _in(_item(1, ("CONCEDE", "SYR", ""), 2, None, **WD), 2, WITHDRAWAL_2)], [[0, 1]]),
    # ... not when the articles are on other topics
    ([_in(_item(0, ("CONCEDE", "USA", "USA"), 0, None, **WD), 1, WITHDRAWAL, self_loop=True),
      _in(_item(1, ("CONCEDE", "SYR", ""), 2, None, **WD), 2, TRADE)], [[0], [1]]),
    # ... nor when both reports name their parties: Iran's drones for Russia and for Venezuela stay two
    ([_in(_item(0, IR, 0, "drone"), 1, WITHDRAWAL), _in(_item(1, ("AID", "IRN", "VEN"), 1, "drone"), 2, WITHDRAWAL_2)],
     [[0], [1]]),
    # ... nor two reports of one article (the analyzer already joined its mentions of one event)
    ([_in(_item(0, ("CONCEDE", "USA", "USA"), 0, None, **WD), 1, WITHDRAWAL, self_loop=True),
      _in(_item(1, ("CONCEDE", "SYR", ""), 0, None, **WD), 1, WITHDRAWAL)], [[0], [1]]),
]


@pytest.mark.parametrize("spec,expected", TOPIC_CASES)
def test_articles_on_one_topic(spec, expected):
    assert _groups(spec) == expected


def test_the_topic_and_the_conflict_are_in_the_why():
    items = TOPIC_CASES[0][0]
    (story,) = merge(items)
    assert "article topic" in story.why[1] and "1 party coded differently" in story.why[1]


def test_a_country_acting_on_itself_has_an_unknown_recipient():
    assert normalize_key(("CONCEDE", "USA", "USA")) == ("CONCEDE", "USA", "")
    assert normalize_key(("CONCEDE", "USA", "SYR")) == ("CONCEDE", "USA", "SYR")
    assert normalize_key(("CONCEDE", "civilians", "civilians")) == ("CONCEDE", "civilians", "civilians")


def test_a_chain_of_many_triggers_sharing_one_stem_is_weaker_evidence():
    one = _item(0, ("ASSAULT", "SYR", ""), 0, None, trigger="bomb", words="villages")
    chain = _item(1, ("ASSAULT", "SYR", ""), 1, None, trigger="bomb shell raid storm", words="villages")
    same = _item(1, ("ASSAULT", "SYR", ""), 1, None, trigger="bomb", words="villages")
    scored = {}
    for name, item in (("chain", chain), ("same", same)):
        (first, *rest) = sorted(merge([one, item]), key=lambda c: c.members[0])
        scored[name] = first.scores[1] if len(first.members) > 1 else None
    assert scored["same"] is not None
    assert scored["chain"] is None or scored["chain"] < scored["same"]


def test_a_general_class_joins_the_specific_one():
    items = [_item(0, IR, 0, "ballistic_missile"), _item(1, IR, 2, "missile"), _item(2, IR, 3, "cruise_missile")]
    clusters = sorted(merge(items), key=lambda c: c.members[0])
    assert [(sorted(c.members), c.object_class) for c in clusters] == [([0, 1], "ballistic_missile"), ([2], "cruise_missile")]


def test_the_score_and_threshold_are_in_the_why():
    clusters = merge([_item(0, IR, 0, "drone"), _item(1, IR, 2, "drone")])
    assert clusters[0].why[0].startswith("first report")
    assert "score" in clusters[0].why[1] and f">= {DEFAULT_THRESHOLD:.2f}" in clusters[0].why[1]
    assert clusters[0].scores[1] is not None and clusters[0].scores[1] >= DEFAULT_THRESHOLD


def _rejection(text: str, published: str) -> Report:
    """"The UK rejected Washington's claim ...": a REJECT event whose attribution, with a denied stance,
    has the event's own trigger as its cue."""
    def actor(name: str, code: str) -> Actor:
        return Actor(name, mention(text, name).span, name, code, "GOV", "country")
    uk = actor("The UK", "GBR")
    source = Source("The UK", uk.span, "official_organization", uk)
    content = text[text.index("Washington"):].rstrip(".")
    attribution = Attribution(source, mention(text, "rejected"), mention(text, content), stance="denied", id="a1")
    event = Event("REJECT", mention(text, "rejected"), uk, actor("Washington", "USA"), sentence=(0, len(text)),
                  attributions=("a1",), id="e1")
    return Report(ArticleInfo(title=None, published=published, outlet="Isle Courier"), text,
                  events=(event,), attributions=(attribution,))


def test_a_rejection_reported_by_its_own_cue_is_not_contested(tmp_path):
    """"The UK rejected Washington's claim" is a REJECT event, and its cue is the event: no denial of it."""
    text = "The UK rejected Washington's claim that the talks had failed."
    with Ledger.open(tmp_path / "t.db") as led:
        led.add_report(_rejection(text, "2024-05-02"), content_hash=_hash(text), origin="a")
        rebuild_stories(led.conn)
        stories = queries.list_stories(led.conn)
    assert [(s.type, s.status, s.denials) for s in stories] == [("REJECT", "confirmed", 0)]


def _stories(conn) -> list[tuple]:
    return conn.execute("SELECT sr.story_id, e.local_id, a.content_hash, sr.score, sr.why FROM story_reports sr"
                        " JOIN events e ON e.id = sr.event_id JOIN articles a ON a.id = e.article_id"
                        " ORDER BY a.content_hash, e.local_id").fetchall()


def test_a_default_coded_report_on_one_topic_merges_and_an_update_equals_a_rebuild(tmp_path):
    """Two outlets on one delivery: one coded Iran -> Iran (the coder's default), one Russia -> Iran
    (a wrong actor); the articles share their topic, so the reports are one story, and an update that
    adds the second article gives what a full rebuild gives."""
    import sqlite3

    from according.ledger.stories import update_stories

    first = ("Iran delivered drones to its own forces near the Caspian port, and the Shahed shipment was "
             "unloaded at Bandar Anzali under guard.")
    second = ("Russia and Iran: the Shahed drones delivered at Bandar Anzali were unloaded under guard at the "
              "Caspian port, port workers said.")
    one = report(first, "Gulf Daily", "2024-09-06", actor="Iran", recipient="Iran", trigger="delivered",
                 obj="drones", cls="drone")
    two = report(second, "Valley Voice", "2024-09-08", actor="Russia", recipient="Iran", trigger="delivered",
                 obj="drones", cls="drone")
    path = tmp_path / "l.db"
    with Ledger.open(path) as led:
        led.add_report(one, content_hash=_hash(one.text))
        rebuild_stories(led.conn)
        led.add_report(two, content_hash=_hash(two.text))
        full = sqlite3.connect(tmp_path / "full.db")
        led.conn.backup(full)
        update_stories(led.conn)
        updated = _stories(led.conn)
    rebuild_stories(full)
    assert updated == _stories(full)
    assert len({row[0] for row in updated}) == 1  # one story
    (joined,) = [row[4] for row in updated if not row[4].startswith("first report")]
    assert "coded differently" in joined and "article topic" in joined


def _topic_stream(seed: int) -> list[MergeItem]:
    """Reports of articles over three months; articles draw their words from a few topics' pools, so
    some pairs are on one topic and most are not; parties often self-loops (the topic test decides)."""
    import random

    rng = random.Random(seed)
    pools = [list(range(t * 40, t * 40 + 60)) for t in range(8)]  # overlapping topic vocabularies
    items, event = [], 0
    for article in range(400):
        day = 738000 + rng.randrange(90)
        words = tuple(sorted(set(rng.sample(pools[rng.randrange(8)], 20) + rng.sample(range(1000), 10))))
        for _ in range(rng.randrange(1, 4)):
            actor = rng.choice(["USA", "SYR", "IRN", ""])
            items.append(MergeItem(event, normalize_key(("CONCEDE", actor, rng.choice([actor, "", "RUS"]))), day,
                                   triggers=(rng.randrange(3),), words=tuple(rng.sample(words, 5)), article=article,
                                   article_words=words, self_loop=actor != "" and rng.random() < 0.5))
            event += 1
    items.sort(key=lambda it: (it.day, it.event_id))
    return items


def test_the_topic_index_finds_every_article_on_one_topic(monkeypatch):
    """The inverted index only filters: the stories equal those of computing the cosine of every pair."""
    import importlib

    merge_module = importlib.import_module("according.ledger.merge")  # the package exports merge(), the function

    def weights(month):
        return {w: 1.0 + (w * 7919 + (month or 0)) % 13 / 4 for w in range(1000)}, 5.0

    def run() -> list[tuple]:
        stream = merge_module.merge_block(_topic_stream(3), set(), weights_at=weights)
        return [(tuple(cl.members), tuple(cl.why), tuple(cl.scores)) for cl in stream]

    fast = run()
    monkeypatch.setattr(merge_module._TopicIndex, "near",
                        lambda self, item: [a for a in self.articles if a is not None])  # every open article
    every_pair = run()
    assert fast == every_pair
    assert sum("article topic" in why for _, whys, _ in fast for why in whys) >= 10


def _strike(i: int, day: int, trigger: str, place: str, *, article: int, sentence: int = 0) -> MergeItem:
    """A report of an attack on a town, with another verb than its neighbours' and few shared words."""
    return MergeItem(i, ("ASSAULT", "TUR", "SYR"), day, triggers=(trigger,), words=(f"w{i}a", f"w{i}b", f"w{i}c", f"w{i}d", "kurd"),
                     entities=("kurd", place), place=place, place_specific=True, article=article, sentence=sentence)


def test_one_type_in_one_town_is_content_evidence():
    """"the assault on the Afrin enclave" and "Turkey's attack on Afrin" three days apart: one event;
    the same verbs about two towns stay apart."""
    assert _groups([_strike(0, 0, "assault", "afrin", article=1), _strike(1, 3, "attack", "afrin", article=2)]) == [[0, 1]]
    assert _groups([_strike(0, 0, "assault", "afrin", article=1), _strike(1, 3, "attack", "idlib", article=2)]) == [[0], [1]]


def test_two_events_of_one_sentence_stay_apart():
    """The analyzer read two acts in one sentence ("thousands fled Turkey's attack"): never one story,
    however alike their words; the same report in another sentence of the article may join."""
    a = _strike(0, 0, "assault", "afrin", article=1, sentence=10)
    assert _groups([a, replace(_strike(1, 0, "attack", "afrin", article=1, sentence=10), words=a.words)]) == [[0], [1]]
    assert _groups([a, replace(_strike(1, 0, "attack", "afrin", article=1, sentence=90), words=a.words)]) == [[0, 1]]
