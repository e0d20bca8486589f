"""Parse a PolNeAR split's texts once with the spaCy pipeline and cache them as a DocBin.

Usage: python train/parse_polnear.py DIR OUT.spacy
"""
from __future__ import annotations

import sys
from pathlib import Path

from spacy.tokens import DocBin


def main(split_dir: str, out: str) -> None:
    from according.nlp.loading import load_pipeline

    nlp = load_pipeline()  # the analyzer's own pipeline: the CRF must see the parses it will see
    paths = sorted((Path(split_dir) / "text").glob("*.txt"))
    texts = (p.read_text(encoding="utf-8") for p in paths)
    bin_ = DocBin(store_user_data=True)
    for path, doc in zip(paths, nlp.pipe(texts, batch_size=16)):
        doc.user_data["article"] = path.stem
        bin_.add(doc)
    bin_.to_disk(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
