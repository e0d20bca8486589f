"""The web viewer end to end: a ledger built from articles by the real analyzer, the real server
(`according serve`, uvicorn) on a free loopback port, and Debian's Chromium driven by Playwright.

The ledger is built once for the module; the test that writes to it during serving runs last.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from according.cli import main

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "fixtures" / "ledger" / "corpus.jsonl"
HOSTILE = REPO / "tests" / "fixtures" / "web" / "hostile.jsonl"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PWNED = "() => [window.__pwned_outlet, window.__pwned_title, window.__pwned_text, window.__pwned_img]"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("web") / "ledger.db"
    assert main(["ingest", str(CORPUS), str(HOSTILE), "--db", str(path), "--published-from-metadata", "--quiet"]) == 0
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def server(db, tmp_path_factory):
    """`according serve` in its own process; yields (base url, what it printed on start)."""
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "stderr.txt"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "according", "serve", "--db", str(db), "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=err)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while "serving" not in log.read_text():
            assert proc.poll() is None, f"the server exited: {log.read_text()}"
            assert time.monotonic() < deadline, "the server did not start within 60 s"
            time.sleep(0.1)
        yield base, log.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def api(base: str, path: str):
    status, body = _get(base + path)
    assert status == 200, (path, status, body[:300])
    return json.loads(body)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it with apt (apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium) for the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
            headless=True, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser):
    p = browser.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    yield p
    p.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _story_id(base: str, **where: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in where.items())
    stories = api(base, f"/api/stories?{query}")["stories"]
    assert len(stories) == 1, stories
    return stories[0]["id"]


# --- the server -----------------------------------------------------------------------------------

def test_binds_loopback_and_says_so(server):
    base, printed = server
    assert "127.0.0.1" in printed and "read-only" in printed and "only this machine" in printed


def test_serve_refuses_a_missing_ledger(tmp_path, capsys):
    assert main(["serve", "--db", str(tmp_path / "none.db"), "--port", "0"]) == 2
    assert "no ledger at" in capsys.readouterr().err


def test_serve_says_when_the_port_is_taken(db, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["serve", "--db", str(db), "--port", str(taken.getsockname()[1])]) == 2
    assert "is the port in use? try --port 0" in capsys.readouterr().err


def test_no_route_writes(server):
    base, _ = server
    spec = api(base, "/api/openapi.json")
    methods = {m for ops in spec["paths"].values() for m in ops}
    assert methods == {"get"}
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        request = urllib.request.Request(base + "/api/stories", method=method, data=b"{}")
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(request, timeout=10)
        assert exc.value.code == 405


def test_openapi_lists_every_json_route_and_docs_list_them(server):
    base, _ = server
    paths = set(api(base, "/api/openapi.json")["paths"])
    assert paths == {"/api/stories", "/api/weekly", "/api/stories/{story_id}", "/api/articles/{article_id}",
                     "/api/actors", "/api/actors/{key}"}
    docs = (REPO / "docs" / "web.md").read_text(encoding="utf-8")
    for path in paths | {"/", "/stories/{story_id}", "/articles/{article_id}", "/actors", "/actors/{key}"}:
        assert f"`{path}" in docs, f"{path} is missing from docs/web.md"


# --- JSON -----------------------------------------------------------------------------------------

def test_story_list_filters(server):
    base, _ = server
    everything = api(base, "/api/stories")
    # 6 of AID; "Iran denied sending drones" is the denial of one (an attribution), not a REJECT story
    assert everything["total"] == len(everything["stories"]) == 6
    iran = api(base, "/api/stories?actor=irn")["stories"]
    assert len(iran) == 4 and {s["actor_key"] for s in iran} == {"IRN"}
    assert [s["recipient_key"] for s in api(base, "/api/stories?actor=IRN&recipient=VEN")["stories"]] == ["VEN"]
    either = api(base, "/api/stories?party=RUS")["stories"]
    assert len(either) == 4 and all("RUS" in (s["actor_key"], s["recipient_key"]) for s in either)
    contested = api(base, "/api/stories?status=contested")["stories"]
    assert len(contested) == 1 and contested[0]["denials"] >= 1 and contested[0]["object_class"] == "drone"
    assert [s["id"] for s in api(base, "/api/stories?q=HUNDREDS+of")["stories"]] == [contested[0]["id"]]
    assert api(base, "/api/stories?q=hundreds%25")["total"] == 0  # % is a character, not a wildcard
    assert api(base, "/api/stories?type=ACCUSE")["total"] == 0
    dated = api(base, "/api/stories?from=2025-01-01")["stories"]
    assert [s["first_date"][:4] for s in dated] == ["2025"]
    assert api(base, "/api/stories?to=2024-12-31")["total"] == 5
    assert api(base, "/api/stories?type=REJECT")["total"] == 0


def test_story_list_sorts_and_pages_in_sql(server):
    base, _ = server
    ascending = [s["first_date"] for s in api(base, "/api/stories?sort=first&order=asc")["stories"]]
    assert ascending == sorted(ascending)
    by_reports = [s["reports"] for s in api(base, "/api/stories")["stories"]]
    assert by_reports == sorted(by_reports, reverse=True) and by_reports[0] == 4
    first, second = (api(base, f"/api/stories?per_page=4&page={n}") for n in (1, 2))
    assert first["pages"] == 2 and len(first["stories"]) == 4 and len(second["stories"]) == 2
    assert not {s["id"] for s in first["stories"]} & {s["id"] for s in second["stories"]}


def test_story_article_actor_and_weekly_json(server):
    base, _ = server
    sid = _story_id(base, status="contested")
    story = api(base, f"/api/stories/{sid[:6]}")  # a unique prefix, as `according story` takes
    assert story["story"]["id"] == sid and story["story"]["first_article_id"]
    roles = {r["role"] for r in story["reports"]}
    assert roles == {"backs", "denies"} and all(r["why"] for r in story["reports"])
    assert any(r["copy_of_article"] for r in story["reports"])  # the syndicated copy
    article = api(base, f"/api/articles/{story['story']['first_article_id']}")
    assert "Caspian Sea" in article["text"] and sid in article["stories"].values()
    assert article["report"]["schema"] == "according/1"
    graph = api(base, "/api/actors")
    edge = next(e for e in graph["edges"] if (e["actor"], e["recipient"], e["type"]) == ("IRN", "RUS", "AID"))
    assert edge["stories"] == 3 and edge["contested"] == 1 and edge["independent_sources"] >= 3
    assert {"IRN", "RUS", "VEN", "PRK"} <= {n["id"] for n in graph["nodes"]}
    assert next(n for n in graph["nodes"] if n["id"] == "IRN")["name"] == "Iran"
    actor = api(base, "/api/actors/VEN")
    assert [s["actor_key"] for s in actor["stories"]["stories"]] == ["IRN"]
    weekly = api(base, "/api/weekly?actor=IRN&recipient=VEN")
    assert weekly == [{"week": "2024-09-02", "type": "AID", "reports": 1}]  # 2024-09-08 is a Sunday


def test_unknown_story_and_article_are_404(server):
    base, _ = server
    status, body = _get(base + "/api/stories/nosuchstory")
    assert status == 404 and "no story" in json.loads(body)["error"]
    assert _get(base + "/api/articles/999999")[0] == 404
    status, body = _get(base + "/stories/nosuchstory")
    assert status == 404 and b"according stories" in body


# --- in the browser -------------------------------------------------------------------------------

def test_list_filter_story_article_click_through(server, page):
    base, _ = server
    page.goto(base + "/")
    assert page.locator("tr.story").count() == 6
    assert page.locator("tr.story.contested .st-contested").count() == 1
    page.fill("input[name=actor]", "IRN")
    page.select_option("select[name=status]", "contested")
    page.click("button[type=submit]")
    page.wait_for_url("**/?actor=IRN*")
    assert page.locator("tr.story").count() == 1
    page.click("tr.story a.open")
    page.wait_for_url("**/stories/*")

    first = page.locator("li.report.first")
    assert first.count() == 1 and "first report" in first.inner_text() and "Northgate Wire" in first.inner_text()
    sentence = first.locator(".sentence").first
    source = sentence.locator(".tok.w-source").all_inner_texts()
    assert " ".join(t.split("\n")[0] for t in source).startswith("two officials familiar")
    assert sentence.locator(".tok.w-cue").count() >= 1 and sentence.locator(".tok.w-content").count() >= 5
    assert sentence.locator(".lbl[data-label=SOURCE]").count() == 1
    # the delivery is labelled once per mention ("delivered", and "the shipment" in the source's words)
    assert sentence.locator(".tok.w-event .lbl[data-label=AID]").count() >= 1

    denial = page.locator("li.report.role-denies")
    assert denial.count() == 1 and "River Gazette" in denial.inner_text()
    assert denial.locator(".lbl[data-label*=DENIES]").count() == 1
    claim_box, denial_box = first.locator(".card").bounding_box(), denial.locator(".card").bounding_box()
    assert denial_box["x"] > claim_box["x"] + 100  # the denial sits beside the claims, to the right
    lines = page.locator("section.lines").inner_text()
    assert "Independent lines of reporting" in lines and "copy of" in lines and "first reported" in lines
    assert "why it is in this story" in page.locator("li.report").nth(1).inner_text()

    page.click("li.report.first a.article-link")
    page.wait_for_url("**/articles/*")
    text = page.locator("#article-text")
    assert "Caspian Sea" in text.inner_text()
    assert text.locator(".tok.w-source").count() >= 2 and text.locator(".tok.w-content").count() > 10
    page.click("#article-text a.tok.w-event")
    page.wait_for_url("**/stories/*")
    assert page.locator("h1 .st-contested").count() == 1


def test_injected_html_shows_as_text(server, page):
    base, _ = server
    sid = _story_id(base, actor="BLR")
    for path in ("/", f"/stories/{sid}", "/actors", "/actors/SDN", "/?q=%3Cscript%3E"):
        page.goto(base + path)
        assert page.evaluate(PWNED) == [None, None, None, None], path
    page.goto(base + f"/stories/{sid}")
    assert "<b>Bold</b> Wire<script>window.__pwned_outlet = 1</script>" in page.locator("li.report").inner_text()
    assert "The Harbor <i>Sentinel</i>" not in page.content()  # the source name is escaped, not markup
    page.click("a.article-link")
    page.wait_for_url("**/articles/*")
    assert page.evaluate(PWNED) == [None, None, None, None]
    assert page.locator("h1").inner_text().startswith("<script>window.__pwned_title = 1</script>")
    body = page.locator("#article-text")
    assert "<script>window.__pwned_text" in body.inner_text() and body.locator("img, script, i").count() == 0
    sources = page.locator("ul.sources").inner_text()
    assert "The Harbor <i>Sentinel</i>" in sources


def test_network_and_weekly_chart_are_drawn_offline(server, page):
    base, _ = server
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    page.goto(base + "/actors")
    graph = api(base, "/api/actors")
    page.wait_for_function("() => document.getElementById('network').according !== undefined")
    assert page.evaluate("() => document.getElementById('network').according.nodes().length") == len(graph["nodes"])
    assert page.evaluate("() => document.getElementById('network').according.edges().length") == len(graph["edges"])
    assert page.locator("#network canvas").count() >= 1
    page.goto(base + "/?actor=IRN")
    page.wait_for_function("() => Chart.getChart('weekly') !== undefined")
    datasets = page.evaluate("() => Chart.getChart('weekly').data.datasets.map(d => [d.label, d.data])")
    weekly = api(base, "/api/weekly?actor=IRN")
    assert [d[0] for d in datasets] == ["AID"]  # "Iran denied sending drones" denies a delivery: no act of its own
    assert sum(sum(d[1]) for d in datasets) == sum(r["reports"] for r in weekly)
    page.goto(base + "/actors/VEN")
    assert "Iran" in page.locator("ol.actor-timeline").inner_text()
    assert outside == []


def test_a_write_during_serving_shows_on_reload(server, page, db, tmp_path):
    """Last in the module: it adds a story to the shared ledger while the server reads it."""
    base, _ = server
    page.goto(base + "/")
    before = page.locator("tr.story").count()
    assert "Azerbaijan" not in page.locator("table.stories").inner_text()
    feed = tmp_path / "new.jsonl"
    feed.write_text(json.dumps({"text": "Turkey delivered drones to Azerbaijan on Monday, officials said.",
                                "outlet": "Gulf Ledger", "published": "2024-10-01"}) + "\n", encoding="utf-8")
    assert main(["ingest", str(feed), "--db", str(db), "--published-from-metadata", "--quiet"]) == 0
    page.reload()
    assert page.locator("tr.story").count() == before + 1
    assert "Azerbaijan" in page.locator("table.stories").inner_text()
