"""Read PolNeAR's brat layout: ``DIR/text/<article>.txt`` and ``DIR/attributions/<article>_<annotator>.ann``.

Each ``E`` line of type ``Attribution`` or ``Attribution-no-source`` is one relation; its roles point at
``T`` lines (``T3\\tContent 10 20;25 40\\ttext``). Spans may be discontinuous: a role keeps all its
fragments, sorted. Where an article has several annotators' files, the annotator id that sorts first wins.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from ..errors import DataNotFound

Fragments = tuple[tuple[int, int], ...]
RELATION_TYPES = ("Attribution", "Attribution-no-source")


@dataclass(frozen=True)
class GoldRelation:
    source: Optional[Fragments]
    cue: Fragments
    content: Optional[Fragments]


@dataclass(frozen=True)
class GoldArticle:
    name: str
    text: str
    annotator: str
    relations: tuple[GoldRelation, ...]


def _parse_fragments(field: str) -> Fragments:
    parts = []
    for piece in field.split(";"):
        start, end = piece.split()
        parts.append((int(start), int(end)))
    return tuple(sorted(parts))


def parse_ann(ann: str) -> tuple[GoldRelation, ...]:
    """The attribution relations of one brat ``.ann`` text, in the order of their cues."""
    spans: dict[str, Fragments] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        ident, body = fields[0], fields[1]
        if ident.startswith("T"):
            label, _, offsets = body.partition(" ")
            if offsets:
                spans[ident] = _parse_fragments(offsets)
        elif ident.startswith("E"):
            args = body.split()
            if not args or args[0].split(":")[0] not in RELATION_TYPES:
                continue
            roles = dict(arg.split(":", 1) for arg in args[1:] if ":" in arg)
            events.append(roles)
    relations = []
    for roles in events:
        cue = spans.get(roles.get("Cue", ""))
        if cue is None:
            continue
        content = spans.get(roles.get("Content", ""))
        extra = spans.get(roles.get("Content2", ""))
        if content is not None and extra is not None:
            content = tuple(sorted(content + extra))
        relations.append(GoldRelation(spans.get(roles.get("Source", "")), cue, content))
    relations.sort(key=lambda r: r.cue)
    return tuple(relations)


def read_polnear(directory: Path | str, limit: Optional[int] = None) -> Iterator[GoldArticle]:
    """Articles of one PolNeAR split, sorted by name; the first ``limit`` only when given."""
    root = Path(directory)
    text_dir, ann_dir = root / "text", root / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise DataNotFound(f"{root}: expected PolNeAR layout with text/ and attributions/ folders")
    anns: dict[str, list[Path]] = {}
    for ann in ann_dir.glob("*.ann"):
        article, _, annotator = ann.stem.rpartition("_")
        anns.setdefault(article, []).append(ann)
    texts = sorted(text_dir.glob("*.txt"))
    if limit is not None:
        texts = texts[:limit]
    for text_path in texts:
        candidates = sorted(anns.get(text_path.stem, []), key=lambda p: p.stem.rpartition("_")[2])
        if not candidates:
            continue
        chosen = candidates[0]
        yield GoldArticle(
            name=text_path.stem,
            text=text_path.read_text(encoding="utf-8"),
            annotator=chosen.stem.rpartition("_")[2],
            relations=parse_ann(chosen.read_text(encoding="utf-8")),
        )
