"""Build ``event_verbs_petrarch.tsv``: verb lemma -> PLOVER types, from PETRARCH2's CAMEO verb dictionary.

    python -m according.lexicons.build_event_verbs /path/to/petrarch2 /path/to/CAMEO2PLOVER-2021.txt

Each verb block of ``CAMEO.verbpatterns.150430.txt`` (``--- NAME [code] ---`` then one verb a line,
optionally with its own ``[code]``) gives the CAMEO code of its verbs; ``CAMEO2PLOVER-2021.txt`` maps the
code (longest prefix first) to a PLOVER type. The output is a hint for the event tagger, not a rule: a
verb listed here is a verb PETRARCH's coders saw code to that type. Data derived from PETRARCH2 (MIT
licence, see PETRARCH2-LICENSE).
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

BLOCK = re.compile(r"^---\s+(\S+)\s+\[([0-9]+|---)\]\s*---")
VERB = re.compile(r"^\+?([A-Z][A-Z_\-]*[A-Z])\s*(?:\{[^}]*\})?\s*(?:\[([0-9]+|---)\])?\s*(?:#.*)?$")
MAP = re.compile(r"^([0-9]{2,4}):\s*([A-Z]+)")


def plover_map(path: Path) -> dict[str, str]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = MAP.match(line.strip())
        if m:
            table[m.group(1)] = m.group(2)
    return table


def to_plover(code: str, table: dict[str, str]) -> str | None:
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def verb_types(verbs_file: Path, table: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    block_code = None
    for raw in verbs_file.read_text(encoding="latin-1").splitlines():
        line = raw.strip()
        head = BLOCK.match(line)
        if head:
            block_code = head.group(2)
            continue
        if block_code is None or not line or line.startswith(("#", "-", "&")):
            continue
        m = VERB.match(line)
        if not m:
            continue
        code = m.group(2) or block_code
        type_ = to_plover(code, table) if code != "---" else None
        if type_ is not None:
            out[m.group(1).lower().replace("_", " ")].add(type_)
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    folder, mapping = Path(argv[0]), Path(argv[1])
    types = verb_types(folder / "CAMEO.verbpatterns.150430.txt", plover_map(mapping))
    target = Path(__file__).with_name("event_verbs_petrarch.tsv")
    lines = ["# verb lemma (or 'verb particle')<TAB>PLOVER types its CAMEO verb blocks map to. Built by build_event_verbs.py"
             " from PETRARCH2's CAMEO.verbpatterns.150430.txt (MIT licence, see PETRARCH2-LICENSE); do not edit by hand."]
    lines += [f"{verb}\t{'|'.join(sorted(ts))}" for verb, ts in sorted(types.items())]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(types)} verbs -> {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
