"""Merge reports of one real-world event into stories: block, score what the reports say, join above a threshold.

Candidates come from a block: the event type's family (PLOVER's types in the four CAMEO quad classes, so a
withdrawal coded CONCEDE in one report and RETREAT in another is compared) and compatible parties. Two
parties in one role are compatible when they are equal, when one is unknown, or when one is only a name
without a country code ("civilians", "aid groups"); two different codes (IRN, PRK) are two events. For
symmetric types (CONSULT, COOPERATE, AGREE) the parties match in either order. Within a block, reports are
swept in date order and each is scored against the stories whose *first* report is at most
``window_days`` away (so a story cannot chain day by day through months of similar events). The score
weighs

- the trigger (a shared trigger stem, e.g. withdraw ~ withdrawal, or another name of one act, offensive ~
  assault; another trigger of the same type counts less, of another type of the family nothing),
- the object (class and words),
- the place (the parse's, else the first place narrower than a country the sentence names; a region as
  wide as "northern Syria", marked VAGUE_PLACE, contradicts no town),
- the date distance to the story's first report,
- the sentences' words (IDF-weighted share of the report's words found in the story),
- the named entities of the sentence,

times PARTIAL_FACTOR for each role whose party is known on one side only (and NO_CONTENT_FACTOR when
nothing but the type, the parties and the time agree: a shared object or sentence words, the trigger with
the place or the articles' topic, or one type in one town), and a report joins the best
story when the score reaches ``threshold`` (``Cluster.why`` and ``Cluster.scores`` say how each report
joined). A report with an unknown party joins only when no story with another known party in that role
scores within ATTACH_MARGIN (it stays apart rather than guess the supplier). An undated report joins a
story only on strong evidence: same parties, compatible object, same place when both have one, and a
near-identical sentence. A report in a near-duplicate copy of an article (``copy_of``) always joins the
story of the report it repeats. Two reports of one sentence never join (the analyzer read two acts there),
nor a plan and a deed of a withdrawal, aid or a concession ("will withdraw" and "began withdrawing": the
decision and the pull-out; PLAN_APART_FAMILIES), nor of any type when a report looks back.
A report dated only by its article that names a known act ("the withdrawal") may also join a story two or
more articles told up to LOOKBACK_DAYS before the window (``_PastStories``, ``_Merger._look_back``).

Features are compact: tuples of ids (``features.Vocabulary`` turns stems into ints), and a story shares its
first report's tuples until a second report joins. One sort plus a sweep with a bounded number of
candidates per report (the MAX_CANDIDATES most recent of its own parties' list, MAX_WIDER of each wider
list): O(n log n).
"""
from __future__ import annotations

import gc
import math
import operator
import weakref
from array import array
from collections import defaultdict, deque
from dataclasses import dataclass, field, fields
from datetime import date
from itertools import chain, islice, repeat
from typing import Callable, Container, Hashable, Iterable, Iterator, Mapping, Optional, Union

import numpy as np

DEFAULT_WINDOW_DAYS = 30
DEFAULT_THRESHOLD = 0.6
ATTACH_MARGIN = 0.05  # a report with an unknown party does not choose between two known ones this close
UNDATED_WORDS = 0.8  # an undated report needs this much of its sentence's words in the story
UNDATED_CANDIDATES = 200  # most recent stories of the same parties an undated report is compared with
MAX_CANDIDATES = 8  # most recent open stories scored per report from its own parties' list (bounds the sweep)
MAX_WIDER = 3  # ... and from each wider list (a party unknown or only named on the story's side)
# A report dated only by its article's publication (no time of its own that fixes a day or a month) may
# tell of an older event ("the withdrawal, which the president has insisted must take place", months
# after the decision): it may join a story whose first report is up to LOOKBACK_DAYS before the window,
# of the same parties, on a shared trigger and the score, its date part LOOKBACK_DATE (unknown, not far).
LOOKBACK_DAYS = 365
LOOKBACK_DATE = 0.5
LOOKBACK_ARTICLES = 2  # a story a later article looks back to is one reported by this many articles
LOOKBACK_CANDIDATES = 8  # most recent closed stories of the report's parties it is compared with
LOOKBACK_WHY = "looks back (dated by its article only) to a story from before the window: "
COPY_WHY = "in a near-duplicate copy of another article: joins the story of the report it repeats"
SYMMETRIC_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE"})
# Families whose plan is an act of its own: a decision to withdraw or to send aid is news when it is
# announced, and the pull-out or the delivery is another event ("will withdraw", then "began
# withdrawing"). Elsewhere a plan and a deed of one type and parties within the window tell of one act
# ("making final plans to attack" and, days later, "the assault"; "plans to raise a force" and "the
# announcement of the force"); a report that looks back never joins a story of the other kind.
PLAN_APART_FAMILIES = frozenset({"material_cooperation"})
# CAMEO's quad classes over PLOVER's types: reports of one event are coded within one of them
TYPE_FAMILIES = {
    "verbal_cooperation": ("AGREE", "CONSULT", "SUPPORT"),
    "material_cooperation": ("COOPERATE", "AID", "CONCEDE", "RETREAT"),
    "verbal_conflict": ("REQUEST", "ACCUSE", "REJECT", "THREATEN"),
    "material_conflict": ("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"),
}
FAMILY = {t: fam for fam, types in TYPE_FAMILIES.items() for t in types}

WEIGHTS = {"trigger": 0.15, "object": 0.20, "place": 0.15, "date": 0.20, "words": 0.20, "entities": 0.10}
W_TRIGGER, W_OBJECT, W_PLACE, W_DATE, W_WORDS, W_ENTITIES = WEIGHTS.values()
OTHER_TRIGGER = 0.4  # another trigger of the same type ("sent" for "delivered") is weaker evidence, not none
CONTENT_WORDS = 0.25  # share of the sentence's (weighted) words that is content evidence on its own
NO_CONTENT_FACTOR = 0.8  # the score of a report that shares no object, place or words with the story
PARTIAL_FACTOR = 0.9  # per role whose party is known on one side only
# Articles on one topic (TF-IDF cosine of the two articles' words, as news-stream clustering compares
# articles) score higher; and when one side's parties are the coder's default (a country acting on
# itself, USA -> USA: the rules' "a government acting at home" fallback, not parties the text names),
# their reports may disagree on a code and still be one event: the disagreement lowers the score
# instead of forbidding the merge. Two reports that name their parties (IRN -> RUS, IRN -> VEN) stay apart.
TOPIC_MIN = 0.12  # cosine from which two articles are on one topic
CONFLICT_FACTOR = 0.9  # per role whose two codes differ, between reports of articles on one topic
TOPIC_CACHE = 200_000  # article pairs whose cosine is kept (a cache: clearing it changes no score)
TOPIC_FULL = 0.25  # cosine at which the topic evidence is full
TOPIC_BONUS = 0.15  # added to the score at full topic evidence (another article: one's own reports are apart)
TRIGGER_SHARE = 0.5  # share of the report's trigger stems the story must hold for full trigger evidence

BlockKey = tuple[str, str, str]  # (type, actor key, recipient key); "" for an unknown party
Forced = Callable[["MergeItem"], Optional[tuple[int, str, Optional[float]]]]
Features = tuple  # ids (ints from features.Vocabulary) or strings; any iterable of hashables is accepted


def family(etype: str) -> str:
    return FAMILY.get(etype, etype)


def is_code(party: str) -> bool:
    """A country or body code (IRN, UNO), as opposed to a party known only by a name ("civilians")."""
    return party.isupper()  # "" is not upper


@dataclass(frozen=True, slots=True)
class MergeItem:
    """What the merge needs to know about one report of an event."""

    event_id: int
    key: BlockKey
    day: Optional[int]  # proleptic ordinal (date.toordinal()) or None when undated
    object_class: Optional[str] = None
    triggers: Features = ()  # trigger stems (the event's trigger and its other mentions)
    words: Features = ()  # content-word stems of the sentence
    entities: Features = ()  # named entities of the sentence, normalized
    place: Optional[Hashable] = None  # normalized location
    object_words: Features = ()
    copy_of: Optional[int] = None  # event_id of the report this one repeats in the original article
    article: Optional[int] = None  # the article's id, with ``article_words``: the topic test (None: none)
    article_words: Features = ()  # content-word stems of the whole article (one tuple shared by its reports)
    self_loop: bool = False  # coded as a country acting on itself: the coder's default, not parties the text names
    looks_back: bool = False  # dated by its article's publication only: the event may be older (LOOKBACK_DAYS)
    planned: Optional[bool] = None  # True: a plan ("will withdraw"); False: done or under way; None: other
    place_specific: bool = False  # ``place`` is narrower than a country ("Afrin", not "northern Syria")
    sentence: Optional[Hashable] = None  # its sentence (with ``article``): two events of one sentence are two acts


_ITEM_FIELDS = tuple(f.name for f in fields(MergeItem))
_KEY_AT = _ITEM_FIELDS.index("key")
_item_values = operator.attrgetter(*_ITEM_FIELDS)


def _with_key(item: MergeItem, key: BlockKey) -> MergeItem:
    """``dataclasses.replace(item, key=key)``, without its look at every field's definition (a tenth of
    a million reports have a key to normalize)."""
    values = list(_item_values(item))
    values[_KEY_AT] = key
    return MergeItem(*values)


@dataclass(frozen=True, slots=True)
class Score:
    total: float
    parts: tuple  # the six parts in WEIGHTS order, then whether any content evidence was found, then partial roles

    def text(self, threshold: float) -> str:
        parts = ", ".join(f"{k} {v:.2f}" for k, v in zip(WEIGHTS, self.parts))
        if not self.parts[6]:
            parts += f", no shared object, words, trigger and place or topic, or town: x{NO_CONTENT_FACTOR}"
        if self.parts[7]:
            n = self.parts[7]
            parts += f", {n} {'party' if n == 1 else 'parties'} known on one side only: x{PARTIAL_FACTOR ** n:.2f}"
        if len(self.parts) > 9 and self.parts[9]:
            parts += f", article topic {self.parts[9]:.2f}: +{TOPIC_BONUS * _topic_part(self.parts[9]):.2f}"
        if len(self.parts) > 8 and self.parts[8]:
            n = self.parts[8]
            parts += f", {n} {'party' if n == 1 else 'parties'} coded differently: x{CONFLICT_FACTOR ** n:.2f}"
        return f"score {self.total:.2f} >= {threshold:.2f} ({parts})"


@dataclass(slots=True)
class _Joined:
    """Why a report joined, formatted only when asked (a million f-strings cost more than the merge)."""

    score: Score
    threshold: float
    gap: Optional[int]  # days from the story's first report when it joined (None: undated)
    prefix: str = ""

    def __str__(self) -> str:
        return f"{self.prefix}{self.score.text(self.threshold)}; {_gap_text(self.gap)}"


@dataclass(slots=True)
class _Started:
    """Why a report started a story though an earlier one was scored, formatted only when asked (most
    reports start a story: as for ``_Joined``, the f-string costs more than keeping two numbers)."""

    best: float
    threshold: float

    def __str__(self) -> str:
        return f"first report; best earlier story {self.best:.2f} < {self.threshold:.2f}"


Reason = Union[str, _Joined, _Started]


@dataclass(slots=True)
class _ItemSets:  # not frozen: a frozen dataclass's __init__ costs a call per field, for each report
    triggers: frozenset
    words: frozenset
    entities: frozenset
    object_words: frozenset
    weight: float


@dataclass(slots=True)
class Cluster:
    """A story under construction: its members in join order, why and with what score each joined."""

    key: BlockKey
    object_class: Optional[str]
    first_day: Optional[int]
    last_day: Optional[int]
    members: list[int] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    scores: list[Optional[float]] = field(default_factory=list)
    # unions of the members' features; a one-report story shares its report's tuples (most stories have
    # one report: a set per story costs more memory than the merge itself)
    triggers: Union[Features, set] = ()
    words: Union[Features, set] = ()
    entities: Union[Features, set] = ()
    places: Union[Features, set] = ()
    object_words: Union[Features, set] = ()
    articles: Union[tuple, set] = ()  # ids of the members' articles (those that have one)
    sentences: Union[tuple, set] = ()  # (article, sentence) of the members (those that have one)
    self_loop: bool = False  # some member was coded as a country acting on itself
    planned: Optional[bool] = None  # its first report's (``MergeItem.planned``)

    @classmethod
    def of(cls, item: MergeItem, why: Reason, score: Optional[float]) -> "Cluster":
        """A story of one report: what ``add`` makes of an empty story, in one step (most stories hold
        one report, and the sweep makes one per report that joins none)."""
        key = item.key
        if not (key[1].isupper() and key[2].isupper()):
            key = _filled(key, key)  # as ``add`` does (a normalized key stays as it is)
        return cls(key, item.object_class, item.day, item.day, [item.event_id], [why], [score],
                   item.triggers, item.words, item.entities, (item.place,) if item.place else (), item.object_words,
                   (item.article,) if item.article is not None else (),
                   ((item.article, item.sentence),) if item.sentence is not None else (),
                   item.self_loop, item.planned)

    @property
    def why(self) -> list[str]:
        return [str(r) for r in self.reasons]

    def add(self, item: MergeItem, why: Reason, score: Optional[float]) -> None:
        first = not self.members
        self.members.append(item.event_id)
        if item.self_loop:
            self.self_loop = True
        self.reasons.append(why)
        self.scores.append(score)
        if first:
            self.planned = item.planned
            self.triggers, self.words, self.entities = item.triggers, item.words, item.entities
            self.object_words = item.object_words
            self.places = (item.place,) if item.place else ()
            self.articles = (item.article,) if item.article is not None else ()
            self.sentences = ((item.article, item.sentence),) if item.sentence is not None else ()
        else:
            if item.sentence is not None:
                self.sentences = _union(self.sentences, ((item.article, item.sentence),))
            if item.article is not None and item.article not in self.articles:
                self.articles = _union(self.articles, (item.article,))
            self.triggers = _union(self.triggers, item.triggers)
            self.words = _union(self.words, item.words)
            self.entities = _union(self.entities, item.entities)
            self.object_words = _union(self.object_words, item.object_words)
            if item.place:
                self.places = _union(self.places, (item.place,))
        self.object_class = _narrower(self.object_class, item.object_class)
        if item.day is not None:
            self.first_day = item.day if self.first_day is None else min(self.first_day, item.day)
            self.last_day = item.day if self.last_day is None else max(self.last_day, item.day)
        if not (self.key[1].isupper() and self.key[2].isupper()):
            self.key = _filled(self.key, item.key)


def _union(pool, new) -> set:
    if isinstance(pool, set):
        pool.update(new)
        return pool
    out = set(pool)
    out.update(new)
    return out


def normalize_key(key: BlockKey) -> BlockKey:
    """Symmetric types ("Russia and Turkey agreed") have no direction: parties in sorted order, a lone
    party first. A country acting on itself (USA -> USA) has an unknown recipient: that is the coder's
    default for a government acting at home, not a party the reports name."""
    etype, actor, recipient = key
    if actor and actor == recipient and is_code(actor):
        recipient = ""
        key = (etype, actor, recipient)
    if etype in SYMMETRIC_TYPES and (recipient < actor if actor and recipient else recipient):
        return (etype, recipient, actor)
    return key


def merge(items: Iterable[MergeItem], *, window_days: int = DEFAULT_WINDOW_DAYS,
          threshold: float = DEFAULT_THRESHOLD, idf: Optional[Mapping[Hashable, float]] = None) -> list[Cluster]:
    """Group items into clusters, each one real-world event; deterministic for a given input set."""
    paused = gc.isenabled()  # millions of small acyclic objects: the cyclic GC's full scans cost O(n) each
    gc.disable()
    try:
        return _Merger(window_days, threshold, idf or {}).run(list(items))
    finally:
        if paused:
            gc.enable()


def merge_block(items: Iterable[MergeItem], undated_keys: Container[BlockKey], *,
                window_days: int = DEFAULT_WINDOW_DAYS, threshold: float = DEFAULT_THRESHOLD,
                idf: Optional[Mapping[Hashable, float]] = None,
                weights_at: Optional[Callable[[Optional[int]], tuple[Mapping[Hashable, float], float]]] = None,
                forced: Optional[Forced] = None) -> Iterator[Cluster]:
    """Merge one block's original reports (one type family, keys normalized, no copies) as they come:
    dated ones in day order (ties by ``event_id``), then the undated ones. Yields each story as soon as
    no later report can join it (see ``_Merger.sweep``), so the caller holds only the open window;
    ``merge`` gives the same stories. ``join_copies`` adds the copies' reports afterwards.

    ``weights_at(month)`` gives the word weights (and the weight of an unknown word) for the reports
    of a month (None: undated), instead of ``idf`` for all. ``forced(item)`` may give, for a dated
    report, where an earlier merge of the same reports placed it: (the event_id of its story's first
    report, why, score); the sweep then places it there without scoring, which resumes a merge at a
    day from the stories it had made before that day."""
    merger = _Merger(window_days, threshold, idf or {})
    merger.weights_at = weights_at
    return merger.sweep(items, undated_keys, forced)


class _OpenStories:
    """The open stories of one block, in lists by the parties they were created with (codes only; a
    name or an unknown party is listed under ""), each in first-day order. ``close_before`` takes out
    the stories no later report can join (first report out of the window), so the sweep holds only
    the window's stories."""

    def __init__(self) -> None:
        self.pair: dict[tuple[str, str], deque[Cluster]] = defaultdict(deque)
        self.actor: dict[str, deque[Cluster]] = defaultdict(deque)
        self.recipient: dict[str, deque[Cluster]] = defaultdict(deque)
        self.all: deque[Cluster] = deque()
        self._created: deque[tuple[Cluster, tuple]] = deque()  # (story, its list keys, its lists), creation order
        # the open stories of each article, for the topic test; an article whose stories have all closed
        # is dropped as they close (``close_before``), so an update resumed at a day sees what a rebuild does
        self.by_article: dict[int, list[Cluster]] = {}
        self.topics: Optional[_TopicIndex] = None  # the words of by_article's articles (``_Merger`` sets it)

    def index_article(self, article: int, cl: Cluster) -> None:
        group = self.by_article.get(article)
        if group is None:
            group = self.by_article[article] = []
            if self.topics is not None:
                self.topics.add(article)
        if all(c is not cl for c in group):
            group.append(cl)

    def add(self, cl: Cluster) -> None:
        a, r = cl.key[1], cl.key[2]
        a, r = (a if a.isupper() else ""), (r if r.isupper() else "")
        pair = (a, r)
        by_pair, by_actor, by_recipient = self.pair[pair], self.actor[a], self.recipient[r]
        by_pair.append(cl)
        by_actor.append(cl)
        by_recipient.append(cl)
        self.all.append(cl)
        # its lists, kept to take it out without looking them up: a list holding it is in its table
        # (only an empty list leaves it)
        self._created.append((cl, pair, a, r, by_pair, by_actor, by_recipient))
        for article in cl.articles:
            self.index_article(article, cl)

    def close_before(self, oldest: int) -> Iterable[Cluster]:
        """Take out (and yield, oldest first) the stories whose first report is before ``oldest``."""
        created, everyone = self._created, self.all
        while created and created[0][0].first_day < oldest:  # type: ignore[operator]
            cl, pair, a, r, by_pair, by_actor, by_recipient = created.popleft()
            # every list holds its stories in creation order, which is first-day order (a story's first
            # report is its earliest: the sweep goes by day), and they close in that order: the story
            # closing is at the front of each of its lists
            for group in (by_pair, by_actor, by_recipient, everyone):
                if group[0] is cl:
                    group.popleft()
                else:  # not expected; the same list either way
                    group.remove(cl)
            # a pair seen once in ten years holds no memory after its window
            if not by_pair:
                del self.pair[pair]
            if not by_actor:
                del self.actor[a]
            if not by_recipient:
                del self.recipient[r]
            for article in cl.articles:
                group = self.by_article.get(article)
                if group is None:
                    continue
                group = [c for c in group if c is not cl]
                if group:
                    self.by_article[article] = group
                else:
                    del self.by_article[article]
                    if self.topics is not None:
                        self.topics.remove(article)
            yield cl

    def oldest_first_day(self) -> float:
        created = self._created
        return created[0][0].first_day if created else math.inf  # type: ignore[return-value]

    def remaining(self) -> list[Cluster]:
        return [entry[0] for entry in self._created]

    def lists(self, actor: str, recipient: str) -> list[deque[Cluster]]:
        a, r = (actor if actor.isupper() else ""), (recipient if recipient.isupper() else "")
        if a and r:
            get = self.pair.get
            return [get((a, r)), get((a, "")), get(("", r)), get(("", ""))]  # type: ignore[list-item]
        if a:
            get = self.actor.get
            return [get(a), get("")]  # type: ignore[list-item]
        if r:
            get = self.recipient.get
            return [get(r), get("")]  # type: ignore[list-item]
        return [self.all]


class _PastStories:
    """The stories closed to the window but still within LOOKBACK_DAYS of it that LOOKBACK_ARTICLES
    articles or more reported, for the reports that look back (``MergeItem.looks_back``): listed by
    parties as the open stories are (``_OpenStories``), with the words of their articles (the topic
    test; the merge's own article words keep only the open stories')."""

    def __init__(self) -> None:
        self.stories = _OpenStories()
        self.words: dict[int, dict[int, tuple]] = {}  # id(story) -> its articles' words (``_held_words``)

    def add(self, cl: Cluster, article_words: Mapping[int, frozenset], horizon: int) -> bool:
        """Hold a story the window closed, if a later report may look back to it. It is held for up to
        LOOKBACK_DAYS, and few reports look back: its feature sets and its articles' words are kept as
        tuples (a set's hash table costs 3-5 times the tuple of its items; the score reads either)."""
        if len(cl.articles) < LOOKBACK_ARTICLES or cl.first_day < horizon:  # type: ignore[operator]
            return False
        _compact(cl)
        self.stories.add(cl)
        self.words[id(cl)] = {a: tuple(article_words[a]) for a in cl.articles if a in article_words}
        return True

    def expire_before(self, oldest: int) -> Iterable[Cluster]:
        """Take out (and yield, oldest first) the stories whose first report is before ``oldest``."""
        for cl in self.stories.close_before(oldest):
            del self.words[id(cl)]
            yield cl

    def remaining(self) -> list[Cluster]:
        return self.stories.remaining()

    def candidates(self, item: MergeItem) -> list[Cluster]:
        """The most recent LOOKBACK_CANDIDATES stories of each list of compatible parties (either
        order for a symmetric type)."""
        _, actor, recipient = item.key
        lists = self.stories.lists(actor, recipient)
        if item.key[0] in SYMMETRIC_TYPES and actor != recipient:
            lists += [g for g in self.stories.lists(recipient, actor) if all(g is not h for h in lists)]
        out: list[Cluster] = []
        for group in lists:
            if group:
                out.extend(islice(reversed(group), LOOKBACK_CANDIDATES))
        return out


def _held_words(words: Iterable[Hashable]) -> tuple:
    """An article's words as a past story keeps them: a tuple, each word once (``_sq`` sums a weight per item)."""
    return tuple(frozenset(words))


def _compact(cl: Cluster) -> None:
    """A story's unions as tuples (``Cluster.add`` makes a set again if a report joins it)."""
    for name in ("triggers", "words", "entities", "places", "object_words", "articles", "sentences"):
        value = getattr(cl, name)
        if isinstance(value, set):
            setattr(cl, name, tuple(value))


class _TopicIndex:
    """The words of the open stories' articles, inverted (word -> slots), for the topic test: the articles
    a report's article may be on one topic with, found with a few array sums instead of a cosine per
    pair in Python (a block's window holds thousands of articles). A filter only: the cosine each
    reported article gets is ``_Merger._topic``'s, so the stories are those of comparing every pair."""

    SLACK = 1e-9  # relative: the array sums round differently from math.fsum, by far less

    def __init__(self, merger: "_Merger") -> None:
        self.merger = merger
        self.articles: list[Optional[int]] = []  # slot -> article (None: removed)
        self.slot: dict[int, int] = {}
        self.postings: dict[Hashable, array] = defaultdict(lambda: array("i"))
        self.norms: array = array("d")  # slot -> squared norm of its words under ``month``'s weights
        self.month: object = ()
        self.removed = 0
        self.epoch = 0  # slots renumbered (``_compact``)

    def add(self, article: int) -> None:
        words = self.merger._article_words.get(article)
        if words is None or article in self.slot:  # no words: ``_topic`` gives it 0.0, as every pair would
            return
        slot = self.slot[article] = len(self.articles)
        self.articles.append(article)
        postings = self.postings
        for w in words:
            postings[w].append(slot)
        self.norms.append(self.merger._norm(article, words) if self.month == self.merger._month else 0.0)

    def remove(self, article: int) -> None:
        slot = self.slot.pop(article, None)
        if slot is None:
            return
        self.articles[slot] = None
        self.removed += 1
        if self.removed > 1024 and self.removed * 2 > len(self.articles):
            self._compact()

    def _compact(self) -> None:
        live = [a for a in self.articles if a is not None]
        self.articles, self.slot, self.removed, self.epoch = [], {}, 0, self.epoch + 1
        self.postings = defaultdict(lambda: array("i"))
        self.norms, month = array("d"), self.month
        for a in live:
            self.add(a)
        self.month = month

    def near(self, item: MergeItem) -> list[int]:
        """The indexed articles whose cosine with ``item``'s article may reach TOPIC_MIN."""
        merger = self.merger
        if not self.slot:
            return []
        if self.month != merger._month:  # the month's weights: every norm again
            words = merger._article_words
            self.norms = array("d", (merger._norm(a, words[a]) if a is not None else 0.0 for a in self.articles))
            self.month = merger._month
        mine = merger._article_words.get(item.article)  # type: ignore[arg-type]
        if mine is None:
            mine = frozenset(item.article_words)
        slots, shared, sizes = array("i"), [], []
        get = self.postings.get
        for w in mine:
            p = get(w)
            if p:
                slots += p
                shared.append(w)
                sizes.append(len(p))
        if not sizes:
            return []
        weights = list(merger._values(shared)) if merger.idf else [1.0] * len(shared)
        weights = list(map(operator.mul, weights, weights))
        n = len(self.articles)
        dots = np.bincount(np.frombuffer(slots, dtype=np.int32), weights=np.repeat(np.array(weights), sizes),
                           minlength=n)
        own = merger._norm(item.article, mine)  # type: ignore[arg-type]
        norms = np.frombuffer(self.norms, dtype=np.float64)
        # cos >= TOPIC_MIN  <=>  dot >= TOPIC_MIN * sqrt(own * norm), with slack for the rounding
        bound = TOPIC_MIN * (1 - self.SLACK) * np.sqrt(own * norms)
        articles = self.articles
        return [a for a in (articles[i] for i in np.flatnonzero((dots > 0) & (dots >= bound)).tolist())
                if a is not None]


class _KeepAll:
    """``undated_keys`` for a merge that holds every story to the end (``merge``)."""

    def __contains__(self, key: object) -> bool:
        return True


class _Merger:
    def __init__(self, window: int, threshold: float, idf: Mapping[Hashable, float]) -> None:
        self.window = window
        self.threshold = threshold
        self.idf = idf
        self.default_idf = max(idf.values()) if idf else 1.0
        self.weights_at: Optional[Callable[[Optional[int]], tuple[Mapping[Hashable, float], float]]] = None
        self._month: object = ()  # the month whose weights are in self.idf
        self._topics: dict[tuple[int, int], float] = {}  # article pair -> cosine, for this month's weights
        self._article_words: dict[int, frozenset] = {}  # the open articles' words (bounded with by_article)
        self._norms: dict[int, float] = {}  # article -> squared norm of its words, for this month's weights
        self._fits: dict[tuple[str, str], bool] = {}  # (object class, object class) -> ``_compatible``
        # (article, month, index, its epoch, its articles on one topic, slots checked): ``_on_topic``'s last
        self._hits: Optional[tuple] = None

    def run(self, items: list[MergeItem]) -> list[Cluster]:
        items = [it if normalize_key(it.key) == it.key else _with_key(it, normalize_key(it.key)) for it in items]
        originals = [it for it in items if it.copy_of is None]
        copies = [it for it in items if it.copy_of is not None]
        clusters: list[Cluster] = []
        for block in _blocks(originals):
            clusters.extend(self.sweep(block, _KeepAll()))
        clusters.extend(join_copies(copies, clusters))
        return clusters

    # --- a block: dated reports in time order, then the undated ones -----------------------------

    def sweep(self, block: Iterable[MergeItem], undated_keys, forced: Optional[Forced] = None) -> Iterator[Cluster]:
        """Merge one block's originals, given dated ones in ``_order`` and then the undated ones (keys
        normalized), and yield each story once no later report of the block can change it.

        A dated story is done once its first report is out of the window, unless its key is in
        ``undated_keys`` (an undated report may still join it); the rest come at the end. With every
        key kept (``merge``), the stories come in creation order, all at the end."""
        keep_all = isinstance(undated_keys, _KeepAll)  # (its ``in``, a Python call, for each story)
        open_ = _OpenStories()
        open_.topics = _TopicIndex(self)
        past = _PastStories()  # closed to the window, open to the reports that look back
        kept: list[Cluster] = []  # done with the dated reports, kept for the undated ones
        by_key: Optional[dict[BlockKey, list[Cluster]]] = None  # made at the first undated report
        held: list[Cluster] = []  # ... in creation order
        made: list[Cluster] = []  # stories the undated reports started
        heads: dict[int, Cluster] = {}  # the stories of the placed reports, by their first report
        for item in block:
            if self.weights_at is not None:
                month = _month(item.day)
                if month != self._month:
                    self.idf, self.default_idf = self.weights_at(month)
                    self._month = month
                    self._topics.clear()
                    self._norms.clear()
            if item.day is None:
                if by_key is None:
                    by_key = defaultdict(list)
                    for cl in chain(kept, past.remaining(), open_.remaining()):
                        if cl.key in undated_keys:
                            by_key[cl.key].append(cl)
                            held.append(cl)
                        else:
                            yield cl
                    kept, open_, past = [], _OpenStories(), _PastStories()
                target, words = self._undated_target(item, by_key.get(item.key, []))
                if target is None:
                    cl = self._new(item, "undated, and no story with the same parties, object, place and sentence")
                    made.append(cl)
                    by_key[item.key].append(cl)
                else:
                    target.add(item, f"undated: same parties, object and place, {words:.0%} of its sentence's words", None)
                continue
            if by_key is not None:
                raise ValueError("a block gives its dated reports before the undated ones")
            oldest = item.day - self.window
            horizon = oldest - LOOKBACK_DAYS
            if past.stories.oldest_first_day() < horizon:
                for cl in past.expire_before(horizon):
                    if cl.key in undated_keys:
                        kept.append(cl)
                    else:
                        yield cl
            if open_.oldest_first_day() < oldest:
                for cl in open_.close_before(oldest):
                    if len(cl.articles) >= LOOKBACK_ARTICLES and past.add(cl, self._article_words, horizon):
                        continue  # held for the reports that look back
                    if keep_all:
                        kept.append(cl)
                    elif cl.key in undated_keys:
                        _compact(cl)  # held to the block's end, where only the undated reports read it
                        kept.append(cl)
                    else:
                        yield cl
            placed = forced(item) if forced is not None else None
            if item.article is not None:  # placed or merged: the topic index grows the same way
                self._remember_article(item, open_)
            if placed is not None:  # as an earlier merge placed it (see ``merge_block``)
                head, why, score = placed
                if head == item.event_id:
                    cl = Cluster.of(item, why, score)
                    open_.add(cl)
                    heads[head] = cl
                else:
                    cl = heads[head]
                    cl.add(item, why, score)
                    if item.article is not None:
                        back_words = past.words.get(id(cl))
                        if back_words is not None:  # joined a closed story: looked back
                            back_words[item.article] = _held_words(item.article_words)
                        else:
                            open_.index_article(item.article, cl)
                continue
            best, best_parts, ambiguous = self._best(item, self._candidates(item, open_))
            joins = best is not None and best_parts is not None and best_parts[0] >= self.threshold and not ambiguous
            if joins:
                best_score = Score(best_parts[0], best_parts[1:])  # type: ignore[index]
                best.add(item, _Joined(best_score, self.threshold, _first_gap(item, best)), best_score.total)
                if item.article is not None:
                    open_.index_article(item.article, best)
                continue
            back, back_score = self._look_back(item, past) if item.looks_back else (None, None)
            if back is not None and back_score is not None:
                back.add(item, _Joined(back_score, self.threshold, _first_gap(item, back), LOOKBACK_WHY), back_score.total)
                if item.article is not None:
                    past.words[id(back)][item.article] = _held_words(item.article_words)
            else:
                why: Reason = "first report"
                if ambiguous:
                    why = "first report; a party unknown, and stories of two other parties fit about as well"
                elif best_parts is not None:
                    why = _Started(best_parts[0], self.threshold)
                open_.add(self._new(item, why))
        if by_key is None:
            yield from kept
            yield from past.remaining()
            yield from open_.remaining()
        else:  # creation order: the dated stories held for the undated reports, then those these started
            yield from held
            yield from made

    def _candidates(self, item: MergeItem, open_: _OpenStories) -> list[Cluster]:
        """The open stories of compatible parties (for a symmetric type in either order), the most
        recent MAX_CANDIDATES of the report's own parties' list and MAX_WIDER of each wider one."""
        _, actor, recipient = item.key
        lists = open_.lists(actor, recipient)
        if item.key[0] in SYMMETRIC_TYPES and actor != recipient:
            mine = {id(g) for g in lists}
            lists += [g for g in open_.lists(recipient, actor) if g is not None and id(g) not in mine]
        out: list[Cluster] = []
        bound = MAX_CANDIDATES
        for group in lists:  # the lists hold distinct stories: each story is in one pair list
            if group:  # only stories within the window: the sweep closed the others (close_before)
                # the order is no matter: ties go to the oldest id (``_best``, ``_ambiguous``)
                out.extend(group if len(group) <= bound else islice(reversed(group), bound))
            bound = MAX_WIDER  # the first list is the report's own parties'; the wider ones give fewer
        if item.article is not None and item.day is not None and open_.by_article:
            oldest = item.day - self.window
            by_article = open_.by_article
            seen = {id(cl) for cl in out}
            for article in self._on_topic(item, open_):
                for cl in by_article.get(article, ()):  # open stories only: closed ones are taken out
                    if cl.first_day is not None and cl.first_day >= oldest and id(cl) not in seen:
                        seen.add(id(cl))
                        out.append(cl)
        return out

    def _on_topic(self, item: MergeItem, open_: _OpenStories) -> list[int]:
        """The open articles (not the report's own) whose topic cosine with the report's article reaches
        TOPIC_MIN: the index finds those that may (``_TopicIndex.near``), ``_topic`` decides. Kept for the
        article's next reports (they come together), with the articles indexed since checked alone."""
        index, a = open_.topics, item.article
        assert index is not None
        hits = self._hits
        if hits is not None and hits[0] == a and hits[1] == self._month and hits[2]() is index and hits[3] == index.epoch:
            found, last = hits[4], hits[5]
            for slot in range(last, len(index.articles)):
                b = index.articles[slot]
                if b is not None and b != a and self._topic(item, b) >= TOPIC_MIN:
                    found.append(b)
        else:
            found = [b for b in index.near(item) if b != a and self._topic(item, b) >= TOPIC_MIN]
        # the index by a weak reference: it refers to this merger, and a cycle would keep both, with every
        # article's words, until the cyclic collector runs (after the block, and the next ones, have run)
        self._hits = (a, self._month, weakref.ref(index), index.epoch, found, len(index.articles))
        return [b for b in found if b in open_.by_article]

    def _remember_article(self, item: MergeItem, open_: _OpenStories) -> None:
        words = self._article_words
        if item.article not in words:
            words[item.article] = frozenset(item.article_words)  # type: ignore[index]
            if len(words) > 2 * len(open_.by_article) + 64:  # keep those the open stories' articles need
                for a in [a for a in words if a not in open_.by_article and a != item.article]:
                    del words[a]
                    self._norms.pop(a, None)

    def _topic(self, item: MergeItem, article: int) -> float:
        """TF-IDF cosine (binary term weights, this month's IDF) of the report's article and another."""
        a, b = item.article, article
        key = (a, b) if a < b else (b, a)  # type: ignore[operator]
        cached = self._topics.get(key)
        if cached is None:
            words = self._article_words
            if a not in words:
                words[a] = frozenset(item.article_words)
            other = words.get(b)
            if other is None:
                return 0.0
            mine = words[a]
            shared = mine.intersection(other)
            cached = 0.0
            if shared:
                norm = math.sqrt(self._norm(a, mine) * self._norm(b, other))
                cached = self._sq(shared) / norm if norm else 0.0
            if len(self._topics) >= TOPIC_CACHE:
                self._topics.clear()
            self._topics[key] = cached
        return cached

    def _norm(self, article: int, words: frozenset) -> float:
        norm = self._norms.get(article)
        if norm is None:
            norm = self._norms[article] = self._sq(words)
        return norm

    def _sq(self, words: frozenset) -> float:
        if not self.idf:
            return float(len(words))
        values = list(self._values(words))
        return math.fsum(map(operator.mul, values, values))  # the squares, summed exactly

    def _past_topic(self, item: MergeItem, words: Mapping[int, tuple]) -> float:
        """``_story_topic`` for a closed story, over the words kept with it (``_PastStories``)."""
        if item.article is None or item.day is None or not words:
            return 0.0
        mine = frozenset(item.article_words)
        best = 0.0
        for article, other in words.items():
            if article == item.article:
                continue
            shared = mine.intersection(other)
            if shared:
                norm = math.sqrt(self._norm(item.article, mine) * self._norm(article, other))
                best = max(best, self._sq(shared) / norm if norm else 0.0)
        return best

    def _story_topic(self, item: MergeItem, cl: Cluster) -> float:
        if item.article is None or item.day is None or not cl.articles:
            return 0.0
        return max((self._topic(item, a) for a in cl.articles if a != item.article), default=0.0)

    def _best(self, item: MergeItem, candidates: list[Cluster]) -> tuple[Optional[Cluster], Optional[tuple], bool]:
        """The best story, its parts (``_scoring``'s tuple: a ``Score`` is made only for a report that
        joins) and whether the report stays apart as ``_ambiguous``."""
        best, best_parts = None, None
        if not candidates:
            return None, None, False
        scored = None if item.key[1].isupper() and item.key[2].isupper() else []  # for _ambiguous
        parts_of = self._scoring(item)
        for cl in candidates:
            parts = parts_of(cl)
            if parts is None:
                continue
            if best_parts is None or parts[0] > best_parts[0] or (
                    parts[0] == best_parts[0] and cl.members[0] < best.members[0]):  # type: ignore[union-attr]
                best, best_parts = cl, parts
            if scored is not None:
                scored.append((parts[0], cl.members[0], cl))
        if best is None:
            return None, None, False
        if scored is None or best_parts[0] < self.threshold:  # type: ignore[index]
            return best, best_parts, False
        scored.sort(key=lambda s: (-s[0], s[1]))
        return best, best_parts, self._ambiguous(item, best, scored)

    def _look_back(self, item: MergeItem, past: _PastStories) -> tuple[Optional[Cluster], Optional[Score]]:
        """The best closed story a report that looks back may join: one of its parties', before the
        window, sharing its trigger (full trigger evidence) and some content, scoring at least the
        threshold with LOOKBACK_DATE for the date part, and of the same kind, plan or deed (months
        after a decision to withdraw, "withdrawing troops" tells of the withdrawal, another event);
        ties go to the earliest story."""
        best, best_parts = None, None
        parts_of = self._scoring(item)
        for cl in past.candidates(item):
            parts = parts_of(cl, past.words[id(cl)])  # None for a plan against a deed, among others
            if parts is None or parts[1] < 1.0 or not parts[7] or parts[0] < self.threshold:
                continue
            if best_parts is None or parts[0] > best_parts[0] or (
                    parts[0] == best_parts[0] and cl.members[0] < best.members[0]):  # type: ignore[union-attr]
                best, best_parts = cl, parts
        if best is None:
            return None, None
        return best, Score(best_parts[0], best_parts[1:])  # type: ignore[index]

    def _ambiguous(self, item: MergeItem, best: Cluster, scored: list) -> bool:
        """A report with an unknown party ("drones were delivered to Russia") and two stories of other
        known parties in that role that fit about as well: it stays apart rather than guess."""
        for role in (1, 2):
            if is_code(item.key[role]) or not is_code(best.key[role]):
                continue
            for total, _, cl in scored[1:]:
                if scored[0][0] - total >= ATTACH_MARGIN:
                    break
                if is_code(cl.key[role]) and cl.key[role] != best.key[role]:
                    return True
        return False

    def _undated_target(self, item: MergeItem, clusters: list[Cluster]) -> tuple[Optional[Cluster], float]:
        best, best_words = None, 0.0
        seen = 0
        for cl in reversed(clusters):
            if not _compatible(cl.object_class, item.object_class):
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

    def _new(self, item: MergeItem, why: Reason) -> Cluster:
        return Cluster.of(item, why, None)

    # --- the score -------------------------------------------------------------------------------

    def score(self, item: MergeItem, cl: Cluster) -> Optional[Score]:
        """The similarity of a report to a story, or None when a hard rule says they differ."""
        if family(item.key[0]) != family(cl.key[0]):
            return None
        parts = self._parts(item, cl)
        return None if parts is None else Score(parts[0], parts[1:])

    def _parts(self, item: MergeItem, cl: Cluster, past_words: Optional[Mapping[int, tuple]] = None) -> Optional[tuple]:
        """(total, the six parts, content found, partial roles); see ``_scoring``."""
        return self._scoring(item)(cl, past_words)

    def _scoring(self, item: MergeItem) -> Callable[..., Optional[tuple]]:
        """The score of one report against a story, as a function of the story (and ``past_words``: the
        story is a closed one a report looks back to, ``_look_back``, with the words of its articles)
        giving (total, the six parts, content found, partial roles, conflicts, topic), a plain tuple, or
        None when a hard rule says they differ. What depends on the report alone is read once, for the
        several stories it is scored against (the sweep's hot path: a million reports, a dozen stories
        each). Both are of one family (the sweep's block; ``score`` checks it for other callers). The
        cheap rules that reject a story come first; what they read has no side effect, so the order
        changes no score."""
        ikey = item.key
        iactor, irecipient = ikey[1], ikey[2]
        itype = ikey[0]
        article = item.article
        own_sentence = (article, item.sentence) if item.sentence is not None else None
        planned = item.planned
        plans_apart = family(itype) in PLAN_APART_FAMILIES
        a = item.object_class
        fits = self._fits
        symmetric = itype in SYMMETRIC_TYPES
        actor_code, recipient_code = iactor.isupper(), irecipient.isupper()
        place = item.place
        day = item.day
        self_loop = item.self_loop
        topical = article is not None and day is not None  # ``_story_topic`` is 0.0 otherwise
        specific = item.place_specific
        vague = _vague(place)
        window = self.window
        idf = self.idf
        weight = self._weight
        sets: Optional[_ItemSets] = None  # the report's features as sets, made when a story first needs them

        def parts(cl: Cluster, past_words: Optional[Mapping[int, tuple]] = None) -> Optional[tuple]:
            nonlocal sets
            if own_sentence is not None and cl.sentences and own_sentence in cl.sentences:
                return None  # the analyzer read two events in one sentence: two acts ("fleeing the attack")
            if planned is not None and cl.planned is not None and planned != cl.planned and (
                    past_words is not None or plans_apart):
                return None  # a plan and a deed are two events: the decision to withdraw, the troops leaving
            b = cl.object_class
            if a and b and a != b:
                fit = fits.get((a, b))
                if fit is None:
                    fit = fits[(a, b)] = _compatible(a, b)
                if not fit:
                    return None  # incompatible object classes (missile ~ ballistic_missile is compatible)
            ckey = cl.key
            conflicts = 0
            c1, c2 = ckey[1], ckey[2]
            if iactor == c1 and irecipient == c2:
                partial = 0
            elif symmetric or ckey[0] in SYMMETRIC_TYPES:
                partial = _partial_roles(ikey, ckey)
            else:  # ``_count``, inline: most candidates from the wider lists come here
                partial = 0
                if iactor != c1:
                    partial = None if actor_code and c1.isupper() else 1
                if partial is not None and irecipient != c2:
                    partial = None if recipient_code and c2.isupper() else partial + 1
            if partial is None and not (self_loop or cl.self_loop):
                return None  # two codes in one role: another event (see TOPIC_MIN)
            if past_words is not None:
                topic = self._past_topic(item, past_words)
            else:
                topic = self._story_topic(item, cl) if topical and cl.articles else 0.0
            if partial is None:
                if topic < TOPIC_MIN:
                    return None  # two codes in one role, and not one topic: another event
                partial, conflicts = _soft_roles(ikey, ckey)
            f = sets
            if f is None:
                f = sets = self._features(item)
            if f.triggers.isdisjoint(cl.triggers):
                trigger = OTHER_TRIGGER if itype == ckey[0] else 0.0
            else:  # most of the report's trigger stems: a chain of many verbs shares one by chance
                share = len(f.triggers.intersection(cl.triggers)) / len(f.triggers)
                trigger = 1.0 if share >= TRIGGER_SHARE else max(OTHER_TRIGGER, share / TRIGGER_SHARE)
            if a and b:
                obj = 1.0 if a == b else 0.8
            elif f.object_words and cl.object_words:
                obj = 0.2 if f.object_words.isdisjoint(cl.object_words) else 1.0
            else:
                obj = 0.5
            places = cl.places
            if place and places:  # a region ("~northern syria") contradicts no town in it: unknown, not apart
                at = 1.0 if place in places else 0.5 if vague or all(map(_vague, places)) else 0.0
            else:
                at = 0.5
            first = cl.first_day
            if past_words is not None:
                near = LOOKBACK_DATE
            else:
                near = 1.0 - abs(day - first) / window if day is not None and first is not None else 0.0
                if near < 0.0:  # max(0.0, near), without the call
                    near = 0.0
            words = 0.0
            if f.weight:
                shared = f.words.intersection(cl.words)
                if shared:
                    words = (weight(shared) if idf else len(shared)) / f.weight
            names = len(f.entities.intersection(cl.entities)) / len(f.entities) if f.entities else 0.5
            total = (W_TRIGGER * trigger + W_OBJECT * obj + W_PLACE * at + W_DATE * near + W_WORDS * words
                     + W_ENTITIES * names)
            if topic and trigger < 1.0 and article in cl.articles:
                # its article is in the story already, by a report of the story's act: the articles' topic
                # was that report's evidence; another act of the type beside it ("was also planning to cut
                # short the air war") gets none
                topic = 0.0
            if topic >= TOPIC_MIN:
                total += TOPIC_BONUS * _topic_part(topic)
            else:
                topic = 0.0
            if partial:
                total *= PARTIAL_FACTOR ** partial
            if conflicts:
                total *= CONFLICT_FACTOR ** conflicts
            content = obj >= 0.8 or words >= CONTENT_WORDS or (trigger == 1.0 and (at == 1.0 or topic >= TOPIC_MIN)) \
                or (at == 1.0 and trigger > 0.0 and specific)  # one type in one town
            if not content:
                # only the type, the parties and the time agree (or a place as wide as "Syria" with another
                # verb): "Russia vetoed ..." twice in a week is not yet one veto
                total *= NO_CONTENT_FACTOR
            return (_round4(total), trigger, obj, at, near, words, names, content, partial, conflicts,
                    _round4(topic) if topic else 0.0)

        return parts

    def _features(self, item: MergeItem) -> "_ItemSets":
        """The report's features as sets, made once for the several stories it is scored against."""
        words = frozenset(item.words)
        return _ItemSets(frozenset(item.triggers), words, frozenset(item.entities), frozenset(item.object_words),
                         self._weight(words))

    def _weight(self, words: Iterable[Hashable]) -> float:
        """IDF-weighted size (rare shared words count most); 1 a word without an IDF table."""
        if not self.idf:
            return float(len(words)) if isinstance(words, (set, frozenset)) else float(sum(1 for _ in words))
        # fsum: exact, so a weight does not depend on the order a set of word ids iterates in
        return math.fsum(self._values(words))

    def _values(self, words: Iterable[Hashable]) -> Iterator[float]:
        """The words' weights: a table that computes a missing word's weight (``computes_missing``, as
        ``stories._WeightTable``) is read directly, another mapping with the weight of an unknown word."""
        idf = self.idf
        if getattr(idf, "computes_missing", False):
            return map(idf.__getitem__, words)
        return map(idf.get, words, repeat(self.default_idf))

    def _containment(self, words: Features, pool) -> float:
        """The IDF-weighted share of ``words`` found in ``pool``."""
        words = frozenset(words)
        total = self._weight(words)
        return self._weight(words.intersection(pool)) / total if total else 0.0



def join_copies(copies: Iterable[MergeItem], clusters: Iterable[Cluster]) -> list[Cluster]:
    """Each report of a near-duplicate copy (``copy_of``: the report it repeats) joins its original's
    story, in ``_order``; returns the stories of copies whose original is in none of ``clusters``."""
    home = {m: cl for cl in clusters for m in cl.members}
    orphans = []
    for item in sorted(copies, key=_order):
        target = home.get(item.copy_of)  # type: ignore[arg-type]
        if target is None:
            cl = Cluster(item.key, item.object_class, item.day, item.day)
            cl.add(item, "in a near-duplicate copy whose original report is not merged", None)
            orphans.append(cl)
        else:
            target.add(item, COPY_WHY, 1.0)
            cl = target
        home[item.event_id] = cl
    return orphans


def compatible_parties(etype: str, a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Could reports with these (actor, recipient) keys be merged? ("" for an unknown party)"""
    return _partial_roles((etype, *a), (etype, *b)) is not None


def _partial_roles(a: BlockKey, b: BlockKey, *, symmetric: bool = True) -> Optional[int]:
    """How many roles are known on one side only (or two different names), or None when a role holds two
    different codes. A symmetric type also tries the parties swapped."""
    straight = _count(a[1], a[2], b[1], b[2])
    if symmetric and (a[0] in SYMMETRIC_TYPES or b[0] in SYMMETRIC_TYPES):
        swapped = _count(a[1], a[2], b[2], b[1])
        if swapped is not None and (straight is None or swapped < straight):
            return swapped
    return straight


def _round4(x: float) -> float:
    """``round(x, 4)`` for a score (0 <= x, well below 2**20) at about half the cost: ``round`` goes through
    a decimal string (two per story scored). x * 10**4 is within 2**-38 of its exact value, so its
    nearest integer is the exact one unless x is that close to a half (then ``round`` itself decides), and
    k / 10**4 is, as ``round`` gives, the float nearest to the decimal."""
    p = x * 10000.0
    k = p // 1.0
    frac = p - k
    if -1e-6 < frac - 0.5 < 1e-6:
        return round(x, 4)
    return (k + (frac > 0.5)) / 10000.0


def _topic_part(cosine: float) -> float:
    return min(1.0, cosine / TOPIC_FULL)


def _soft_roles(a: BlockKey, b: BlockKey) -> tuple[int, int]:
    """(roles known on one side only, roles holding two different codes), the better order for a
    symmetric type."""
    def count(a1: str, a2: str, b1: str, b2: str) -> tuple[int, int]:
        partial = conflicts = 0
        for x, y in ((a1, b1), (a2, b2)):
            if x != y:
                if is_code(x) and is_code(y):
                    conflicts += 1
                else:
                    partial += 1
        return partial, conflicts
    straight = count(a[1], a[2], b[1], b[2])
    if a[0] in SYMMETRIC_TYPES or b[0] in SYMMETRIC_TYPES:
        swapped = count(a[1], a[2], b[2], b[1])
        if (swapped[1], swapped[0]) < (straight[1], straight[0]):
            return swapped
    return straight


def _count(a1: str, a2: str, b1: str, b2: str) -> Optional[int]:
    n = 0
    if a1 != b1:
        if a1.isupper() and b1.isupper():
            return None
        n = 1
    if a2 != b2:
        if a2.isupper() and b2.isupper():
            return None
        n += 1
    return n


def _filled(story: BlockKey, report: BlockKey) -> BlockKey:
    """The story's parties, completed by a report's: a code replaces an unknown party or a mere name."""
    parties = report[1:]
    if story[0] in SYMMETRIC_TYPES:
        straight, swapped = _partial_roles(story, report, symmetric=False), _partial_roles(story, (report[0], report[2], report[1]), symmetric=False)
        if swapped is not None and (straight is None or swapped < straight):
            parties = (report[2], report[1])
    out = tuple(p if p and (is_code(p) or not s) and not is_code(s) else s for s, p in zip(story[1:], parties))
    return normalize_key((story[0], out[0], out[1]))


def _order(item: MergeItem) -> tuple:
    # a stable order that does not depend on insertion order: day (undated last), then id
    return (item.day if item.day is not None else math.inf, item.event_id)


def _blocks(items: list[MergeItem]) -> Iterable[list[MergeItem]]:
    groups: dict[str, list[MergeItem]] = defaultdict(list)
    for item in items:
        groups[family(item.key[0])].append(item)
    for k in sorted(groups):
        yield _in_order(groups[k])


def _in_order(items: list[MergeItem]) -> list[MergeItem]:
    """``items`` sorted by ``_order`` (day, undated last, then id): stable sorts on one int each, which
    cost less than one sort on a tuple made for each item."""
    dated = [it for it in items if it.day is not None]
    undated = [it for it in items if it.day is None]
    by_id = operator.attrgetter("event_id")
    dated.sort(key=by_id)
    dated.sort(key=operator.attrgetter("day"))
    undated.sort(key=by_id)
    return dated + undated


def _month(day: Optional[int]) -> Optional[int]:
    if day is None:
        return None
    d = date.fromordinal(day)
    return d.year * 12 + d.month - 1


def _first_gap(item: MergeItem, cl: Cluster) -> Optional[int]:
    """Days from the story's first report (None: undated), read before the report joins."""
    if item.day is None or cl.first_day is None:
        return None
    return abs(item.day - cl.first_day)


def _gap_text(days: Optional[int]) -> str:
    return "undated" if days is None else f"{days} day(s) from the story's first report"


VAGUE_PLACE = "~"  # the mark the rebuild puts on a report's place that is a country's part, not a town


def _vague(place: Hashable) -> bool:
    return isinstance(place, str) and place.startswith(VAGUE_PLACE)


def _compatible(a: Optional[str], b: Optional[str]) -> bool:
    """Equal, unknown on one side, or one the general form of the other (missile ~ ballistic_missile)."""
    return a is None or b is None or a == b or a.endswith("_" + b) or b.endswith("_" + a)


def _narrower(a: Optional[str], b: Optional[str]) -> Optional[str]:
    """The more specific of two compatible classes."""
    if a is None or b is None:
        return a or b
    return a if len(a) >= len(b) else b
