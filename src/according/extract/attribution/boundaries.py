"""Second thoughts on where a content starts and ends, learned from PolNeAR train.

The role CRF labels tokens one by one, and its contents are often right but for a boundary: a trailing
", who is 70" or "on Twitter", a start that swallows the cue's own words, an end at the first clause or
before a closing quote. This step takes each found content and, for its start and then its end, scores
candidates near the boundary found (every token within ``NEAR``, and further off, up to ``FAR_START`` /
``FAR_END``, only breaks: after punctuation, before a phrase that hangs higher up) with a linear model
over the words, tags and dependencies at the candidate, which of the cue's phrases it starts or ends, and
what lies between it and the boundary found; the best scoring candidate wins when it scores more than a
margin above the boundary found (which is a candidate too, and a feature says so). A content never grows
over its cue or its source, and a typographic attribution (a speaker's line, a dash credit) keeps its line.
The trainer keeps a side's model only when it pays on held-out PolNeAR train: the shipped model re-chooses
ends only (re-chosen starts gained 0.2% of boundaries there, ends 0.7%).

The weights are trained by ``train/train_attribution_boundaries.py`` (a conditional logit over the
candidates of one boundary, on the contents that role CRFs trained on other folds of PolNeAR train find)
and ship in ``according/models/attribution/``. Without them contents stay as found.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Optional

from spacy.tokens import Doc

from ..doc_views import Columns, columns
from .rules import RawAttribution

MODEL_PACKAGE = "according.models.attribution"
BOUNDARY_FILE = "boundaries-polnear-v1.json"
VIEW_KEY = "according.boundary_view"
NEAR = 4  # tokens either side of a found boundary that may take its place
FAR_START, FAR_END = 16, 40  # further off, only breaks may
# the dependency of the phrase a far start candidate begins, or the phrase a far end candidate is followed by
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "conj", "mark", "nsubj", "nsubjpass", "dobj", "pobj", "csubj",
                          "expl", "aux", "neg", "advmod", "cc", "prep"})
_ATTACHED_DEPS = frozenset({"prep", "advcl", "relcl", "conj", "cc", "acl", "npadvmod", "mark", "appos", "dative",
                            "agent", "advmod", "punct", "parataxis", "ccomp", "xcomp", "dobj", "nsubj"})
_COMPLEMENTIZERS = frozenset({"that", "whether", "if"})
_BETWEEN_WORDS = frozenset({"who", "which", "where", "when", "because", "as", "after", "but", "and", "while"})
_BETWEEN_PUNCT = frozenset({",", ";", ":", "—", "–", "-", "(", ")"})


def load_boundary_model() -> Optional["BoundaryModel"]:
    """The shipped boundary model, or None when its file is missing (contents stay as found)."""
    path = resources.files(MODEL_PACKAGE).joinpath(BOUNDARY_FILE)
    if not path.is_file():
        return None
    return BoundaryModel.from_dict(json.loads(path.read_text(encoding="utf-8")))


@dataclass
class Candidate:
    """One position a boundary may take, with its features in three parts: the position's own (the same
    for every content), the content's (offset, cue phrases), and what lies between it and the boundary
    found (``between[:size]``, a list shared by the candidates on one side, prefixed by ``direction``)."""

    position: int
    own: list[str]
    dyn: list[str]
    between: list[str]
    size: int
    direction: str

    def features(self) -> list[str]:
        """All the candidate's feature strings, as the trainer sees them."""
        return self.own + self.dyn + [self.direction + "|" + f for f in self.between[:self.size]]


@dataclass(frozen=True)
class BoundaryModel:
    start_weights: dict[str, float]
    end_weights: dict[str, float]
    # a candidate replaces the boundary found only when it scores more than this above it (chosen on
    # held-out halves of PolNeAR train by the trainer)
    start_margin: float = 0.0
    end_margin: float = 0.0

    @classmethod
    def from_dict(cls, data: dict) -> "BoundaryModel":
        margin = data.get("margin", {})
        return cls(data["start"], data["end"], margin.get("start", 0.0), margin.get("end", 0.0))

    def revise(self, doc: Doc, raws: list[RawAttribution]) -> list[RawAttribution]:
        """The attributions with each content's outer start and end chosen again."""
        if not any(r.content is not None for r in raws):
            return raws
        view = BoundaryView.of(doc)
        start_scores, end_scores = view.scores.setdefault(id(self), ({}, {}))
        out = []
        for raw in raws:
            if raw.content is None or raw.layout:  # a speaker's line, a dash credit: the content is the line
                out.append(raw)
                continue
            start, end = raw.content
            fragments = raw.content_fragments
            best_start = best_end = None
            if self.start_weights:
                best_start = _best(start_scores, self.start_weights, start_candidates(view, raw), start, self.start_margin)
            if best_start is None or best_start >= (fragments[0][1] if fragments else end):
                best_start = start
            last_start = fragments[-1][0] if len(fragments) > 1 else best_start
            if self.end_weights:
                best_end = _best(end_scores, self.end_weights, end_candidates(view, raw, last_start), end, self.end_margin)
            if best_end is None:
                best_end = end
            if (best_start, best_end) == (start, end):
                out.append(raw)
                continue
            if len(fragments) > 1:
                fragments = ((best_start, fragments[0][1]),) + fragments[1:-1] + ((fragments[-1][0], best_end),)
            out.append(replace(raw, content=(best_start, best_end), content_fragments=fragments))
        return out


def _best(own_scores: dict[int, float], weights: dict[str, float], candidates: list[Candidate], found: int,
          margin: float) -> Optional[int]:
    """The best scoring candidate, or ``found`` unless the best scores more than ``margin`` above it."""
    best, best_score, found_score = None, 0.0, None
    sums: dict[int, list[float]] = {}  # id of a between list -> its running sums of weights
    for cand in candidates:
        own = own_scores.get(cand.position)
        if own is None:
            own = own_scores[cand.position] = sum(weights.get(f, 0.0) for f in cand.own)
        running = sums.get(id(cand.between))
        if running is None:
            running = sums[id(cand.between)] = [0.0]
        while len(running) <= cand.size:
            running.append(running[-1] + weights.get(cand.direction + "|" + cand.between[len(running) - 1], 0.0))
        score = own + running[cand.size] + sum(weights.get(f, 0.0) for f in cand.dyn)
        if cand.position == found:
            found_score = score
        if best is None or score > best_score:
            best, best_score = cand.position, score
    if found_score is not None and best_score - found_score <= margin:
        return found
    return best


@dataclass(frozen=True)
class BoundaryView:
    """What the candidates read, per doc: the columns and each token's subtree edges and edge phrases."""

    cols: Columns
    left: list[int]  # left edge of each token's subtree
    right: list[int]
    starts_dep: list[str]  # the dependency of the largest subtree that starts at each token
    ends_dep: list[str]  # ... that ends at each token
    ends_head: list[int]  # the head of the largest subtree that ends at each token
    starts_head: list[int]
    n: int
    own_start: dict = field(default_factory=dict)  # position -> its own start features
    own_end: dict = field(default_factory=dict)
    between: dict = field(default_factory=dict)  # token -> what it adds to a run between boundaries
    scores: dict = field(default_factory=dict)  # model id -> (start, end): position -> score of its own features

    @classmethod
    def of(cls, doc: Doc) -> "BoundaryView":
        """The view of ``doc``, built once and kept in its user data."""
        held = doc.user_data.get(VIEW_KEY)
        if held is None:
            held = doc.user_data[VIEW_KEY] = cls.build(doc)
        return held

    @classmethod
    def build(cls, doc: Doc) -> "BoundaryView":
        cols, n = columns(doc), len(doc)
        head = cols.head
        # each token's subtree edges, children before parents (deepest first)
        depth = [-1] * n
        for i in range(n):
            path = []
            node = i
            while depth[node] < 0 and head[node] != node and len(path) < 256:
                path.append(node)
                node = head[node]
            base = depth[node] if depth[node] >= 0 else 0
            if depth[node] < 0:
                depth[node] = 0
            for k, tok in enumerate(reversed(path)):
                depth[tok] = base + k + 1
        left, right = list(range(n)), list(range(n))
        for i in sorted(range(n), key=depth.__getitem__, reverse=True):
            parent = head[i]
            if parent != i:
                if left[i] < left[parent]:
                    left[parent] = left[i]
                if right[i] > right[parent]:
                    right[parent] = right[i]
        starts_node, ends_node = list(range(n)), list(range(n))
        for i in range(n):  # climb while the parent's subtree starts (ends) here too
            for edge, nodes in ((left, starts_node), (right, ends_node)):
                node = i
                for _ in range(64):
                    parent = head[node]
                    if parent == node or edge[parent] != i:
                        break
                    node = parent
                nodes[i] = node
        dep = cols.dep
        return cls(cols, left, right, [dep[k] for k in starts_node], [dep[k] for k in ends_node],
                   [head[k] for k in ends_node], [head[k] for k in starts_node], n)


def _offset(d: int) -> str:
    a = abs(d)
    bucket = str(a) if a <= 3 else "4" if a <= 4 else "8" if a <= 8 else "16" if a <= 16 else "far"
    return ("-" if d < 0 else "+") + bucket


def _token_between(view: BoundaryView, k: int) -> list[str]:
    """What token ``k`` adds to the run between a candidate and the boundary found (kept per doc; the
    caller adds "bsrc" and "bsent", which depend on the attribution and the direction)."""
    held = view.between.get(k)
    if held is None:
        c = view.cols
        held = []
        w = c.lower[k]
        if w in _BETWEEN_PUNCT:
            held.append("b" + w)
        elif c.is_quote[k]:
            held.append("bq")
        if c.pos[k] in ("VERB", "AUX"):
            held.append("bverb")
        if w in _BETWEEN_WORDS:
            held.append("bw=" + w)
        if c.ent_type[k] in ("DATE", "TIME"):
            held.append("bdate")
        view.between[k] = held
    return held


def _grow(between: list[str], seen: set, feats: list[str], source: bool, cross: bool) -> None:
    for f in feats:
        if f not in seen:
            seen.add(f)
            between.append(f)
    if source and "bsrc" not in seen:
        seen.add("bsrc")
        between.append("bsrc")
    if cross and "bsent" not in seen:
        seen.add("bsent")
        between.append("bsent")


def side_of(raw: RawAttribution) -> str:
    """Where the content lies: after its cue, before it, or around it."""
    return "after" if raw.content[0] >= raw.cue[1] else "before" if raw.content[1] <= raw.cue[0] else "around"


def own_start(view: BoundaryView, s: int) -> list[str]:
    """A start candidate's features that depend on its position alone (kept per doc)."""
    held = view.own_start.get(s)
    if held is None:
        c = view.cols
        prev = s - 1
        pw = c.lower[prev] if prev >= 0 else "<s>"
        pp = c.pos[prev] if prev >= 0 else "<s>"
        held = ["w=" + c.lower[s], "p=" + c.pos[s], "d=" + c.dep[s], "pw=" + pw, "pp=" + pp,
                "pp|p=" + pp + "|" + c.pos[s], "pw|p=" + pw + "|" + c.pos[s], "le=" + view.starts_dep[s]]
        if c.sent_start[s] == s:
            held.append("sstart")
        if c.is_quote[s]:
            held.append("q")
        if prev >= 0 and c.is_quote[prev]:
            held.append("pq")
        if c.lower[s] in _COMPLEMENTIZERS:
            held.append("comp")
        view.own_start[s] = held
    return held


def own_end(view: BoundaryView, e: int) -> list[str]:
    """An end candidate's features that depend on its position alone (kept per doc)."""
    held = view.own_end.get(e)
    if held is None:
        c = view.cols
        last = e - 1
        nw = c.lower[e] if e < view.n else "</s>"
        np_ = c.pos[e] if e < view.n else "</s>"
        held = ["w=" + c.lower[last], "p=" + c.pos[last], "d=" + c.dep[last], "nw=" + nw, "np=" + np_,
                "p|np=" + c.pos[last] + "|" + np_, "p|nw=" + c.pos[last] + "|" + nw, "re=" + view.ends_dep[last]]
        if c.sent_end[last] == e:
            held.append("send")
        if c.is_quote[last]:
            held.append("q")
        if e < view.n and c.is_quote[e]:
            held.append("nq")
        if e < view.n:
            held.append("nle=" + view.starts_dep[e])
        view.own_end[e] = held
    return held


def _cue_phrases(view: BoundaryView, raw: RawAttribution) -> list[tuple[str, int, int]]:
    """The cue's dependents (and the cue's whole subtree as "cue"), each with the edges of its subtree."""
    c = view.cols
    head = raw.cue_head
    out = [(c.dep[k], view.left[k], view.right[k]) for k in c.children(head) if not raw.cue[0] <= k < raw.cue[1]]
    out.append(("cue", view.left[head], view.right[head]))
    return out


def _phrase_marks(phrases: list[tuple[str, int, int]], lo: int, hi: int, left: bool) -> dict[int, list[str]]:
    """Per token in [lo, hi): which of the cue's phrases it starts (``left``) or ends, and which holds it."""
    marks: dict[int, list[str]] = {}
    prefix = "cle=" if left else "cre="
    for dep, a, b in phrases:
        edge = a if left else b
        if lo <= edge < hi:
            marks.setdefault(edge, []).append(prefix + dep)
    for dep, a, b in phrases:
        if dep == "cue":
            continue
        for i in range(max(lo, a), min(hi, b + 1)):
            held = marks.setdefault(i, [])
            if not held or not held[-1].startswith("cin="):
                held.append("cin=" + dep)
    for held in marks.values():
        if not held[-1].startswith("cin="):
            held.append("cin=-")
    return marks


_NOT_IN = ("cin=-",)


def start_candidates(view: BoundaryView, raw: RawAttribution) -> list[Candidate]:
    """Where the content may start: the found start, the tokens within ``NEAR`` of it, and breaks within
    ``FAR_START``; before its first fragment's end, never taking in the cue or the source."""
    c = view.cols
    found, end = raw.content
    limit = raw.content_fragments[0][1] if raw.content_fragments else end
    side = side_of(raw)
    head, cue, source = raw.cue_head, raw.cue, raw.source
    marks = _phrase_marks(_cue_phrases(view, raw), found - FAR_START, found + FAR_START + 1, True)
    out: list[Candidate] = []
    for direction, positions in (("add", range(found - 1, max(0, found - FAR_START) - 1, -1)),
                                 ("drop", range(found, min(limit, found + FAR_START + 1)))):
        between: list[str] = []
        seen: set = set()
        for s in positions:
            if direction == "add":
                if cue[0] <= s < cue[1] or (source is not None and source[0] <= s < source[1]):
                    break
                _grow(between, seen, _token_between(view, s), False, c.sent_start[s + 1] == s + 1)
            elif s > found:
                k = s - 1
                _grow(between, seen, _token_between(view, k), source is not None and source[0] <= k < source[1],
                      k > found and c.sent_start[k] == k)
            d = s - found
            if d and (c.is_space[s] or (abs(d) > NEAR and not (
                    s == 0 or c.is_punct[s - 1] or c.is_quote[s] or c.sent_start[s] == s or s == cue[1]
                    or view.starts_dep[s] in _CLAUSE_DEPS))):
                continue
            off = _offset(d)
            dyn = ["off=" + off, "off|" + side + "=" + off, "le|off=" + view.starts_dep[s] + "|" + off,
                   "leh=" + ("cue" if view.starts_head[s] == head else "other") + "|" + off]
            if d == 0:
                dyn.append("found")
                dyn.append("found|" + side)
            if s == cue[1]:
                dyn.append("aftercue")
            if s and cue[0] <= s - 1 < cue[1]:
                dyn.append("pcue")
            if s and source is not None and source[0] <= s - 1 < source[1]:
                dyn.append("psrc")
            dyn.extend(marks.get(s, _NOT_IN))
            out.append(Candidate(s, own_start(view, s), dyn, between, len(between), direction))
    return out


def end_candidates(view: BoundaryView, raw: RawAttribution, start: int) -> list[Candidate]:
    """Where the content may end (exclusive): the found end, the boundaries within ``NEAR`` of it, and
    breaks within ``FAR_END``; after ``start``, never taking in the cue or the source."""
    c = view.cols
    found = raw.content[1]
    side = side_of(raw)
    head, cue, source = raw.cue_head, raw.cue, raw.source
    marks = _phrase_marks(_cue_phrases(view, raw), found - FAR_END - 1, found + FAR_END, False)
    n = view.n
    out: list[Candidate] = []
    for direction, positions in (("add", range(found + 1, min(n, found + FAR_END) + 1)),
                                 ("drop", range(found, max(start + 1, found - FAR_END) - 1, -1))):
        between: list[str] = []
        seen: set = set()
        for e in positions:
            last = e - 1
            if direction == "add":
                if cue[0] <= last < cue[1] or (source is not None and source[0] <= last < source[1]):
                    break
                _grow(between, seen, _token_between(view, last), False, c.sent_start[last] == last)
            elif e < found:
                _grow(between, seen, _token_between(view, e), source is not None and source[0] <= e < source[1],
                      e + 1 < found and c.sent_start[e + 1] == e + 1)
            d = e - found
            if d and (c.is_space[last] or (abs(d) > NEAR and not (
                    e >= n or c.is_punct[e] or c.sent_end[last] == e or e == cue[0]
                    or view.starts_dep[e] in _ATTACHED_DEPS))):
                continue
            off = _offset(d)
            dyn = ["off=" + off, "off|" + side + "=" + off, "re|off=" + view.ends_dep[last] + "|" + off,
                   "reh=" + ("cue" if view.ends_head[last] == head else "other") + "|" + off]
            if d == 0:
                dyn.append("found")
                dyn.append("found|" + side)
            if e == cue[0]:
                dyn.append("beforecue")
            if cue[0] <= e < cue[1]:
                dyn.append("ncue")
            if source is not None and source[0] <= e < source[1]:
                dyn.append("nsrc")
            dyn.extend(marks.get(last, _NOT_IN))
            out.append(Candidate(e, own_end(view, e), dyn, between, len(between), direction))
    return out
