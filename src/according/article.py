"""Articles and the readers that turn files, folders and streams into them.

Readers never raise for one bad input: they yield an :class:`InputError` in its place and go on, so a
batch always comes out with the rest. Text is kept exactly as decoded (offsets point into it).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Optional, Union

from .errors import InputError

TEXT_SUFFIXES = (".txt", ".text")  # not .md: folders hold READMEs and licences
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
READABLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES

DEFAULT_MAX_CHARS = 1_000_000  # spaCy's own default limit; a longer "article" is almost always a dump
TITLE_MAX_CHARS = 200
_MIN_HTML_WORDS = 5  # less is navigation or a stub, not an article
_TITLE_FINAL_PUNCT = tuple(".!?;:,\"'”’)»")


@dataclass(frozen=True)
class Article:
    """One input document. ``origin`` says where it came from (a path, ``path:line`` or ``<stdin>``)."""

    text: str
    origin: str
    title: Optional[str] = None
    published: Optional[str] = None  # ISO date YYYY-MM-DD
    outlet: Optional[str] = None
    url: Optional[str] = None
    id: Optional[str] = None

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


ReadResult = Union[Article, InputError]


def normalize_date(value: object, where: str) -> Optional[str]:
    """An ISO date (YYYY-MM-DD) from a date or datetime string; None stays None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(where, f"published date must be a string like 2024-09-07, got {value!r}")
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise InputError(where, f"published date {value!r} is not an ISO date like 2024-09-07") from None


def split_title(text: str) -> Optional[str]:
    """The first line, when it reads as a headline: short, more text follows, no final punctuation."""
    first, newline, rest = text.partition("\n")
    first = first.strip()
    if not newline or not rest.strip() or not first or len(first) > TITLE_MAX_CHARS:
        return None
    return None if first.endswith(_TITLE_FINAL_PUNCT) else first


def decode_text(data: bytes, where: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Decode UTF-8 article bytes, refusing what is empty, binary, wrongly encoded or too large."""
    if not data.strip():
        raise InputError(where, "empty input: there is no text to analyze")
    if b"\x00" in data[:8192]:
        raise InputError(where, "looks like a binary file (it contains NUL bytes); give a .txt, .html or .jsonl article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            where,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-encode it, e.g. `iconv -f latin1 -t utf-8`",
        ) from None
    if len(text) > max_chars:
        raise InputError(
            where,
            f"too large: {len(text):,} characters, over the limit of {max_chars:,}; "
            "split it into articles or raise the limit with --max-chars",
        )
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise InputError(where, "looks like a binary file (too many control characters)")
    return text


def article_from_text(text: str, origin: str, *, published: Optional[str] = None) -> Article:
    return Article(text=text, origin=origin, title=split_title(text), published=published, id=origin)


def article_from_html(data: bytes, origin: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    import trafilatura  # heavy import; only HTML needs it

    html = decode_text(data, origin, max_chars=max_chars * 10)
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    words = len(text.split()) if text else 0
    if words < _MIN_HTML_WORDS:
        raise InputError(origin, f"HTML without article text: no main text could be extracted ({words} words found)")
    meta = trafilatura.extract_metadata(html)
    published = None
    if meta is not None and meta.date:
        try:
            published = normalize_date(meta.date, origin)
        except InputError:
            published = None  # a page's odd date metadata is not worth losing the article for
    title = meta.title if meta is not None and meta.title else None
    if title:
        text = f"{title}\n{text}"  # the headline is the article's own assertion: analyze it too
    return Article(
        text=text,
        origin=origin,
        title=title,
        published=published,
        outlet=meta.sitename if meta is not None else None,
        url=meta.url if meta is not None else None,
        id=origin,
    )


def articles_from_jsonl(lines: Iterable[bytes], origin: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[ReadResult]:
    """One article per line; a bad line yields an InputError naming ``origin:line`` and the rest go on."""
    for number, raw in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if not raw.strip():
            continue
        try:
            yield _article_from_json_line(raw, where, max_chars=max_chars)
        except InputError as exc:
            yield exc


def _article_from_json_line(raw: bytes, where: str, *, max_chars: int) -> Article:
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(where, "line is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object with a 'text' field, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, "missing or empty 'text' field")
    if len(text) > max_chars:
        raise InputError(where, f"too large: {len(text):,} characters, over the limit of {max_chars:,}")
    title = record.get("title") if isinstance(record.get("title"), str) else None
    return Article(
        text=text,
        origin=where,
        title=title or split_title(text),
        published=normalize_date(record.get("published"), where),
        outlet=_optional_str(record.get("outlet")),
        url=_optional_str(record.get("url")),
        id=_optional_str(record.get("id")) or where,
    )


def _optional_str(value: object) -> Optional[str]:
    return str(value) if value not in (None, "") else None


def read_path(path: Path, *, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[ReadResult]:
    """Articles from one file, by its suffix (unknown suffixes are read as plain text)."""
    where = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as stream:
                yield from articles_from_jsonl(stream, where, max_chars=max_chars)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(where, f"cannot read: {exc.strerror or exc}")
        return
    try:
        if suffix in HTML_SUFFIXES:
            yield article_from_html(data, where, max_chars=max_chars)
        else:
            yield article_from_text(decode_text(data, where, max_chars=max_chars), where)
    except InputError as exc:
        yield exc


def read_stream(stream: BinaryIO, origin: str = "<stdin>", *, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[ReadResult]:
    """Stdin: JSONL when the first character is ``{``, else one text article."""
    data = stream.read()
    if data.lstrip().startswith(b"{"):
        yield from articles_from_jsonl(data.splitlines(), origin, max_chars=max_chars)
        return
    try:
        yield article_from_text(decode_text(data, origin, max_chars=max_chars), origin)
    except InputError as exc:
        yield exc


def iter_paths(paths: Iterable[str]) -> Iterator[Union[Path, InputError]]:
    """Expand folders (recursively, sorted, readable suffixes only); report paths that do not exist."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES)
            if not found:
                yield InputError(name, f"folder has no articles (looked for {', '.join(READABLE_SUFFIXES)})")
            yield from found
        elif path.exists():
            yield path
        else:
            yield InputError(name, "no such file or folder")


def read_articles(paths: Iterable[str], *, max_chars: int = DEFAULT_MAX_CHARS, stdin: Optional[BinaryIO] = None) -> Iterator[ReadResult]:
    """Every article under ``paths`` (files, folders, ``-`` for stdin), in order, errors in place."""
    for name in paths:
        if name == "-":
            yield from read_stream(stdin or sys.stdin.buffer, max_chars=max_chars)
            continue
        for item in iter_paths([name]):
            if isinstance(item, InputError):
                yield item
            else:
                yield from read_path(item, max_chars=max_chars)
