"""The per-doc views and memos the extractors share give what spaCy (or the uncached function) gives."""
from __future__ import annotations

import pytest
from spacy.strings import get_string_id

from according.extract.actors import ActorLexicon, actor_for_span
from according.extract.actors.resolve import ACTOR_MEMO_KEY, _actor_for_span
from according.extract.attribution.quotes import _quote_depth, quote_depth
from according.extract.doc_views import columns, entities, entities_in, noun_chunks, sentences, span_text, text

TEXT = ("Officials in Kyiv said on Monday that Russian forces had shelled Kharkiv. "
        "The Foreign Ministry of Turkey denied it.\n\n"
        "\"We sent no weapons to Iran,\" Ankara's envoy told the United Nations in New York. "
        "Maria Lopez of Reuters reported the talks.")


def _spans(spans) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label_) for s in spans]


def test_entities_and_sentences_are_spacys(nlp):
    doc = nlp(TEXT)
    assert len(doc.ents) >= 5  # the sentences name places, bodies and people
    assert _spans(entities(doc)) == _spans(doc.ents)
    assert [(s.start, s.end) for s in sentences(doc)] == [(s.start, s.end) for s in doc.sents]
    assert text(doc) == doc.text


@pytest.mark.parametrize("raw", ["", "   ", "Ankara  denied\tit.\n\n\n", " \u00a0Kyiv said so. ", "a\r\nb  \u2003c"])
def test_text_joined_from_the_columns_is_doc_text(nlp, raw):
    doc = nlp(raw)
    assert text(doc) == doc.text == raw


@pytest.mark.parametrize("raw", [TEXT, "Ankara  denied\tit.\n\n\n \u00a0Kyiv said so. ", "a\r\nb  \u2003c ", ""])
def test_span_text_is_span_text(nlp, raw):
    doc = nlp(raw)
    spans = [doc[start:end] for start in range(len(doc) + 1) for end in range(start, min(len(doc), start + 9) + 1)]
    spans += list(doc.sents) + list(doc.ents) + [doc[:], doc[3:1]]  # a reversed slice is an empty span
    for span in spans:
        assert span_text(span) == span.text, (span.start, span.end)


def test_columns_are_the_tokens_attributes(nlp):
    doc = nlp(TEXT + "  The U.S. said 12 PEOPLE died.")
    cols = columns(doc)
    assert columns(doc) is cols  # built once per doc
    for tok in doc:
        i = tok.i
        assert (cols.text[i], cols.lower[i], cols.lemma[i], cols.pos[i], cols.tag[i], cols.dep[i], cols.ent_type[i]) == (
            tok.text, tok.lower_, tok.lemma_.lower(), tok.pos_, tok.tag_, tok.dep_, tok.ent_type_)
        assert cols.head[i] == tok.head.i and cols.children(i) == [c.i for c in tok.children]
        assert (cols.is_title[i], cols.is_upper[i], cols.is_digit[i], cols.is_punct[i], cols.is_quote[i], cols.is_space[i]) == (
            tok.is_title, tok.is_upper, tok.is_digit, tok.is_punct, tok.is_quote, tok.is_space)
        assert (cols.sent_start[i], cols.sent_end[i], cols.idx[i]) == (tok.sent.start, tok.sent.end, tok.idx)
        strings = (tok.text, tok.lower_, tok.lemma_, tok.pos_, tok.tag_, tok.dep_, tok.ent_type_)
        assert cols.ids[:, i].tolist() == [get_string_id(x) for x in strings]  # what the cue scorer looks up
        assert int(cols.lemma_ids[i]) == get_string_id(tok.lemma_.lower())
    assert any(cols.is_quote) and any(cols.is_digit) and any(cols.ent_type) and any(cols.is_space)
    empty = nlp("")
    assert columns(empty).text == [] and columns(empty).head == [] and columns(empty).ids.shape == (7, 0)


def test_entities_in_any_span_match_span_ents(nlp):
    doc = nlp(TEXT)
    for sent in doc.sents:
        assert _spans(entities_in(sent)) == _spans(sent.ents)
    # every span, including those that start or end inside an entity (spaCy stops at the first that overruns)
    for start in range(len(doc)):
        for end in range(start, min(len(doc), start + 12) + 1):
            assert _spans(entities_in(doc[start:end])) == _spans(doc[start:end].ents), (start, end)


def test_actor_memo_gives_the_uncached_answer(nlp):
    lexicon = ActorLexicon.load()
    doc = nlp(TEXT)
    for chunk in list(doc.noun_chunks) + list(doc.ents):
        first = actor_for_span(chunk, lexicon)
        assert actor_for_span(chunk, lexicon) is first  # the second ask is the kept answer
        assert first == _actor_for_span(chunk, lexicon, True, None)
    assert any(a is not None for a in doc.user_data[ACTOR_MEMO_KEY].values())
    iran = next(e for e in doc.ents if e.text == "Iran")
    assert actor_for_span(iran, lexicon).country == "IRN"


def test_quote_depth_is_computed_once(nlp):
    doc = nlp(TEXT)
    depth = quote_depth(doc)
    assert quote_depth(doc) is depth
    assert depth == _quote_depth(doc)
    we = next(t for t in doc if t.text == "We")
    assert depth[we.i] == 1 and depth[0] == 0


@pytest.mark.parametrize("raw", [
    "The old minister and his deputy, who met rebels and the army, said they and we would go.",
    "Russia, Iran and Turkey agreed; the talks, the deal and the truce held. Who knows?",
    "",
])
def test_noun_chunks_are_spacys(nlp, raw):
    doc = nlp(TEXT + " " + raw)
    ours = noun_chunks(doc)
    assert [(c.start, c.end, c.label_) for c in ours] == [(c.start, c.end, c.label_) for c in doc.noun_chunks]
    assert any(c.root.dep_ == "conj" for c in ours) or not raw
