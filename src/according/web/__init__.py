"""The local web viewer over the ledger (`according serve`): read-only pages and their JSON.

``queries`` holds every SQL query; ``evidence`` and ``spans`` draw the sentences; ``app`` has the routes.
"""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
