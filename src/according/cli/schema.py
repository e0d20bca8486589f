"""`according schema`: print the JSON Schema of the report (the file shipped in the package)."""
from __future__ import annotations

import argparse
import sys
from importlib import resources

SCHEMA_FILE = "report.schema.json"


def schema_text() -> str:
    """The report's JSON Schema (draft 2020-12), as shipped with the package."""
    return resources.files("according").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "schema",
        help="print the JSON Schema of the report that analyze writes",
        description="Print the JSON Schema (draft 2020-12) of one report, as `analyze --format json|jsonl` writes it "
        "and as docs/schema.md documents it; validate reports with any JSON Schema validator.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text())
    return 0
