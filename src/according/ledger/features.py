"""What the merge compares between two reports: trigger stems, content words, named entities, place.

Pure text functions over what the ledger stores (no spaCy): crude suffix stripping is enough to make
"withdraw", "withdrawal" and "withdrawing" one stem, and "Syria" and "Syria's" one entity.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice
from importlib import resources
from typing import Iterable, Optional

from .independence import normalize_name

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "als", "al", "ies", "ied", "ed", "es", "s")
_STEM_CHARS = 6
_POSSESSIVE_END = re.compile(r"[’']s?$")
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


@lru_cache(maxsize=1)
def _act_names() -> dict[str, str]:
    """stem -> the stem its group of act names is known by (act_names.txt: "offensive" -> attack)."""
    text = resources.files("according.ledger").joinpath("act_names.txt").read_text(encoding="utf-8")
    groups: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or ":" not in line:
            continue
        stems = [stem(w) for w in line.partition(":")[2].split()]
        groups.update((s, stems[0]) for s in stems)
    return groups


def trigger_stems(trigger: Optional[str], others: Optional[str] = None) -> frozenset[str]:
    """The stem of each trigger's main word ("pull out" -> pull, "withdrawal" -> withdra), one name for an
    act's other names ("offensive", "assault" and "incursion" are an attack: act_names.txt)."""
    groups = _act_names()
    texts = [trigger or ""] + (others.split("|") if others else [])
    out = set()
    for text in texts:
        words = [w for w in _WORD.findall(text) if w.lower() not in stopwords()]
        if words:
            out.add(stem(words[0]))
    return frozenset(groups.get(s, s) for s in out)


def act_stems(stems: Iterable[str]) -> frozenset[str]:
    """Stems with one act's other names as the name ``trigger_stems`` gives them ("assaul" -> attack):
    what a text's words are compared with a trigger by."""
    groups = _act_names()
    return frozenset(groups.get(s, s) for s in stems)


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


_NAMED = r"((?:al-|el-)?[A-Z][\w'’-]*(?:\s+(?:al-|el-)?[A-Z][\w'’-]*)*)"
_PLACE_NOUNS = r"(?:enclave|city|town|province|region|district|camp|village|governorate|countryside|suburbs?)"
# in the order they are tried: a place noun and "of" ("the Kurdish enclave of Afrin"), a preposition of
# place ("in Raqqa", "near the Baghuz pocket"), a name before a place noun, maybe after one word ("the
# Afrin enclave", "al-Hawl refugee camp")
_PLACES = (
    re.compile(rf"\b{_PLACE_NOUNS}\s+of\s+(?:the\s+)?{_NAMED}"),
    re.compile(rf"\b(?:in|at|near|outside|around|into|inside|across|towards|toward|through)\s+(?:the\s+)?{_NAMED}"),
    re.compile(rf"{_NAMED}(?:\s+[a-z]+)?\s+{_PLACE_NOUNS}\b"),
)
_NOT_PLACES = ("january february march april may june july august september october november december monday"
               " tuesday wednesday thursday friday saturday sunday north south east west northern southern"
               " eastern western central")


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Names of countries and their demonyms, normalized ("syria", "syrian", "united states"): places as
    wide as a country's, which tell two events apart no more than their parties do."""
    import pycountry  # a dependency of the package; no spaCy

    out = set(_NOT_PLACES.split())
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                out.add(normalize_name(value))
    for filename in ("actor_country_aliases.tsv", "actor_demonyms.tsv"):
        text = resources.files("according").joinpath("lexicons", filename).read_text(encoding="utf-8")
        for line in text.splitlines():
            if line and not line.startswith("#"):
                out.add(normalize_name(line.split("\t")[0]))
    return frozenset(out)


def sentence_place(sentence: Optional[str]) -> Optional[str]:
    """The first place narrower than a country the sentence names ("Turkey's attack on the Kurdish
    enclave of Afrin": afrin), normalized; the place of an event its parse gave none."""
    if not sentence:
        return None
    wide = country_names()
    for pattern in _PLACES:
        for m in pattern.finditer(sentence):
            key = normalize_name(_POSSESSIVE_END.sub("", m.group(1)))
            if key and key not in stopwords() and not all(w in wide for w in key.split()):
                return key
    return None


def specific_place(place: Optional[str]) -> bool:
    """A place narrower than a country (with no country's name in it: "northern syria" is not)."""
    return bool(place) and not any(w in country_names() for w in place.split())  # type: ignore[union-attr]


def object_words(text: Optional[str]) -> frozenset[str]:
    return content_words(text)


class Vocabulary:
    """Strings to small ints, so the merge holds a million reports' words as compact tuples of ids.

    One namespace for stems and entities: the same string is the same id, which the merge never
    confuses since it only compares like with like."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._objects: list[int] = []  # id -> the int object the table holds (``shared``)

    def ids(self, words: Iterable[str]) -> tuple[int, ...]:
        table = self._ids
        return tuple(sorted(table.setdefault(w, len(table)) for w in words))

    def id(self, word: str) -> int:
        return self._ids.setdefault(word, len(self._ids))

    def get(self, word: str) -> Optional[int]:
        return self._ids.get(word)

    def shared(self, ids: Iterable[int]) -> tuple[int, ...]:
        """Ids read back from storage (an ``array``, a blob) as the table's own int objects: a tuple
        of fresh ints costs 32 bytes a word more, for every article the merge holds words of."""
        objects = self._objects
        if len(objects) < len(self._ids):  # ids are given in insertion order: the values are 0, 1, 2, ...
            objects.extend(islice(self._ids.values(), len(objects), None))
        return tuple(map(objects.__getitem__, ids))


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
