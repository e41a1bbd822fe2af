"""The search UI in real headless Chromium against a real Datasette serving archive.db."""
from __future__ import annotations

import urllib.parse

import pytest

from test_search import archive, datasette  # noqa: F401  (module fixtures)

@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True)
    yield context.new_page()
    context.close()


def shown_ids(page) -> list[str]:
    """Article ids of the hits listed, from their headline links."""
    links = page.locator("ol.hits li.hit h2 a")
    return [urllib.parse.unquote(links.nth(n).get_attribute("href").rsplit("/", 1)[1])
            for n in range(links.count())]


def search(page, base: str, query: str) -> None:
    page.goto(f"{base}/archive/articles")
    page.fill("#_search", query)
    page.press("#_search", "Enter")
    page.wait_for_url("**_search=*")


def test_query_without_diacritics_in_another_inflection_finds_the_article(page, datasette):
    search(page, datasette, "seniorow lodz")
    assert shown_ids(page) == ["lodz-seniorzy"]
    assert page.locator("li.hit p.snippet mark").all_inner_texts() == ["Łodzi", "seniorów",
                                                                         "seniorami"]


def test_facet_click_filters_the_results(page, datasette):
    search(page, datasette, "seniorzy")
    assert sorted(shown_ids(page)) == ["lodz-seniorzy", "warszawa-payload"]
    page.locator("#facet-city a", has_text="Warszawa").click()
    page.wait_for_url("**city=Warszawa*")
    assert shown_ids(page) == ["warszawa-payload"]
    assert page.input_value("#_search") == "seniorzy"


def test_csv_download_for_excel_keeps_polish_letters(page, datasette):
    search(page, datasette, "lodz")
    with page.expect_download() as download:
        page.click("a.archiwum-excel-csv")
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.startswith("relevance;published_date;title;")
    assert "W Łodzi otwarto klub dla seniorów." in text and "Księżego Młyna" in text
    assert text.count("\n") == 3  # header and the two Łódź articles


def test_script_in_a_scraped_article_never_runs(page, datasette):
    for path in ("/archive/articles/warszawa-payload",
                 "/archive/articles?" + urllib.parse.urlencode({"_search": "script onerror"})):
        page.goto(datasette + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None
        assert "window.__pwned = 1" in page.inner_text("body")
