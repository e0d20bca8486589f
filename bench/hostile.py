"""Hostile inputs that used to take quadratic time: CPU time at two sizes and their ratio, same run.

    python bench/hostile.py [--scale K] [--fuzz N]

For each case the size grows 4x; a ratio near 4 is linear, near 16 quadratic. Cases: a run of ``[``
without spaces (the tokenizer, then the whole analysis), mixed quote marks and brackets, and "Smith
said ..." repeated (actor resolution of every other mention). With ``--fuzz N`` it then runs the
Hypothesis property test of tests/test_robust_fuzz.py with N examples (the suite runs 200).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from according.pipeline import Analyzer

REPO = Path(__file__).resolve().parents[1]


def _cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="multiply every size by this")
    parser.add_argument("--fuzz", type=int, default=0, metavar="N", help="then run the property test with N examples")
    args = parser.parse_args()
    analyzer = Analyzer()
    k = args.scale
    cases: list[tuple[str, Callable[[int], str], Callable[[str], object]]] = [
        ("tokenizer: '[' * n", lambda n: "[" * n + " Officials said.", analyzer.nlp.make_doc),
        ("tokenizer: '([{\"\\'' * n/5", lambda n: "([{\"'" * (n // 5) + " Officials said.", analyzer.nlp.make_doc),
        ("analyze: '[' * n", lambda n: "[" * n + " Officials said.", analyzer.analyze),
        ("analyze: 'Smith said ...' * n/50", lambda n: "Smith said the talks went on for a while. " * (n // 50), analyzer.analyze),
    ]
    print(f"{'case':40} {'n':>8} {'CPU s':>8} {'4n':>8} {'CPU s':>8} {'ratio':>6}")
    for name, make, work in cases:
        n = 5000 * k
        small, big = make(n), make(4 * n)
        t1, t4 = _cpu(lambda: work(small)), _cpu(lambda: work(big))
        print(f"{name:40} {n:>8} {t1:>8.2f} {4 * n:>8} {t4:>8.2f} {t4 / max(t1, 1e-9):>6.1f}")
    if args.fuzz:
        env = dict(os.environ, ACCORDING_FUZZ_EXAMPLES=str(args.fuzz))
        return subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                str(REPO / "tests" / "test_robust_fuzz.py")], env=env, cwd=REPO)
    return 0


if __name__ == "__main__":
    sys.exit(main())
