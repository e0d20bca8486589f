"""Events: PLOVER-typed acts with their parties, object, status and trigger.

``extract_events`` runs the frame rules alone; ``extract_tagged_events`` lets the trained tagger decide
which words are events (the rules then read their parties).
"""
from .extract import extract_events
from .lexicon import EventLexicon
from .tagged import extract_tagged_events
from .tagger import EventTagger

__all__ = ["EventLexicon", "EventTagger", "extract_events", "extract_tagged_events"]
