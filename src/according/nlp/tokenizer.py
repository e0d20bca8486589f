"""A tokenizer wrapper that keeps spaCy's tokenization of real text and stays linear on hostile text.

spaCy's tokenizer strips affixes one at a time, and each step searches the whole remaining chunk for a
suffix: a run of 10,000 ``[`` without a space takes seconds, a 100 kB one minutes. Two changes fix it:

- the suffix search looks only at the end of a chunk (a suffix is a few characters; the match length is
  all the tokenizer reads), which gives the same tokens;
- a chunk without whitespace longer than ``max_chunk`` characters is tokenized in pieces of that size,
  so no chunk costs more than a fixed amount. No word or URL in news copy comes near the limit;
- a run of ``PUNCT_RUN`` or more punctuation characters becomes one token (as a run of dashes or dots
  already is), so 100,000 ``[`` are one token for the parser, not 100,000.

Lone surrogates (``"\\ud800"``, which Python's ``json`` accepts) cannot be encoded and crash the tokenizer;
each is replaced by U+FFFD, one character for one, so every offset into the text stays as it was.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Optional

from spacy.tokens import Doc

from .surrogates import replace_surrogates

MAX_CHUNK = 1000  # characters of a whitespace-free chunk tokenized at once
PUNCT_RUN = 32  # punctuation characters in a row (no space, no letter or digit) merged into one token
SUFFIX_WINDOW = 64  # characters at the end of a chunk the suffix search looks at (suffixes are short)
_LONG_CHUNK = re.compile(r"\S{%d,}" % (MAX_CHUNK + 1))
_PUNCT_RUN = re.compile(r"[^\w\s]{%d,}" % PUNCT_RUN)


class _TailSearch:
    """``suffix_search`` over the last ``window`` characters only: same match length, constant time."""

    def __init__(self, search: Callable[[str], Optional[re.Match[str]]], window: int = SUFFIX_WINDOW) -> None:
        self.search = search
        self.window = window

    def __call__(self, string: str) -> Optional[re.Match[str]]:
        return self.search(string[-self.window:] if len(string) > self.window else string)

    @property
    def pattern(self) -> str:  # the tokenizer serializes its regexes by their pattern
        return getattr(getattr(self.search, "__self__", None), "pattern", "")


class SafeTokenizer:
    """Wraps a spaCy ``Tokenizer``: linear time on runs of punctuation, no crash on lone surrogates."""

    def __init__(self, tokenizer: Any, *, max_chunk: int = MAX_CHUNK) -> None:
        if tokenizer.suffix_search is not None and not isinstance(tokenizer.suffix_search, _TailSearch):
            tokenizer.suffix_search = _TailSearch(tokenizer.suffix_search)
        self.tokenizer = tokenizer
        self.max_chunk = max_chunk

    def __call__(self, text: str) -> Doc:
        text, _ = replace_surrogates(text)
        cuts = list(_cut_points(text, self.max_chunk))
        if cuts:
            bounds = [0, *cuts, len(text)]
            doc = Doc.from_docs([self.tokenizer(text[a:b]) for a, b in zip(bounds, bounds[1:])], ensure_whitespace=False)
        else:
            doc = self.tokenizer(text)
        return _merge_punctuation_runs(doc)

    def __getattr__(self, name: str) -> Any:  # vocab, explain, to_disk, ... are the wrapped tokenizer's
        if name == "tokenizer":  # not set yet (unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


def _cut_points(text: str, max_chunk: int) -> list[int]:
    """Offsets that cut every whitespace-free chunk longer than ``max_chunk`` into pieces of that size."""
    if len(text) <= max_chunk:
        return []
    pattern = _LONG_CHUNK if max_chunk == MAX_CHUNK else re.compile(r"\S{%d,}" % (max_chunk + 1))
    cuts: list[int] = []
    for match in pattern.finditer(text):
        cuts.extend(range(match.start() + max_chunk, match.end(), max_chunk))
    return cuts


def _merge_punctuation_runs(doc: Doc) -> Doc:
    runs = [doc.char_span(m.start(), m.end(), alignment_mode="contract") for m in _PUNCT_RUN.finditer(doc.text)]
    runs = [span for span in runs if span is not None and len(span) > 1]
    if runs:
        with doc.retokenize() as retokenizer:  # one bulk merge: linear in the doc
            for span in runs:
                retokenizer.merge(span)
    return doc


def make_safe(nlp: Any) -> None:
    """Install the safe tokenizer on a loaded pipeline (once)."""
    if not isinstance(nlp.tokenizer, SafeTokenizer):
        nlp.tokenizer = SafeTokenizer(nlp.tokenizer)
