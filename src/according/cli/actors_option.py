"""`--actors TSV` (analyze, ingest): the user's own actors, checked here before any worker starts.

A file with a mistake stops the command with one line naming the file, the line and the problem, rather
than a traceback from a worker process halfway through a run. The columns are those of the packaged
``actor_organizations.tsv``: ``name<TAB>country<TAB>sector<TAB>kind`` (docs/events.md).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from ..errors import AccordingError

KINDS = ("organization", "person", "group", "country", "capital", "city")
_CODE = re.compile(r"[A-Z]{3}")
COLUMNS = "name<TAB>country<TAB>sector<TAB>kind"


class ActorFileError(AccordingError):
    """A user's actor file that cannot be read or has a malformed row."""


def check_actor_file(path: Path) -> None:
    """Raise ActorFileError naming ``path`` (and the line) when the file cannot be used as it is."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ActorFileError(f"cannot read the actor file {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ActorFileError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None
    rows = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        problem = _row_problem([c.strip() for c in line.split("\t")])
        if problem:
            raise ActorFileError(f"{path}:{number}: {problem}")
        rows += 1
    if rows == 0:
        raise ActorFileError(f"{path}: no actors in it (one per line: {COLUMNS}; # starts a comment)")


def _row_problem(cells: list[str]) -> str:
    if len(cells) > 4:
        return f"{len(cells)} tab-separated columns; expected at most 4 ({COLUMNS})"
    name, country, sector, kind = cells + [""] * (4 - len(cells))
    if not name:
        return f"the row has no name (columns: {COLUMNS})"
    if country and not _CODE.fullmatch(country):
        return f"country {country!r} is not a 3-letter code such as USA, GBR or IGO (or leave it empty)"
    if sector and not _CODE.fullmatch(sector):
        return f"sector {sector!r} is not a 3-letter code such as GOV, MIL or MED (or leave it empty)"
    if kind and kind not in KINDS:
        return f"kind {kind!r} is not one of {', '.join(KINDS)} (or leave it empty for organization)"
    return ""


def checked_actor_files(paths: Sequence[str]) -> tuple[str, ...]:
    """The files as absolute paths (workers may run elsewhere), each checked."""
    out = []
    for name in paths:
        path = Path(name).expanduser()
        check_actor_file(path)  # named as the user gave it
        out.append(str(path.resolve()))
    return tuple(out)
