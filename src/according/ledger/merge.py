"""Merge reports of one real-world event into stories: block, score what the reports say, join above a threshold.

Candidates come from a block: the PLOVER type and the actor (for symmetric types such as CONSULT or
COOPERATE the two parties in either order). Within a block, reports are swept in date order and each is
scored against the stories whose *first* report is at most ``window_days`` away (so a story cannot chain
day by day through months of similar events). The score weighs

- the trigger (a shared trigger stem, e.g. withdraw ~ withdrawal),
- the object (class and words),
- the place,
- the date distance to the story's first report,
- the sentences' words (IDF-weighted share of the report's words found in the story),
- the named entities of the sentence,

and a report joins the best story when the score reaches ``threshold`` (``MergeItem``s carry the
features; ``Cluster.why`` and ``Cluster.scores`` say how each report joined). Hard rules come first:
two known and different recipients, or incompatible object classes, are never one event.

A report without an actor ("drones were delivered to Russia") is scored against the stories of its type
with that recipient (and, for a symmetric type, that party in either role) and joins the best one when
it clears the threshold by a margin over the second best; else it is clustered with other actor-less
reports of its block. An undated report joins a story only on strong evidence: same parties, compatible
object, same place when both have one, and a near-identical sentence. A report in a near-duplicate copy
of an article (``copy_of``) always joins the story of the report it repeats.

One sort of all items plus a sweep with a bounded number of candidates each: O(n log n).
"""
from __future__ import annotations

import gc
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional, Sequence

DEFAULT_WINDOW_DAYS = 30
DEFAULT_THRESHOLD = 0.55
ATTACH_MARGIN = 0.05  # an actor-less report joins the best story only when no other is this close
UNDATED_WORDS = 0.8  # an undated report needs this much of its sentence's words in the story
UNDATED_CANDIDATES = 200  # most recent stories of the same parties an undated report is compared with
MAX_CANDIDATES = 8  # most recent open stories scored per report and list (bounds the sweep on huge blocks)
COPY_WHY = "in a near-duplicate copy of another article: joins the story of the report it repeats"
SYMMETRIC_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE"})

WEIGHTS = {"trigger": 0.15, "object": 0.20, "place": 0.15, "date": 0.20, "words": 0.20, "entities": 0.10}
W_TRIGGER, W_OBJECT, W_PLACE, W_DATE, W_WORDS, W_ENTITIES = WEIGHTS.values()
OTHER_TRIGGER = 0.4  # another trigger of the same type ("sent" for "delivered") is weaker evidence, not none
CONTENT_WORDS = 0.25  # share of the sentence's (weighted) words that is content evidence on its own
NO_CONTENT_FACTOR = 0.8  # the score of a report that shares no object, place or words with the story
PARTIAL_FACTOR = 0.9  # the score of a report whose recipient is unknown on one side

ALL = "\x00all"  # the sweep's list of every open story of a block, beside one list per recipient
BlockKey = tuple[str, str, str]  # (type, actor key, recipient key); "" for an unknown party


@dataclass(frozen=True, slots=True)
class MergeItem:
    """What the merge needs to know about one report of an event."""

    event_id: int
    key: BlockKey
    day: Optional[int]  # proleptic ordinal (date.toordinal()) or None when undated
    object_class: Optional[str] = None
    triggers: frozenset[str] = frozenset()  # trigger stems (the event's trigger and its other mentions)
    words: frozenset[str] = frozenset()  # content-word stems of the sentence
    entities: frozenset[str] = frozenset()  # named entities of the sentence, normalized
    place: Optional[str] = None  # normalized location
    object_words: frozenset[str] = frozenset()
    copy_of: Optional[int] = None  # event_id of the report this one repeats in the original article


@dataclass(slots=True)
class Cluster:
    """A story under construction: its members in join order, why and with what score each joined."""

    key: BlockKey
    object_class: Optional[str]
    first_day: Optional[int]
    last_day: Optional[int]
    members: list[int] = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    scores: list[Optional[float]] = field(default_factory=list)
    # unions of the members' features; a one-report story shares its report's sets (most stories have
    # one report: copying a million sets costs more memory than the merge itself)
    triggers: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    object_words: frozenset[str] = frozenset()

    def add(self, item: MergeItem, why: str, score: Optional[float]) -> None:
        first = not self.members
        self.members.append(item.event_id)
        self.why.append(why)
        self.scores.append(score)
        if first:
            self.triggers, self.words, self.entities = item.triggers, item.words, item.entities
            self.object_words = item.object_words
            self.places = frozenset((item.place,)) if item.place else frozenset()
        else:
            self.triggers |= item.triggers
            self.words |= item.words
            self.entities |= item.entities
            self.object_words |= item.object_words
            if item.place:
                self.places |= {item.place}
        self.object_class = _narrower(self.object_class, item.object_class)
        if item.day is not None:
            self.first_day = item.day if self.first_day is None else min(self.first_day, item.day)
            self.last_day = item.day if self.last_day is None else max(self.last_day, item.day)
        etype, actor, recipient = self.key
        if (not actor and item.key[1]) or (not recipient and item.key[2]):
            self.key = (etype, actor or item.key[1], recipient or item.key[2])


@dataclass(frozen=True, slots=True)
class Score:
    total: float
    parts: tuple  # the six parts in WEIGHTS order, then whether any content evidence was found

    def text(self, threshold: float) -> str:
        parts = ", ".join(f"{k} {v:.2f}" for k, v in zip(WEIGHTS, self.parts))
        if not self.parts[-1]:
            parts += f", no shared object, words, or place and trigger: x{NO_CONTENT_FACTOR}"
        return f"score {self.total:.2f} >= {threshold:.2f} ({parts})"


def normalize_key(key: BlockKey) -> BlockKey:
    """Symmetric types ("Russia and Turkey agreed") have no direction: parties in sorted order."""
    etype, actor, recipient = key
    if etype in SYMMETRIC_TYPES and actor and recipient and recipient < actor:
        return (etype, recipient, actor)
    return key


def merge(items: Iterable[MergeItem], *, window_days: int = DEFAULT_WINDOW_DAYS,
          threshold: float = DEFAULT_THRESHOLD, idf: Optional[Mapping[str, float]] = None) -> list[Cluster]:
    """Group items into clusters, each one real-world event; deterministic for a given input set."""
    paused = gc.isenabled()  # millions of small acyclic objects: the cyclic GC's full scans cost O(n) each
    gc.disable()
    try:
        return _Merger(window_days, threshold, idf or {}).run(list(items))
    finally:
        if paused:
            gc.enable()


class _Merger:
    def __init__(self, window: int, threshold: float, idf: Mapping[str, float]) -> None:
        self.window = window
        self.threshold = threshold
        self.idf = idf
        self.default_idf = max(idf.values()) if idf else 1.0
        self._last_words: frozenset[str] = frozenset()
        self._last_total = 0.0

    def run(self, items: list[MergeItem]) -> list[Cluster]:
        items = [it if normalize_key(it.key) == it.key else _rekey(it) for it in items]
        originals = [it for it in items if it.copy_of is None]
        copies = [it for it in items if it.copy_of is not None]
        with_actor = sorted((it for it in originals if it.key[1]), key=_order)
        no_actor = sorted((it for it in originals if not it.key[1] and it.key[2]), key=_order)
        clusters: list[Cluster] = []
        for block in _blocks(with_actor, lambda it: (it.key[0], it.key[1])):
            clusters.extend(self._sweep(block))
        index = _PartyIndex(clusters)
        leftover = [it for it in no_actor if not self._attach(it, index)]
        for block in _blocks(leftover, lambda it: (it.key[0], it.key[2])):
            clusters.extend(self._sweep(block))
        clusters.extend(self._new(it, "no party known: a story of its own") for it in originals
                        if not it.key[1] and not it.key[2])
        self._join_copies(copies, clusters)
        return clusters

    # --- a block: dated reports in time order, then the undated ones -----------------------------

    def _sweep(self, block: Sequence[MergeItem]) -> list[Cluster]:
        done: list[Cluster] = []  # every story of the block, in creation (= first day) order
        open_: dict[str, deque[Cluster]] = defaultdict(deque)  # by recipient: stories still in the window
        undated: list[MergeItem] = []
        for item in block:
            if item.day is None:
                undated.append(item)
                continue
            best, best_score = None, None
            for cl in self._candidates(item, open_):
                score = self.score(item, cl)
                if score is not None and (best_score is None or score.total > best_score.total):
                    best, best_score = cl, score
            if best is not None and best_score is not None and best_score.total >= self.threshold:
                best.add(item, f"{best_score.text(self.threshold)}; {_first_gap(item, best)}", best_score.total)
            else:
                why = "first report" + (f"; best earlier story {best_score.total:.2f} < {self.threshold:.2f}"
                                        if best_score is not None else "")
                cl = self._new(item, why)
                open_[item.key[2]].append(cl)
                open_[ALL].append(cl)
                done.append(cl)
        for item in undated:
            target, words = self._undated_target(item, done)
            if target is None:
                done.append(self._new(item, "undated, and no story with the same parties, object, place and sentence"))
            else:
                target.add(item, f"undated: same parties, object and place, {words:.0%} of its sentence's words", None)
        return done

    def _candidates(self, item: MergeItem, open_: dict[str, deque[Cluster]]) -> list[Cluster]:
        """The open stories a report is scored against: its country recipient's and the recipient-less ones
        (the most recent of all, when it has no recipient or a recipient named without a country), at most
        MAX_CANDIDATES of each, after dropping those whose first report is out of the window."""
        recipient = item.key[2]
        keys = [recipient, ""] if recipient.isupper() else [ALL]
        out: list[Cluster] = []
        for key in keys:
            group = open_.get(key)
            if not group:
                continue
            while group and item.day - group[0].first_day > self.window:  # type: ignore[operator]
                group.popleft()
            n = len(group)
            out.extend(group[i] for i in range(max(0, n - MAX_CANDIDATES), n))
        return out

    def _undated_target(self, item: MergeItem, clusters: list[Cluster]) -> tuple[Optional[Cluster], float]:
        best, best_words = None, 0.0
        seen = 0
        for cl in reversed(clusters):
            if cl.key != item.key or not _compatible(cl.object_class, item.object_class):
                continue
            seen += 1
            if seen > UNDATED_CANDIDATES:
                break
            if item.place and cl.places and item.place not in cl.places:
                continue
            words = self._containment(item.words, cl.words)
            if words >= UNDATED_WORDS and words >= best_words:  # ties: the earliest story
                best, best_words = cl, words
        return best, best_words

    def _new(self, item: MergeItem, why: str) -> Cluster:
        cl = Cluster(item.key, item.object_class, item.day, item.day)
        cl.add(item, why, None)
        return cl

    # --- the score -------------------------------------------------------------------------------

    def score(self, item: MergeItem, cl: Cluster) -> Optional[Score]:
        """The similarity of a report to a story, or None when a hard rule says they differ."""
        if item.key[0] != cl.key[0]:
            return None
        partial = False
        for i in (1, 2):
            a, b = item.key[i], cl.key[i]
            if a and b and a != b and a.isupper() and b.isupper():
                return None  # two countries: another event
            partial = partial or a != b  # unknown on one side, or two names ("civilians", "people")
        if not _compatible(cl.object_class, item.object_class):
            return None
        trigger = 1.0 if item.triggers & cl.triggers else OTHER_TRIGGER
        obj = self._object(item, cl)
        place = (1.0 if item.place in cl.places else 0.0) if item.place and cl.places else 0.5
        day = self._date(item, cl)
        words = self._containment(item.words, cl.words)
        names = (len(item.entities & cl.entities) / len(item.entities)) if item.entities else 0.5
        total = (W_TRIGGER * trigger + W_OBJECT * obj + W_PLACE * place + W_DATE * day + W_WORDS * words
                 + W_ENTITIES * names) * (PARTIAL_FACTOR if partial else 1.0)
        content = obj >= 0.8 or words >= CONTENT_WORDS or (place == 1.0 and trigger == 1.0)
        if not content:
            # only the type, the parties and the time agree (or a place as wide as "Syria" with another
            # verb): "Russia vetoed ..." twice in a week is not yet one veto
            total *= NO_CONTENT_FACTOR
        parts = (trigger, obj, place, day, words, names, content)
        return Score(round(total, 4), parts)

    def _object(self, item: MergeItem, cl: Cluster) -> float:
        if item.object_class and cl.object_class:
            return 1.0 if item.object_class == cl.object_class else 0.8
        if item.object_words and cl.object_words:
            return 1.0 if item.object_words & cl.object_words else 0.2
        return 0.5

    def _date(self, item: MergeItem, cl: Cluster) -> float:
        if item.day is None or cl.first_day is None:
            return 0.0
        return max(0.0, 1.0 - abs(item.day - cl.first_day) / self.window)

    def _containment(self, words: frozenset[str], pool: frozenset[str]) -> float:
        """The IDF-weighted share of ``words`` found in ``pool`` (rare shared words count most)."""
        if not words:
            return 0.0
        if words is not self._last_words:  # a report is scored against several stories in a row
            self._last_words, self._last_total = words, self._weight(words)
        total = self._last_total
        shared = words & pool
        if not shared:
            return 0.0
        return self._weight(shared) / total

    def _weight(self, words: Iterable[str]) -> float:
        idf, default = self.idf, self.default_idf
        return sum(idf.get(w, default) for w in words)

    # --- actor-less reports and copies -----------------------------------------------------------

    def _attach(self, item: MergeItem, index: "_PartyIndex") -> bool:
        if item.day is None:
            return False
        scored = []
        for cl in index.near(item, self.window):
            score = self.score(item, cl)
            if score is not None:
                scored.append((score.total, id(cl), cl, score))
        if not scored:
            return False
        scored.sort(key=lambda s: (-s[0], s[1]))
        total, _, best, score = scored[0]
        if total < self.threshold or (len(scored) > 1 and total - scored[1][0] < ATTACH_MARGIN):
            return False
        best.add(item, f"actor unknown; {score.text(self.threshold)}; {_first_gap(item, best)}", total)
        return True

    def _join_copies(self, copies: list[MergeItem], clusters: list[Cluster]) -> None:
        home = {m: cl for cl in clusters for m in cl.members}
        for item in sorted(copies, key=_order):
            target = home.get(item.copy_of)  # type: ignore[arg-type]
            if target is None:
                cl = self._new(item, "in a near-duplicate copy whose original report is not merged")
                clusters.append(cl)
            else:
                target.add(item, COPY_WHY, 1.0)
                cl = target
            home[item.event_id] = cl


def _rekey(item: MergeItem) -> MergeItem:
    from dataclasses import replace

    return replace(item, key=normalize_key(item.key))


def _order(item: MergeItem) -> tuple:
    # a stable order that does not depend on insertion order: block, then day (undated last), then id
    return (item.key[0], item.key[1], item.key[2] if not item.key[1] else "",
            item.day if item.day is not None else math.inf, item.event_id)


def _blocks(ordered: list[MergeItem], key) -> Iterable[list[MergeItem]]:
    groups: dict[tuple, list[MergeItem]] = defaultdict(list)
    for item in ordered:
        groups[key(item)].append(item)
    for k in sorted(groups):
        block = groups[k]
        block.sort(key=lambda it: (it.day if it.day is not None else math.inf, it.event_id))
        yield block


def _first_gap(item: MergeItem, cl: Cluster) -> str:
    if item.day is None or cl.first_day is None:
        return "undated"
    return f"{abs(item.day - cl.first_day)} day(s) from the story's first report"


def _compatible(a: Optional[str], b: Optional[str]) -> bool:
    """Equal, unknown on one side, or one the general form of the other (missile ~ ballistic_missile)."""
    return a is None or b is None or a == b or a.endswith("_" + b) or b.endswith("_" + a)


def _narrower(a: Optional[str], b: Optional[str]) -> Optional[str]:
    """The more specific of two compatible classes."""
    if a is None or b is None:
        return a or b
    return a if len(a) >= len(b) else b


class _PartyIndex:
    """Dated stories by (type, party in the recipient role, or in either role for symmetric types), by first day."""

    def __init__(self, clusters: Iterable[Cluster]) -> None:
        groups: dict[tuple[str, str], list[Cluster]] = defaultdict(list)
        for cl in clusters:
            if cl.first_day is None:
                continue
            etype, actor, recipient = cl.key
            if recipient:
                groups[(etype, recipient)].append(cl)
            if etype in SYMMETRIC_TYPES and actor and actor != recipient:
                groups[(etype, actor)].append(cl)
        self.lists = {k: sorted(v, key=lambda c: (c.first_day, c.members[0])) for k, v in groups.items()}
        self.days = {k: [c.first_day for c in v] for k, v in self.lists.items()}

    def near(self, item: MergeItem, window: int) -> list[Cluster]:
        key = (item.key[0], item.key[2])
        group = self.lists.get(key)
        if not group:
            return []
        days = self.days[key]
        lo = bisect_left(days, item.day - window)  # type: ignore[operator]
        hi = bisect_right(days, item.day + window)  # type: ignore[operator]
        return group[max(lo, hi - MAX_CANDIDATES):hi]
