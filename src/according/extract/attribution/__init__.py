"""Attribution: who says so (source), how (cue) and what (content), with quote type and stance."""
from .extract import AttributionExtractor, extract_attributions
from .finish import source_type
from .lexicon import AttributionLexicon

__all__ = ["AttributionExtractor", "AttributionLexicon", "extract_attributions", "source_type"]
