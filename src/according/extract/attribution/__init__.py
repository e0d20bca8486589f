"""Attribution: who says so (source), how (cue) and what (content), with quote type and stance."""
from .extract import extract_attributions
from .finish import source_type
from .lexicon import AttributionLexicon

__all__ = ["AttributionLexicon", "extract_attributions", "source_type"]
