"""Where the eval commands find the evaluation data sets: never a silent default.

A user's checkout has no data sets beside it, so each eval command takes its file explicitly
(``--gold``, ``--cases``), or a folder of the data sets with ``--shared DIR`` or the
``ACCORDING_SHARED`` environment variable, in the layout of the project's shared folder.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Optional

from ..errors import DataNotFound

SHARED_ENV = "ACCORDING_SHARED"


def add_shared_option(parser: argparse.ArgumentParser, holds: str) -> None:
    parser.add_argument("--shared", metavar="DIR", default=None,
                        help=f"folder of the evaluation data sets, holding {holds} (or set {SHARED_ENV}=DIR)")


def shared_folder(given: Optional[str]) -> Optional[Path]:
    """--shared DIR, else $ACCORDING_SHARED, else None."""
    value = given or os.environ.get(SHARED_ENV)
    return Path(value) if value else None


def data_file(explicit: Optional[str], shared: Optional[str], relative: str, flag: str) -> Path:
    """The file given with ``flag``, else ``relative`` under the shared folder; a clear error when neither is given."""
    if explicit:
        return Path(explicit)
    folder = shared_folder(shared)
    if folder is None:
        raise DataNotFound(f"no data to evaluate on: give {flag} PATH, or --shared DIR (or {SHARED_ENV}=DIR) "
                           f"for a folder holding {relative}")
    return folder / relative
