"""Reading articles: formats, titles, and bad input that must be named and skipped, not crash."""
from __future__ import annotations

import io
import json

import pytest

from according.article import Article, read_articles, split_title
from according.errors import InputError


@pytest.mark.parametrize(
    "text, title",
    [
        ("Iran gives missiles to Russia\nTehran: Iran gave missiles.", "Iran gives missiles to Russia"),
        ("Tehran: Iran gave missiles to Russia.\nMore text.", None),  # ends with punctuation: a sentence
        ("One line only", None),  # nothing follows: the whole article, not a title
        ("x" * 300 + "\nbody", None),  # too long for a headline
        ("\nBody after a blank first line.", None),
        ("Goldsmith: 'I was not leant on'\nThe attorney general said ...", "Goldsmith: 'I was not leant on'"),
        ("Minister: \u201cWe will not resign\u201d\nBody.", "Minister: \u201cWe will not resign\u201d"),
        ("Talks (in pictures)\nBody.", "Talks (in pictures)"),
        ("He said: 'We are ready.'\nBody.", None),  # the quote holds a sentence: the line is one
        ("\"We will fight,\" he said, \"and win\"\nBody.", "\"We will fight,\" he said, \"and win\""),
        ("'\nBody.", None),  # a quote mark alone is no headline
    ],
)
def test_title_is_first_line_only_when_it_reads_as_one(text, title):
    assert split_title(text) == title


def _read(tmp_path, name, data: bytes, **kw):
    path = tmp_path / name
    path.write_bytes(data)
    return list(read_articles([str(path)], **kw))


def test_text_article_keeps_text_exactly(tmp_path):
    raw = "Headline here\r\n  Body with  spaces and “curly” quotes.\n"
    [article] = _read(tmp_path, "a.txt", raw.encode())
    assert isinstance(article, Article)
    assert article.text == raw  # no stripping: offsets must point into the file as read
    assert article.title == "Headline here"


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("binary.txt", bytes(range(256)) * 10, "binary"),
        ("nul.txt", b"Officials said\x00\x00\x01 the talks went on.", "binary"),
        ("random.txt", bytes((i * 167 + 13) % 256 for i in range(4000)).replace(b"\x00", b"\x01"), "binary"),
        ("page.html", b"<html><head><script>var a=1;</script></head><body><nav>Home</nav></body></html>", "HTML without article text"),
    ],
)
def test_bad_input_is_named_with_its_problem(tmp_path, name, data, problem):
    [error] = _read(tmp_path, name, data)
    assert isinstance(error, InputError)
    assert name in str(error) and problem in str(error)


@pytest.mark.parametrize(
    "encoding, expected",
    [("latin-1", "cp1252"), ("cp1252", "cp1252"), ("utf-16", "utf-16"), ("utf-16-le", None), ("utf-8-sig", "utf-8"),
     ("utf-32", "utf-32")],
)
def test_other_encodings_are_decoded_and_named(tmp_path, encoding, expected):
    text = "Caf\xe9 owners in Montr\xe9al said the na\xefve plan had failed.\nThe mayor disagreed."
    if encoding == "cp1252":
        text = text.replace("plan", "\u201cplan\u201d \u2013 \u20ac5m \u2013")
    data = text.encode(encoding)
    if encoding == "utf-16-le":  # UTF-16 without a byte order mark: NUL bytes, no way to know
        [error] = _read(tmp_path, "a.txt", data)
        assert isinstance(error, InputError) and "binary" in str(error) and "byte order mark" in str(error)
        return
    [article] = _read(tmp_path, "a.txt", data)
    assert isinstance(article, Article), article
    assert article.text == text and article.encoding == expected
    assert article.title is None  # the first line ends with a full stop


def test_utf8_is_named_too(tmp_path):
    [article] = _read(tmp_path, "a.txt", "Headline\nBody \u2013 text.".encode())
    assert article.encoding == "utf-8"


def test_huge_article_is_refused_with_the_limit(tmp_path):
    [error] = _read(tmp_path, "huge.txt", b"Officials said the talks went on. " * 620_000)  # ~21 MB
    assert isinstance(error, InputError)
    assert "huge.txt" in str(error) and "too large" in str(error) and "--max-chars" in str(error)


def test_jsonl_bad_lines_are_named_and_the_rest_still_come_out(tmp_path):
    lines = [
        json.dumps({"text": "Iran sent drones to Russia, officials said.", "published": "2024-09-07", "outlet": "Wire"}),
        "{not json",
        json.dumps({"title": "no text field"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "Bad date.", "published": "last Tuesday"}),
        "",
        json.dumps({"text": "China sent aid to Nepal.", "id": "x7"}),
    ]
    results = _read(tmp_path, "batch.jsonl", "\n".join(lines).encode())
    assert [type(r).__name__ for r in results] == ["Article", "InputError", "InputError", "InputError", "InputError", "Article"]
    assert results[0].published == "2024-09-07" and results[0].outlet == "Wire"
    assert results[-1].id == "x7"
    assert [str(r).split(": ")[0] for r in results[1:5]] == [f"{tmp_path / 'batch.jsonl'}:{n}" for n in (2, 3, 4, 5)]
    assert "malformed JSON" in str(results[1]) and "'text'" in str(results[2]) and "ISO date" in str(results[4])


def test_html_main_text_is_extracted_without_boilerplate(tmp_path):
    body = " ".join(["Officials in Kyiv said the convoy reached the city on Monday after a long delay."] * 6)
    html = f"""<html><head><title>Convoy reaches Kyiv</title></head><body>
    <nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe now</nav>
    <article><h1>Convoy reaches Kyiv</h1><p>{body}</p><p>{body}</p></article>
    <footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>"""
    [article] = _read(tmp_path, "page.html", html.encode())
    assert isinstance(article, Article)
    assert "convoy reached the city" in article.text
    assert "Subscribe now" not in article.text and "All rights reserved" not in article.text


def test_folder_is_read_recursively_in_order_and_missing_paths_named(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second article body.")
    (tmp_path / "1.txt").write_text("First article body.")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")  # not an article suffix: ignored in folders
    results = list(read_articles([str(tmp_path), str(tmp_path / "missing.txt")]))
    assert [r.text for r in results[:2]] == ["First article body.", "Second article body."]
    assert isinstance(results[2], InputError) and "no such file" in str(results[2])


def test_stdin_text_and_jsonl():
    [article] = read_articles(["-"], stdin=io.BytesIO(b"Headline\nBody text."))
    assert article.origin == "<stdin>" and article.title == "Headline"
    results = list(read_articles(["-"], stdin=io.BytesIO(b'{"text": "One."}\n{"text": ""}\n')))
    assert isinstance(results[0], Article) and isinstance(results[1], InputError)
    assert str(results[1]).startswith("<stdin>:2")
