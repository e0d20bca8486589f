"""Quotation marks: which tokens are inside a quotation, and the quotations as token ranges."""
from __future__ import annotations

from spacy.tokens import Doc

from ..doc_views import columns

OPENING = ("“", "``", "`")  # the tokenizer splits `` into two
CLOSING = ("”",)
# Marks that open and close alike: '"', and the two apostrophes some newswire text uses for both
# (''It is over,'' she said.), which also close a `` quotation.
TOGGLES = ('"', "''")


QUOTE_DEPTH_KEY = "according.quote_depth"


def quote_depth(doc: Doc) -> list[int]:
    """1 for tokens inside quotation marks (marks included), 0 elsewhere; a new paragraph closes quotes.
    Read by the rules, the tagger's features and the revision: computed once per doc (do not modify it)."""
    held = doc.user_data.get(QUOTE_DEPTH_KEY)
    if held is None:
        held = doc.user_data[QUOTE_DEPTH_KEY] = _quote_depth(doc)
    return held


def _quote_depth(doc: Doc) -> list[int]:
    inside = [0] * len(doc)
    open_ = False
    for i, text in enumerate(columns(doc).text):
        if "\n" in text:
            open_ = False
        if text in TOGGLES:
            inside[i] = 1
            open_ = not open_
            continue
        if text in OPENING:
            open_ = True
        inside[i] = 1 if open_ else 0
        if text in CLOSING:
            inside[i] = 1
            open_ = False
    return inside


def quote_regions(doc: Doc, inside: list[int]) -> list[tuple[int, int]]:
    """Maximal runs of quoted tokens that start with an opening mark and end with a closing one."""
    regions = []
    start = None
    cols = columns(doc)
    for i, flag in enumerate(inside + [0]):
        if flag and start is None:
            start = i
        elif start is not None and (not flag or (i > start and cols.text[i] in OPENING)):
            if cols.is_quote[start] and cols.is_quote[i - 1] and i - start > 2:
                regions.append((start, i))
            start = i if flag else None
    return regions
