"""The two inputs that took quadratic time stay linear: counted work, not wall-clock time.

- the tokenizer on a run of prefix punctuation without spaces (the work counted: characters the
  suffix search scans, and the longest chunk handed to spaCy's tokenizer);
- actor resolution of 'Smith said ...' repeated (the work counted: calls of ``actor_for_span``).
Timings of the same cases are in ``bench/hostile.py``.
"""
from __future__ import annotations

import pytest

from according.extract.actors import resolve
from according.nlp.tokenizer import MAX_CHUNK, SafeTokenizer


class _Counting:
    """Wraps a callable and adds up what it was given (characters for a string, else calls)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.calls = 0
        self.chars = 0
        self.longest = 0

    def __call__(self, value, *args, **kwargs):
        self.calls += 1
        if isinstance(value, str):
            self.chars += len(value)
            self.longest = max(self.longest, len(value))
        return self.inner(value, *args, **kwargs)


@pytest.fixture
def tokenizer(nlp):
    assert isinstance(nlp.tokenizer, SafeTokenizer)
    return nlp.tokenizer


def _suffix_work(tokenizer, text: str) -> tuple[int, int]:
    tail = tokenizer.tokenizer.suffix_search  # the window over spaCy's own suffix regex
    counting = _Counting(tail.search)
    tail.search = counting
    inner = tokenizer.tokenizer
    chunks = _Counting(inner)
    tokenizer.tokenizer = chunks
    try:
        inner._reset_cache([])  # nothing cached from earlier texts
        doc = tokenizer(text)
    finally:
        tail.search = counting.inner
        tokenizer.tokenizer = inner
    assert doc.text == text  # offsets into the text exactly as read
    return counting.chars, chunks.longest


@pytest.mark.parametrize("char", ["[", "(", '"', "$"])
def test_tokenizer_work_grows_linearly_on_punctuation_runs(tokenizer, char):
    small, small_chunk = _suffix_work(tokenizer, char * 4000 + " Officials said.")
    big, big_chunk = _suffix_work(tokenizer, char * 16000 + " Officials said.")
    assert big / small < 4.5  # quadratic would be 16
    assert max(small_chunk, big_chunk) <= MAX_CHUNK + 16  # no chunk past the limit reaches spaCy


def test_a_punctuation_run_is_one_token_and_real_text_is_tokenized_as_spacy_does(nlp, tokenizer):
    doc = tokenizer("[" * 5000 + " Officials said, \u201cWe won\u2019t go.\u201d")
    assert doc[0].text == "[" * 5000 and [t.text for t in doc[1:4]] == ["Officials", "said", ","]
    text = "Mr. O'Neill said (on Friday) that the U.S. \"won't\" pay -- and left..."
    assert [t.text for t in tokenizer(text)] == [t.text for t in tokenizer.tokenizer(text)]


def test_long_chunks_are_cut_but_keep_the_text(tokenizer):
    text = "x" * 2500 + " said Smith. " + "a[b" * 1500
    doc = tokenizer(text)
    assert doc.text == text
    assert all(len(t.text) <= MAX_CHUNK for t in doc)


def test_lone_surrogates_become_u_fffd_one_for_one(tokenizer):
    doc = tokenizer("Officials said \ud800. Then \udfff")
    assert doc.text == "Officials said \ufffd. Then \ufffd"


def _resolutions(analyzer, n: int, monkeypatch) -> int:
    counting = _Counting(resolve.actor_for_span)
    monkeypatch.setattr(resolve, "actor_for_span", counting)  # counts the real function's calls
    analyzer.analyze(" ".join(f"Smith said the talks went on for the {i}th time." for i in range(n)))
    monkeypatch.undo()
    return counting.calls


def test_other_mention_resolution_is_linear_in_mentions(analyzer, monkeypatch):
    small = _resolutions(analyzer, 60, monkeypatch)
    big = _resolutions(analyzer, 240, monkeypatch)
    assert big / small < 5.5  # 4x the mentions: quadratic would be about 16x


def test_a_fuller_mention_still_lends_its_country(analyzer):
    report = analyzer.analyze("Russian President Vladimir Smith arrived on Friday. Later Smith said the talks went on.")
    later = [a for a in report.actors if a.text == "Smith"]
    assert later and later[0].country == "RUS"
