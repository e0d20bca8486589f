"""A tiny component: a line break ends a sentence (titles and datelines are not run into the lead)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

NEWLINE_BOUNDARIES = "according_newline_boundaries"


@Language.component(NEWLINE_BOUNDARIES)
def newline_boundaries(doc: Doc) -> Doc:
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc
