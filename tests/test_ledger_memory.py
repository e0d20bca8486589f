"""The story rebuild holds only its window, compactly: a block's merge leaves nothing behind it when its
stream ends, the stories it holds past the window keep tuples, and the ids it reads back are shared.

Hand-made merge items with integer word ids, as ``features.Vocabulary`` gives the ledger's merge.
"""
from __future__ import annotations

import gc
import sqlite3
import weakref
from array import array

import pytest

from according.ledger import features
from according.ledger.merge import LOOKBACK_ARTICLES, Cluster, MergeItem, _Merger, _PastStories, merge_block
from according.ledger.stories import _ArticleWords

DAY = 740_000  # a proleptic ordinal, as the ledger's merge reads dates
KEY = ("AID", "FRA", "MLI")
SENTENCE = (101, 102, 103, 104, 105)  # one event told alike by every article below
TOPIC = tuple(range(200, 260))  # the articles' words: one topic


def _told(event_id: int, day: int, article: int, *, extra: int = 0) -> MergeItem:
    return MergeItem(event_id, KEY, day, "rifle", triggers=(7,), words=SENTENCE + ((300 + extra,) if extra else ()),
                     entities=(11, 12), place="gao", object_words=(21,), article=article,
                     article_words=TOPIC + (400 + article,), place_specific=True)


@pytest.fixture
def no_cyclic_gc():
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    yield
    if enabled:
        gc.enable()


def test_a_block_merge_is_freed_when_its_stream_ends_without_the_cyclic_collector(no_cyclic_gc):
    """Two weeks of articles on one topic (the topic index is built and read): once the stream is done,
    the merger and its index, with every article's words, go by reference counting alone."""
    items = [_told(i, DAY + i // 3, article=i // 2) for i in range(42)]
    merger = _Merger(30, 0.6, {})
    stories = list(merger.sweep(items, set()))
    assert sum(len(cl.members) for cl in stories) == len(items)
    assert merger._hits is not None  # the topic test ran, and remembered its last answer
    gone = weakref.ref(merger)
    del merger
    assert gone() is None


def test_a_story_held_for_look_backs_keeps_tuples_of_each_word_once():
    first = _told(1, DAY, article=1)
    cl = Cluster.of(first, "first report", None)
    cl.add(_told(2, DAY + 1, article=2, extra=1), "joined", 0.9)
    assert isinstance(cl.words, set) and len(cl.articles) >= LOOKBACK_ARTICLES
    words_before = {name: set(getattr(cl, name)) for name in ("triggers", "words", "entities", "places",
                                                               "object_words", "articles", "sentences")}
    past = _PastStories()
    article_words = {1: frozenset(first.article_words), 2: frozenset(TOPIC + (402,)), 9: frozenset((1, 2))}
    assert past.add(cl, article_words, horizon=DAY - 400)
    for name, members in words_before.items():
        value = getattr(cl, name)
        assert isinstance(value, tuple) and set(value) == members and len(value) == len(members), name
    held = past.words[id(cl)]
    assert set(held) == {1, 2}  # only its own articles
    assert all(isinstance(w, tuple) and len(w) == len(set(w)) for w in held.values())
    assert {a: frozenset(w) for a, w in held.items()} == {1: article_words[1], 2: article_words[2]}
    cl.add(_told(3, DAY + 200, article=3, extra=2), "looked back", 0.7)  # a late report joins it
    assert 302 in cl.words and 3 in cl.articles


def test_stories_held_for_undated_reports_keep_tuples():
    dated = [_told(1, DAY, article=1), _told(2, DAY + 1, article=2, extra=1), _told(3, DAY + 90, article=3)]
    held = list(merge_block(dated, {KEY}))
    first = next(cl for cl in held if 1 in cl.members)
    assert first.members == [1, 2] and isinstance(first.words, tuple) and set(first.words) == set(SENTENCE) | {301}


def test_ids_read_back_are_the_vocabularys_own_ints():
    vocab = features.Vocabulary()
    ids = vocab.ids(f"word{i}" for i in range(1000, 1400))  # ids past the small ints Python shares anyway
    stored = array("i", ids).tobytes()
    back = array("i")
    back.frombytes(stored)
    shared = vocab.shared(back)
    assert shared == ids and all(a is b for a, b in zip(shared, ids))
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TEMP TABLE rb_words (article_id INTEGER PRIMARY KEY, ids BLOB NOT NULL)")
    conn.execute("INSERT INTO temp.rb_words VALUES (5, ?)", (stored,))
    words = _ArticleWords(conn, vocab)(5)
    assert words == ids and all(a is b for a, b in zip(words, ids))
    assert _ArticleWords(conn, vocab)(6) == ()  # an article without words


def test_word_counts_flushed_a_few_at_a_time_add_up_to_the_same_table(tmp_path, monkeypatch):
    """The (month, stem) counts the word weights read are held only WORD_COUNTS_HELD at a time: the
    table they add up to is the one a single flush gives, and so are the stories."""
    from according.ledger import stories as stories_module
    from ledger_support import build, report, stories

    told = [report(f"Iran sent {n} tonnes of grain from the {place} depots to Venezuela on credit, {outlet} said.",
                   outlet, day, etype="AID", actor="Iran", recipient="Venezuela", trigger="sent", status="completed")
            for place, n, outlet, day in (("Bandar", 40, "Valley Herald", "2022-03-02"),
                                          ("Abadan", 12, "Coast Mail", "2022-04-11"),
                                          ("Bushehr", 7, "Plain Courier", "2022-04-12"))]
    tables, made = [], []
    for held in (1_000_000, 1):
        monkeypatch.setattr(stories_module, "WORD_COUNTS_HELD", held)
        with build(tmp_path / f"w{held}.db", told) as led:
            tables.append(led.conn.execute("SELECT month, stem, reports FROM word_months ORDER BY 1, 2").fetchall())
            made.append(stories(led.conn))
    assert tables[0] == tables[1] and len(tables[0]) > 10
    assert made[0] == made[1]
