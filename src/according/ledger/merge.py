"""Merge reports of one real-world event into stories: block by key, sort by time, sweep.

Two reports are the same event when they have the same PLOVER type, the same actor and the same
recipient (the block key), compatible object classes (equal, or one unknown), and dates no more than
``window_days`` apart from the story's nearest report (single linkage along the time axis, so a
story's reports chain day by day but two deliveries a year apart stay apart).

One sort of all items by (key, day) plus a linear sweep: O(n log n). Within a block only the stories
still open (last report within the window) are candidates, and there are few of those at a time.
An undated item joins the block's earliest story with a known object class compatible with its own;
without a date or an object class it stays a story of its own (nothing says it is the same event).

Reports that name only one party ("drones were delivered to Russia", "Iran denied sending drones")
never merge with one another (an unknown party is not the same party); each joins the one story of
its type with that party in that role, a compatible object and a date in the window, if exactly one
fits; when several fit, or it has no date, it stays a story of its own rather than guess.
"""
from __future__ import annotations

import gc
from bisect import bisect_right
from itertools import accumulate
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

DEFAULT_WINDOW_DAYS = 30

BlockKey = tuple[str, str, str]  # (type, actor key, recipient key); "" for an unknown party


@dataclass(frozen=True, slots=True)
class MergeItem:
    """What the merge needs to know about one report of an event."""

    event_id: int
    key: BlockKey
    day: Optional[int]  # proleptic ordinal (date.toordinal()) or None when undated
    object_class: Optional[str] = None


@dataclass(slots=True)
class Cluster:
    """A story under construction: its members in time order and why each joined."""

    key: BlockKey
    object_class: Optional[str]
    first_day: Optional[int]
    last_day: Optional[int]
    members: list[int] = field(default_factory=list)
    why: list[str] = field(default_factory=list)


def merge(items: Iterable[MergeItem], *, window_days: int = DEFAULT_WINDOW_DAYS) -> list[Cluster]:
    """Group items into clusters, each one real-world event; deterministic for a given input set."""
    # millions of small acyclic objects: the cyclic GC's periodic full scans would cost O(n) each time
    paused = gc.isenabled()
    gc.disable()
    try:
        return attach_partial(_merge_sorted(sorted(items, key=_order), window_days), window_days)
    finally:
        if paused:
            gc.enable()


def _merge_sorted(ordered: list[MergeItem], window_days: int) -> list[Cluster]:
    clusters: list[Cluster] = []
    start = 0
    while start < len(ordered):
        end = start
        key = ordered[start].key
        while end < len(ordered) and ordered[end].key == key:
            end += 1
        if key[1] and key[2]:
            clusters.extend(_merge_block(ordered[start:end], window_days))
        else:  # an unknown party is not "the same party": such reports merge only by attach_partial
            clusters.extend(_single(item) for item in ordered[start:end])
        start = end
    return clusters


def _single(item: MergeItem) -> Cluster:
    return Cluster(item.key, item.object_class, item.day, item.day, [item.event_id], [_first_why(item)])


def _order(item: MergeItem) -> tuple:
    # undated first within a block, so they can wait for the first dated story (see _merge_block)
    return (item.key, item.day if item.day is not None else -1, item.event_id)


def _merge_block(block: Sequence[MergeItem], window: int) -> list[Cluster]:
    undated = [it for it in block if it.day is None]
    dated = [it for it in block if it.day is not None]
    done: list[Cluster] = []
    open_: list[Cluster] = []
    for item in dated:
        still_open = []
        for cl in open_:
            (still_open if item.day - cl.last_day <= window else done).append(cl)  # type: ignore[operator]
        open_ = still_open
        target = _best(open_, item)
        if target is None:
            target = Cluster(item.key, item.object_class, item.day, item.day)
            target.members.append(item.event_id)
            target.why.append(_first_why(item))
            open_.append(target)
            continue
        target.members.append(item.event_id)
        target.why.append(_join_why(item, target, window))
        target.last_day = item.day
        target.object_class = _narrower(target.object_class, item.object_class)
    done.extend(open_)
    done.sort(key=lambda cl: (cl.first_day, cl.members[0]))
    for item in undated:
        # no date: only a known, shared object class says it is the same event
        target = None if item.object_class is None else next(
            (cl for cl in done if cl.object_class and _compatible(cl.object_class, item.object_class)), None)
        if target is None:
            target = Cluster(item.key, item.object_class, None, None)
            target.why.append(_first_why(item))
            target.members.append(item.event_id)
            done.append(target)
            continue
        target.members.append(item.event_id)
        target.why.append(f"same type and parties {_key_text(item.key)}, object class "
                          f"{_cls(item.object_class)} fits {_cls(target.object_class)}; undated, so it joins "
                          "the earliest story with that object")
        target.object_class = _narrower(target.object_class, item.object_class)
    return done


def _best(open_: list[Cluster], item: MergeItem) -> Optional[Cluster]:
    """The open story this item fits: same object class beats an unknown one; then the most recent."""
    best, best_rank = None, None
    for cl in open_:
        if not _compatible(cl.object_class, item.object_class):
            continue
        rank = (cl.object_class == item.object_class, cl.last_day)
        if best_rank is None or rank > best_rank:
            best, best_rank = cl, rank
    return best


def _compatible(a: Optional[str], b: Optional[str]) -> bool:
    """Equal, unknown on one side, or one the general form of the other (missile ~ ballistic_missile)."""
    return a is None or b is None or a == b or a.endswith("_" + b) or b.endswith("_" + a)


def _narrower(a: Optional[str], b: Optional[str]) -> Optional[str]:
    """The more specific of two compatible classes."""
    if a is None or b is None:
        return a or b
    return a if len(a) >= len(b) else b


def _first_why(item: MergeItem) -> str:
    return f"first report of {_key_text(item.key)} ({_cls(item.object_class)})"


def _join_why(item: MergeItem, cl: Cluster, window: int) -> str:
    gap = item.day - cl.last_day  # type: ignore[operator]
    return (f"same type and parties {_key_text(item.key)}; object class {_cls(item.object_class)} fits "
            f"{_cls(cl.object_class)}; {gap} day(s) after the story's latest report (window {window})")


def _key_text(key: BlockKey) -> str:
    etype, actor, recipient = key
    return f"{etype} {actor or '?'} -> {recipient or '?'}"


def _cls(value: Optional[str]) -> str:
    return value or "unknown object"


def attach_partial(clusters: list[Cluster], window: int) -> list[Cluster]:
    """Fold stories missing one party into the single full story they fit (see the module doc)."""
    index = _PartyIndex(cl for cl in clusters if cl.key[1] and cl.key[2])
    kept = []
    for cl in clusters:
        etype, actor, recipient = cl.key
        if bool(actor) == bool(recipient):  # full, or no party at all: nothing to attach to
            kept.append(cl)
            continue
        role, party = (1, actor) if actor else (2, recipient)
        fits = index.fitting((etype, role, party), cl, window)
        if len(fits) != 1:
            kept.append(cl)
            continue
        target = fits[0]
        missing = "recipient" if role == 1 else "actor"
        target.members.extend(cl.members)
        target.why.extend(f"{missing} unknown; {_key_text(target.key)} is the only story it fits "
                          f"({_cls(cl.object_class)}, within {window} days)" for _ in cl.members)
        target.object_class = _narrower(target.object_class, cl.object_class)
    return kept


class _PartyIndex:
    """Dated full stories by (type, role, party), sorted by first day, with a running maximum of last
    days, so a lookup scans back from the window's end only while an earlier story could still reach it."""

    def __init__(self, full: Iterable[Cluster]) -> None:
        self.lists: dict[tuple[str, int, str], list[Cluster]] = {}
        for cl in full:
            if cl.first_day is None:
                continue
            self.lists.setdefault((cl.key[0], 1, cl.key[1]), []).append(cl)
            self.lists.setdefault((cl.key[0], 2, cl.key[2]), []).append(cl)
        self.days: dict[tuple[str, int, str], list[int]] = {}
        self.reach: dict[tuple[str, int, str], list[int]] = {}
        for key, group in self.lists.items():
            group.sort(key=lambda c: c.first_day)
            self.days[key] = [c.first_day for c in group]  # type: ignore[misc]
            self.reach[key] = list(accumulate((c.last_day for c in group), max))  # type: ignore[arg-type]

    def fitting(self, key: tuple[str, int, str], part: Cluster, window: int) -> list[Cluster]:
        """The full stories ``part`` fits; stops at two (two already means ambiguous)."""
        group = self.lists.get(key)
        if not group or part.first_day is None:
            return []
        reach = self.reach[key]
        fits: list[Cluster] = []
        i = bisect_right(self.days[key], part.last_day + window) - 1  # type: ignore[operator]
        while i >= 0 and reach[i] >= part.first_day - window:
            if _fits(group[i], part, window):
                fits.append(group[i])
                if len(fits) == 2:
                    break
            i -= 1
        return fits


def _fits(full: Cluster, part: Cluster, window: int) -> bool:
    if not _compatible(full.object_class, part.object_class):
        return False
    if full.first_day is None or part.first_day is None:
        return False  # half the parties and no date: too little to go on
    return part.first_day <= full.last_day + window and part.last_day >= full.first_day - window  # type: ignore[operator]
