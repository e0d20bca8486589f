"""The `according` command: thin sub-commands over the public API.

Each sub-command lives in its own module with ``register(subparsers)``; that function adds the parser
and sets ``func``, which returns the process exit code.
"""
from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from ..errors import AccordingError
from . import analyze, evaluate, ledger, serve

COMMAND_MODULES = (analyze, evaluate, ledger, serve)


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(prog="according", description="Who did what to whom, according to whom.")
    parser.add_argument("--version", action="version", version=f"according {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except AccordingError as exc:
        print(f"according: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("according: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
