"""`according analyze ARTICLE...`: one report per article, as text, JSON, JSONL or PLOVER JSONL."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import Iterator, TextIO, Union

from ..article import DEFAULT_MAX_CHARS, Article, normalize_date, read_articles
from ..errors import AccordingError, InputError
from ..records import Report

FORMATS = ("text", "json", "jsonl", "plover")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "analyze",
        help="report who did what to whom, according to whom, for each article",
        description="Analyze articles: .txt (first line is the title when it reads as one), .html, .jsonl "
        "(one article per line: text, title, published, outlet, url, id), folders of those, or - for stdin. "
        "Files need not be UTF-8: a UTF-16/32 byte order mark or the detected encoding is used and named in the report.",
    )
    parser.add_argument("articles", nargs="+", metavar="ARTICLE", help="file, folder, or - for stdin")
    parser.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for articles that carry none; resolves relative times")
    parser.add_argument("--format", choices=FORMATS, default=None, help="text (default on a terminal), json, jsonl (default otherwise), plover")
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline: sm (default), md, a package name or a path")
    parser.add_argument("--with-text", action="store_true", help="include the article text in JSON reports")
    parser.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, metavar="N", help=f"refuse longer articles (default {DEFAULT_MAX_CHARS:,})")
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="analyze in N worker processes (default 1)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="give up on an article after this long (default 30; long texts get 1 s per 5,000 characters)")
    parser.add_argument("--actors", action="append", default=[], metavar="TSV",
                        help="your own actors (name, country, sector, kind; tab-separated), over the packaged ones (repeatable)")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar (shown on a terminal's stderr for folders, feeds and several files)")
    parser.set_defaults(func=run)


def _dated(items: Iterator[Union[Article, InputError]], published: str | None) -> Iterator[Union[Article, InputError]]:
    for item in items:
        if published and isinstance(item, Article) and item.published is None:
            item = replace(item, published=published)
        yield item


def run(args: argparse.Namespace) -> int:
    from ..ledger.ingest import Failure
    from ..scale import ProcessRunner, WorkerSettings, analyze_stream
    from .actors_option import checked_actor_files
    from .progress import above_the_bar, holds_many, progress_bar, say

    if args.jobs < 1:
        raise AccordingError("--jobs must be 1 or more")
    if not args.timeout > 0:
        raise AccordingError("--timeout must be more than 0 seconds")
    published = normalize_date(args.published, "--published")
    fmt = args.format or ("text" if sys.stdout.isatty() else "jsonl")
    settings = WorkerSettings(model=args.model, max_chars=args.max_chars, timeout=args.timeout,
                              actors=checked_actor_files(args.actors))
    runner = ProcessRunner(args.jobs, settings)  # spaCy loads only in the process that analyzes
    items = _dated(read_articles(args.articles, max_chars=args.max_chars), published)
    failures = done = 0
    reports = []
    # on a terminal only: scripts read stderr for the "skipped" lines, and need no bar between them
    bar = progress_bar(args.articles, quiet=args.quiet or not holds_many(args.articles) or not sys.stderr.isatty())
    try:
        for outcome in analyze_stream(runner, items):
            bar.update()
            if isinstance(outcome, Failure):
                failures += 1
                bar.set_postfix(failed=failures, refresh=False)
                say(f"according: skipped {outcome.origin}: {outcome.reason}")
                continue
            result = outcome.report
            done += 1
            for note in result.article.notes:
                say(f"according: note: {result.article.id}: {note}")
            if fmt == "json":
                reports.append(result.to_dict(include_text=args.with_text))
            else:
                with above_the_bar(bar):
                    write_report(result, fmt, sys.stdout, with_text=args.with_text)
                    sys.stdout.flush()  # a report is out as soon as it is made, even if a later article hangs
    finally:
        bar.close()
    if fmt == "json":
        json.dump(reports[0] if len(reports) == 1 else reports, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    if failures:
        print(f"according: {failures} of {failures + done} inputs failed (see above); the others were analyzed", file=sys.stderr)
    return 1 if failures else 0


def write_report(report: Report, fmt: str, out: TextIO, *, with_text: bool = False) -> None:
    if fmt == "text":
        from ..render import render_text

        out.write(render_text(report) + "\n")
    elif fmt == "jsonl":
        out.write(json.dumps(report.to_dict(include_text=with_text), ensure_ascii=False) + "\n")
    elif fmt == "plover":
        from ..export.plover import report_to_plover

        for record in report_to_plover(report):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
