"""The cue CRF's labels without its feature strings: ``cue_sequence``'s features read as model rows.

``cue_sequence`` (what the cue model was trained on, and still the definition of its features) builds
about 30 strings per token, most of them a neighbour's feature under a prefix ("-1w=the") or a pair of
words, and python-crfsuite looks each one up in the model again. Here each feature template is one
column over the doc: a value is looked up in the model's attributes of that template (the attribute
with the prefix taken off), the rows are summed in numpy template by template, in ``cue_sequence``'s
order, and the Viterbi path is CRFsuite's (:mod:`according.extract.crf_model`). The labels are the same
as python-crfsuite's for ``cue_sequence`` (tests/test_cue_scores.py compares them).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Iterable, Mapping, Optional

import numpy

from ..crf_model import CrfModel
from .features import NEIGHBOURS, TokenTable, sentences

_OWN = ("w=", "l=", "p=", "t=", "d=", "hl=", "hp=", "sh=", "s3=", "q=", "e=", "cuelex=")
_SHORT = ("w=", "l=", "p=", "sh=")  # what a neighbour contributes (``features._short``)


@dataclass(frozen=True)
class CueScorer:
    model: CrfModel
    own: dict[str, dict[str, int]]  # template prefix -> value -> row of prefix + value
    neighbour: tuple[tuple[dict[str, int], ...], ...]  # per NEIGHBOURS, per _SHORT: value -> row
    pad: tuple[int, ...]  # per NEIGHBOURS: the row of its "pad" feature
    flags: dict[str, int]  # "qm", "cuenoun", "srclex", "nl", "rulecue", "first" -> row
    children: dict[str, int]  # dep -> row of "ch=dep"
    rule_lemma: dict[str, int]  # lemma -> row of "rulecue|l=lemma"
    lemma_child: dict[tuple[str, str], int]  # (lemma, dep) -> row of "l=lemma|ch=dep"
    dep_head: dict[tuple[str, str], int]  # (dep, head lemma) -> row of "d=dep|hl=head lemma"
    before: dict[tuple[str, str], int]  # (previous word, word) -> row of "bi=previous_word"
    after: dict[tuple[str, str], int]  # (word, next word) -> row of "bi+=word_next"

    @classmethod
    def of(cls, model: CrfModel) -> "CueScorer":
        attrs, unknown = model.attributes, model.unknown

        def prefixed(prefix: str) -> dict[str, int]:
            return {a[len(prefix):]: k for a, k in attrs.items() if a.startswith(prefix)}

        return cls(
            model, {p: prefixed(p) for p in _OWN},
            tuple(tuple(prefixed(name + s) for s in _SHORT) for name, _ in NEIGHBOURS),
            tuple(attrs.get(name + "pad", unknown) for name, _ in NEIGHBOURS),
            {f: attrs.get(f, unknown) for f in ("qm", "cuenoun", "srclex", "nl", "rulecue", "first")},
            prefixed("ch="), prefixed("rulecue|l="), _splits(attrs, "l=", "|ch="), _splits(attrs, "d=", "|hl="),
            _splits(attrs, "bi=", "_"), _splits(attrs, "bi+=", "_"))

    def cues(self, table: TokenTable, rule_heads: set[int]) -> list[list[str]]:
        """The labels of every sentence of the table, as the cue model gives them for ``cue_sequence``.

        Template by template over the whole doc, a token without the template's feature adding the zero
        row: each token's weights are added in the order of its ``cue_sequence`` features, as CRFsuite
        adds them, so the sums are the same to the last bit."""
        model = self.model
        unknown, weights = model.unknown, model.state
        n = len(table.lower)
        if not n:
            return []
        lower, lemma, pos, dep, head = table.lower, table.lemma, table.pos, table.dep, table.head
        flags = self.flags
        at = numpy.arange(n)
        sent_start, sent_end = numpy.asarray(table.sent_start), numpy.asarray(table.sent_end)
        total = numpy.zeros((n, len(model.labels)), dtype="float64")

        def add(rows: numpy.ndarray) -> None:
            nonlocal total
            total += weights[rows]

        def column(rows: Mapping[Hashable, int], values: Iterable[Optional[Hashable]]) -> numpy.ndarray:
            get = rows.get
            return numpy.array([get(v, unknown) for v in values], dtype="int64")

        def coded(values: Iterable[Hashable]) -> tuple[list[Hashable], numpy.ndarray]:
            """The distinct values (first seen first) and each token's index among them: a template is
            looked up once per distinct value, not once per token."""
            index: dict[Hashable, int] = {}
            codes = [index.setdefault(v, len(index)) for v in values]
            return list(index), numpy.array(codes, dtype="int64")

        def flag(name: str, on: Iterable[bool]) -> numpy.ndarray:
            return numpy.where(numpy.fromiter(on, dtype=bool, count=n), flags[name], unknown)

        own = self.own
        words, word_codes = coded(lower)
        lemmas, lemma_codes = coded(lemma)
        tags, tag_codes = coded(pos)
        shapes, shape_codes = coded(table.shape)
        heads = numpy.asarray(head, dtype="int64")
        by_template = (("w=", words, word_codes), ("l=", lemmas, lemma_codes), ("p=", tags, tag_codes),
                       ("t=", *coded(table.tag)), ("d=", *coded(dep)), ("hl=", lemmas, lemma_codes[heads]),
                       ("hp=", tags, tag_codes[heads]), ("sh=", shapes, shape_codes),
                       ("s3=", [x[-3:] for x in words], word_codes), ("q=", *coded(map(str, table.quoted))),
                       ("e=", *coded(table.ent)))  # an empty entity type is no attribute: unknown
        for prefix, distinct, codes in by_template:
            add(column(own[prefix], distinct)[codes])
        # then what only some tokens have, in ``own_features``' order
        add(flag("qm", table.is_quote))
        add(column(own["cuelex="], table.cue_class))
        add(flag("cuenoun", table.cue_noun))
        add(flag("srclex", table.source_like))
        child_deps = table.child_features  # token -> its "ch=dep" features, in the table's order
        deepest = max(map(len, child_deps.values()), default=0)
        child_slots = [numpy.full(n, unknown, dtype="int64") for _ in range(deepest)]
        lemma_slots = [numpy.full(n, unknown, dtype="int64") for _ in range(deepest)]
        for i, features in child_deps.items():
            for c, feature in enumerate(features):
                child_slots[c][i] = self.children.get(feature[3:], unknown)
                lemma_slots[c][i] = self.lemma_child.get((lemma[i], feature[3:]), unknown)
        for slot in child_slots:
            add(slot)
        add(flag("nl", table.newline))
        short = ((words, word_codes), (lemmas, lemma_codes), (tags, tag_codes), (shapes, shape_codes))
        for k, (_, off) in enumerate(NEIGHBOURS):
            j = at + off
            inside = (j >= sent_start) & (j < sent_end)
            j = numpy.clip(j, 0, n - 1)
            for s, (distinct, codes) in enumerate(short):
                rows = column(self.neighbour[k][s], distinct)[codes[j]]
                add(numpy.where(inside, rows, self.pad[k] if s == 0 else unknown))
        if rule_heads:
            rule = numpy.full(n, unknown, dtype="int64")
            rule_lemma = numpy.full(n, unknown, dtype="int64")
            for i in rule_heads:
                if 0 <= i < n:
                    rule[i] = flags["rulecue"]
                    rule_lemma[i] = self.rule_lemma.get(lemma[i], unknown)
            add(rule)
            add(rule_lemma)
        for slot in lemma_slots:
            add(slot)
        add(column(self.dep_head, zip(dep, [lemma[h] for h in head])))
        pairs = list(zip(lower, lower[1:]))
        before = numpy.concatenate(([unknown], column(self.before, pairs))).astype("int64")
        add(numpy.where(at - 1 >= sent_start, before, unknown))
        after = numpy.concatenate((column(self.after, pairs), [unknown])).astype("int64")
        add(numpy.where(at + 1 < sent_end, after, unknown))
        add(numpy.where(at == sent_start, flags["first"], unknown))
        return model.viterbi_all(total, sentences(table))


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
