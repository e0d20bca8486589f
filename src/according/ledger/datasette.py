"""The Datasette metadata shipped for the ledger: table and column descriptions, labels, canned queries.

    datasette according.db --metadata "$(python -m according.ledger.datasette)"

``python -m according.ledger.datasette`` prints the path of the installed ``datasette.yml``.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

METADATA_FILE = "datasette.yml"


def metadata_path() -> Path:
    """The installed datasette.yml (its database key, ``according``, is the name of ``according.db``)."""
    return Path(str(resources.files("according").joinpath("ledger", METADATA_FILE)))


if __name__ == "__main__":
    print(metadata_path())
