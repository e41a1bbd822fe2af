"""A researcher's paths through the web UI, in real headless Chromium, on the demo archive (with
an earlier version, a near-duplicate and a new article added): the home page's search box, the
results list, the article page, the archived copy, the timeline, checked inputs, help on zero
hits, the Atom feed and the downloads that open in Polish Excel, at 1280 px and on a phone."""
from __future__ import annotations

import csv
import io
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from datasette.utils import tilde_encode

from scraper.archive import db as archive_db
from test_search import served

ATOM = "{http://www.w3.org/2005/Atom}"
NEW_TITLE = "=Nowy program osłonowy dla seniorów"  # also a would-be spreadsheet formula
CHANGED_PARAGRAPH = "Ten akapit zniknął z późniejszej wersji."
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def archive(demo_archive, tmp_path_factory) -> dict:
    """A copy of the demo archive with its WARC files, plus an earlier version of one article,
    a copy of it on another portal and an article newer than any other."""
    folder = tmp_path_factory.mktemp("research")
    shutil.copy(demo_archive, folder / "archive.db")
    shutil.copytree(demo_archive.parent / "warc", folder / "warc")
    db = archive_db.connect(folder / "archive.db")
    original = next(db["articles"].rows_where("source = 'gdansk' and warc_file is not null",
                                              order_by="length(body) desc", limit=1))
    newest = db.execute("select max(published) from articles").fetchone()[0]
    with db.conn:
        db["article_versions"].insert({
            "article_id": original["id"], "fetched_at": "2024-01-01T00:00:00Z",
            "title": original["title"], "content_hash": "earlier",
            "body": original["body"] + "\n" + CHANGED_PARAGRAPH})
        db["articles"].insert({**original, "id": "copy-of-" + original["id"], "source": "bdp",
                               "url": "https://example.pl/kopia", "duplicate_of": original["id"],
                               "warc_file": None})
        db["articles"].insert({
            "id": "nowy-seniorzy", "url": "https://example.pl/nowy", "source": "gdansk",
            "title": NEW_TITLE, "body": "Miasto ogłasza nowy program dla seniorów.",
            "published": "2030-01-15", "city": "Gdańsk", "voivodeship": "pomorskie",
            "topics": '["seniorzy"]', "fetched_at": "2030-01-16T08:00:00Z",
            "content_hash": "nowy"})
    db.conn.close()
    return {"path": folder / "archive.db", "original": original, "newest_before": newest}


@pytest.fixture(scope="module")
def base(archive):
    with served(archive["path"]) as url:
        yield url


@pytest.fixture
def page(browser, base):
    context = browser.new_context(accept_downloads=True, viewport=DESKTOP)
    outside = []
    context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"),
                  lambda route: (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    yield page
    context.close()
    assert not outside, f"a page asked for something outside 127.0.0.1: {outside}"


def search_from_home(page, base: str, words: str) -> None:
    page.goto(base + "/")
    page.fill("input[name=_search]", words)
    page.click("button[type=submit]")
    page.wait_for_url("**/archive/articles?*")


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def test_home_page_is_a_polish_search_box_without_internal_tables(page, base):
    page.goto(base + "/")
    assert page.get_attribute("html", "lang") == "pl"
    assert page.is_visible("input[name=_search]")
    text = page.inner_text("body")
    assert "Szukaj" in text and "Oś czasu" in text and "Lista źródeł" in text
    for internal in ("facet_counts", "leaf_pages", "_counts"):
        assert internal not in page.inner_text(".home-hero")
    page.click("text=seniorzy")
    page.wait_for_selector("li.hit")
    assert page.input_value("#_search") == "seniorzy"
    page.goto(base + "/archive")  # the operators' page starts with the search box too
    assert page.is_visible("input[name=_search]") and "strona główna" in page.inner_text("body")


def source_names(archive) -> set[str]:
    db = archive_db.connect(archive["path"])
    names = {row[0] for row in db.execute("select name from sources")}
    db.conn.close()
    return names


def test_results_list_shows_headline_source_name_city_date_and_snippet(page, base, archive):
    search_from_home(page, base, "bezdomnych")
    first = page.locator("li.hit").first
    assert first.locator("h2 a").is_visible()
    assert first.bounding_box()["y"] < DESKTOP["height"]  # the first hit above the fold
    meta = first.locator(".hit-meta").inner_text()
    assert " · " in meta and re.search(r"\d{4}", meta)
    assert first.locator(".source").inner_text() in source_names(archive)  # names, not ids
    assert first.locator("p.snippet mark").count() >= 1
    assert page.locator("table.rows-and-columns").count() == 0
    assert page.get_attribute("html", "lang") == "pl"
    assert not re.search(r"\b(rows?|where|Powered by|Advanced export|sorted by)\b",
                         page.inner_text("body"))  # Polish, not Datasette's English
    page.click("a.archiwum-table-view")
    page.wait_for_selector("table.rows-and-columns")
    assert page.locator("table.rows-and-columns th", has_text="warc_offset").count() == 1


def test_results_list_fits_a_phone(browser, base):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(base + "/archive/articles?_search=pomoc")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    heights = [page.locator("li.hit").nth(n).bounding_box()["height"] for n in range(3)]
    assert max(heights) < 450
    assert "warc_offset" not in page.inner_text("body")
    context.close()


def test_article_page_reads_as_text_with_versions_copies_and_citation(page, base, archive):
    original = archive["original"]
    search_from_home(page, base, original["title"])
    page.click(f'li.hit h2 a[href$="/{tilde_encode(original["id"])}"]')
    page.wait_for_selector("article.reading")
    assert page.inner_text("article.reading h1") == original["title"]
    paragraphs = page.locator(".article-text p")
    assert paragraphs.count() >= 2
    assert paragraphs.first.bounding_box()["width"] <= 700  # a readable measure
    page.click("details.version summary")
    assert CHANGED_PARAGRAPH in page.inner_text("details.version .diff del")
    assert "Ten sam tekst w 1 innym miejscu" in page.inner_text("aside")
    cite = page.inner_text(".cite")
    assert original["title"] in cite and "Zarchiwizowano" in cite
    assert page.url.split("?")[0] in cite  # the permalink
    assert "Gdańsk" in cite  # the publisher by name
    page.click("a.archived-copy")
    page.wait_for_selector("dl.capture-header")
    assert page.inner_text("dd.status") == "200"
    assert page.inner_text("dd.url") == original["url"]
    assert page.get_attribute("iframe", "sandbox") == ""
    assert original["body"].split("\n")[0][:60] in page.inner_text(".extracted")
    frame = page.frame_locator("iframe")
    assert original["title"][:30] in frame.locator("body").inner_text()


def test_timeline_of_a_search_has_a_bar_per_month_with_zeros_and_links_to_them(page, base):
    page.goto(base + "/archive/articles?_search=bezdomnych")
    page.click("a.archiwum-timeline")
    page.wait_for_selector(".bars")
    bars = page.locator("a.bar")
    periods = [bars.nth(n).get_attribute("data-period") for n in range(bars.count())]
    first, last = (datetime.strptime(p, "%Y-%m") for p in (periods[0], periods[-1]))
    assert len(periods) == (last.year - first.year) * 12 + last.month - first.month + 1
    assert page.locator("a.bar.zero").count() > 0
    assert page.locator(".y-axis span").count() >= 2
    busiest = max(range(bars.count()), key=lambda n: int(bars.nth(n).get_attribute("data-articles")))
    expected = int(bars.nth(busiest).get_attribute("data-articles"))
    bars.nth(busiest).click()
    page.wait_for_url("**/archive/articles?*")
    page.wait_for_selector("li.hit")
    assert page.locator("li.hit").count() == expected
    page.go_back()
    page.select_option("select[name=_widok]", "udzial")
    page.click("form button")
    page.wait_for_selector(".bars")
    assert "%" in page.inner_text(".y-axis")


def test_inputs_are_checked_and_read_as_researchers_type_them(page, base):
    page.goto(base + "/archive/articles?city=gdansk")
    assert {c for c in page.locator("li.hit .city").all_inner_texts()} == {"Gdańsk"}
    page.goto(base + "/archive/articles?_until=2016&_sort=published")
    dates = page.locator("li.hit time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates and max(dates) <= "2016-12-31" and page.input_value("#_until") == "31.12.2016"
    page.goto(base + "/archive/articles?_since=01.01.2023")
    dates = page.locator("li.hit time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates and min(dates) >= "2023-01-01"
    page.goto(base + "/archive/articles?_since=32.13.2023")
    assert "Nie rozumiem daty „32.13.2023”" in page.inner_text(".archiwum-note")
    page.goto(base + "/archive/articles?city=Gdansko")
    assert "Czy chodziło o: Gdańsk?" in page.inner_text(".archiwum-note")
    page.goto(base + "/archive/articles?_search=bezdomnych")
    page.fill("#_since", "2021-01-01")
    page.click("form.archiwum-search button")
    page.wait_for_url("**_since=2021-01-01*")
    dates = page.locator("li.hit time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates and min(dates) >= "2021-01-01"


def test_zero_hits_suggest_a_word_from_the_archive(page, base):
    page.goto(base + "/archive/articles?_search=bezdomnosic")
    text = page.inner_text(".zero-hits")
    assert "Nic nie znaleziono" in text and "Czy chodziło o:" in text
    assert "CREATE TABLE" not in page.inner_text("body")
    assert page.locator(".facet").count() == 0
    page.click(".suggestion a")
    page.wait_for_selector("li.hit")
    assert page.input_value("#_search").startswith("bezdomn")


def test_every_search_has_a_feed_newest_first(page, base):
    page.goto(base + "/archive/articles?_search=seniorzy")
    feed_url = page.get_attribute("a.archiwum-feed", "href")
    feed = ElementTree.fromstring(get(base + feed_url))
    entries = feed.findall(f"{ATOM}entry")
    assert entries[0].findtext(f"{ATOM}title") == NEW_TITLE
    assert entries[0].findtext(f"{ATOM}published").startswith("2030-01-15")
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/archive/articles/nowy-seniorzy")
    assert entries[0].findtext(f"{ATOM}summary")
    published = [e.findtext(f"{ATOM}updated") for e in entries]
    assert published == sorted(published, reverse=True)
    with pytest.raises(urllib.error.HTTPError) as error:
        get(base + "/archive/articles.rss?_search=seniorzy")
    assert error.value.code == 404


def test_downloads_open_right_in_polish_excel(page, base, tmp_path):
    page.goto(base + "/archive/articles?_search=seniorzy&_sort_desc=published")
    with page.expect_download() as download:
        page.click("a.archiwum-excel-csv")
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][:4] == ["published_date", "title", "source_name", "city"]
    assert rows[1][:2] == ["2030-01-15", "'" + NEW_TITLE]  # newest first, as on the page
    assert len(rows) - 1 == page.locator("li.hit").count()
    with page.expect_download() as download:
        page.click("a.archiwum-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    download.value.save_as(tmp_path / download.value.suggested_filename)
    sheet = openpyxl.load_workbook(tmp_path / download.value.suggested_filename).active
    first = [cell for cell in sheet[2]]
    assert first[0].value == datetime(2030, 1, 15) and first[0].is_date
    assert first[1].value == NEW_TITLE and first[1].data_type == "s"
    assert any("ó" in (cell.value or "") or "ł" in (cell.value or "")
               for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str))
    command = page.text_content("code.command")
    assert command.startswith("archiwum export --db archive.db --search seniorzy --order newest")


# Datasette's English labels (0.65): none may be left on a page a researcher can reach.
ENGLISH = re.compile(r"\b(rows?|records|results|This data as|Next page|Apply|Advanced export|"
                     r"Suggested facets|Custom SQL query|Run SQL|Format SQL|Query parameters|"
                     r"Links from other tables|Error|Search|remove filter|column|descending|"
                     r"sorted by|where|View and edit SQL|Data license|Data source|download file|"
                     r"expand labels|stream all rows|Export CSV|Tables|Queries|hidden|Many rows|"
                     r"not found|Not Found|show|hide|contains|starts with|Powered by|"
                     r"Invalid SQL|Forbidden|took too long|Sort ascending|Facet by this|Type)\b")


def assert_polish(page, what: str) -> None:
    assert page.get_attribute("html", "lang") == "pl", what
    english = ENGLISH.findall(page.inner_text("body"))
    assert not english, f"{what} ({page.url}) still says {sorted(set(english))}"


def test_every_datasette_page_a_researcher_reaches_is_polish(page, base, archive):
    search_from_home(page, base, "pomoc")
    page.click("a.archiwum-table-view")  # "Wszystkie kolumny": Datasette's table of every column
    page.wait_for_selector("table.rows-and-columns")
    assert_polish(page, "the table of every column")
    page.click("th.col-source svg.dropdown-menu-icon")  # a column's menu (one in view: a scroll closes it)
    page.wait_for_selector("a.dropdown-sort-desc", state="visible")
    assert_polish(page, "a column's menu")
    assert "Typ: TEXT" in page.inner_text(".dropdown-menu")
    page.click("#facet-topics li a >> nth=0")  # a facet value narrows the table
    page.wait_for_selector("table.rows-and-columns")
    assert_polish(page, "a facet of the table")
    assert "gdzie" in page.inner_text("h3")  # the filters read as a sentence, in Polish
    page.goto(base + "/archive/articles?_widok=tabela&_size=2&_sort_desc=published")
    page.click("a.next")  # pagination
    page.wait_for_url("**_next=*")
    assert_polish(page, "the next page of the table")
    page.select_option("select[name=_filter_column]", "city")  # the filter form
    page.fill("input[name=_filter_value]", "Gdańsk")
    page.click("input[type=submit][value=Zastosuj]")
    page.wait_for_url("**city*")
    assert {c for c in page.locator("td.col-city").all_inner_texts()} == {"Gdańsk"}
    assert_polish(page, "the filtered table")
    json_link = page.get_attribute(".export-links a >> text=json", "href")
    assert get(base + json_link).startswith(b"{")  # the data links answer data
    assert get(base + page.get_attribute(".export-links a >> text=CSV", "href")).startswith(b"id,")
    page.click("td.col-id a >> nth=0")  # the article
    page.wait_for_selector("article.reading")
    assert_polish(page, "an article")
    page.click("text=wszystkie pola")  # and its every field, as Datasette shows a row
    page.wait_for_selector("table.rows-and-columns")
    assert_polish(page, "a row of every field")
    for path, what in [("/", "the home page"), ("/archive/articles?_search=pomoc", "results"),
                       ("/-/archiwum/timeline?_search=pomoc", "a timeline"),
                       ("/archive", "the database page"), ("/archive/sources", "the sources"),
                       ("/archive/sources/gdansk", "a source"),
                       ("/archive/attachments", "the attachments"),
                       ("/archive/search?q=seniorzy&city=&since=&until=", "the canned search"),
                       ("/archive?sql=select+id,+title+from+articles+limit+3", "an SQL query"),
                       ("/archive?sql=select+nosuch+from+articles", "an SQL error"),
                       ("/archive/nosuch", "a missing table"),
                       ("/archive/articles/nosuch", "a missing article"),
                       ("/nosuch", "a missing database"),
                       ("/archive/sources?_sort=nosuch", "a bad sort")]:
        page.goto(base + path)
        assert_polish(page, what)
    page.goto(base + "/archive/nosuch")
    assert "Nie ma takiej tabeli" in page.inner_text("body")


def test_date_inputs_are_polish_whatever_the_browser_locale(browser, base):
    context = browser.new_context(locale="en-US", viewport=DESKTOP)
    page = context.new_page()
    page.goto(base + "/archive/articles?_search=pomoc&_until=2016")
    assert page.get_attribute("#_since", "placeholder") == "dd.mm.rrrr"
    assert page.input_value("#_until") == "31.12.2016"  # as a Polish reader writes it
    page.fill("#_since", "15.03.2021")
    page.fill("#_until", "")
    page.click("form.archiwum-search button")
    page.wait_for_url("**_since=15.03.2021*")
    dates = page.locator("li.hit time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates and min(dates) >= "2021-03-15"
    assert page.input_value("#_since") == "15.03.2021"
    context.close()
