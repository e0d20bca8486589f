"""What a worker does: a task (a list of articles) in, one outcome per article out, in order.

The same function runs in this process (``--jobs 1``), in a forked worker process (``--jobs N``) and on a
Dask worker (``--scheduler``): parse, extract, link and build each report there, so the parent only reads
inputs and writes outputs. The analyzer (spaCy model and lexicons) is loaded once per worker process.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Sequence, Union

from ..article import DEFAULT_MAX_CHARS, Article
from ..errors import AccordingError, InputError
from ..ledger.ingest import Analyzed, Failure
from .timeout import AnalysisTimeout, time_limit

Outcome = Union[Analyzed, Failure]
Task = Sequence[Union[Article, Failure]]  # a Failure (an input that could not be read) passes through in place

CHARS_PER_SECOND = 5000  # a long text gets at least 1 s per this many characters, whatever --timeout says


@dataclass(frozen=True)
class WorkerSettings:
    """Everything a worker needs to analyze a task; small and picklable, sent with every task."""

    model: Optional[str] = None
    max_chars: int = DEFAULT_MAX_CHARS
    timeout: float = 30.0  # seconds per batch of articles before the one being analyzed is given up
    batch_size: int = 16  # nlp.pipe batch
    actors: tuple[str, ...] = ()  # the user's actor TSV files (absolute paths), over the packaged lexicon


@lru_cache(maxsize=2)
def worker_analyzer(model: Optional[str], max_chars: int, actors: tuple[str, ...] = ()):
    """One analyzer per process and settings, loaded on first use (spaCy is imported only here)."""
    from ..pipeline import Analyzer

    return Analyzer(model, max_chars=max_chars, actors=actors)


def analyze_task(task: Task, settings: WorkerSettings) -> list[Outcome]:
    """Each article's report (or why it failed), in the task's order."""
    articles = [item for item in task if isinstance(item, Article)]
    try:
        analyzer = worker_analyzer(settings.model, settings.max_chars, settings.actors) if articles else None  # loading is not timed
    except AccordingError as exc:  # e.g. the model is not installed here: the run stops with this message
        raise AccordingError(str(exc)) from None  # (the base class pickles back to the parent as it is)
    results = iter(analyze_limited(analyzer, articles, settings.timeout, batch_size=settings.batch_size))
    out: list[Outcome] = []
    for item in task:
        if isinstance(item, Failure):
            out.append(item)
            continue
        result = next(results)
        if isinstance(result, InputError):
            out.append(Failure(item.origin, result.problem, item.content_hash))
        else:
            out.append(Analyzed(item.origin, item.content_hash, result))  # the report carries the metadata
    return out


def _limit(articles: Sequence[Article], timeout: float) -> float:
    return max(timeout, sum(len(a.text) for a in articles) / CHARS_PER_SECOND)


def analyze_limited(analyzer, articles: Sequence[Article], timeout: float, *, batch_size: int = 16) -> list:
    """Reports (or InputErrors) in input order; an article the analyzer hangs on fails alone.

    The batch runs under one limit; if it runs out, the articles not yet reported are analyzed one at a
    time, each under its own limit, so only the article that hangs is recorded as failed.
    """
    results: list = []
    if not articles:
        return results
    limit = _limit(articles, timeout)
    try:
        with time_limit(limit):
            for result in analyzer.analyze_articles(list(articles), batch_size=batch_size):
                results.append(result)
        return results
    except AnalysisTimeout:
        pass
    # nlp.pipe parses a whole batch before the first report comes out, so the report due when time ran
    # out need not be the culprit: the rest go one at a time, and the one that hangs fails alone
    for article in articles[len(results):]:
        limit = _limit([article], timeout)
        try:
            with time_limit(limit):
                results.extend(analyzer.analyze_articles([article], batch_size=1))
        except AnalysisTimeout:
            results.append(InputError(article.origin, f"analysis did not finish within {limit:.0f} s "
                                                      "(the analyzer hung on it?); raise the limit with --timeout"))
    return results


def worker_died(item: Union[Article, Failure], tries: int) -> Failure:
    """The failure recorded for an article whose worker process died every time it was tried."""
    if isinstance(item, Failure):
        return item
    return Failure(item.origin, f"the worker process died while analyzing it ({tries} tries; out of memory? "
                                "a crash in the parser?); the others went on", item.content_hash)
