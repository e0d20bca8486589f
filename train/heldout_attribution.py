"""Held-out PolNeAR train: both attribution CRFs trained on the even-numbered train articles (sorted
order), the command's PolNeAR-convention extractor scored on the odd ones. Changes are chosen on this
half so that dev (and the reviewers' test split) stay unseen. CPU only, deterministic.

Usage (from the repository root):
    python train/parse_polnear.py ../shared/data/polnear/train /tmp/polnear-train.spacy   # ~3 min
    python train/heldout_attribution.py --gold ../shared/data/polnear/train \
        --docs /tmp/polnear-train.spacy --models /tmp/heldout-even [--retrain] [--pairs OUT.jsonl]

The even-half models are written to ``<models>/crf-even-{cue,role}.crfsuite`` and reused when present
(``--retrain`` trains them again: needed after a change to the role or cue features). ``--pairs``
writes, per odd article, each gold content with the predicted content at the same cue, for counting
boundary errors.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import pycrfsuite
from spacy.tokens import DocBin

from according.evaluate.attribution_eval import evaluate_docs, gold_relations, merged_by_cue, predicted_relation
from according.evaluate.polnear import read_polnear
from according.extract.actors import ActorLexicon
from according.extract.attribution import AttributionExtractor, AttributionLexicon, extract_attributions
from according.extract.attribution.crf import CrfTagger

from train_attribution_crf import add_article


def train_half(articles, docs, stem: str, c1: float, role_c1: float, c2: float, iterations: int,
               role_iterations: int, only: str | None = None) -> None:
    lexicon = AttributionLexicon.load()
    params = {"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True}
    cue_trainer, role_trainer = pycrfsuite.Trainer(verbose=False), pycrfsuite.Trainer(verbose=False)
    cue_trainer.set_params(params)
    role_trainer.set_params(dict(params, c1=role_c1, max_iterations=role_iterations))
    for article, doc in zip(articles, docs):
        add_article(doc, article, lexicon, cue_trainer, role_trainer)
    Path(stem).parent.mkdir(parents=True, exist_ok=True)
    for name, trainer in (("cue", cue_trainer), ("role", role_trainer)):
        if only and name != only:
            continue
        began = time.time()
        trainer.train(f"{stem}-{name}.crfsuite")
        print(f"{name}: trained in {time.time() - began:.0f}s", flush=True)


def write_pairs(path: str, pairs, extractor: AttributionExtractor) -> None:
    """Gold and predicted contents side by side, matched by cue (exact, else overlapping)."""
    with open(path, "w", encoding="utf-8") as out:
        for article, doc in pairs:
            gold = gold_relations(doc, article, extractor)
            pred = merged_by_cue([predicted_relation(article.text, a, "polnear") for a in extract_attributions(doc, extractor)])
            by_cue = {p.cue: p for p in pred}
            for g in gold:
                p = by_cue.get(g.cue)
                found = "exact" if p is not None else None
                if p is None:  # a cue found with other edges ("said Friday" for "said")
                    p = next((q for q in pred if q.cue[0][0] < g.cue[-1][1] and g.cue[0][0] < q.cue[-1][1]), None)
                    found = "overlap" if p is not None else None
                out.write(json.dumps({"article": article.name, "cue": g.cue, "gold": g.content,
                                      "pred": p.content if p else None, "cue_found": found}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", required=True)
    parser.add_argument("--docs", required=True, help="DocBin of train parsed by train/parse_polnear.py")
    parser.add_argument("--models", required=True, help="folder for the even-half models")
    parser.add_argument("--retrain", action="store_true")
    parser.add_argument("--boundaries", action="store_true",
                        help="also the content-end step (its shipped model saw the odd half: an in-sample figure)")
    parser.add_argument("--pairs", default=None, metavar="OUT.jsonl")
    parser.add_argument("--errors", default=None, metavar="OUT.jsonl", help="misses and false alarms, one a line")
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--role-iterations", type=int, default=150)
    parser.add_argument("--only", choices=("cue", "role"), default=None,
                        help="with --retrain: train one of the two models (the other must be in --models)")
    # The shipped settings (train/train_attribution_crf.py).
    parser.add_argument("--c1", type=float, default=3.2)
    parser.add_argument("--role-c1", type=float, default=2.5)
    parser.add_argument("--c2", type=float, default=0.01)
    args = parser.parse_args()

    from according.nlp.loading import load_pipeline

    nlp = load_pipeline()
    articles = list(read_polnear(args.gold))
    cached = {d.user_data["article"]: d for d in DocBin().from_disk(args.docs).get_docs(nlp.vocab)}
    docs = [cached[a.name] for a in articles]
    stem = str(Path(args.models) / "crf-even")
    if args.retrain or not CrfTagger.files_exist(stem):
        train_half(articles[0::2], docs[0::2], stem, args.c1, args.role_c1, args.c2, args.iterations,
                   args.role_iterations, args.only)
    # The options of `according eval attribution --convention polnear` (cli/eval_attribution.py).
    extractor = AttributionExtractor.load(name_pronouns=False, acts=True, unsourced=True, bare_speech=True,
                                          passive_subjects=True, nested_rule_cues=False,
                                          actors=ActorLexicon.load(), boundaries=args.boundaries)
    extractor = dataclasses.replace(extractor, tagger=CrfTagger.open(stem))
    held_out = list(zip(articles[1::2], docs[1::2]))
    result = evaluate_docs(held_out, extractor, convention="polnear", collect_errors=args.errors is not None)
    figures = result.scores.to_dict()
    line = " / ".join(str(figures[r]["exact"]["f1"]) for r in ("source", "cue", "content"))
    content = figures["content"]["exact"]
    print(f"held-out odd half ({len(held_out)} articles): exact F1 source / cue / content {line}, "
          f"relation {figures['relation']['exact']['f1']}; content P {content['p']} R {content['r']} "
          f"(tp {content['tp']} fp {content['fp']} fn {content['fn']})")
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(e.__dict__) + "\n" for e in result.errors)
    if args.pairs:
        write_pairs(args.pairs, held_out, extractor)


if __name__ == "__main__":
    main()
