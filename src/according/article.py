"""Articles and the readers that turn files, folders and streams into them.

Readers never raise for one bad input: they yield an :class:`InputError` in its place and go on, so a
batch always comes out with the rest. Text is kept exactly as decoded (offsets point into it); the one
change is a lone surrogate from a JSON string, replaced by U+FFFD (one character for one) and noted.
Files in another encoding than UTF-8 are decoded by what charset-normalizer detects; the encoding used
is kept on the article.
"""
from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Optional, Union

from .errors import InputError
from .nlp.surrogates import replace_surrogates

TEXT_SUFFIXES = (".txt", ".text")  # not .md: folders hold READMEs and licences
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
READABLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES

DEFAULT_MAX_CHARS = 1_000_000  # spaCy's own default limit; a longer "article" is almost always a dump
TITLE_MAX_CHARS = 200
_MIN_HTML_WORDS = 5  # less is navigation or a stub, not an article
_TITLE_FINAL_PUNCT = tuple(".!?;:,")
_CLOSING_QUOTES = "\"'”’»)]"  # a headline may end in a quote: "Goldsmith: 'I was not leant on'"
# English news in an 8-bit code page is almost always Windows-1252 or Latin-1; unrestricted detection
# on a few accented letters guesses Central European or Japanese code pages, so these are tried first.
_WESTERN_ENCODINGS = ["cp1252", "latin_1", "iso8859_15", "mac_roman"]
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


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
    encoding: Optional[str] = None  # how the bytes were decoded: utf-8, utf-16, cp1252, ...
    notes: tuple[str, ...] = ()  # what the reader changed, e.g. lone surrogates replaced

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


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
    """The first line, when it reads as a headline: short, more text follows, no final punctuation.

    A closing quote mark or bracket at the end does not count as punctuation; what stands before it
    does ("He said: 'We are ready.'" is a sentence, "Goldsmith: 'I was not leant on'" a headline).
    """
    first, newline, rest = text.partition("\n")
    first = first.strip()
    if not newline or not rest.strip() or not first or len(first) > TITLE_MAX_CHARS:
        return None
    core = first.rstrip(_CLOSING_QUOTES).rstrip()
    if not core or core.endswith(_TITLE_FINAL_PUNCT):
        return None
    return replace_surrogates(first)[0]  # as the analyzed text has it


def decode_text(data: bytes, where: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Decoded article bytes (see :func:`decode_bytes`)."""
    return decode_bytes(data, where, max_chars=max_chars)[0]


def decode_bytes(data: bytes, where: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> tuple[str, str]:
    """The text and the encoding used: a BOM's, else UTF-8, else what charset-normalizer detects.

    Refuses what is empty, binary (NUL bytes without a UTF-16/32 byte order mark, or no encoding gives
    text), or too large.
    """
    if not data.strip():
        raise InputError(where, "empty input: there is no text to analyze")
    text, encoding = _decode(data, where)
    if not text.strip():
        raise InputError(where, "empty input: there is no text to analyze")
    if len(text) > max_chars:
        raise InputError(
            where,
            f"too large: {len(text):,} characters, over the limit of {max_chars:,}; "
            "split it into articles or raise the limit with --max-chars",
        )
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise InputError(where, "looks like a binary file (too many control characters)")
    return text, encoding


def _decode(data: bytes, where: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise InputError(where, f"starts with a {encoding} byte order mark but is not valid {encoding} "
                                        f"(at byte {exc.start})") from None
    if b"\x00" in data[:8192]:
        raise InputError(where, "looks like a binary file (it contains NUL bytes and no UTF-16 byte order mark); "
                                "give a .txt, .html or .jsonl article")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # only for files that are not UTF-8

    best = charset_normalizer.from_bytes(data, cp_isolation=_WESTERN_ENCODINGS).best() or charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(where, "looks like a binary file (not text in UTF-8 or any encoding charset-normalizer detects); "
                                "give a .txt, .html or .jsonl article")
    return str(best), codecs.lookup(best.encoding).name


def article_from_text(text: str, encoding: Optional[str], origin: str, *, published: Optional[str] = None) -> Article:
    return Article(text=text, origin=origin, title=split_title(text), published=published, id=origin, encoding=encoding)


def article_from_html(data: bytes, origin: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    import trafilatura  # heavy import; only HTML needs it

    html, encoding = decode_bytes(data, origin, max_chars=max_chars * 10)
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if _word_count(text) < _MIN_HTML_WORDS:
        text = _deep_html_text(html) or text  # lxml's parser gives up past 255 levels of nesting
    words = _word_count(text)
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
        first_line = text.lstrip().partition("\n")[0]
        if _same_headline(title, first_line):
            title = first_line.strip() if len(first_line.strip()) <= len(title) else title  # without the site name
            # the <h1> already opens the text: the headline is analyzed once, not twice
        else:
            text = f"{title}\n{text}"  # the headline is the article's own assertion: analyze it too
    return Article(
        text=text or "",
        origin=origin,
        title=title,
        published=published,
        outlet=meta.sitename if meta is not None else None,
        url=meta.url if meta is not None else None,
        id=origin,
        encoding=encoding,
    )


def _word_count(text: Optional[str]) -> int:
    return len(text.split()) if text else 0


def _same_headline(title: str, line: str) -> bool:
    """Whether a page's <title> and the text's first line (its <h1>) are one headline: the same, or one
    holding the other ("Site | Politics | X" and "X")."""
    a, b = " ".join(title.split()).casefold(), " ".join(line.split()).casefold()
    if not a or not b:
        return False
    return a == b or (len(b) >= 12 and b in a) or (len(a) >= 12 and a in b)


def _deep_html_text(html: str) -> Optional[str]:
    """The text of a page too deeply nested for lxml, from the standard library's parser (no depth limit)."""
    from html.parser import HTMLParser

    skipped = {"script", "style", "noscript", "template", "head", "nav", "footer", "aside", "form"}
    blocks = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "tr"}

    class Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skipping = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag in skipped:
                self.skipping += 1
            elif tag in blocks:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in skipped and self.skipping:
                self.skipping -= 1
            elif tag in blocks:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not self.skipping:
                self.parts.append(data)

    collector = Collector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).splitlines())
    text = "\n".join(line for line in lines if line)
    return text or None


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
        line = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"line is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                                "re-encode the file as UTF-8") from None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(where, _json_problem(line, exc)) from None
    except RecursionError:
        raise InputError(where, "malformed JSON (nested too deeply)") from None
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object with a 'text' field, got {type(record).__name__}")
    notes: list[str] = []
    text = _clean_str(record.get("text"), "text", notes)
    if text is None or not text.strip():
        raise InputError(where, "missing or empty 'text' field")
    if len(text) > max_chars:
        raise InputError(where, f"too large: {len(text):,} characters, over the limit of {max_chars:,}")
    title = _clean_str(record.get("title"), "title", notes)
    published = record.get("published")
    return Article(
        text=text,
        origin=where,
        title=title or split_title(text),
        published=normalize_date(_clean_str(published, "published", notes) if isinstance(published, str) else published, where),
        outlet=_optional_str(record.get("outlet"), "outlet", notes),
        url=_optional_str(record.get("url"), "url", notes),
        id=_optional_str(record.get("id"), "id", notes) or where,
        encoding="utf-8",
        notes=tuple(notes),
    )


def _json_problem(line: str, exc: json.JSONDecodeError) -> str:
    """One line a user understands: a cut-off line says so, rather than "Invalid control character"."""
    if exc.pos >= len(line.rstrip()) or exc.msg.startswith("Unterminated string"):
        return f"truncated JSON: the line ends before its object is closed ({len(line):,} characters read)"
    message = exc.msg[:-3] if exc.msg.endswith(" at") else exc.msg  # "Invalid control character at"
    return f"malformed JSON: {message} at column {exc.colno}"


def _clean_str(value: object, field: str, notes: list[str]) -> Optional[str]:
    """A string field with lone surrogates (which JSON allows and UTF-8 cannot hold) replaced by U+FFFD."""
    if not isinstance(value, str):
        return None
    clean, replaced = replace_surrogates(value)
    if replaced:
        notes.append(f"{replaced} lone surrogate{'s' if replaced > 1 else ''} in '{field}' replaced with U+FFFD")
    return clean


def _optional_str(value: object, field: str, notes: list[str]) -> Optional[str]:
    if value in (None, ""):
        return None
    return _clean_str(value if isinstance(value, str) else str(value), field, notes)


def display_path(path: Union[str, Path]) -> str:
    """A path as text that can be printed and stored: bytes that are not UTF-8 shown as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_path(path: Path, *, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[ReadResult]:
    """Articles from one file, by its suffix (unknown suffixes are read as plain text)."""
    where = display_path(path)
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
            yield article_from_text(*decode_bytes(data, where, max_chars=max_chars), where)
    except InputError as exc:
        yield exc


def read_stream(stream: BinaryIO, origin: str = "<stdin>", *, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[ReadResult]:
    """Stdin: JSONL when the first character is ``{``, else one text article."""
    data = stream.read()
    if data.lstrip().startswith(b"{"):
        yield from articles_from_jsonl(data.splitlines(), origin, max_chars=max_chars)
        return
    try:
        yield article_from_text(*decode_bytes(data, origin, max_chars=max_chars), origin)
    except InputError as exc:
        yield exc


def iter_paths(paths: Iterable[str]) -> Iterator[Union[Path, InputError]]:
    """Expand folders (recursively, sorted, readable suffixes only); report paths that do not exist
    and folders that cannot be read."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found, unreadable = _walk(path)
            yield from unreadable
            if not found and not unreadable:
                yield InputError(display_path(name), f"folder has no articles (looked for {', '.join(READABLE_SUFFIXES)})")
            yield from found
        elif path.exists():
            yield path
        else:
            yield InputError(display_path(name), "no such file or folder")


def _walk(folder: Path) -> tuple[list[Path], list[InputError]]:
    """Readable article files under ``folder`` in name order, and an error for each folder it cannot list."""
    unreadable: list[InputError] = []

    def report(exc: OSError) -> None:
        where = display_path(exc.filename) if exc.filename else display_path(folder)
        unreadable.append(InputError(where, f"cannot read folder: {exc.strerror or exc}; its articles were skipped"))

    found = []
    for root, dirs, files in os.walk(folder, onerror=report):
        dirs.sort()
        found.extend(Path(root, f) for f in files if Path(f).suffix.lower() in READABLE_SUFFIXES)
    found = sorted(p for p in found if p.is_file())
    return found, sorted(unreadable, key=lambda e: e.where)


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
