"""Text for a terminal: what the text renderers print from article data passes through here.

An article's title, outlet or file name can hold ESC sequences (which retitle or clear a terminal), BEL
or newlines (which break a table's rows). They become spaces, so what is printed is what is read.
"""
from __future__ import annotations

import re

# whole escape sequences first (CSI "ESC [ ... m", OSC "ESC ] ... BEL"), so no "[2J" is left behind
_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]+")


def plain(text: object) -> str:
    """One line: escape sequences removed, every other control character (newlines too) a space."""
    return _CONTROL.sub(" ", _SEQUENCE.sub("", "" if text is None else str(text)))


def plain_lines(text: str) -> str:
    """Lines kept; escape sequences removed, every other control character a space."""
    return _CONTROL_BUT_NEWLINE.sub(" ", _SEQUENCE.sub("", text))
