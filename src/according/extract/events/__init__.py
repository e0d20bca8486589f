"""Events: PLOVER-typed acts with their parties, object, status and trigger.

``extract_events`` runs the frame rules alone; ``extract_tagged_events`` lets the trained tagger decide
which words are events (the rules then read their parties, and the role model, when one is given, chooses
among the sentence's party phrases who acted and on whom).
"""
from .extract import extract_events
from .lexicon import EventLexicon
from .roles import RoleModel
from .tagged import extract_tagged_events
from .tagger import EventTagger

__all__ = ["EventLexicon", "EventTagger", "RoleModel", "extract_events", "extract_tagged_events"]
