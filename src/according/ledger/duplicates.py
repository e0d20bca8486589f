"""Near-duplicate groups of stored articles, found bucket by bucket in bounded memory.

Articles sharing an LSH bucket (``minhash.bands``) are compared: pairwise in a bucket of at most
BUCKET_LIMIT members, each to the bucket's earliest beyond that; two at ``minhash.DUPLICATE_JACCARD``
or more are one group, whose root is its earliest article (published, then ingested). One bucket at a
time is in memory (its members' signatures, compared as one array), and the groups are flat arrays
indexed by article id (about 16 bytes an article), so finding them costs the same memory for 10,000
articles as for a million of their buckets. The result is ``article_duplicates``.
"""
from __future__ import annotations

import sqlite3
from array import array
from itertools import groupby
from typing import Iterator

import numpy as np

from . import minhash

BUCKET_LIMIT = 200  # members of one LSH bucket compared pairwise; beyond that, each to its first


class Groups:
    """Union-find over article ids; each group's root is its earliest article. ``rank`` is each
    article's place in (published or "~", id) order, the order roots are chosen by."""

    def __init__(self, rank: array) -> None:
        self._rank = rank
        self._parent = array("l", range(len(rank)))
        self.best = array("d", bytes(8 * len(rank)))  # highest similarity to a group member, 0 if none

    def root(self, a: int) -> int:
        parent = self._parent
        if a >= len(parent):
            return a  # stored after the groups were made (not in this rebuild)
        r = a
        while parent[r] != r:
            r = parent[r]
        while parent[a] != r:  # path compression
            parent[a], a = r, parent[a]
        return r

    def union(self, a: int, b: int) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return
        if self._rank[rb] < self._rank[ra]:
            ra, rb = rb, ra
        self._parent[rb] = ra

    def copies(self) -> Iterator[tuple[int, int, float]]:
        """(article, the root it copies, similarity), by article id."""
        best = self.best
        for a in range(len(best)):
            if best[a] > 0.0:
                root = self.root(a)
                if root != a:
                    yield a, root, round(best[a], 3)


def find_duplicates(conn: sqlite3.Connection) -> Groups:
    """Group the stored near-duplicates (the caller writes ``Groups.copies`` where it needs them)."""
    high = conn.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()[0]
    rank = array("l", bytes(array("l").itemsize * (high + 1)))
    for n, (article_id,) in enumerate(conn.execute("SELECT id FROM articles ORDER BY COALESCE(published, '~'), id")):
        rank[article_id] = n
    groups = Groups(rank)
    rows = conn.execute(
        "SELECT b.band, b.bucket, b.article_id, a.minhash FROM article_bands b JOIN articles a ON a.id = b.article_id"
        " WHERE (b.band, b.bucket) IN (SELECT band, bucket FROM article_bands GROUP BY band, bucket HAVING COUNT(*) > 1)"
        " ORDER BY b.band, b.bucket")
    for _, bucket in groupby(rows, key=lambda r: (r[0], r[1])):
        members = sorted(((r[2], r[3]) for r in bucket), key=lambda m: rank[m[0]])
        if len(members) > 1:
            _compare(groups, [m[0] for m in members], np.stack([minhash.from_blob(m[1]) for m in members]))
    return groups


def _compare(groups: Groups, ids: list[int], sigs: np.ndarray) -> None:
    """One bucket: the same unions and best similarities as comparing its pairs one by one."""
    best = groups.best
    if len(ids) > BUCKET_LIMIT:
        sims = (sigs[1:] == sigs[0]).mean(axis=1)
        hits = np.flatnonzero(sims >= minhash.DUPLICATE_JACCARD)
        for k in hits:
            b = ids[k + 1]
            groups.union(ids[0], b)
            best[b] = max(best[b], float(sims[k]))
        if hits.size:
            best[ids[0]] = max(best[ids[0]], float(sims[hits].max()))
        return
    sims = (sigs[:, None, :] == sigs[None, :, :]).mean(axis=2)
    np.fill_diagonal(sims, 0.0)
    near = sims >= minhash.DUPLICATE_JACCARD
    top = np.where(near, sims, 0.0).max(axis=1)
    for k in np.flatnonzero(top):
        best[ids[k]] = max(best[ids[k]], float(top[k]))
    unseen = near.any(axis=1)
    for k in np.flatnonzero(unseen):  # each connected part of the bucket's pairs is one group
        if not unseen[k]:
            continue
        part = near[k].copy()
        part[k] = True
        while True:
            grown = part | near[part].any(axis=0)
            if (grown == part).all():
                break
            part = grown
        for j in np.flatnonzero(part):
            groups.union(ids[k], ids[j])
        unseen &= ~part
