"""What the merge compares between two reports: trigger stems, content words, named entities, place.

Pure text functions over what the ledger stores (no spaCy): crude suffix stripping is enough to make
"withdraw", "withdrawal" and "withdrawing" one stem, and "Syria" and "Syria's" one entity.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional

from .independence import normalize_name

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "als", "al", "ies", "ied", "ed", "es", "s")
_STEM_CHARS = 6
_NAME = re.compile(r"(?:[A-Z][\w’'-]*)(?:\s+(?:of\s+|al-|el-)?[A-Z][\w’'-]*)*")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = resources.files("according.ledger").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Lower-cased, possessive and one common suffix dropped, cut to a few letters."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            break
    return w[:_STEM_CHARS]


def trigger_stems(trigger: Optional[str], others: Optional[str] = None) -> frozenset[str]:
    """The stem of each trigger's main word ("pull out" -> pull, "withdrawal" -> withdra)."""
    texts = [trigger or ""] + (others.split("|") if others else [])
    out = set()
    for text in texts:
        words = [w for w in _WORD.findall(text) if w.lower() not in stopwords()]
        if words:
            out.add(stem(words[0]))
    return frozenset(out)


def content_words(sentence: Optional[str]) -> frozenset[str]:
    if not sentence:
        return frozenset()
    stop = stopwords()
    return frozenset(stem(w) for w in set(_WORD.findall(sentence)) if len(w) > 2 and w.lower() not in stop)


def entities(sentence: Optional[str]) -> frozenset[str]:
    """Capitalized names in the sentence, normalized: a cheap named-entity proxy."""
    if not sentence:
        return frozenset()
    out = set()
    stop = stopwords()
    for m in _NAME.finditer(sentence):
        words = m.group(0).split()
        while words and words[0].lower() in stop:  # "The Pentagon", "But Iran": a capital, not a name
            words = words[1:]
        key = normalize_name(" ".join(words))
        if key and key not in stop:
            out.add(key)
    return frozenset(out)


_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "its", "his", "her", "their", "our", "whose"})
_BEFORE = re.compile(r"([\w'’]+)\W*$")


def definite(trigger: Optional[str], sentence: Optional[str]) -> bool:
    """Is the trigger a definite noun phrase's head ("the withdrawal", "Trump's decision", "its
    invasion"): an act the reader is taken to know, as a later article names an earlier event? The word
    before the trigger's first occurrence in the sentence is a determiner or a possessive."""
    if not trigger or not sentence:
        return False
    at = sentence.find(trigger)
    if at <= 0:
        return False
    m = _BEFORE.search(sentence[:at])
    if m is None:
        return False
    word = m.group(1).lower()
    return word in _DETERMINERS or word.endswith(("'s", "’s"))


def place_key(location: Optional[str]) -> Optional[str]:
    return normalize_name(location) or None if location else None


def object_words(text: Optional[str]) -> frozenset[str]:
    return content_words(text)


class Vocabulary:
    """Strings to small ints, so the merge holds a million reports' words as compact tuples of ids.

    One namespace for stems and entities: the same string is the same id, which the merge never
    confuses since it only compares like with like."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def ids(self, words: Iterable[str]) -> tuple[int, ...]:
        table = self._ids
        return tuple(sorted(table.setdefault(w, len(table)) for w in words))

    def id(self, word: str) -> int:
        return self._ids.setdefault(word, len(self._ids))

    def get(self, word: str) -> Optional[int]:
        return self._ids.get(word)


def idf(word_sets: Iterable[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency over the reports' sentences: log(1 + N / df)."""
    import math

    df: dict[str, int] = {}
    n = 0
    for words in word_sets:
        n += 1
        for w in words:
            df[w] = df.get(w, 0) + 1
    return {w: math.log(1 + n / c) for w, c in df.items()}
