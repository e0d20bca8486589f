"""Read the SQLite ledger from DuckDB without a download: the sqlite extension from a PyPI package.

``ATTACH 'according.db' (TYPE sqlite)`` makes DuckDB fetch its sqlite extension from the internet on
first use. The ``duckdb-extension-sqlite`` package (``pip install 'according[duckdb]'``, versions
matched to ``duckdb``) ships the same extension file; this module loads it from there, with DuckDB's
automatic extension install and load turned off, and attaches the ledger read-only.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import AccordingError

EXTENSION_NAME = "sqlite_scanner"  # the name DuckDB's loader derives the entry point from


class DuckDBUnavailable(AccordingError):
    pass


def extension_path() -> Path:
    """The sqlite extension file for the installed duckdb, from the duckdb-extension-sqlite package."""
    try:
        import duckdb
        import duckdb_extension_sqlite
    except ImportError as exc:
        raise DuckDBUnavailable(f"{exc.name} is not installed; pip install 'according[duckdb]' "
                                "(duckdb and duckdb-extension-sqlite of the same version)") from None
    shipped = Path(duckdb_extension_sqlite.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    found = sorted(shipped.glob("*.duckdb_extension"))
    if not found:
        raise DuckDBUnavailable(f"duckdb-extension-sqlite has no extension for duckdb {duckdb.__version__} "
                                f"(looked in {shipped}); install the duckdb-extension-sqlite of that version")
    if found[0].stem == EXTENSION_NAME:
        return found[0]
    # DuckDB finds the entry point by the file's name: give it the extension's own name
    target = Path(tempfile.gettempdir()) / f"according-duckdb-v{duckdb.__version__}" / f"{EXTENSION_NAME}.duckdb_extension"
    if not target.exists() or target.stat().st_size != found[0].stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found[0], target)
    return target


def connect(ledger_path: str | Path, *, alias: str = "ledger") -> Any:
    """A DuckDB connection with the ledger attached read-only as ``alias`` (``SELECT * FROM ledger.stories``)."""
    import duckdb

    path = Path(ledger_path)
    if not path.exists():
        raise AccordingError(f"no ledger at {path}")
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD '{extension_path()}'")
    quoted = str(path.resolve()).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS {alias} (TYPE sqlite, READ_ONLY)")
    return con
