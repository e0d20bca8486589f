"""Train the attribution CRFs (cue tagger, role tagger) on PolNeAR train. CPU only, deterministic.

Usage (from the repository root):
    python train/parse_polnear.py ../shared/data/polnear/train /tmp/polnear-train.spacy   # ~3 min
    python train/train_attribution_crf.py --gold ../shared/data/polnear/train \
        --docs /tmp/polnear-train.spacy --out src/according/models/attribution/crf-polnear-v1

Writes ``<out>-cue.crfsuite`` and ``<out>-role.crfsuite``. L-BFGS training in crfsuite has no random
state; the article order is fixed (sorted), so a rerun gives the same weights.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import pycrfsuite
from spacy.tokens import Doc, DocBin

from according.evaluate.polnear import Fragments, GoldArticle, read_polnear
from according.extract.attribution.crf import cue_root
from according.extract.attribution.features import cue_sequence, role_sequence, role_window, sentences, token_table
from according.extract.attribution import AttributionLexicon
from according.extract.attribution.rules import find_rule_attributions


def token_range(doc: Doc, fragments: Fragments) -> list[int]:
    """Indices of tokens that overlap the fragments."""
    out = []
    for start, end in fragments:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            out.extend(t.i for t in span)
    return sorted(set(out))


def bio(indices: list[int], tag: str, labels: list[str], offset: int) -> None:
    previous = None
    for i in indices:
        k = i - offset
        if 0 <= k < len(labels) and labels[k] == "O":
            labels[k] = ("I-" if previous == i - 1 else "B-") + tag
        previous = i


def add_article(doc: Doc, article: GoldArticle, lexicon: AttributionLexicon,
                cue_trainer: pycrfsuite.Trainer, role_trainer: pycrfsuite.Trainer) -> None:
    table = token_table(doc, lexicon)
    rules = list(find_rule_attributions(doc, lexicon))
    rule_heads = {r.cue_head for r in rules}
    cue_labels = ["O"] * len(doc)
    for rel in article.relations:
        bio(token_range(doc, rel.cue), "CUE", cue_labels, 0)
    for start, end in sentences(table):
        cue_trainer.append(cue_sequence(table, start, end, rule_heads), cue_labels[start:end])
    by_token = {i: r for r in rules for i in range(*r.cue)}
    for rel in article.relations:
        cue_tokens = token_range(doc, rel.cue)
        if not cue_tokens:
            continue
        cue = (cue_tokens[0], cue_tokens[-1] + 1)
        rule = next((by_token[i] for i in range(*cue) if i in by_token), None)
        head = cue_root(table, cue)
        window = role_window(table, cue)
        labels = ["O"] * (window[1] - window[0])
        for i in range(*cue):
            if window[0] <= i < window[1]:
                labels[i - window[0]] = "CUE"
        if rel.source:
            bio(token_range(doc, rel.source), "SRC", labels, window[0])
        if rel.content:
            bio(token_range(doc, rel.content), "CON", labels, window[0])
        role_trainer.append(role_sequence(table, cue, head, window, rule), labels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", required=True)
    parser.add_argument("--docs", help="DocBin of the split parsed by train/parse_polnear.py")
    parser.add_argument("--out", required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--iterations", type=int, default=150)
    # Defaults are the shipped model's settings, chosen on PolNeAR dev (strong L1 helped both models).
    parser.add_argument("--c1", type=float, default=3.2, help="L1 weight of the cue model")
    parser.add_argument("--role-c1", type=float, default=2.5, help="L1 weight of the role model")
    parser.add_argument("--c2", type=float, default=0.01)
    parser.add_argument("--only", choices=("cue", "role"), default=None, help="train one of the two models")
    args = parser.parse_args()

    from according.nlp.loading import load_pipeline

    nlp = load_pipeline()
    articles = list(read_polnear(args.gold, limit=args.limit))
    if args.docs:
        cached = {d.user_data["article"]: d for d in DocBin().from_disk(args.docs).get_docs(nlp.vocab)}
        docs = [cached[a.name] for a in articles]
    else:
        docs = list(nlp.pipe((a.text for a in articles), batch_size=16))
    lexicon = AttributionLexicon.load()
    params = {"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations, "feature.possible_transitions": True}
    cue_trainer = pycrfsuite.Trainer(verbose=False)
    role_trainer = pycrfsuite.Trainer(verbose=False)
    cue_trainer.set_params(params)
    role_trainer.set_params(dict(params, c1=args.role_c1))
    for article, doc in zip(articles, docs):
        add_article(doc, article, lexicon, cue_trainer, role_trainer)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    for name, trainer in (("cue", cue_trainer), ("role", role_trainer)):
        if args.only and name != args.only:
            continue
        began = time.time()
        trainer.train(f"{args.out}-{name}.crfsuite")
        print(f"{name}: trained in {time.time() - began:.0f}s")


if __name__ == "__main__":
    main()
