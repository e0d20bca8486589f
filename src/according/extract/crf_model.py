"""A CRFsuite model file read into arrays, and its Viterbi path computed as CRFsuite computes it.

python-crfsuite takes a token's features as strings and looks each one up in the model's attribute
dictionary on every ``set``; building those strings and handing them over is most of what tagging
costs. With the weights in hand, a tagger can look its features up itself (by the strings it already
has, or by parts of them) and sum the weights in numpy. The labels come out the same: CRFsuite's state
score of a token is the sum of its attributes' weights in the order given, an attribute the model does
not know adds nothing, and the Viterbi below makes CRFsuite's comparisons in CRFsuite's order
(``crf1d_context.c``), so ties fall the same way.

The file format is CRFsuite's CRF1d model (``crf1d_model.c``): a header, a chunk of features (type,
source, destination, a double weight) and two CQDB string tables, for labels and attributes.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy

from ..errors import ModelFileError

_HEADER = "<4sI4sIIIIIIIII"  # magic, size, type, version, features, labels, attributes, five offsets
_STATE, _TRANSITION = 0, 1


@dataclass(frozen=True)
class CrfModel:
    labels: tuple[str, ...]
    attributes: dict[str, int]  # attribute string -> its row in ``state``
    state: numpy.ndarray  # float64 [attributes + 1, labels]; the last row (``unknown``) is all zeros
    transition: tuple[tuple[float, ...], ...]  # [from label][to label]

    @property
    def _into(self) -> tuple[tuple[float, ...], ...]:
        """[to label][from label]: the transitions into each label."""
        return tuple(zip(*self.transition))

    @property
    def unknown(self) -> int:
        """The row an attribute the model does not know reads: zeros, so it adds nothing."""
        return len(self.attributes)

    @classmethod
    def read(cls, path: str | Path) -> "CrfModel":
        data = Path(path).read_bytes()
        try:
            return cls._parse(data, str(path))
        except (struct.error, IndexError, UnicodeDecodeError) as exc:  # offsets or sizes past the end
            raise ModelFileError(str(path), f"damaged CRFsuite model ({exc})") from exc

    @classmethod
    def _parse(cls, data: bytes, path: str) -> "CrfModel":
        if len(data) < struct.calcsize(_HEADER):
            raise ModelFileError(path, "too short for a CRFsuite model")
        (magic, _, kind, _, _, n_labels, n_attrs, off_features, off_labels, off_attrs, _, _) = struct.unpack_from(_HEADER, data, 0)
        if magic != b"lCRF" or kind != b"FOMC":
            raise ModelFileError(path, f"not a CRFsuite first-order CRF model (magic {magic!r}, type {kind!r})")
        labels = _cqdb_strings(data, off_labels, path)
        attributes = _cqdb_strings(data, off_attrs, path)
        if len(labels) != n_labels or len(attributes) != n_attrs:
            raise ModelFileError(path, "header and string tables disagree")
        state = numpy.zeros((n_attrs + 1, n_labels), dtype="float64")
        transition = [[0.0] * n_labels for _ in range(n_labels)]
        chunk, _, count = struct.unpack_from("<4sII", data, off_features)
        if chunk != b"FEAT":
            raise ModelFileError(path, "no feature chunk where the header says")
        for kind_, src, dst, weight in struct.iter_unpack("<IIId", data[off_features + 12:off_features + 12 + 20 * count]):
            if kind_ == _STATE:
                state[src, dst] = weight
            elif kind_ == _TRANSITION:
                transition[src][dst] = weight
        return cls(tuple(labels), {a: k for k, a in enumerate(attributes)}, state, tuple(map(tuple, transition)))

    def viterbi_all(self, scores: numpy.ndarray, spans: list[tuple[int, int]]) -> list[list[str]]:
        """``viterbi`` over each (start, end) run of rows of ``scores`` [tokens, labels], all the runs
        at once: step t of every run still going is one numpy operation (the same additions and
        comparisons as ``viterbi``; numpy's argmax keeps the first of equal scores, as CRFsuite does)."""
        if not spans:
            return []
        order = sorted(range(len(spans)), key=lambda r: spans[r][0] - spans[r][1])  # longest first
        starts = numpy.array([spans[r][0] for r in order], dtype="int64")
        lengths = numpy.array([spans[r][1] - spans[r][0] for r in order], dtype="int64")
        into = numpy.array(self.transition, dtype="float64")[None, :, :]  # [1, from, to]
        longest = int(lengths[0])
        # every run's scores step by step, [steps, runs, labels], in one gather (past a run's end: any row)
        steps = scores.take(numpy.minimum(starts[None, :] + numpy.arange(longest)[:, None], len(scores) - 1), axis=0)
        prev = steps[0].copy()  # [runs, labels]
        live_at = numpy.searchsorted(-lengths, -numpy.arange(longest), side="left").tolist()  # runs longer than t
        back = []
        for t in range(1, longest):
            live = live_at[t]
            options = prev[:live, :, None] + into  # [runs, from, to]
            back.append(options.argmax(axis=1))
            # in place: a finished run keeps its last scores (the runs still going come first)
            prev[:live] = options.max(axis=1) + steps[t, :live]
        ends = prev.argmax(axis=1)  # the label each run ends on
        runs = numpy.arange(len(spans))
        paths = numpy.zeros((len(spans), longest), dtype="int64")
        paths[runs, lengths - 1] = ends
        for t in range(longest - 1, 0, -1):
            live = live_at[t]
            paths[:live, t - 1] = back[t - 1][runs[:live], paths[:live, t]]
        names = numpy.array(self.labels, dtype=object)[paths].tolist()
        out: list[list[str]] = [[] for _ in spans]
        for k, r in enumerate(order):
            out[r] = names[k][:lengths[k]]
        return out

    def viterbi(self, scores: list[list[float]]) -> list[str]:
        """The best label path over one sequence's state scores (``crf1dc_viterbi``)."""
        if not scores:
            return []
        into = self._into
        prev = list(scores[0])
        back: list[list[int]] = [[]]
        for state in scores[1:]:
            cur, edges = [], []
            for j, column in enumerate(into):
                options = [p + t for p, t in zip(prev, column)]
                best = max(options)  # the first of equal scores, as CRFsuite's strict comparison keeps
                edges.append(options.index(best))
                cur.append(best + state[j])
            back.append(edges)
            prev = cur
        last = prev.index(max(prev))
        path = [last]
        for t in range(len(scores) - 1, 0, -1):
            last = back[t][last]
            path.append(last)
        labels = self.labels
        return [labels[k] for k in reversed(path)]


def _cqdb_strings(data: bytes, offset: int, path: str) -> list[str]:
    """The strings of a CQDB table, by id (its backward array holds each record's offset)."""
    chunk, _, _, _, count, backward = struct.unpack_from("<4sIIIII", data, offset)
    if chunk != b"CQDB":
        raise ModelFileError(str(path), "no string table where the header says")
    out = []
    for k, record in enumerate(struct.unpack_from(f"<{count}I", data, offset + backward)):
        rid, size = struct.unpack_from("<II", data, offset + record)
        if rid != k:
            raise ModelFileError(str(path), "string table out of order")
        out.append(data[offset + record + 8:offset + record + 7 + size].decode("utf-8"))
    return out
