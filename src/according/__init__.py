"""according: who did what to whom, according to whom."""
from __future__ import annotations

from .records import SCHEMA, Actor, Attribution, Event, Report, TimeExpression

__version__ = "0.1.0"

__all__ = ["SCHEMA", "Actor", "Attribution", "Event", "Report", "TimeExpression", "analyze", "__version__"]


def analyze(text: str, *, published: str | None = None, title: str | None = None, **metadata: str | None) -> Report:
    """Analyze one article's text and return its :class:`Report` (see ``according.pipeline``)."""
    from .pipeline import analyze as _analyze  # spaCy loads lazily, on first use

    return _analyze(text, published=published, title=title, **metadata)
