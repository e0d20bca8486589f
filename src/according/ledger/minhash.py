"""Near-duplicate articles: MinHash over word 5-gram shingles, banded for LSH lookup.

A syndicated copy (same wire text under another masthead, a headline changed, a paragraph cut) shares
most of its 5-grams with the original; two outlets writing their own story share almost none.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

SHINGLE_WORDS = 5
PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: pairs at Jaccard 0.5 collide with p ~ 0.64, at 0.8 with p ~ 1.0
ROWS = PERMUTATIONS // BANDS
DUPLICATE_JACCARD = 0.6  # estimated Jaccard at or above which two articles count as one

_WORD = re.compile(r"\w+", re.UNICODE)
_PRIME = (1 << 61) - 1


@dataclass(frozen=True)
class Permutations:
    """The fixed hash family: the same seeds for every article ever ingested (stored signatures depend on it)."""

    a: np.ndarray
    b: np.ndarray

    @classmethod
    def default(cls) -> "Permutations":
        rng = np.random.default_rng(20240906)
        a = rng.integers(1, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
        b = rng.integers(0, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
        return cls(a, b)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """Word n-grams, lower-cased, as 32-bit hashes (stable across processes, unlike hash())."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little") for g in grams}


def signature(text: str, perms: Permutations) -> np.ndarray:
    """MinHash signature (PERMUTATIONS uint32 values); all-max for an empty text."""
    values = np.fromiter(shingles(text), dtype=np.uint64)
    if values.size == 0:
        return np.full(PERMUTATIONS, 0xFFFFFFFF, dtype=np.uint32)
    # (a*x + b) mod 2^32 over uint64 wrap-around: a cheap universal-enough family for 32-bit shingles
    hashed = (values[:, None] * perms.a[None, :] + perms.b[None, :]) >> np.uint64(32)
    return hashed.min(axis=0).astype(np.uint32)


def bands(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band, bucket) pairs: articles sharing any bucket are candidate duplicates."""
    out = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        out.append((band, int.from_bytes(hashlib.blake2b(chunk, digest_size=7).digest(), "little")))
    return out


def similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.mean(sig_a == sig_b))


def to_blob(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")
