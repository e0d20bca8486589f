"""Two builds' extraction in one process, interleaved: the comparison the shared machine's load cannot blur.

    python bench/extraction_ab.py BEFORE_SRC AFTER_SRC [--corpus DIR] [--limit 150] [--rounds 5]

``BEFORE_SRC`` and ``AFTER_SRC`` are ``src`` folders (``/work/main/src``, a ``git archive`` of a commit).
Each build's ``according`` package is copied under its own name into a temporary folder (the package
imports itself relatively, so both load side by side); the texts are parsed once, by AFTER's
``load_pipeline()``. Every round takes fresh docs for each build and runs ``build_report`` over blocks
of 10 articles, the two builds taking turns block by block (who goes first swapping), and sums each
build's CPU time. Runs minutes apart on this VM differ by 10-20% (``bench/throughput.py``); blocks a
second apart share the load, so the ratio after/before resolves a few percent.
"""
from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bbc-news"
BLOCK = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="according-ab-"))
    for name, src in (("acc_before", args.before), ("acc_after", args.after)):
        shutil.copytree(src / "according", folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(folder))
    try:
        builds = {name: importlib.import_module(f"acc_{name}.pipeline") for name in ("before", "after")}
        article = importlib.import_module("acc_after.article")
        loading = importlib.import_module("acc_after.nlp.loading")  # one pipeline: its factories register once
        articles = [a for a in article.read_articles([str(args.corpus)]) if isinstance(a, article.Article)][:args.limit]
        nlp = loading.load_pipeline()
        parsed = list(nlp.pipe([a.text for a in articles], batch_size=32))
        extractors = {k: m.Extractors.load(model_name=loading.model_name(nlp)) for k, m in builds.items()}
        infos = {k: [m.article_info(a) for a in articles] for k, m in builds.items()}
        totals = {"before": 0.0, "after": 0.0}
        print(f"{len(articles)} articles; CPU s of build_report per round")
        for r in range(args.rounds):
            spent = {"before": 0.0, "after": 0.0}
            docs = {k: [d.copy() for d in parsed] for k in builds}  # fresh: nothing kept in user_data
            for b in range(0, len(articles), BLOCK):
                order = ["before", "after"] if (b // BLOCK + r) % 2 == 0 else ["after", "before"]
                for k in order:
                    start = time.process_time()
                    for i in range(b, min(b + BLOCK, len(articles))):
                        builds[k].build_report(docs[k][i], infos[k][i], extractors[k])
                    spent[k] += time.process_time() - start
            for k in spent:
                totals[k] += spent[k]
            print(f"round {r}: before {spent['before']:.3f}  after {spent['after']:.3f}  after/before {spent['after'] / spent['before']:.3f}")
        print(f"all rounds: before {totals['before']:.2f}  after {totals['after']:.2f}  after/before {totals['after'] / totals['before']:.3f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
