"""Throughput of `according` against the bare spaCy pipeline, same texts, same run, CPU time.

    python bench/throughput.py [--corpus DIR] [--limit N] [--rounds R] [--rules-only] [--processes 1 2]

Parses the texts with ``nlp.pipe`` (the bare pipeline), then runs each extraction stage over the parsed
docs: attributions, actors + events, and the whole report (every extractor plus linking and signals,
what `according analyze` adds to the parse). Prints words/s and each stage's ratio to the bare
pipeline: ratio = parse time / (parse time + stage time).

Two parses are timed on the same texts, alternating batch by batch: BARE, the pipeline a user loads
(``load_pipeline(fast_rules=False)``: spaCy's model with its own attribute ruler and lemmatizer, plus the
line-break boundaries and safe tokenizer), and ACCORDING's (``load_pipeline()``: the same model with
the two rule components swapped for stand-ins of identical output, see according.nlp.fast_rules). The
stage lines add extraction to the bare parse (same docs: what extraction alone costs); the last line is
what `according analyze` runs, its parse plus the whole report, against the bare parse. Each pass starts from the docs as the parse left
them (what the extractors keep per doc is dropped first). Times are this process's CPU time, so other
work on a shared machine does not skew them; the best of R rounds is kept. The corpus defaults to
../shared/data/bbc-news. With ``--processes``, it then prints the whole report at those process counts
against bare spaCy at the same n_process (``bench/scale_throughput.py``, wall and CPU-bound clocks).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from according.extract.actors import ActorLexicon, extract_actors
from according.extract.attribution import AttributionExtractor
from according.extract.attribution import extract_attributions
from according.extract.events import EventLexicon, EventTagger, RoleModel
from according.nlp.loading import load_pipeline, model_name
from according.pipeline import Extractors, article_info, build_report

from scale_throughput import DEFAULT_CORPUS, compare, corpus_articles  # the bench folder is the script's own

BATCH = 32  # texts per nlp.pipe batch, and per turn when the two parses alternate


def _best_cpu(rounds: int, work: Callable[[], object], docs: Iterable[Doc] = ()) -> float:
    best = float("inf")
    for _ in range(rounds):
        _forget(docs)
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def _paired_parse(bare: Language, ours: Language, texts: list[str], rounds: int, docs: list[Doc]) -> tuple[float, float]:
    """The best round's CPU time of each pipeline over the texts; the two alternate batch by batch (who
    goes first swapping), so a load swing on the shared machine falls on both. ``docs`` gets the bare parse."""
    best_bare = best_ours = float("inf")
    for _ in range(rounds):
        docs.clear()
        spent = {"bare": 0.0, "ours": 0.0}
        for k in range(0, len(texts), BATCH):
            batch = texts[k:k + BATCH]
            order = [("bare", bare), ("ours", ours)]
            for who, nlp in order if k // BATCH % 2 == 0 else order[::-1]:
                start = time.process_time()
                parsed = list(nlp.pipe(batch, batch_size=BATCH))
                spent[who] += time.process_time() - start
                if who == "bare":
                    docs.extend(parsed)
        best_bare, best_ours = min(best_bare, spent["bare"]), min(best_ours, spent["ours"])
    return best_bare, best_ours


def _forget(docs: Iterable[Doc]) -> None:
    """Drop what an earlier pass kept on the docs (the extractors' per-doc views and memos, under
    "according." keys in ``doc.user_data``), so every pass pays for them as a fresh parse would."""
    for doc in docs:
        for key in [k for k in doc.user_data if isinstance(k, str) and k.startswith("according.")]:
            del doc.user_data[key]


def _drain(items: Iterable[object]) -> None:
    for _ in items:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=300, help="articles to use (0 = all)")
    parser.add_argument("--rounds", type=int, default=2, help="repeat each measurement; the best is kept")
    parser.add_argument("--rules-only", action="store_true", help="attribution and event rules without the shipped models")
    parser.add_argument("--processes", type=int, nargs="*", default=[],
                        help="also compare whole reports at these process counts with bare spaCy (e.g. 1 2)")
    args = parser.parse_args()
    articles = corpus_articles(args.corpus, args.limit)
    if articles is None:
        return 2
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    nlp = load_pipeline(fast_rules=False)  # bare: what the user would load
    ours = load_pipeline()  # what according parses with
    actors = ActorLexicon.load()
    extractors = Extractors(actors, AttributionExtractor.load(use_model=not args.rules_only, actors=actors),
                            EventLexicon.load(), model_name(nlp), None if args.rules_only else EventTagger.packaged(),
                            None if args.rules_only else RoleModel.packaged())
    list(nlp.pipe(texts[:10]))  # warm up
    list(ours.pipe(texts[:10]))
    docs: list[Doc] = []
    parse, our_parse = _paired_parse(nlp, ours, texts, args.rounds, docs)
    stages = {
        "attributions": lambda: [_drain(extract_attributions(d, extractors.attributions)) for d in docs],
        "actors + events": lambda: [_drain(extractors.find_events(d, tuple(extract_actors(d, extractors.actors))))
                                    for d in docs],
        "whole report": lambda: [build_report(d, article_info(a), extractors) for d, a in zip(docs, articles)],
    }
    print(f"articles {len(texts)}, words {words:,}, models {extractors.describe()}")
    print(f"{'bare spaCy':<28} {words / parse:8,.0f} words/s   (stock attribute ruler and lemmatizer)")
    print(f"{'according parse':<28} {words / our_parse:8,.0f} words/s   ratio {parse / our_parse:.2f}   (fast_rules: same annotations)")
    extra = 0.0
    for name, work in stages.items():
        extra = _best_cpu(args.rounds, work, docs)
        print(f"{'bare spaCy + ' + name:<28} {words / (parse + extra):8,.0f} words/s   ratio {parse / (parse + extra):.2f}")
    print(f"{'according parse + report':<28} {words / (our_parse + extra):8,.0f} words/s   ratio {parse / (our_parse + extra):.2f}"
          "   (what `according analyze` runs, against bare spaCy)")
    if args.processes:
        for line in compare(articles, args.processes, args.rounds):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
