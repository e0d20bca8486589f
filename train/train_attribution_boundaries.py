"""Train the content boundary model (``extract/attribution/boundaries.py``) on PolNeAR train. CPU only, deterministic.

Usage (from the repository root, after train/parse_polnear.py):
    python train/train_attribution_boundaries.py --gold ../shared/data/polnear/train \
        --docs /tmp/polnear-train.spacy --out src/according/models/attribution/boundaries-polnear-v1.json

The extractor runs as ``according eval attribution --convention polnear`` runs it (shipped CRFs, no boundary
model); each content it finds that shares a cue and some tokens with a gold relation gives one example for
its start and one for its end: the candidates near the boundary found, the gold boundary among them (in the
analyzer's convention: after a "that"/"whether"/"if"). The weights of a conditional logit over each
boundary's candidates are fitted by full-batch gradient descent (Adam, fixed steps, L2), from zeros: a rerun
gives the same weights. Weights below ``--prune`` in size are dropped.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Optional

import sys

import numpy
from spacy.tokens import Doc, DocBin

from according.evaluate.polnear import GoldArticle, read_polnear
from according.extract.actors import ActorLexicon
from according.extract.attribution import AttributionExtractor
from according.extract.attribution.boundaries import BoundaryView, end_candidates, start_candidates
from according.extract.attribution.extract import raw_attributions

sys.path.insert(0, str(Path(__file__).resolve().parent))  # train_attribution_crf, beside this file

_COMPLEMENTIZERS = ("that", "whether", "if")


def token_set(doc: Doc, fragments) -> list[int]:
    out: set[int] = set()
    for start, end in fragments or ():
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            out.update(t.i for t in span if not t.is_space)
    return sorted(out)


def gold_targets(doc: Doc, article: GoldArticle) -> list[tuple[set[int], list[int]]]:
    """Per gold relation with a content: its cue tokens and its content tokens."""
    out = []
    for rel in article.relations:
        if rel.content:
            cue, content = set(token_set(doc, rel.cue)), token_set(doc, rel.content)
            if cue and content:
                out.append((cue, content))
    return out


def _pieces(tokens: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for i in tokens:
        if out and i == out[-1][1]:
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


def target(doc: Doc, raw, golds) -> Optional[tuple[int, int]]:
    """The gold content's outer start and end for this found content, or None when no gold shares its cue."""
    found = set(range(*raw.content))
    cue = set(range(*raw.cue))
    best, best_shared = None, 0
    for gold_cue, content in golds:
        if not gold_cue & cue:
            continue
        shared = len(found & set(content))
        if shared > best_shared:
            best, best_shared = content, shared
    if best is None:
        return None
    # the gold pieces this content overlaps (a content split at its cue matches one side of it)
    pieces = [p for p in _pieces(best) if p[0] < raw.content[1] and raw.content[0] < p[1]]
    start, end = pieces[0][0], pieces[-1][1]
    # the analyzer's convention: after the complementizer (one: "that, if elected, ..." starts at "if");
    # a found start at the complementizer itself scores the same, and stays
    if start < end - 1 and doc[start].lower_ in _COMPLEMENTIZERS and raw.content[0] != start:
        start += 1
        while start < end - 1 and doc[start].is_punct and not doc[start].is_quote:
            start += 1
    return start, end


class Examples:
    """Per boundary: its candidates' features, which one is gold, which one was found, the article's fold."""

    def __init__(self, groups=None) -> None:
        self.groups: list[tuple[list[list[str]], int, int, int]] = groups or []

    def add(self, candidates, gold: int, found: int, fold: int) -> bool:
        positions = [c.position for c in candidates]
        if gold not in positions:
            return False
        self.groups.append(([c.features() for c in candidates], positions.index(gold), positions.index(found), fold))
        return True

    def fold(self, k: int, inside: bool) -> "Examples":
        return Examples([g for g in self.groups if (g[3] == k) == inside])


def collect(articles, docs, extractors) -> tuple[Examples, Examples, dict]:
    """Examples from each article, found by the extractor of its fold (article ``j`` is in fold ``j % folds``)."""
    starts, ends = Examples(), Examples()
    stats = {"contents": 0, "matched": 0, "start_ok": 0, "end_ok": 0, "start_in": 0, "end_in": 0}
    for j, (article, doc) in enumerate(zip(articles, docs)):
        extractor = extractors[j % len(extractors)]
        golds = gold_targets(doc, article)
        view = BoundaryView.of(doc)
        for raw in raw_attributions(doc, extractor):
            if raw.content is None:
                continue
            stats["contents"] += 1
            t = target(doc, raw, golds)
            if t is None:
                continue
            stats["matched"] += 1
            stats["start_ok"] += t[0] == raw.content[0]
            stats["end_ok"] += t[1] == raw.content[1]
            fold = j % 2
            stats["start_in"] += starts.add(start_candidates(view, raw), t[0], raw.content[0], fold)
            stats["end_in"] += ends.add(end_candidates(view, raw, raw.content[0]), t[1], raw.content[1], fold)
    return starts, ends, stats


class _NoTrainer:
    def append(self, *args) -> None:
        pass


def fold_extractors(articles, docs, extractor, folds: int, workdir: Path, c1: float, c2: float, iterations: int):
    """Per fold, an extractor whose role CRF was trained on the other folds' articles (the shipped cue
    CRF stays): the contents it finds on its own fold err as the shipped model errs on unseen text."""
    import pycrfsuite
    from dataclasses import replace

    from according.extract.attribution.crf import CrfTagger
    from train_attribution_crf import add_article

    lexicon = extractor.lexicon
    out = []
    for k in range(folds):
        stem = workdir / f"fold{k}"
        role_file = Path(str(stem) + "-role.crfsuite")
        if not role_file.is_file():
            trainer = pycrfsuite.Trainer(verbose=False)
            trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
            for j, (article, doc) in enumerate(zip(articles, docs)):
                if j % folds != k:
                    add_article(doc, article, lexicon, _NoTrainer(), trainer)
            began = time.time()
            trainer.train(str(role_file))
            print(f"fold {k}: role CRF trained in {time.time() - began:.0f}s")
        role = pycrfsuite.Tagger()
        role.open(str(role_file))
        out.append(replace(extractor, tagger=replace(extractor.tagger, role_tagger=role)))
    return out


def fit(examples: Examples, l2: float, steps: int, rate: float, min_count: int, quiet: bool = False) -> dict[str, float]:
    counts: dict[str, int] = {}
    for candidates, *_ in examples.groups:
        for feats in candidates:
            for f in feats:
                counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: k for k, f in enumerate(names)}
    flat, row_of, group_of, gold_rows = [], [], [], []
    row = 0
    for g, (candidates, gold, _, _) in enumerate(examples.groups):
        for k, feats in enumerate(candidates):
            ids = [index[f] for f in feats if f in index]
            flat.extend(ids)
            row_of.extend([row] * len(ids))
            group_of.append(g)
            if k == gold:
                gold_rows.append(row)
            row += 1
    flat_a, rows_a = numpy.asarray(flat), numpy.asarray(row_of)
    groups_a, gold_a = numpy.asarray(group_of), numpy.asarray(gold_rows)
    n_groups, n_rows = len(examples.groups), row
    w = numpy.zeros(len(names))
    m, v = numpy.zeros_like(w), numpy.zeros_like(w)
    b1, b2 = 0.9, 0.999
    for step in range(1, steps + 1):
        scores = numpy.bincount(rows_a, weights=w[flat_a], minlength=n_rows)
        top = numpy.full(n_groups, -numpy.inf)
        numpy.maximum.at(top, groups_a, scores)
        e = numpy.exp(scores - top[groups_a])
        z = numpy.bincount(groups_a, weights=e, minlength=n_groups)
        p = e / z[groups_a]
        coef = p.copy()
        coef[gold_a] -= 1.0  # d(-log p_gold)/d score
        grad = numpy.bincount(flat_a, weights=coef[rows_a], minlength=len(w)) / n_groups + 2 * l2 * w
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad * grad
        w -= rate * (m / (1 - b1 ** step)) / (numpy.sqrt(v / (1 - b2 ** step)) + 1e-8)
        if not quiet and (step % 50 == 0 or step == steps):
            loss = -numpy.log(p[gold_a]).mean()
            best = numpy.full(n_groups, -numpy.inf)
            numpy.maximum.at(best, groups_a, scores)
            acc = (scores[gold_a] >= best).mean()
            print(f"  step {step}: loss {loss:.4f}, train accuracy {100 * acc:.1f}")
    return {f: float(x) for f, x in zip(names, w)}


MARGINS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


def held_out_gains(examples: Examples, weights: dict[str, float]) -> dict[float, int]:
    """Per margin: boundaries made right minus boundaries made wrong, when a candidate replaces the
    found boundary only if it scores more than the margin above it."""
    out = {m: 0 for m in MARGINS}
    for candidates, gold, found, _ in examples.groups:
        scores = [sum(weights.get(f, 0.0) for f in feats) for feats in candidates]
        best = max(range(len(scores)), key=scores.__getitem__)
        for m in MARGINS:
            chosen = best if scores[best] - scores[found] > m else found
            out[m] += (chosen == gold) - (found == gold)
    return out


def choose_margin(examples: Examples, args) -> float:
    """The margin with the most net gain on each half of the articles, fitted on the other half."""
    total = {m: 0 for m in MARGINS}
    for k in (0, 1):
        weights = fit(examples.fold(k, inside=False), args.l2, args.steps, args.rate, args.min_count, quiet=True)
        for m, gain in held_out_gains(examples.fold(k, inside=True), weights).items():
            total[m] += gain
    print(f"  held-out net gain by margin: {total}")
    best = max(MARGINS, key=lambda m: (total[m], m))
    # None: this boundary is better left as found (the gain would not pay for the time it costs)
    return best if total[best] > args.min_gain * len(examples.groups) else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", required=True)
    parser.add_argument("--docs", required=True, help="DocBin of the split parsed by train/parse_polnear.py")
    parser.add_argument("--out", required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--l2", type=float, default=1e-4)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--rate", type=float, default=0.05)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--prune", type=float, default=0.01)
    parser.add_argument("--min-gain", type=float, default=0.005,
                        help="keep a boundary's model only when its held-out net gain exceeds this share of the boundaries")
    parser.add_argument("--folds", type=int, default=2,
                        help="role CRFs trained on all folds but one find the contents of that one (1: the shipped CRF)")
    parser.add_argument("--workdir", default="/tmp/according-boundaries",
                        help="where the fold CRFs (and the examples, examples.pickle) are kept")
    args = parser.parse_args()

    from according.nlp.loading import load_pipeline

    nlp = load_pipeline()
    articles = list(read_polnear(args.gold, limit=args.limit))
    cached = {d.user_data["article"]: d for d in DocBin().from_disk(args.docs).get_docs(nlp.vocab)}
    docs = [cached[a.name] for a in articles]
    extractor = AttributionExtractor.load(name_pronouns=False, acts=True, actors=ActorLexicon.load())
    if args.folds > 1:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
        extractors = fold_extractors(articles, docs, extractor, args.folds, Path(args.workdir), 2.5, 0.01, 150)
    else:
        extractors = [extractor]
    began = time.time()
    starts, ends, stats = collect(articles, docs, extractors)
    print(f"examples in {time.time() - began:.0f}s: {stats}")
    model: dict = {"margin": {}}
    for name, examples in (("start", starts), ("end", ends)):
        print(f"{name}: {len(examples.groups)} examples")
        margin = choose_margin(examples, args)
        model["margin"][name] = margin if margin is not None else 0.0
        weights = fit(examples, args.l2, args.steps, args.rate, args.min_count) if margin is not None else {}
        model[name] = {f: round(x, 4) for f, x in sorted(weights.items()) if abs(x) >= args.prune}
        print(f"  {len(model[name])} weights kept, margin {model['margin'][name]}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
