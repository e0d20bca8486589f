"""Lone surrogates: code points Python strings (and JSON) allow but UTF-8 cannot encode.

Kept free of spaCy so the readers can use it without loading a model.
"""
from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def replace_surrogates(text: str) -> tuple[str, int]:
    """The text with every lone surrogate replaced by U+FFFD (same length), and how many there were."""
    if not has_surrogates(text):
        return text, 0
    return _SURROGATE.subn(REPLACEMENT, text)
