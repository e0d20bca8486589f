"""The fast attribute ruler and lemmatizer give spaCy's own output, token for token."""
from __future__ import annotations

import pytest
import spacy
from spacy.pipeline import AttributeRuler
from spacy.lang.en.lemmatizer import EnglishLemmatizer

from according.nlp.fast_rules import IndexedAttributeRuler, MemoRuleLemmatizer, compile_patterns
from according.nlp.loading import load_pipeline

ATTRS = ["ORTH", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"]

# the model's exception rules: "ai n't", "nothin'", "y'all", "gonna", "wanna", "'s", plus plain news copy
TEXTS = [
    "Iran's mission said on Friday that it ain't true; the missiles were not delivered to Russia.",
    "Y'all ain't seen nothin' yet, he's gonna say, and they wanna know why.",
    "\n\n  The U.S. State Department's spokesman, Matthew Miller, told reporters: \"We're not going to.\"  ",
    "",
    "   ",
    "UK troops (about 2,000) were sent to the region in 2014 -- officials say.",
]


@pytest.fixture(scope="module")
def stock():
    return load_pipeline(fast_rules=False)


def test_load_pipeline_swaps_only_when_asked(nlp, stock):
    assert isinstance(nlp.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), MemoRuleLemmatizer)
    assert type(stock.get_pipe("attribute_ruler")) is AttributeRuler
    assert type(stock.get_pipe("lemmatizer")) is EnglishLemmatizer
    assert nlp.pipe_names == stock.pipe_names


@pytest.mark.parametrize("text", TEXTS)
def test_same_annotations_as_stock(nlp, stock, text):
    for _ in range(2):  # the second time from the lemmatizer's memo
        ours, theirs = nlp(text), stock(text)
        assert (ours.to_array(ATTRS) == theirs.to_array(ATTRS)).all()
        assert [(t.lemma_, str(t.morph), t.pos_) for t in ours] == [(t.lemma_, str(t.morph), t.pos_) for t in theirs]


def test_matches_equal_spacy_matcher(stock):
    ruler = stock.get_pipe("attribute_ruler")
    doc = stock(" ".join(TEXTS))
    fast = IndexedAttributeRuler(stock.vocab)
    fast.add_patterns(ruler.patterns)
    assert fast.match(doc) == ruler.match(doc)
    assert len(ruler.match(doc)) > len(doc)  # the tag rules match every token, the exceptions some more


def _blank_rulers() -> tuple:
    nlp = spacy.blank("en")
    return nlp, AttributeRuler(nlp.vocab), IndexedAttributeRuler(nlp.vocab)


def test_rule_order_operators_and_repeats():
    nlp, plain, fast = _blank_rulers()
    rules = [
        {"patterns": [[{"LOWER": "the"}], [{"LOWER": {"IN": ["the", "a"]}}]], "attrs": {"LEMMA": "first"}},
        {"patterns": [[{"LOWER": {"REGEX": "^t"}}, {"IS_SPACE": False}]], "attrs": {"LEMMA": "second"}},
        {"patterns": [[{"ORTH": {"NOT_IN": ["The", "cat"]}}]], "attrs": {"NORM": "other"}},
    ]
    for ruler in (plain, fast):
        ruler.add_patterns(rules)
    doc = nlp("The cat saw the dog and a tree.")
    assert fast.match(doc) == plain.match(doc)
    ours, theirs = fast(nlp("The cat saw the dog and a tree.")), plain(nlp("The cat saw the dog and a tree."))
    assert [(t.lemma_, t.norm_) for t in ours] == [(t.lemma_, t.norm_) for t in theirs]
    assert [t.lemma_ for t in ours][:8] == ["second", "", "", "second", "", "", "first", "second"]  # the later rule wins
    assert [t.norm_ for t in ours][:3] == ["the", "cat", "other"]


def test_patterns_added_later_are_used():
    nlp, plain, fast = _blank_rulers()
    doc = nlp("Hello world")
    fast.add_patterns([{"patterns": [[{"LOWER": "hello"}]], "attrs": {"LEMMA": "hi"}}])
    assert fast(doc)[0].lemma_ == "hi"
    fast.add_patterns([{"patterns": [[{"LOWER": "world"}]], "attrs": {"LEMMA": "earth"}}])
    assert fast(nlp("Hello world"))[1].lemma_ == "earth"
    fast.clear()
    assert fast.match(nlp("Hello world")) == []


def test_unsupported_pattern_falls_back_to_the_matcher():
    nlp, plain, fast = _blank_rulers()
    rules = [{"patterns": [[{"LOWER": "very", "OP": "+"}, {"LOWER": "big"}]], "attrs": {"LEMMA": "huge"}, "index": -1}]
    for ruler in (plain, fast):
        ruler.add_patterns(rules)
    assert compile_patterns(fast) is None
    doc = nlp("a very very big dog")
    assert fast.match(doc) == plain.match(doc) and fast.match(doc)
    assert fast(doc)[3].lemma_ == "huge"


def test_ruler_round_trips_through_bytes(nlp, stock):
    ruler = nlp.get_pipe("attribute_ruler")
    copy = IndexedAttributeRuler(nlp.vocab).from_bytes(ruler.to_bytes())
    doc = stock("They ain't gonna deliver the drones.")
    assert copy.match(doc) == stock.get_pipe("attribute_ruler").match(doc)
