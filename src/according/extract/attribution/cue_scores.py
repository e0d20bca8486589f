"""The cue CRF's labels without its feature strings: ``cue_sequence``'s features looked up as model rows.

``cue_sequence`` (what the cue model was trained on, and still the definition of its features) builds
about 30 strings per token, most of them a neighbour's feature with a prefix ("-1w=the") or a pair of
words; python-crfsuite then looks each one up again. Here a token's own features are looked up by the
strings the token table already holds, a neighbour's by that neighbour's string in a table per prefix,
a pair by its two parts; the rows are summed in ``cue_sequence``'s order and the Viterbi path is
CRFsuite's (:mod:`according.extract.crf_model`), so the labels are the same.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy

from ..crf_model import CrfModel
from .features import NEIGHBOURS, TokenTable, sentences


@dataclass(frozen=True)
class CueScorer:
    model: CrfModel
    neighbour: tuple[dict[str, int], ...]  # per NEIGHBOURS prefix: a token's feature -> row of prefix + feature
    pad: tuple[int, ...]  # per NEIGHBOURS prefix: the row of prefix + "pad"
    rule_lemma: dict[str, int]  # "l=x" -> row of "rulecue|l=x"
    joined: dict[tuple[str, str], int]  # ("l=x", "ch=dep") -> row of "l=x|ch=dep"; ("d=dep", "hl=x") likewise
    before: dict[tuple[str, str], int]  # (previous word, word) -> row of "bi=previous_word"
    after: dict[tuple[str, str], int]  # (word, next word) -> row of "bi+=word_next"
    rule: int
    first: int

    @classmethod
    def of(cls, model: CrfModel) -> "CueScorer":
        attrs, unknown = model.attributes, model.unknown

        def prefixed(prefix: str) -> dict[str, int]:
            return {a[len(prefix):]: k for a, k in attrs.items() if a.startswith(prefix)}

        return cls(model, tuple(prefixed(name) for name, _ in NEIGHBOURS),
                   tuple(attrs.get(name + "pad", unknown) for name, _ in NEIGHBOURS),
                   prefixed("rulecue|"), _splits(attrs, "", "|"),
                   _splits(attrs, "bi=", "_"), _splits(attrs, "bi+=", "_"),
                   attrs.get("rulecue", unknown), attrs.get("first", unknown))

    def cues(self, table: TokenTable, rule_heads: set[int]) -> list[list[str]]:
        """The labels of every sentence of the table, as the cue model gives them for ``cue_sequence``.

        The rows are added template by template over the whole doc (a token without a template's
        feature adds the zero row), which keeps each token's own order of ``cue_sequence``'s features."""
        model = self.model
        attrs, unknown, weights = model.attributes, model.unknown, model.state
        base, lower = table.base, table.lower
        n = len(base)
        if not n:
            return []
        # the token's own features, in the table's order (their number varies: padded with the zero row)
        own = [[attrs.get(f, unknown) for f in feats] for feats in base]
        width = max(map(len, own))
        total = _slot_sum(weights, own, width, unknown)
        at = numpy.arange(n)
        sent_start = numpy.asarray(table.sent_start)
        sent_end = numpy.asarray(table.sent_end)
        # a neighbour's four short features (w, l, p, sh) under the four prefixes: 16 rows per distinct word
        seen: dict[tuple[str, str, str, str], list[int]] = {}
        short = []
        for feats in base:
            key = (feats[0], feats[1], feats[2], feats[7])
            rows = seen.get(key)
            if rows is None:
                rows = seen[key] = [prefix.get(f, unknown) for prefix in self.neighbour for f in key]
            short.append(rows)
        short_rows = numpy.array(short, dtype="int64")
        for k, (_, off) in enumerate(NEIGHBOURS):
            j = at + off
            inside = (j >= sent_start) & (j < sent_end)
            j = numpy.clip(j, 0, n - 1)
            for s in range(4):
                total += weights[numpy.where(inside, short_rows[j, 4 * k + s], self.pad[k] if s == 0 else unknown)]
        if rule_heads:
            rule = numpy.full(n, unknown, dtype="int64")
            lemma = numpy.full(n, unknown, dtype="int64")
            for i in rule_heads:
                if 0 <= i < n:
                    rule[i] = self.rule
                    lemma[i] = self.rule_lemma.get(base[i][1], unknown)
            total += weights[rule]
            total += weights[lemma]
        children = table.child_features
        if children:
            child_rows = {i: [self.joined.get((base[i][1], f), unknown) for f in fs] for i, fs in children.items()}
            for c in range(max(map(len, child_rows.values()))):
                slot = numpy.full(n, unknown, dtype="int64")
                for i, rows in child_rows.items():
                    if c < len(rows):
                        slot[i] = rows[c]
                total += weights[slot]
        total += weights[numpy.array([self.joined.get((feats[4], feats[5]), unknown) for feats in base], dtype="int64")]
        pairs = list(zip(lower, lower[1:]))
        before = numpy.array([unknown] + [self.before.get(p, unknown) for p in pairs], dtype="int64")
        total += weights[numpy.where(at - 1 >= sent_start, before, unknown)]
        after = numpy.array([self.after.get(p, unknown) for p in pairs] + [unknown], dtype="int64")
        total += weights[numpy.where(at + 1 < sent_end, after, unknown)]
        total += weights[numpy.where(at == sent_start, self.first, unknown)]
        return model.viterbi_all(total, sentences(table))


def _slot_sum(weights: numpy.ndarray, rows: list[list[int]], width: int, unknown: int) -> numpy.ndarray:
    """Row sums of ``weights`` over each token's rows, added slot by slot (each token's own order)."""
    matrix = numpy.array([row + [unknown] * (width - len(row)) for row in rows], dtype="int64")
    total = weights[matrix[:, 0]]
    for k in range(1, width):
        total += weights[matrix[:, k]]
    return total


def _splits(attrs: dict[str, int], prefix: str, sep: str) -> dict[tuple[str, str], int]:
    """(a, b) -> row of prefix + a + sep + b, for every way an attribute splits so (a word may hold sep)."""
    out: dict[tuple[str, str], int] = {}
    for attr, k in attrs.items():
        if not attr.startswith(prefix):
            continue
        rest = attr[len(prefix):]
        at = rest.find(sep)
        while at >= 0:
            out.setdefault((rest[:at], rest[at + len(sep):]), k)
            at = rest.find(sep, at + 1)
    return out
