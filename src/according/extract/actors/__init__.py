"""Actors: names in a Doc normalized to a country code, a sector and a canonical name."""
from .lexicon import ActorLexicon, NameEntry
from .resolve import actor_for_span, actor_for_token, extract_actors, find_names, phrase_span, set_published

__all__ = ["ActorLexicon", "NameEntry", "actor_for_span", "actor_for_token", "extract_actors", "find_names", "phrase_span",
           "set_published"]
