"""The viewer's routes: an HTML page and its JSON twin under /api for each view. Reads only.

Every request opens its own read-only connection, so a reload shows what an ingest has committed
since; no route writes (the app registers GET routes only).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Iterator, Optional
from urllib.parse import quote, urlencode

import jinja2
from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..errors import AccordingError
from ..ledger.queries import StoryNotFound
from . import queries as q
from .evidence import SOURCE_TYPES, article_html, party_name
from .views import network_json, story_json, story_reports

HERE = Path(__file__).resolve().parent


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.globals.update(party_name=party_name, version=__version__, source_types=SOURCE_TYPES)
    env.filters["urlpart"] = lambda s: quote(str(s), safe="")
    return env


def story_query(
    actor: Optional[str] = Query(None, description="actor key, e.g. IRN"),
    recipient: Optional[str] = Query(None, description="recipient key, e.g. RUS"),
    party: Optional[str] = Query(None, description="either party"),
    event_type: Optional[str] = Query(None, alias="type", description="PLOVER event type, e.g. AID"),
    status: Optional[str] = Query(None, description="asserted | confirmed | contested"),
    date_from: Optional[str] = Query(None, alias="from", description="a report on or after this day (YYYY-MM-DD)"),
    date_to: Optional[str] = Query(None, alias="to", description="a report on or before this day"),
    text: Optional[str] = Query(None, alias="q", description="words in a report's sentence"),
    sort: str = Query("reports", description="|".join(q.SORTS)),
    order: str = Query("desc", description="asc | desc"),
    page: int = Query(1, ge=1),
    per_page: int = Query(50, ge=1, le=q.MAX_PER_PAGE),
) -> q.StoryQuery:
    return q.StoryQuery(_given(actor), _given(recipient), _given(party), _given(event_type), _given(status),
                        _given(date_from), _given(date_to), _given(text), sort if sort in q.SORTS else "reports",
                        order != "asc", page, per_page)


def _given(value: Optional[str]) -> Optional[str]:
    """A filter's value, or None for an empty form field (which filters nothing)."""
    return (value.strip() or None) if value else None


def create_app(db: str | Path) -> FastAPI:
    """The viewer over the ledger at ``db`` (opened read-only on each request)."""
    db = Path(db)
    env = _templates()
    app = FastAPI(title="according viewer", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Read-only JSON over an according ledger: the data behind every page of `according serve`.")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def conn() -> Iterator[sqlite3.Connection]:
        c = q.open_readonly(db)
        try:
            yield c
        finally:
            c.close()

    def page(template: str, request: Request, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(template).render(request=request, db=db.name, **context)
        return HTMLResponse(html, status_code=status)

    @app.exception_handler(AccordingError)
    def according_error(request: Request, exc: AccordingError) -> Any:
        status = 404 if isinstance(exc, (StoryNotFound, q.ArticleNotFound)) else 400
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=status)
        return page("error.html", request, status, message=str(exc))

    def with_params(query: q.StoryQuery, **change: Any) -> str:
        """The list's query string with some parameters changed (for sort links and the pager)."""
        current = {"actor": query.actor, "recipient": query.recipient, "party": query.party, "type": query.type,
                   "status": query.status, "from": query.date_from, "to": query.date_to, "q": query.text,
                   "sort": query.sort, "order": "desc" if query.descending else "asc", "page": query.page,
                   "per_page": query.per_page}
        current.update(change)
        return "?" + urlencode({k: v for k, v in current.items() if v not in (None, "")})

    # --- stories ------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, query: q.StoryQuery = Depends(story_query),
                     c: sqlite3.Connection = Depends(conn)) -> HTMLResponse:
        result = q.list_stories(c, query)
        return page("stories.html", request, result=result, query=query, facets=q.facets(c), with_params=with_params)

    @app.get("/api/stories", summary="stories matching the filters, one page, sorted")
    def stories_json(query: q.StoryQuery = Depends(story_query), c: sqlite3.Connection = Depends(conn)) -> dict:
        return q.list_stories(c, query).to_dict()

    @app.get("/api/weekly", summary="backing reports per week (Monday) and event type, for the filters")
    def weekly_json(query: q.StoryQuery = Depends(story_query), c: sqlite3.Connection = Depends(conn)) -> list:
        return q.weekly_counts(c, query)

    def _story(c: sqlite3.Connection, story_id: str):
        detail = q.story_detail(c, story_id)
        first = q.first_article_id(c, detail.story.id)
        copies = q.duplicates(c, sorted({r.article_id for r in detail.reports}))
        return detail, first, copies

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str, request: Request, c: sqlite3.Connection = Depends(conn)) -> HTMLResponse:
        detail, first, copies = _story(c, story_id)
        sources = q.report_sources(c, [r.event_id for r in detail.reports])
        reports = story_reports(detail, first, sources, copies)
        outlets = {r.report.article_id: r.report.outlet for r in reports}
        return page("story.html", request, s=detail.story, detail=detail, reports=reports, outlets=outlets)

    @app.get("/api/stories/{story_id}", summary="one story's full evidence (as `according story --format json --why`)")
    def story_api(story_id: str, c: sqlite3.Connection = Depends(conn)) -> dict:
        return story_json(*_story(c, story_id))

    # --- articles -----------------------------------------------------------------------------

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: int, request: Request, c: sqlite3.Connection = Depends(conn)) -> HTMLResponse:
        a = q.get_article(c, article_id)
        body = article_html(a.text, a.report,
                            lambda eid: f"/stories/{quote(a.stories[eid])}" if eid in a.stories else None)
        return page("article.html", request, a=a, body=body)

    @app.get("/api/articles/{article_id}", summary="an article: text, stored analyzer report, its events' stories")
    def article_api(article_id: int, c: sqlite3.Connection = Depends(conn)) -> dict:
        return q.get_article(c, article_id).to_dict()

    # --- actors -------------------------------------------------------------------------------

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def actors_page(request: Request, query: q.StoryQuery = Depends(story_query),
                    c: sqlite3.Connection = Depends(conn)) -> HTMLResponse:
        return page("actors.html", request, graph=network_json(q.network(c, query)), query=query,
                    facets=q.facets(c))

    @app.get("/api/actors", summary="the network of parties: nodes, and edges actor -> recipient by type"
                                    " weighted by independent sources")
    def actors_api(query: q.StoryQuery = Depends(story_query), c: sqlite3.Connection = Depends(conn)) -> dict:
        return network_json(q.network(c, query))

    def _actor(c: sqlite3.Connection, key: str, query: q.StoryQuery) -> dict[str, Any]:
        mine = q.StoryQuery(party=key, type=query.type, status=query.status, date_from=query.date_from,
                            date_to=query.date_to, text=query.text, sort="first", descending=False,
                            page=query.page, per_page=query.per_page)
        return {"key": key, "name": party_name(key), "stories": q.list_stories(c, mine),
                "graph": network_json(q.network(c, mine))}

    @app.get("/actors/{key}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(key: str, request: Request, query: q.StoryQuery = Depends(story_query),
                   c: sqlite3.Connection = Depends(conn)) -> HTMLResponse:
        return page("actor.html", request, **_actor(c, key, query))

    @app.get("/api/actors/{key}", summary="one party's stories in time order and its edges"
                                          " (its weekly counts: /api/weekly?party=KEY)")
    def actor_api(key: str, query: q.StoryQuery = Depends(story_query), c: sqlite3.Connection = Depends(conn)) -> dict:
        data = _actor(c, key, query)
        data["stories"] = data["stories"].to_dict()
        return data

    return app
