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

from dataclasses import dataclass, field
from typing import Iterable, Mapping

import numpy
from spacy.strings import get_string_id

from ..crf_model import CrfModel
from ..doc_views import columns
from .features import NEIGHBOURS, TokenTable, sentences

_OWN = ("w=", "l=", "p=", "t=", "d=", "hl=", "hp=", "sh=", "s3=", "q=", "e=", "cuelex=")
_SHORT = ("w=", "l=", "p=", "sh=")  # what a neighbour contributes (``features._short``)
_SHAPES = ("X", "XX", "d", "p", "x")  # ``features._shape``'s values, in the order it tests them


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
    # the maps above looked up by string id, grouped by the column they read ("lower": "w=", "-2w=" ...
    # "2w=", then the first and second halves of the ``before`` and ``after`` keys; "lemma": "l=", "hl=",
    # "-2l=" ... "2l=", the second halves of the ``dep_head`` keys; "pos": "p=", "hp=", "-2p=" ... "2p=";
    # "dep": "d=", the first halves of the ``dep_head`` keys; "t="; "e="): a token without both halves
    # of a pair template has no feature of it
    keyed: dict[str, "_Keyed"] = field(default_factory=dict)

    @classmethod
    def of(cls, model: CrfModel) -> "CueScorer":
        attrs, unknown = model.attributes, model.unknown

        def prefixed(prefix: str) -> dict[str, int]:
            return {a[len(prefix):]: k for a, k in attrs.items() if a.startswith(prefix)}

        dep_head, before, after = _splits(attrs, "d=", "|hl="), _splits(attrs, "bi=", "_"), _splits(attrs, "bi+=", "_")
        pairs = {**before, **after}
        halves = ({a: 0 for a, _ in dep_head}, {b: 0 for _, b in dep_head}, {a: 0 for a, _ in pairs}, {b: 0 for _, b in pairs})
        neighbours = [[prefixed(name + s) for name, _ in NEIGHBOURS] for s in ("w=", "l=", "p=")]
        keyed = {"lower": _Keyed.of([prefixed("w="), *neighbours[0], halves[2], halves[3]], unknown),
                 "lemma": _Keyed.of([prefixed("l="), prefixed("hl="), *neighbours[1], halves[1]], unknown),
                 "pos": _Keyed.of([prefixed("p="), prefixed("hp="), *neighbours[2]], unknown),
                 "dep": _Keyed.of([prefixed("d="), halves[0]], unknown),
                 "t=": _Keyed.of([prefixed("t=")], unknown), "e=": _Keyed.of([prefixed("e=")], unknown)}
        return cls(
            model, {p: prefixed(p) for p in _OWN},
            tuple(tuple(prefixed(name + s) for s in _SHORT) for name, _ in NEIGHBOURS),
            tuple(attrs.get(name + "pad", unknown) for name, _ in NEIGHBOURS),
            {f: attrs.get(f, unknown) for f in ("qm", "cuenoun", "srclex", "nl", "rulecue", "first")},
            prefixed("ch="), prefixed("rulecue|l="), _splits(attrs, "l=", "|ch="), dep_head, before, after, keyed)

    def cues(self, table: TokenTable, rule_heads: set[int]) -> list[list[str]]:
        """The labels of every sentence of the table, as the cue model gives them for ``cue_sequence``.

        Template by template over the whole doc, a token without the template's feature adding the zero
        row: each token's weights are added in the order of its ``cue_sequence`` features, as CRFsuite
        adds them, so the sums are the same to the last bit. A template's rows are found for the whole
        column at once, by the columns' string ids (:class:`_Keyed`)."""
        model = self.model
        unknown, weights = model.unknown, model.state
        n = len(table.lower)
        if not n:
            return []
        cols = columns(table.doc)
        _, lower_ids, _, pos_ids, tag_ids, dep_ids, ent_ids = cols.ids
        lemma_ids = cols.lemma_ids
        lemma = table.lemma
        flags, keyed = self.flags, self.keyed
        at = numpy.arange(n)
        sent_start, sent_end = numpy.asarray(table.sent_start), numpy.asarray(table.sent_end)
        templates: list[numpy.ndarray] = []  # each template's row per token, in the order CRFsuite adds them
        add = templates.append

        def flag(name: str, on: Iterable[bool]) -> numpy.ndarray:
            return numpy.where(numpy.fromiter(on, dtype=bool, count=n), flags[name], unknown)

        own = self.own
        heads = numpy.asarray(table.head, dtype="int64")
        title, upper, digit, punct = (numpy.fromiter(f, dtype=bool, count=n)
                                      for f in (cols.is_title, cols.is_upper, cols.is_digit, cols.is_punct))
        shape_codes = numpy.select([title, upper, digit, punct], [0, 1, 2, 3], 4)  # features._shape's order
        quoted = numpy.asarray(table.quoted, dtype="int64")
        depths = numpy.unique(quoted)
        q_rows = numpy.full(int(depths[-1]) + 1, unknown, dtype="int64")
        q_rows[depths] = [own["q="].get(str(d), unknown) for d in depths.tolist()]
        s3 = own["s3="]
        by_lower = keyed["lower"].rows_of(lower_ids, unknown)  # [n, templates]: w=, -2w=, -1w=, 1w=, 2w=, bi=_, _bi=
        by_lemma = keyed["lemma"].rows_of(lemma_ids, unknown)  # l=, hl=, -2l=, -1l=, 1l=, 2l=, |hl=
        by_pos = keyed["pos"].rows_of(pos_ids, unknown)  # p=, hp=, -2p=, -1p=, 1p=, 2p=
        by_dep = keyed["dep"].rows_of(dep_ids, unknown)  # d=, d=|
        add(by_lower[:, 0])
        add(by_lemma[:, 0])
        add(by_pos[:, 0])
        add(keyed["t="].rows_of(tag_ids, unknown)[:, 0])
        add(by_dep[:, 0])
        add(by_lemma[heads, 1])
        add(by_pos[heads, 1])
        add(numpy.array([own["sh="].get(x, unknown) for x in _SHAPES], dtype="int64")[shape_codes])
        add(numpy.array([s3.get(x[-3:], unknown) for x in table.lower], dtype="int64"))
        add(q_rows[quoted])
        add(keyed["e="].rows_of(ent_ids, unknown)[:, 0])  # an empty entity type is no attribute: unknown
        # then what only some tokens have, in ``own_features``' order
        add(flag("qm", table.is_quote))
        cuelex = own["cuelex="]
        add(numpy.array([cuelex.get(x, unknown) for x in table.cue_class], dtype="int64"))
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
        for k, (_, off) in enumerate(NEIGHBOURS):
            j = at + off
            inside = (j >= sent_start) & (j < sent_end)
            j = numpy.clip(j, 0, n - 1)
            shape_rows = numpy.array([self.neighbour[k][3].get(x, unknown) for x in _SHAPES], dtype="int64")
            for s, rows in enumerate((by_lower[j, k + 1], by_lemma[j, k + 2], by_pos[j, k + 2], shape_rows[shape_codes[j]])):
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
        # the pair templates, looked up only where both halves occur in some attribute of theirs
        lower, dep, head = table.lower, table.dep, table.head
        dep_head = numpy.full(n, unknown, dtype="int64")
        get = self.dep_head.get
        candidates = (by_dep[:, 1] != unknown) & (by_lemma[heads, 6] != unknown)
        for i in numpy.flatnonzero(candidates).tolist():
            dep_head[i] = get((dep[i], lemma[head[i]]), unknown)
        add(dep_head)
        before = numpy.full(n, unknown, dtype="int64")  # "bi=" + word before + "_" + word, at the word
        after = numpy.full(n, unknown, dtype="int64")  # "bi+=" + word + "_" + next word, at the word
        get_before, get_after = self.before.get, self.after.get
        for i in numpy.flatnonzero((by_lower[:-1, 5] != unknown) & (by_lower[1:, 6] != unknown)).tolist():
            pair = (lower[i], lower[i + 1])
            before[i + 1] = get_before(pair, unknown)
            after[i] = get_after(pair, unknown)
        add(numpy.where(at - 1 >= sent_start, before, unknown))
        add(numpy.where(at + 1 < sent_end, after, unknown))
        add(numpy.where(at == sent_start, flags["first"], unknown))
        # summed over the templates in order (numpy reduces the first axis one row after another);
        # ``take`` gathers the rows several times faster than indexing
        total = weights.take(numpy.stack(templates), axis=0).sum(axis=0)
        return model.viterbi_all(total, sentences(table))


@dataclass(frozen=True)
class _Keyed:
    """Templates' value -> row maps over spaCy string ids (``get_string_id`` of each value), so that a
    whole column of ids (``Columns.ids``) is looked up for several templates in one ``searchsorted``."""

    ids: numpy.ndarray  # uint64, ascending: every value some template holds
    rows: numpy.ndarray  # int64 [ids, templates]: the row of each value in each template, or ``unknown``

    @classmethod
    def of(cls, templates: list[Mapping[str, int]], unknown: int) -> "_Keyed":
        by_id: dict[int, list[int]] = {}
        for t, rows in enumerate(templates):
            for value, row in rows.items():
                slots = by_id.setdefault(get_string_id(value), [unknown] * len(templates))
                if slots[t] == unknown:
                    slots[t] = row
        ordered = sorted(by_id.items())
        return cls(numpy.array([i for i, _ in ordered], dtype="uint64"),
                   numpy.array([r for _, r in ordered], dtype="int64").reshape(len(ordered), len(templates)))

    def rows_of(self, ids: numpy.ndarray, unknown: int) -> numpy.ndarray:
        """[len(ids), templates]: the row of each id's value in each template (``unknown`` where it has none)."""
        if not len(self.ids):
            return numpy.full((len(ids), self.rows.shape[1]), unknown, dtype="int64")
        at = numpy.minimum(numpy.searchsorted(self.ids, ids), len(self.ids) - 1)
        return numpy.where((self.ids.take(at) == ids)[:, None], self.rows.take(at, axis=0), unknown)


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
