"""Attributions: who says what. Source, cue, content, quote type, stance, channel, nesting.

``extract_attributions(doc, lexicon)`` runs the statistical span tagger when the lexicon carries one
(``lexicon.model_name`` says so) and the dependency rules otherwise; both yield the same records.
"""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Doc

from ...records import Attribution
from .finish import finish
from .lexicon import AttributionLexicon
from .rules import RawAttribution, find_rule_attributions

__all__ = ["AttributionLexicon", "extract_attributions", "raw_attributions"]


def raw_attributions(doc: Doc, lexicon: AttributionLexicon) -> list[RawAttribution]:
    """Token ranges of every attribution found, before typing and linking."""
    rules = list(find_rule_attributions(doc, lexicon))
    if lexicon.tagger is None:
        return _dedupe(rules)
    tagged = lexicon.tagger.attributions(doc, lexicon, rules)
    # Typographic conventions the CRF was not built to see are always kept; other confident rules
    # only when asked (the default).
    layout = [r for r in rules if r.layout]
    extra = [r for r in rules if r.confident and not r.layout] if lexicon.add_rule_cues else []
    return _dedupe(layout + tagged + extra)


def _dedupe(raws: list[RawAttribution]) -> list[RawAttribution]:
    """One attribution per cue: the first finder to claim a cue token keeps it."""
    seen: set[int] = set()
    out = []
    for raw in raws:
        cue_tokens = set(range(*raw.cue))
        if cue_tokens & seen:
            continue
        seen |= cue_tokens
        out.append(raw)
    return out


def extract_attributions(doc: Doc, lexicon: AttributionLexicon) -> Iterator[Attribution]:
    """Every attribution in ``doc``, in text order, with ids "a1", "a2", ..."""
    yield from finish(doc, raw_attributions(doc, lexicon), lexicon)
