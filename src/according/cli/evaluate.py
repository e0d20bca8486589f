"""`according eval KIND`: accuracy on annotated data. Every kind takes --json."""
from __future__ import annotations

import argparse

from . import eval_attribution, eval_events, eval_real_news


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "eval", help="measure accuracy against annotated data",
        description="Measure accuracy against annotated data: attribution (PolNeAR-style brat files), plover "
        "(PLOVER gold event records), actors (actor strings with their country and sector) and real-news (the "
        "real-news gold, through its scorer). The data sets are not part of according: point each kind at them.")
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    eval_attribution.register(kinds)
    eval_events.register(kinds)
    eval_real_news.register(kinds)
