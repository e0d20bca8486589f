"""Scores for attribution extraction against span-annotated gold (PolNeAR).

Per role (source, cue, content): exact-span and overlap precision/recall/F1 with one-to-one matching,
and token-level F1; per relation: exact F1 when all three roles match. Breakdowns by source type and
quote type. The definitions are in docs/attribution.md.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from .polnear import Fragments

CONVENTIONS = ("polnear", "according")  # content spans with or without the "that" complementizer

ROLES = ("source", "cue", "content")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_QUOTES = "\"“”"


@dataclass(frozen=True)
class SpanRelation:
    """A relation as sets of character fragments; the shape both gold and predictions are scored in."""

    source: Optional[Fragments]
    cue: Fragments
    content: Optional[Fragments]
    source_type: str = "unknown"
    quote: str = "indirect"


def normalize(text: str, fragments: Optional[Fragments]) -> Optional[Fragments]:
    """Fragments with surrounding whitespace trimmed and empty pieces dropped."""
    if not fragments:
        return None
    out = []
    for start, end in fragments:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return tuple(sorted(out)) or None


def _overlap(a: Fragments, b: Fragments) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def prf(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(100 * p, 1), "r": round(100 * r, 1), "f1": round(100 * f, 1), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def match_exact(gold: list[Fragments], pred: list[Fragments]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) of identical spans."""
    free: dict[Fragments, list[int]] = {}
    for j, p in enumerate(pred):
        free.setdefault(p, []).append(j)
    pairs = []
    for i, g in enumerate(gold):
        if free.get(g):
            pairs.append((i, free[g].pop(0)))
    return pairs


def match_overlap(gold: list[Fragments], pred: list[Fragments]) -> list[tuple[int, int]]:
    """One-to-one pairs of overlapping spans, greedily by characters shared (largest first)."""
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            shared = _overlap(g, p)
            if shared:
                candidates.append((-shared, i, j))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def _tokens(text: str, spans: Iterable[Fragments]) -> set[int]:
    starts = set()
    for fragments in spans:
        for start, end in fragments:
            for m in _TOKEN.finditer(text, start, end):
                starts.add(m.start())
    return starts


def gold_quote_type(text: str, content: Optional[Fragments]) -> str:
    """direct when the content is all within quote marks, mixed when it holds some, else indirect."""
    if not content:
        return "indirect"
    body = " ".join(text[s:e] for s, e in content).strip()
    if not any(q in body for q in _QUOTES):
        return "indirect"
    stripped = body.rstrip(".,;:!? ")
    if body[:1] in _QUOTES and stripped[-1:] in _QUOTES and sum(body.count(q) for q in _QUOTES) == 2:
        return "direct"
    return "mixed"


@dataclass
class Scores:
    articles: int = 0
    exact: dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in ROLES})
    overlap: dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in ROLES})
    tokens: dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in ROLES})
    relation: Counts = field(default_factory=Counts)
    by_source_type: dict[str, Counts] = field(default_factory=dict)
    by_quote: dict[str, Counts] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"articles": self.articles}
        for role in ROLES:
            out[role] = {
                "exact": self.exact[role].prf(),
                "overlap": self.overlap[role].prf(),
                "token": self.tokens[role].prf(),
            }
        out["relation"] = {"exact": self.relation.prf()}
        out["source_type"] = {k: v.prf() for k, v in sorted(self.by_source_type.items())}
        out["quote"] = {k: v.prf() for k, v in sorted(self.by_quote.items())}
        return out


@dataclass(frozen=True)
class Miss:
    """A gold span not found (kind "miss") or a predicted span with no gold partner ("false_alarm")."""

    article: str
    role: str
    kind: str
    span: tuple[int, int]
    text: str
    context: str


def _role(rel: SpanRelation, role: str) -> Optional[Fragments]:
    return getattr(rel, role)


def _breakdown(table: dict[str, Counts], key_g: Callable[[int], str], key_p: Callable[[int], str],
               n_gold: int, n_pred: int, pairs: list[tuple[int, int]]) -> None:
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    for i, j in pairs:
        table.setdefault(key_g(i), Counts()).tp += 1
    for i in range(n_gold):
        if i not in matched_g:
            table.setdefault(key_g(i), Counts()).fn += 1
    for j in range(n_pred):
        if j not in matched_p:
            table.setdefault(key_p(j), Counts()).fp += 1


def score_article(scores: Scores, name: str, text: str, gold: list[SpanRelation], pred: list[SpanRelation],
                  errors: Optional[list[Miss]] = None) -> None:
    """Add one article's counts to ``scores``; misses and false alarms (exact) go to ``errors``."""
    scores.articles += 1
    for role in ROLES:
        g_idx = [k for k, r in enumerate(gold) if _role(r, role)]
        p_idx = [k for k, r in enumerate(pred) if _role(r, role)]
        g_spans = [_role(gold[k], role) for k in g_idx]
        p_spans = [_role(pred[k], role) for k in p_idx]
        exact = match_exact(g_spans, p_spans)  # type: ignore[arg-type]
        scores.exact[role].add(len(exact), len(p_spans) - len(exact), len(g_spans) - len(exact))
        over = match_overlap(g_spans, p_spans)  # type: ignore[arg-type]
        scores.overlap[role].add(len(over), len(p_spans) - len(over), len(g_spans) - len(over))
        g_tok, p_tok = _tokens(text, g_spans), _tokens(text, p_spans)  # type: ignore[arg-type]
        scores.tokens[role].add(len(g_tok & p_tok), len(p_tok - g_tok), len(g_tok - p_tok))
        if role == "source":
            _breakdown(scores.by_source_type, lambda i: gold[g_idx[i]].source_type,
                       lambda j: pred[p_idx[j]].source_type, len(g_spans), len(p_spans), exact)
        if role == "content":
            _breakdown(scores.by_quote, lambda i: gold[g_idx[i]].quote,
                       lambda j: pred[p_idx[j]].quote, len(g_spans), len(p_spans), exact)
        if errors is not None:
            _collect_errors(errors, name, text, role, g_spans, p_spans, exact)  # type: ignore[arg-type]
    g_rel = Counter((r.source, r.cue, r.content) for r in gold)
    p_rel = Counter((r.source, r.cue, r.content) for r in pred)
    tp = sum((g_rel & p_rel).values())
    scores.relation.add(tp, sum(p_rel.values()) - tp, sum(g_rel.values()) - tp)


def _collect_errors(errors: list[Miss], name: str, text: str, role: str, gold: list[Fragments],
                    pred: list[Fragments], pairs: list[tuple[int, int]]) -> None:
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    for kind, spans, matched in (("miss", gold, matched_g), ("false_alarm", pred, matched_p)):
        for k, frags in enumerate(spans):
            if k in matched:
                continue
            start, end = frags[0][0], frags[-1][1]
            body = " / ".join(text[s:e] for s, e in frags)
            context = text[max(0, start - 80):min(len(text), end + 80)].replace("\n", " ")
            errors.append(Miss(name, role, kind, (start, end), body, context))
