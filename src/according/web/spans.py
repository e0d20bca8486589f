"""Text with labelled spans drawn under it, in the manner of displaCy's span visualizer.

Each word is an inline block; every span covering it draws a bar in its own row (overlapping spans
take different rows), and the span's label sits under its first word (drawn by CSS from a
``data-label`` attribute, so copying the text copies no labels). All text goes through
``markupsafe.escape``: the output is safe to put in a page whatever the article contains.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from markupsafe import Markup, escape

ROW_PX = 17  # height of one row of bars and labels
GAP = ".3em"  # about a space: a bar that goes on to the next word reaches under the space before it


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str
    kind: str  # css class: source, cue, content, event, party, object, deny
    title: str = ""
    href: Optional[str] = None


LABEL_CHARS = 1.0  # characters of text that one letter of a label takes (bold capitals, padded)


def _rows(spans: list[Span]) -> dict[Span, int]:
    """Greedy interval colouring: each span takes the lowest row free at its start. A span reaches at
    least as far as its label, so a short word's label is not hidden under the next one's."""
    ends: list[float] = []
    out: dict[Span, int] = {}
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start), s.label)):
        reach = max(s.end, s.start + len(s.label) * LABEL_CHARS + 1.5)
        for row, end in enumerate(ends):
            if end <= s.start:
                ends[row] = reach
                out[s] = row
                break
        else:
            out[s] = len(ends)
            ends.append(reach)
    return out


def _unique(spans: list[Span]) -> list[Span]:
    """One span per place and label (a source quoted by two cues is drawn once, with both titles)."""
    merged: dict[tuple, Span] = {}
    for s in spans:
        key = (s.start, s.end, s.label, s.kind)
        old = merged.get(key)
        if old is None:
            merged[key] = s
        else:
            title = old.title if s.title in old.title.split("; ") else f"{old.title}; {s.title}".strip("; ")
            merged[key] = Span(s.start, s.end, s.label, s.kind, title, old.href or s.href)
    return list(merged.values())


_PIECES = re.compile(r"\s+|\S+")


def render(text: str, spans: Iterable[Span], start: int = 0, end: Optional[int] = None) -> Markup:
    """``text[start:end]`` as HTML with the spans (clipped to that range) drawn under it."""
    end = len(text) if end is None else end
    clipped = [Span(max(s.start, start), min(s.end, end), s.label, s.kind, s.title, s.href)
               for s in spans if s.start < end and s.end > start and s.end > s.start]
    clipped = _unique(clipped)
    rows = _rows(clipped)
    cuts = sorted({start, end, *(s.start for s in clipped), *(s.end for s in clipped)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        for m in _PIECES.finditer(text, a, b):
            piece = m.group()
            if piece.isspace():
                out.append('<br class="nl">' * piece.count("\n") if "\n" in piece else " ")
                continue
            out.append(_word(piece, m.start(), m.end(), [s for s in clipped if s.start <= m.start() < s.end], rows))
    return Markup("".join(out))


def _word(piece: str, at: int, stop: int, active: list[Span], rows: dict[Span, int]) -> str:
    """One word: its bars are background layers and its labels empty inline boxes whose text CSS draws,
    so the page's text (what a reader selects, copies or searches) is the article's text alone."""
    if not active:
        return str(escape(piece))
    ordered = sorted(active, key=lambda s: rows[s])
    depth = rows[ordered[-1]] + 1
    reach = any(s.end > stop for s in ordered)  # a span goes on past this word: its bar spans the gap
    layers, labels = [], []
    for s in ordered:
        kind = escape(s.kind)
        width = "100%" if s.end > stop or not reach else f"calc(100% - {GAP})"
        layers.append(f"linear-gradient(var(--{kind}),var(--{kind})) 0 calc(1.45em + {rows[s] * ROW_PX}px)/{width} 3px no-repeat")
        if s.start == at:
            labels.append(f'<span class="lbl k-{kind}" data-label="{escape(s.label)}"'
                          f' style="top:calc(1.45em + {rows[s] * ROW_PX + 3}px)"></span>')
    style = f"padding-bottom:{depth * ROW_PX + 2}px;background:{','.join(layers)}"
    if reach:
        style += f";padding-right:{GAP};margin-right:-{GAP}"
    title = "; ".join(dict.fromkeys(s.title for s in active if s.title))
    href = next((s.href for s in active if s.href), None)
    tag = "a" if href else "span"
    attrs = f' href="{escape(href)}"' if href else ""
    attrs += f' title="{escape(title)}"' if title else ""
    kinds = " ".join(dict.fromkeys(f"w-{escape(s.kind)}" for s in active))
    return f'<{tag} class="tok {kinds}"{attrs} style="{style}">' + "".join(labels) + f"{escape(piece)}</{tag}>"
