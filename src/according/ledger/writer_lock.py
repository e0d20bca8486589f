"""Is an ingest writing this ledger right now? A lock file beside it, held for the life of the process.

Every ingest holds a shared ``flock`` on ``<ledger>-ingest.lock`` while it runs (two ingests may write
one ledger). The kernel drops the lock when the process ends, however it ends (SIGKILL included), so a
reader that can take the lock exclusively knows no ingest is running and that stories older than the
articles were left by one that was interrupted. Without ``fcntl`` (Windows) nothing is locked and
``ingest_running`` answers True: a reader then never rebuilds behind a writer's back.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + "-ingest.lock")


@contextmanager
def ingest_lock(db: Path) -> Iterator[None]:
    """Hold the shared ingest lock of ``db`` for the block (a no-op without fcntl)."""
    if fcntl is None:
        yield
        return
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def ingest_running(db: Path) -> bool:
    """True when some ingest holds the lock (or when that cannot be known)."""
    if fcntl is None:
        return True
    try:
        fd = os.open(lock_path(db), os.O_RDONLY)
    except FileNotFoundError:
        return False  # no ingest has run since the file was made, or it was cleaned away
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False
