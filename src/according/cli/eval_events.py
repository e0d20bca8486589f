"""`according eval plover` and `according eval actors`: event and actor coding against gold data."""
from __future__ import annotations

import argparse
import json
from typing import Any

from .shared_data import add_shared_option, data_file

SHARED_GOLD = "data/plover/PLOVER_GSR_CAMEO.json"  # under --shared DIR
SHARED_CASES = "data/actors/actor_cases.jsonl"


def register(sub: argparse._SubParsersAction) -> None:
    plover = sub.add_parser(
        "plover", help="event type, actor and recipient accuracy on PLOVER gold records",
        description="Code each gold sentence and compare the event type, mode, actor and recipient with the "
        "PLOVER gold records (docs/events.md). Give --gold FILE, or --shared DIR.")
    plover.add_argument("--gold", metavar="PATH", help=f"gold records JSON (or SHARED/{SHARED_GOLD} with --shared)")
    add_shared_option(plover, SHARED_GOLD)
    plover.add_argument("--rules-only", action="store_true", help="code with the event rules alone, without the trained tagger")
    _common(plover)
    plover.set_defaults(func=run_plover)
    actors = sub.add_parser(
        "actors", help="country and sector accuracy on actor strings",
        description="Resolve each actor string (in its context) and compare its country and sector with the "
        "cases' (docs/events.md). Give --cases FILE, or --shared DIR.")
    actors.add_argument("--cases", metavar="PATH", help=f"actor cases JSONL (or SHARED/{SHARED_CASES} with --shared)")
    add_shared_option(actors, SHARED_CASES)
    actors.add_argument("--lexicon", action="append", default=[], metavar="TSV", help="extra actor lexicon (repeatable)")
    _common(actors)
    actors.set_defaults(func=run_actors)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline: sm (default), md, a package name or a path")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures")
    parser.add_argument("--verbose", action="store_true", help="list every miss")


def run_plover(args: argparse.Namespace) -> int:
    from ..evaluate.plover import evaluate_plover, load_gold
    from ..extract.actors import ActorLexicon
    from ..extract.events import EventLexicon, EventTagger, RoleModel
    from ..nlp.loading import load_pipeline

    records = load_gold(data_file(args.gold, args.shared, SHARED_GOLD, "--gold"))
    tagger = None if args.rules_only else EventTagger.packaged()
    roles = None if tagger is None else RoleModel.packaged()
    scores = evaluate_plover(records, load_pipeline(args.model), EventLexicon.load(), ActorLexicon.load(), tagger, roles)
    figures = scores.figures()
    if args.json:
        if args.verbose:
            figures["misses"] = [{"id": m.id, "text": m.text, "gold": m.gold, "got": m.got} for m in scores.misses]
        print(json.dumps(figures, ensure_ascii=False))
        return 0
    _print_figures(figures, ("cases", "events_found", "event_type_accuracy", "primary_event_type_accuracy", "actor_country_accuracy",
                             "actor_sector_accuracy", "recipient_country_accuracy", "mode_accuracy"))
    print("\nconfusion (gold -> coded, errors only):")
    for pair, n in figures["confusion"].items():
        gold, got = pair.split("->")
        if gold != got:
            print(f"  {gold:>9} -> {got:<9} {n}")
    if args.verbose:
        print("\nmisses:")
        for miss in scores.misses:
            print(f"  {miss.id}: {miss.text}\n      gold {miss.gold}\n      got  {miss.got}")
    return 0


def run_actors(args: argparse.Namespace) -> int:
    from ..evaluate.actors import evaluate_actors, load_cases
    from ..extract.actors import ActorLexicon
    from ..nlp.loading import load_pipeline

    cases = load_cases(data_file(args.cases, args.shared, SHARED_CASES, "--cases"))
    scores = evaluate_actors(cases, load_pipeline(args.model), ActorLexicon.load(extra=args.lexicon))
    figures = scores.figures()
    if args.json:
        if args.verbose:
            figures["misses"] = [{"actor": m.case.actor, "context": m.case.context, "gold": [m.case.country, m.case.sector],
                                  "got": [m.country, m.sector]} for m in scores.misses]
        print(json.dumps(figures, ensure_ascii=False))
        return 0
    _print_figures(figures, ("cases", "country_accuracy", "sector_accuracy"))
    if args.verbose:
        print("\nmisses (gold country/sector, got):")
        for m in scores.misses:
            context = f" [{m.case.context}]" if m.case.context else ""
            print(f"  {m.case.actor}{context}: {m.case.country}/{m.case.sector}  got {m.country}/{m.sector}")
    return 0


def _print_figures(figures: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        value = figures[key]
        shown = f"{value:.1%}" if isinstance(value, float) else str(value)
        print(f"{key.replace('_', ' '):28} {shown}")
