"""Writes a small corpus of hostile and awkward inputs into a folder (nothing large is committed).

``write_corpus(folder)`` returns, for each input, what a run must say about it: ``None`` for an input
that must come out as a report, else a phrase its one line on stderr must contain.
"""
from __future__ import annotations

import json
from pathlib import Path

GOOD = "Russia sent drones to Iran on Friday, officials said.\n"


def write_corpus(folder: Path) -> dict[str, str | None]:
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str | None] = {}

    def put(name: str, data: bytes, outcome: str | None) -> None:
        (folder / name).write_bytes(data)
        expected[name] = outcome

    put("01-good.txt", ("Drones hit Kharkiv\n" + GOOD).encode(), None)
    put("02-empty.txt", b"", "empty")
    put("03-binary.txt", bytes(range(256)) * 8, "binary")
    put("04-latin1.txt", ("Caf\xe9 owners said the na\xefve plan had failed.\n" + GOOD).encode("latin-1"), None)
    put("05-cp1252.txt", ("The minister said \u201cno\u201d \u2013 the \u20ac5m deal is off.\n" + GOOD).encode("cp1252"), None)
    put("06-utf16.txt", ("Goldsmith: 'I was not leant on'\n" + GOOD).encode("utf-16"), None)
    put("07-nul.txt", b"Officials said\x00\x00 the talks\x00 went on.", "binary")
    put("08-controls.txt", ("Officials said \x1b[2J\x07 the talks went on.\x0b\n" + GOOD).encode(), None)
    put("09-punctuation.txt", ("[" * 30_000 + " " + GOOD).encode(), None)
    put("10-deep.html", ("<html><head><title>Drones reach Iran</title></head><body>" + "<div>" * 300
                         + "<p>Russia sent drones to Iran on Friday, officials said, and Iran denied it.</p>"
                         + "</div>" * 300 + "</body></html>").encode(), None)
    put("11-nav.html", b"<html><body><nav>Home</nav></body></html>", "HTML without article text")
    lines = [
        json.dumps({"text": GOOD, "id": "line-1"}),
        '{"text": "Officials said \\ud800 the talks went on.", "id": "line-2-surrogate"}',
        '{"text": "Officials said the talks',  # cut off: a truncated line
        json.dumps({"text": GOOD.replace("Friday", "Monday"), "id": "line-4"}),
        '{"text": "A tab\there is a raw control character."}',
        json.dumps({"text": GOOD.replace("Friday", "Tuesday"), "published": "9999-12-31", "id": "line-6"}),
    ]
    put("12-lines.jsonl", "\n".join(lines).encode() + b"\n", None)
    expected["12-lines.jsonl:3"] = "truncated JSON"
    expected["12-lines.jsonl:5"] = "malformed JSON: Invalid control character at column"
    put("13-times.txt", ("The city was founded 3000 years ago and the siege lasted for 1000000 days.\n" + GOOD).encode(), None)
    smith = "Smith said the talks went on. " * 400
    put("14-smith.txt", (smith + "\n" + GOOD).encode(), None)
    return expected


JSONL_REPORT_IDS = ["line-1", "line-2-surrogate", "line-4", "line-6"]


class HangsOnOne:
    """An analyzer stand-in that never returns on an article holding "HANG" (as a pathological loop would)."""

    def analyze_articles(self, articles, batch_size=16):
        for article in articles:
            while "HANG" in article.text:
                pass
            yield article.text.upper()
