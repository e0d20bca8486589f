"""Reading the packaged lexicon data files (TSV and word lists) shared by the extractors."""
from __future__ import annotations

from importlib import resources
from typing import Iterable, Iterator

from ..errors import AccordingError


class LexiconError(AccordingError):
    """A lexicon file is missing or malformed."""


def read_tsv(lines: Iterable[str], columns: int, origin: str) -> Iterator[list[str]]:
    """Rows of a TSV data file: comments (#) and blank lines skipped, short rows padded with ''."""
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) > columns:
            raise LexiconError(f"{origin}:{number}: expected at most {columns} tab-separated columns")
        yield cells + [""] * (columns - len(cells))


def packaged_lines(filename: str) -> list[str]:
    return resources.files("according").joinpath("lexicons", filename).read_text(encoding="utf-8").splitlines()


def packaged_words(filename: str) -> frozenset[str]:
    """The words of a packaged word list: one per line, comments (#) and blank lines skipped."""
    return frozenset(line.strip() for line in packaged_lines(filename) if line.strip() and not line.startswith("#"))
