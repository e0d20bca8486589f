"""The progress bar that `analyze` (of folders and feeds) and `ingest` show on stderr."""
from __future__ import annotations

import os
import sys
from contextlib import nullcontext
from typing import ContextManager, Optional, Sequence

from ..errors import InputError

JSONL_COUNT_LIMIT = 200_000_000  # bytes: count lines of smaller JSONL files for the progress total


def count_inputs(paths: Sequence[str]) -> Optional[int]:
    """How many articles the paths hold (for the progress bar), or None when it is costly to know."""
    from ..article import JSONL_SUFFIXES, iter_paths

    total = 0
    for item in iter_paths([p for p in paths if p != "-"]):
        if isinstance(item, InputError):
            total += 1
        elif item.suffix.lower() in JSONL_SUFFIXES:
            try:
                if item.stat().st_size > JSONL_COUNT_LIMIT:
                    return None
                with item.open("rb") as stream:
                    total += sum(1 for line in stream if line.strip())
            except OSError:
                total += 1  # the reader names the problem; here it is one input
        else:
            total += 1
    return None if "-" in paths else total


def holds_many(paths: Sequence[str]) -> bool:
    """More than one article may come from these paths: a folder, a feed or several files (stdin, whose
    size is unknown, shows none)."""
    from ..article import JSONL_SUFFIXES

    return len(paths) > 1 or any(os.path.isdir(p) or os.path.splitext(p)[1].lower() in JSONL_SUFFIXES for p in paths)


def progress_bar(paths: Sequence[str], *, quiet: bool, count: bool = True):
    """A tqdm bar on stderr counting articles (disabled when ``quiet``); write other lines with ``say``."""
    from tqdm import tqdm

    total = count_inputs(paths) if count and not quiet else None
    return tqdm(total=total, unit=" articles", file=sys.stderr, disable=quiet, dynamic_ncols=True)


def say(line: str) -> None:
    """One line on stderr, above any progress bar."""
    from tqdm import tqdm

    tqdm.write(line, file=sys.stderr)


def above_the_bar(bar) -> ContextManager:
    """Around a write to stdout: when stdout is the terminal the bar is drawn on, clear the bar first."""
    if bar.disable or not sys.stdout.isatty():
        return nullcontext()
    return type(bar).external_write_mode(file=sys.stdout)
