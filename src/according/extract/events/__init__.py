"""Events: PLOVER-typed acts with their parties, object, status and trigger."""
from .extract import extract_events
from .lexicon import EventLexicon

__all__ = ["EventLexicon", "extract_events"]
