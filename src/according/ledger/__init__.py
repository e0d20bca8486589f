"""The ledger: many articles in, one source-aware record (story) per real-world event.

An embedded SQLite database (docs/ledger.md). This package works on Report objects and never imports
spaCy: the CLI's ingest runs the analyzer and hands the reports here.
"""
from __future__ import annotations

from .merge import MergeItem, merge
from .queries import StoryFilter, get_story, list_failures, list_stories
from .store import DEFAULT_DB, Ledger
from .stories import rebuild_stories, update_stories

__all__ = ["DEFAULT_DB", "Ledger", "MergeItem", "StoryFilter", "get_story", "list_failures", "list_stories",
           "merge", "rebuild_stories", "update_stories"]
