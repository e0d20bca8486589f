"""Agreement between PolNeAR annotators, in the metric `according eval attribution` uses.

Usage: python bench/attribution_agreement.py ../shared/data/polnear/train
For each article with two or more annotators' files, scores the second (by id) against the first.
This is the ceiling a system can be expected to reach on exact spans.
"""
from __future__ import annotations

import sys
from pathlib import Path

from according.evaluate.attribution_metrics import Scores, SpanRelation, normalize, score_article
from according.evaluate.polnear import parse_ann


def main(split: str) -> None:
    root = Path(split)
    files: dict[str, list[Path]] = {}
    for ann in (root / "attributions").glob("*.ann"):
        files.setdefault(ann.stem.rpartition("_")[0], []).append(ann)
    scores = Scores()
    for article, anns in sorted(files.items()):
        if len(anns) < 2:
            continue
        first, second = sorted(anns, key=lambda p: p.stem.rpartition("_")[2])[:2]
        text = (root / "text" / f"{article}.txt").read_text(encoding="utf-8")

        def relations(path: Path) -> list[SpanRelation]:
            return [SpanRelation(normalize(text, r.source), normalize(text, r.cue) or r.cue, normalize(text, r.content))
                    for r in parse_ann(path.read_text(encoding="utf-8"))]

        score_article(scores, article, text, relations(first), relations(second))
    out = scores.to_dict()
    print(f"articles with two annotators: {out['articles']}")
    for role in ("source", "cue", "content"):
        print(f"{role:<8} exact F1 {out[role]['exact']['f1']:>5}  overlap F1 {out[role]['overlap']['f1']:>5}")
    print(f"relation exact F1 {out['relation']['exact']['f1']}")


if __name__ == "__main__":
    main(sys.argv[1])
