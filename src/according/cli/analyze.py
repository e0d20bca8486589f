"""`according analyze ARTICLE...`: one report per article, as text, JSON, JSONL or PLOVER JSONL.

Each batch of articles is analyzed under a time limit (``--timeout``, as for ``ingest``): an article the
analyzer hangs on is reported and skipped, and the ones after it still come out. ``--jobs N`` runs the
batches in N worker processes, in input order.
"""
from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import sys
from contextlib import nullcontext
from dataclasses import replace
from typing import Iterable, Iterator, Optional, TextIO, Union

from ..article import DEFAULT_MAX_CHARS, Article, normalize_date, read_articles
from ..errors import AccordingError, InputError
from ..records import Report

FORMATS = ("text", "json", "jsonl", "plover")
DEFAULT_TIMEOUT = 30.0

Result = Union[Report, InputError]


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
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"give up on an article after this long (default {DEFAULT_TIMEOUT:.0f}; long texts get 1 s per 5,000 characters)")
    parser.set_defaults(func=run)


def _dated(items: Iterator[Union[Article, InputError]], published: str | None) -> Iterator[Union[Article, InputError]]:
    for item in items:
        if published and isinstance(item, Article) and item.published is None:
            item = replace(item, published=published)
        yield item


@functools.lru_cache(maxsize=None)
def _analyzer(model: Optional[str], max_chars: int):
    """One analyzer per process (spaCy loads only when a command needs it)."""
    from ..pipeline import Analyzer

    return Analyzer(model, max_chars=max_chars)


def _analyze_batch(batch: list, *, model: Optional[str], max_chars: int, timeout: float) -> list[Result]:
    """Reports (or InputErrors) for a batch, in order, each article under the time limit."""
    articles = [item for item in batch if isinstance(item, Article)]
    done = iter(analyze_limited(_analyzer(model, max_chars), articles, timeout))
    return [item if isinstance(item, InputError) else next(done) for item in batch]


def analyze_limited(analyzer, articles: list[Article], timeout: float) -> list[Result]:
    """The batch at once under one limit; if it runs out (or the parser fails), the rest one at a time,
    so the article that hangs fails alone and is named rightly (nlp.pipe parses a batch before the
    first report comes out, so the report due when time runs out need not be the culprit)."""
    from .ledger import BATCH, _AnalysisTimeout, _limit, _time_limit  # the limit ingest uses (SIGALRM)

    results: list[Result] = []
    limit = _limit(articles, timeout)
    try:
        with _time_limit(limit):
            for result in analyzer.analyze_articles(articles, batch_size=BATCH):
                results.append(result)
        return results
    except _AnalysisTimeout:
        if len(results) == len(articles) - 1:  # only one was left: no need to try it again
            return results + [_timed_out(articles[-1], limit)]
    except Exception:
        pass
    for article in articles[len(results):]:
        limit = _limit([article], timeout)
        try:
            with _time_limit(limit):
                results.extend(analyzer.analyze_articles([article], batch_size=1))
        except _AnalysisTimeout:
            results.append(_timed_out(article, limit))
        except Exception as exc:  # a parser bug on this text: it fails alone, the batch goes on
            results.append(InputError(article.origin, f"internal error while analyzing ({type(exc).__name__}: {exc}); "
                                                      "please report it"))
    return results


def _timed_out(article: Article, limit: float) -> InputError:
    return InputError(article.origin, f"analysis did not finish within {limit:.3g} s; raise the limit with --timeout")


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def analyze_items(items: Iterable[Union[Article, InputError]], *, model: Optional[str] = None, max_chars: int = DEFAULT_MAX_CHARS,
                  timeout: float = DEFAULT_TIMEOUT, jobs: int = 1) -> Iterator[Result]:
    """Reports for a stream of articles, in order, each under the time limit, in ``jobs`` processes."""
    from .ledger import BATCH, _worker_ignores_ctrl_c

    _analyzer(model, max_chars)  # load once here: forked workers inherit it
    work = functools.partial(_analyze_batch, model=model, max_chars=max_chars, timeout=timeout)
    pool_cm = (multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_ignores_ctrl_c)
               if jobs > 1 else nullcontext())
    with pool_cm as pool:
        results = map(work, _batches(items, BATCH)) if pool is None else pool.imap(work, _batches(items, BATCH))
        for batch in results:
            yield from batch


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise AccordingError("--jobs must be 1 or more")
    if not args.timeout > 0:
        raise AccordingError("--timeout must be more than 0 seconds")
    published = normalize_date(args.published, "--published")
    fmt = args.format or ("text" if sys.stdout.isatty() else "jsonl")
    items = _dated(read_articles(args.articles, max_chars=args.max_chars), published)
    failures = done = 0
    reports = []
    for result in analyze_items(items, model=args.model, max_chars=args.max_chars, timeout=args.timeout, jobs=args.jobs):
        if isinstance(result, InputError):
            failures += 1
            print(f"according: skipped {result}", file=sys.stderr)
            continue
        done += 1
        for note in result.article.notes:
            print(f"according: note: {result.article.id}: {note}", file=sys.stderr)
        if fmt == "json":
            reports.append(result.to_dict(include_text=args.with_text))
        else:
            write_report(result, fmt, sys.stdout, with_text=args.with_text)
            sys.stdout.flush()  # a report is out as soon as it is made, even if a later article hangs
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
