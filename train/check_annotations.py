"""Check further event annotations (a folder like ``train/data/guardian-extra3``) before training on them.

    python train/check_annotations.py train/data/guardian-extra3 --articles ../shared/data/guardian-dev/articles.jsonl

Every ``<id>.json`` must name an article of the folder's ``manifest.json``; every event needs ``s`` within the
article's region, a trigger and party texts that are exact substrings of that sentence, a PLOVER type (and
alternative types), a status of the gold's guidelines, ISO-3 country codes and a known sector. Prints one line
per problem and exits 1 when there is any.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

TYPES = frozenset({"ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE", "MOBILIZE",
                   "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT", "THREATEN"})
STATUSES = frozenset({"completed", "hypothetical", "negated", "negotiated", "ongoing", "planned"})
SECTORS = frozenset({"COP", "CVL", "GOV", "IGO", "JUD", "LEG", "MED", "MIL", "NGO", "OPP", "PTY", "REB", "BUS", "REL",
                     "EDU", "UNK"})
CODE = re.compile(r"[A-Z]{3}")


def problems(annotation: dict, sentences: list[str]) -> list[str]:
    out = []
    for k, ev in enumerate(annotation.get("events", [])):
        s = ev.get("s")
        if not isinstance(s, int) or not 1 <= s <= len(sentences):
            out.append(f"event {k}: s={s!r} is not a sentence of the region (1..{len(sentences)})")
            continue
        sentence = sentences[s - 1]
        if not ev.get("trigger") or ev["trigger"] not in sentence:
            out.append(f"event {k}: trigger {ev.get('trigger')!r} is not in sentence {s}")
        for t in [ev.get("type"), *ev.get("alt_types", [])]:
            if t not in TYPES:
                out.append(f"event {k}: {t!r} is not a PLOVER type")
        if ev.get("status") not in STATUSES:
            out.append(f"event {k}: status {ev.get('status')!r} is not one of {sorted(STATUSES)}")
        for role in ("actor", "recipient"):
            party = ev.get(role)
            if party is None:
                continue
            if not isinstance(party, dict) or not party.get("text") or party["text"] not in sentence:
                out.append(f"event {k}: {role} {party!r} is not a phrase of sentence {s}")
                continue
            countries = party.get("countries", [])
            if not isinstance(countries, list) or not all(isinstance(c, str) and CODE.fullmatch(c) for c in countries):
                out.append(f"event {k}: {role} countries {countries!r} are not ISO-3 codes")
            if party.get("sector") is not None and party["sector"] not in SECTORS:
                out.append(f"event {k}: {role} sector {party['sector']!r} is not known")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--articles", type=Path, required=True, help="the articles.jsonl the manifest's offsets index")
    args = ap.parse_args(argv)
    manifest = json.loads((args.folder / "manifest.json").read_text(encoding="utf-8"))
    texts = {}
    for line in args.articles.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts[record["id"]] = record["text"]
    bad = 0
    for path in sorted(args.folder.glob("*.json")):
        if path.name == "manifest.json":
            continue
        try:
            annotation = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            print(f"{path}: not JSON ({err})")
            bad += 1
            continue
        aid = annotation.get("id")
        if aid not in manifest or aid not in texts:
            print(f"{path}: id {aid!r} is not in the manifest and the articles")
            bad += 1
            continue
        sentences = [texts[aid][a:b] for a, b in manifest[aid]["sentences"]]
        for problem in problems(annotation, sentences):
            print(f"{path}: {problem}")
            bad += 1
    print("OK" if not bad else f"{bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
