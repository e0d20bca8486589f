"""Views of the parse that several extractors read: the entities, the sentences, the text, built once per Doc.

spaCy builds each afresh on every access: ``doc.ents`` and ``span.ents`` make a Span per entity of the
whole document, ``doc.text`` joins every token. Read per sentence or per mention, that cost grows with
the square of the article. These functions build each view once and keep it in ``doc.user_data`` (as the
actor resolver keeps its name table), and give the same values as the spaCy properties they stand for.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Container, Iterator, Optional

import numpy
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_DIGIT, IS_PUNCT, IS_QUOTE, IS_SPACE, IS_TITLE, IS_UPPER, LEMMA, LOWER, ORTH, POS, SPACY, TAG
from spacy.lang.en.syntax_iterators import noun_chunks as english_noun_chunks
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

ENTS_KEY = "according.ents"  # (the entities, their start tokens)
SENTS_KEY = "according.sents"
SENT_BY_START_KEY = "according.sent_by_start"
TEXT_KEY = "according.text"
COLUMNS_KEY = "according.columns"
_COLUMN_ATTRS = [ORTH, LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, HEAD, IS_TITLE, IS_UPPER, IS_DIGIT, IS_PUNCT, IS_QUOTE, IS_SPACE, IDX, SPACY]


@dataclass(frozen=True)
class Columns:
    """Every token's attributes as plain lists, index = token.i: what the feature builders and the
    per-token rules read. A spaCy Token is made afresh on each ``doc[i]`` and looks its strings up on
    each attribute read; read once per doc here, a feature costs a list index."""

    text: list[str]
    lower: list[str]
    lemma: list[str]  # lower-cased, as every extractor compares it
    pos: list[str]
    tag: list[str]
    dep: list[str]
    ent_type: list[str]
    head: list[int]
    is_title: list[bool]
    is_upper: list[bool]
    is_digit: list[bool]
    is_punct: list[bool]
    is_quote: list[bool]
    is_space: list[bool]
    idx: list[int]  # character offset of each token in the doc's text
    trailing_space: list[bool]  # ``token.whitespace_ == " "``
    sent_start: list[int]  # the first token of each token's sentence
    sent_end: list[int]
    _by_head: list[int]  # the indices of the tokens that have a head (not the roots), ordered by head, then by position
    _first_child: list[int]  # where each head's run starts in ``_by_head`` (n + 1 entries)
    # The string columns as spaCy string ids (``spacy.strings.get_string_id`` of each string), for code
    # that looks a whole column up at once in numpy: [7, n] uint64 for text, lower, lemma (as spaCy has
    # it, not lower-cased), pos, tag, dep, ent_type; and the ids of ``lemma`` (lower-cased).
    ids: numpy.ndarray = field(default_factory=lambda: numpy.zeros((7, 0), dtype="uint64"))
    lemma_ids: numpy.ndarray = field(default_factory=lambda: numpy.zeros(0, dtype="uint64"))

    def children(self, i: int) -> list[int]:
        """``[c.i for c in doc[i].children]``."""
        return self._by_head[self._first_child[i]:self._first_child[i + 1]]


def columns(doc: Doc) -> Columns:
    """The doc's :class:`Columns`, built once per Doc."""
    held = doc.user_data.get(COLUMNS_KEY)
    if held is None:
        held = doc.user_data[COLUMNS_KEY] = _columns(doc)
    return held


def _columns(doc: Doc) -> Columns:
    n = len(doc)
    if not n:
        return Columns(*[[] for _ in range(18)], [], [0])
    strings = doc.vocab.strings
    array = doc.to_array(_COLUMN_ATTRS)  # uint64: string ids, HEAD as an offset, flags as 0/1
    # the seven string columns share most of their ids (a word, its lower case, its lemma): each
    # distinct id is looked up once, and each column is a list of those strings
    ids, inverse = numpy.unique(array[:, :7], return_inverse=True)
    names = [strings[h] for h in ids.tolist()]
    lemma_names = [x.lower() for x in names]
    codes = inverse.reshape(n, 7).T
    text = [list(map((lemma_names if c == 2 else names).__getitem__, column)) for c, column in enumerate(codes.tolist())]
    lowered_ids = ids.copy()
    for k, (name, lowered) in enumerate(zip(names, lemma_names)):
        if name != lowered:
            lowered_ids[k] = get_string_id(lowered)
    heads = numpy.arange(n, dtype="int64") + array[:, 7].astype("int64")
    dependents = numpy.flatnonzero(heads != numpy.arange(n))  # a root is its own head, not its own child
    by_head = dependents[numpy.argsort(heads[dependents], kind="stable")]
    first_child = numpy.searchsorted(heads[by_head], numpy.arange(n + 1)).tolist()
    sent_start, sent_end = [0] * n, [0] * n
    for sent in sentences(doc):
        size = sent.end - sent.start
        sent_start[sent.start:sent.end] = [sent.start] * size
        sent_end[sent.start:sent.end] = [sent.end] * size
    flags = array[:, 8:14].astype(bool).T.tolist()
    idx = array[:, 14].tolist()
    trailing_space = array[:, 15].astype(bool).tolist()
    return Columns(*text, heads.tolist(), *flags, idx, trailing_space, sent_start, sent_end, by_head.tolist(), first_child,
                   numpy.ascontiguousarray(array[:, :7].T), lowered_ids[codes[2]])


def entities(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``."""
    return _ents(doc)[0]


def entities_in(span: Span) -> list[Span]:
    """``span.ents``: the entities wholly inside the span, in text order."""
    ents, starts = _ents(span.doc)
    out = []
    for k in range(bisect_left(starts, span.start), len(ents)):  # the first entity starting in the span ...
        if ents[k].end > span.end:
            break  # ... and those after it, up to the first that runs past the span (spaCy stops there too)
        out.append(ents[k])
    return out


def words_in(sent: Span, pos: str, lemmas: Container[str]) -> Iterator[Token]:
    """The sentence's words of part of speech ``pos`` whose lemma is in ``lemmas``, read from the columns
    (a spaCy Token is made only for a word that matches)."""
    doc = sent.doc
    cols = columns(doc)
    for i in range(sent.start, sent.end):
        if cols.pos[i] == pos and cols.lemma[i] in lemmas:
            yield doc[i]


# spaCy's English noun chunks (``spacy.lang.en.syntax_iterators``): the dependencies of a chunk's head
NP_DEPS = frozenset({"oprd", "nsubj", "dobj", "nsubjpass", "pcomp", "pobj", "dative", "appos", "attr", "ROOT"})
NP_HEAD_POS = frozenset({"NOUN", "PROPN", "PRON"})


def noun_chunks(doc: Doc) -> list[Span]:
    """``list(doc.noun_chunks)``. For English, spaCy's own iterator read from the columns: it makes a
    Token for every word of the doc, here one is made only for a word that can head a chunk (for its
    left edge, which the parse keeps and the columns do not). Other languages go to spaCy."""
    if doc.noun_chunks_iterator is not english_noun_chunks or not doc.has_annotation("DEP"):
        return list(doc.noun_chunks)
    cols = columns(doc)
    pos, dep, head = cols.pos, cols.dep, cols.head
    label = doc.vocab.strings.add("NP")
    out = []
    prev_end = -1
    for i in range(len(doc)):
        if pos[i] not in NP_HEAD_POS:
            continue
        left = doc[i].left_edge.i
        if left <= prev_end:  # no chunk inside another
            continue
        if dep[i] in NP_DEPS:
            prev_end = i
            out.append(Span(doc, left, i + 1, label=label))
        elif dep[i] == "conj":
            h = head[i]
            while dep[h] == "conj" and head[h] < h:
                h = head[h]
            if dep[h] in NP_DEPS:  # coordinated to a noun phrase: one too
                prev_end = i
                out.append(Span(doc, left, i + 1, label=label))
    return out


def sentences(doc: Doc) -> tuple[Span, ...]:
    """``tuple(doc.sents)``."""
    held = doc.user_data.get(SENTS_KEY)
    if held is None:
        held = doc.user_data[SENTS_KEY] = tuple(doc.sents)
    return held


def sentence_of(doc: Doc, i: int) -> Span:
    """``doc[i].sent``: the sentence of :func:`sentences` that holds token ``i`` (``Token.sent`` scans
    the whole doc's annotation and makes two Spans on every call)."""
    held = doc.user_data.get(SENT_BY_START_KEY)
    if held is None:
        held = doc.user_data[SENT_BY_START_KEY] = {sent.start: sent for sent in sentences(doc)}
    return held[columns(doc).sent_start[i]]


def text(doc: Doc) -> str:
    """``doc.text``: joined from the columns (``doc.text`` makes a Token per word to read its text and
    trailing space, which cost as much as the columns themselves)."""
    held = doc.user_data.get(TEXT_KEY)
    if held is None:
        cols = columns(doc)
        held = doc.user_data[TEXT_KEY] = "".join(
            [word + " " if space else word for word, space in zip(cols.text, cols.trailing_space)])
    return held


def span_text(span: Span) -> str:
    """``span.text``: cut from the doc's text (``span.text`` makes a Token per word to join their texts)."""
    return text(span.doc)[span.start_char:span.end_char]


def token_at(doc: Doc, offset: int) -> Optional[Token]:
    """The token holding the character at ``offset`` (or the next one, inside whitespace)."""
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _ents(doc: Doc) -> tuple[tuple[Span, ...], list[int]]:
    held = doc.user_data.get(ENTS_KEY)
    if held is None:
        ents = tuple(doc.ents)
        held = doc.user_data[ENTS_KEY] = (ents, [e.start for e in ents])
    return held
