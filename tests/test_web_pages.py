"""The pages in a real browser: Playwright drives Debian's Chromium (installed by .ci/browser.sh,
launched with executable_path and headless flags) through each page against a server on 127.0.0.1
over the bundled samples. Each test asserts on what the page shows and saves a screenshot to
docs/screenshots/ (or $DIURNA_SCREENSHOTS)."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
SHOTS = Path(os.environ.get("DIURNA_SCREENSHOTS", ROOT / "docs" / "screenshots"))
CHROMIUM = os.environ.get("DIURNA_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "browser-token"
EVIL = "<script>alert('pwned')</script>"
TRY_TEXT = ("ISLAMABAD, May 12 - Pakistan and India agreed to a ceasefire on Saturday after four days of "
            "clashes, the foreign ministry said. Chinese Foreign Minister Wang Yi met Pakistan's foreign "
            "minister in Beijing on Tuesday.")


def _chromium() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    found = shutil.which("chromium")
    if found:
        return found
    message = "Chromium is not installed (run .ci/browser.sh)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def site(tmp_path_factory, fixed_today_module):
    """A server over the bundled samples plus one article carrying a <script>, edits on."""
    import uvicorn

    from diurna.models import Article, Entity, Event, Sentence
    from diurna.store import Store
    from diurna.web import create_app

    db = tmp_path_factory.mktemp("pages") / "samples.db"
    subprocess.run([sys.executable, "-m", "diurna.cli", "ingest", str(ROOT / "samples" / "articles"), "--db", str(db),
                    "--actors", str(ROOT / "samples" / "actors.yaml")], check=True, capture_output=True)
    sentence = f"India praised Pakistan as {EVIL} appeared."
    evil = Article(id="evil", text=sentence, title=f"Injected {EVIL}", url="https://example.org/evil",
                   published=dt.date(2025, 5, 1), sentences=[Sentence(0, 0, len(sentence), sentence)])
    praise = Event(doc_id="evil", event_type="SUPPORT", sentence=0, start=0, end=len(sentence),
                   event_text=sentence, trigger="praised", trigger_start=6, trigger_end=13,
                   actor=[Entity("IND", "GOV", "India", 0, 5)], recipient=[Entity("PAK", "GOV", "Pakistan", 14, 22)],
                   cameo="051", goldstein=3.4, quad_code=1, confidence=0.9, coder="test/1", date=dt.date(2025, 5, 1))
    with Store.open(db) as store:
        store.add(evil, [praise], coder="test/1")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db, allow_edit=True, token=TOKEN), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def fixed_today_module():
    previous = os.environ.get("DIURNA_TODAY")
    os.environ["DIURNA_TODAY"] = "2025-06-01"
    yield
    if previous is None:
        os.environ.pop("DIURNA_TODAY", None)
    else:
        os.environ["DIURNA_TODAY"] = previous


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, site):
    """A page that records script dialogs (an XSS would open one) and CSP violations."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site)
    page = context.new_page()
    page.dialogs, page.problems = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("request", lambda r: page.problems.append("external " + r.url)
            if not r.url.startswith((site, "data:", "blob:")) else None)
    yield page
    assert page.dialogs == [], "a script ran from page content"
    assert page.problems == [], page.problems
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_overview_shows_the_timeline_top_actors_dyads_and_latest_articles(page):
    page.goto("/")
    page.wait_for_selector("#timeline[data-ready=true] canvas")
    assert "events from" in page.get_by_test_id("summary").inner_text()
    assert page.locator("[data-testid=top-actors] tbody tr").count() >= 3
    assert page.locator("[data-testid=top-dyads] tbody tr").count() >= 1
    shot(page, "overview")
    page.locator("[data-testid=latest-articles] a").first.click()
    page.wait_for_url("**/articles/*")
    assert page.get_by_test_id("article-text").is_visible()


def test_events_filter_sort_and_follow_a_row_to_its_highlighted_sentence(page):
    page.goto("/events")
    total = int(page.get_by_test_id("total").inner_text())
    page.fill("[data-testid=filters] input[name=country]", "PAK")
    page.click("[data-testid=filters] button[type=submit]")
    page.wait_for_url("**country=PAK**")
    filtered = int(page.get_by_test_id("total").inner_text())
    assert 0 < filtered < total
    rows = page.locator("[data-testid=event-row]")
    assert all("PAK" in rows.nth(i).inner_text() for i in range(rows.count()))
    page.get_by_test_id("sort-goldstein").click()
    page.wait_for_url("**order=goldstein**")
    scores = [float(rows.nth(i).locator("td").nth(6).inner_text()) for i in range(rows.count())]
    assert scores == sorted(scores)
    shot(page, "events")
    evidence = rows.first.get_by_test_id("evidence-link")
    sentence = evidence.inner_text().rstrip("…. ")[:40]
    evidence.click()
    page.wait_for_url("**/articles/*event=*")
    focused = page.locator(".hl-focus")
    assert focused.count() >= 1 and sentence[:20] in "".join(focused.all_inner_texts())
    assert page.locator(".event-card.focused").count() == 1


def test_article_page_highlights_actors_and_triggers_and_lists_events(page):
    page.goto("/articles")
    page.fill("[data-testid=article-search]", "ceasefire")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=ceasefire**")
    page.locator("[data-testid=articles] a").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator(".hl-trigger").count() >= 1 and page.locator(".hl-actor").count() >= 1
    cards = page.locator("[data-testid=event]")
    assert cards.count() >= 1
    first = cards.first.inner_text()
    for label in ("date", "place", "CAMEO", "Goldstein", "confidence"):
        assert label in first
    shot(page, "article")


def test_a_correction_is_saved_with_the_token_and_shown_as_such(page):
    page.goto("/events?country=PAK")
    page.get_by_test_id("evidence-link").first.click()
    page.wait_for_url("**/articles/*")
    card = page.locator(".event-card.focused")
    form = page.locator("details.correct").filter(has=page.locator(f"input[value='{card.get_attribute('id')[2:]}']"))
    form.locator("summary").click()
    form.locator("select[name=event_type]").select_option("THREATEN")
    form.locator("input[name=note]").fill("a threat, not an accusation")
    form.locator("input[name=token]").fill(TOKEN)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**saved=1**")
    assert page.get_by_test_id("saved").is_visible()
    correction = page.locator(".event-card.focused [data-testid=correction]")
    assert "THREATEN" in correction.inner_text() and "a threat, not an accusation" in correction.inner_text()
    shot(page, "correction")


def test_a_story_page_lists_its_articles_and_draws_its_timeline(page):
    listed = page.request.get("/api/stories?limit=500").json()["stories"]
    biggest = max(listed, key=lambda s: (s["articles"], s["events"]))
    page.goto("/stories")
    assert page.locator("[data-testid=story-row]").count() >= 1
    page.goto(f"/stories/{biggest['id']}")
    page.wait_for_selector("#story-timeline[data-ready=true] canvas")
    assert page.locator("[data-testid=story-articles] li").count() >= 1
    assert "unique event" in page.get_by_test_id("story-summary").inner_text()
    shot(page, "story")


def test_dyad_page_picks_two_actors_and_draws_their_timeline(page):
    page.goto("/dyads")
    page.select_option("[data-testid=dyad-a]", "PAK")
    page.select_option("[data-testid=dyad-b]", "AFG")
    page.click("[data-testid=dyad-form] button[type=submit]")
    page.wait_for_url("**a=PAK**")
    assert "between PAK and AFG" in page.get_by_test_id("dyad-summary").inner_text()
    page.wait_for_selector("#dyad-timeline[data-ready=true] canvas")
    assert page.locator("[data-testid=event]").count() >= 1
    shot(page, "dyads")


def test_network_page_draws_actors_and_dyads(page):
    page.goto("/network")
    page.wait_for_selector("#network[data-ready=true] canvas")
    assert page.locator("[data-testid=edges] tbody tr").count() >= 2
    page.fill("input[name=since]", "2025-01-01")
    page.click("[data-testid=filters] button[type=submit]")
    page.wait_for_url("**since=2025-01-01**")
    page.wait_for_selector("#network[data-ready=true] canvas")
    shot(page, "network")


def test_map_places_events_on_the_world_map(page):
    page.goto("/map")
    page.wait_for_selector("#map[data-regions]")
    assert int(page.get_attribute("#map", "data-regions")) >= 3
    assert page.locator("[data-testid=countries] tbody tr").count() >= 3
    page.wait_for_timeout(300)
    shot(page, "map")


def test_try_it_codes_a_pasted_article_at_once(page):
    page.goto("/try")
    page.fill("[data-testid=try-text]", TRY_TEXT)
    page.click("[data-testid=try-submit]")
    page.wait_for_selector("[data-testid=try-count]")
    assert int(page.get_by_test_id("try-count").inner_text().split()[0]) >= 1
    assert page.locator(".hl-trigger").count() >= 1
    assert "agreed" in " ".join(page.locator(".hl-trigger").all_inner_texts())
    shot(page, "try")


def test_script_in_an_article_and_in_a_query_is_shown_as_text(page):
    page.goto("/events?q=" + EVIL.replace("'", "%27"))
    assert EVIL in page.get_by_test_id("query-echo").inner_text()
    assert page.get_by_test_id("query-echo").inner_text() == EVIL
    page.goto("/articles?q=praised")
    page.locator("[data-testid=articles] a").first.click()
    page.wait_for_url("**/articles/*")
    assert EVIL in page.get_by_test_id("article-title").inner_text()
    assert EVIL in page.get_by_test_id("article-text").inner_text()
    assert page.locator("main script").count() == 0


def test_api_docs_are_served_by_the_app(page):
    page.goto("/docs")
    page.wait_for_selector("#swagger-ui .opblock", timeout=60_000)
    assert "/api/events" in page.locator("#swagger-ui").inner_text()
    page.problems.clear()  # Swagger UI logs its own schema warnings
