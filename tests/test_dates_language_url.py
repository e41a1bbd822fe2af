"""Dates the grammar reads with what the page says of itself besides its text: the language its
markup declares (the order of 05/04/2021), time-zone names after a time, and a date in the page's
address as weak evidence. Pages and strings are written for the test."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from pipelines.clean import CleanPipeline
from pipelines.dates import DatesPipeline
from pipelines.dedupe import DedupePipeline
from pipelines.store import StorePipeline
from scraper.dates import rules
from scraper.dates.grammar import address_date, page_dates, parse_date
from scraper.extract.main_text import extract
from scraper.items import DateEvidence, Page

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=timezone.utc)  # 14:00 in Warsaw
PROSE = ("<p>The council met with the social welfare centre to discuss the new programme for seniors "
         "and families in the city, and agreed on the budget for the coming year.</p>") * 3


def article(date_line: str, head: str = "", html_attributes: str = "") -> str:
    return (f"<html{html_attributes}><head><title>Council meeting</title>{head}</head><body><article>"
            f"<h1>Council meeting</h1><p class=\"date\">{date_line}</p>{PROSE}</article></body></html>")


def published(html: str, url: str = "https://city.example.com/news/council-meeting") -> str | None:
    return page_dates(extract(html, url).date_evidence, NOW).published


# --- the order of a numeric date follows the page's declared language ---------------------------

@pytest.mark.parametrize("html_attributes,head,expected", [
    (' lang="en-US"', "", "2021-05-04"),
    ("", '<meta property="og:locale" content="en_US">', "2021-05-04"),
    ("", '<meta http-equiv="Content-Language" content="en-US">', "2021-05-04"),
    (' lang="en"', '<meta property="og:locale" content="en_US">', "2021-05-04"),
    (' lang="en"', "", "2021-05-04"),  # English with slashes: the US habit
    (' lang="en-GB"', "", "2021-04-05"),
    (' lang="pl"', "", "2021-04-05"),
    (' lang="pl-PL"', "", "2021-04-05"),
    (' lang="de-DE"', "", "2021-04-05"),
    ("", "", "2021-04-05"),  # no language: day first, as Polish pages write
    (' lang="pl-PL"', '<meta property="og:locale" content="en_US">', "2021-04-05"),  # it disagrees: none
])
def test_a_numeric_date_is_read_in_the_order_of_the_declared_language(html_attributes, head, expected):
    assert published(article("05/04/2021", head, html_attributes)) == expected


def test_an_english_version_of_a_polish_page_writes_dots_day_first():
    assert published(article("05.04.2021", html_attributes=' lang="en"')) == "2021-04-05"
    assert published(article("05-04-2021", html_attributes=' lang="en-US"')) == "2021-05-04"


@pytest.mark.parametrize("html_attributes", [' lang="en-US"', ' lang="pl"', ""])
def test_where_a_number_cannot_be_a_month_the_order_is_plain_whatever_the_language(html_attributes):
    assert published(article("13/04/2021", html_attributes=html_attributes)) == "2021-04-13"
    assert published(article("04/13/2021", html_attributes=html_attributes)) == "2021-04-13"


def test_the_language_orders_labelled_dates_and_times_too():
    html = article("Posted on 03/02/21 at 4:15 PM", html_attributes=' lang="en-US"')
    assert published(html) == "2021-03-02T16:15:00+01:00"
    html = article("Opublikowano: 03/02/21, 16:15", html_attributes=' lang="pl"')
    assert published(html) == "2021-02-03T16:15:00+01:00"


def test_a_numeric_machine_date_follows_the_page_s_language_too():
    head = '<meta name="date" content="05/04/2021">'
    assert published(article("", head, ' lang="en-US"')) == "2021-05-04"
    assert published(article("", head, ' lang="pl"')) == "2021-04-05"


def test_a_us_page_s_time_and_zone_end_to_end():
    html = article("Updated: 11/03/2024 10:15 p.m. EST", html_attributes=' lang="en-US"')
    assert page_dates(extract(html, "https://city.example.com/news/x").date_evidence, NOW).updated == \
        "2024-11-04T04:15:00+01:00"  # 3 November, a quarter past ten at night in New York


# --- time-zone names after a time ---------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("May 4, 2021 1:30 PM EDT", "2021-05-04T19:30:00+02:00"),
    ("January 12, 2021 9:00 AM EST", "2021-01-12T15:00:00+01:00"),
    ("January 12, 2021 9:00 AM CST", "2021-01-12T16:00:00+01:00"),
    ("May 4, 2021 9:00 AM CDT", "2021-05-04T16:00:00+02:00"),
    ("January 12, 2021 9:00 MST", "2021-01-12T17:00:00+01:00"),
    ("May 4, 2021 9:00 MDT", "2021-05-04T17:00:00+02:00"),
    ("January 12, 2021 11:30 PM PST", "2021-01-13T08:30:00+01:00"),  # the next day in Warsaw
    ("May 4, 2021, 8:05 a.m. PDT", "2021-05-04T17:05:00+02:00"),
    ("May 4, 2021 1:30 PM Eastern Time", "2021-05-04T19:30:00+02:00"),  # the region's summer clock
    ("January 12, 2021 1:30 PM Eastern Time", "2021-01-12T19:30:00+01:00"),
    ("May 4, 2021 10:00 a.m. (PT)", "2021-05-04T19:00:00+02:00"),
    ("2021-05-04 13:20 EST", "2021-05-04T20:20:00+02:00"),
    ("4 maja 2021, 12:30 CEST", "2021-05-04T12:30:00+02:00"),
    ("12 stycznia 2021, 12:30 CET", "2021-01-12T12:30:00+01:00"),
    ("4 maja 2021 o 12:30 czasu polskiego", "2021-05-04T12:30:00+02:00"),
    ("12 stycznia 2021 o 12:30 czasu polskiego", "2021-01-12T12:30:00+01:00"),
    ("4 maja 2021 o 10:30 GMT+2", "2021-05-04T10:30:00+02:00"),
    ("4. Mai 2021, 12:30 MESZ", "2021-05-04T12:30:00+02:00"),
])
def test_a_time_zone_named_after_the_time_is_converted_to_warsaw_time(text, expected):
    assert parse_date(text, NOW) == expected


@pytest.mark.parametrize("text,expected", [
    ("3 marca 2024, 12:30 z udziałem burmistrza", "2024-03-03T12:30:00+01:00"),  # "z" is no zone
    ("3 marca 2024 o 12:30 pt.", "2024-03-03T12:30:00+01:00"),  # piątek, not Pacific Time
    ("3 marca 2024 o 12:30 et cetera", "2024-03-03T12:30:00+01:00"),
])
def test_words_that_look_like_zones_leave_the_time_in_warsaw(text, expected):
    assert parse_date(text, NOW) == expected


@pytest.mark.parametrize("name", list(rules.TIME_ZONE_NAMES))
def test_every_zone_name_of_the_vocabulary_is_read(name):
    """A zone added to rules.TIME_ZONE_NAMES works without code: 10:00 there, in Warsaw time."""
    value = rules.TIME_ZONE_NAMES[name]
    zone = ZoneInfo(value) if value[0] not in "+-" else datetime.fromisoformat(f"2021-01-12T10:00{value}").tzinfo
    expected = datetime(2021, 1, 12, 10, 0, tzinfo=zone).astimezone(ZoneInfo("Europe/Warsaw"))
    assert parse_date(f"12 January 2021, 10:00 {name}", NOW) == expected.isoformat(timespec="seconds")


# --- a date in the page's address: weak evidence ------------------------------------------------

UNDATED = ("<html><body><article><h1>Zebranie wiejskie</h1>"
           + "<p>Sołtys zaprasza mieszkańców na zebranie w sprawie funduszu sołeckiego i remontu świetlicy.</p>" * 3
           + "</article></body></html>")


@pytest.mark.parametrize("url,expected", [
    ("https://gmina.example.pl/2021/05/04/zebranie-wiejskie/", "2021-05-04"),
    ("https://gmina.example.pl/2021/5/4/zebranie-wiejskie", "2021-05-04"),
    ("https://gmina.example.pl/aktualnosci/2021-05-04-zebranie-wiejskie", "2021-05-04"),
    ("https://gmina.example.pl/aktualnosci/20210504/zebranie", "2021-05-04"),
    ("https://gmina.example.pl/komunikat_20210504.html", "2021-05-04"),
    ("https://gmina.example.pl/aktualnosci?date=2021-05-04&id=17", "2021-05-04"),
    ("https://gmina.example.pl/2021/05/zebranie-wiejskie/", "2021-05"),
])
def test_a_date_in_the_address_dates_a_page_that_names_none(url, expected):
    assert published(UNDATED, url) == expected


@pytest.mark.parametrize("url", [
    "https://gmina.example.pl/aktualnosci/20210504123/zebranie",  # an id, longer than a date
    "https://gmina.example.pl/aktualnosci/1202105041/zebranie",
    "https://gmina.example.pl/aktualnosci?id=20210504",  # a query value not named as a date
    "https://gmina.example.pl/2021/02/30/zebranie/",  # no such day
    "https://gmina.example.pl/2021/13/zebranie/",
    "https://gmina.example.pl/3021/05/04/zebranie/",  # no page's year
    "https://gmina.example.pl/aktualnosci/4711/zebranie",  # a 4-digit id
    "https://gmina.example.pl/2021/05/123/zebranie",  # a month, then an id: /2021/05/ is no month alone
    "https://gmina.example.pl/2025/07/01/zapowiedz/",  # after the fetch
    "https://web.archive.org/web/20200808063632/https://gmina.example.pl/zebranie",  # a 14-digit stamp
])
def test_numbers_in_the_address_that_are_no_date_date_nothing(url):
    assert published(UNDATED, url) is None


def test_the_page_s_own_dates_outrank_its_address():
    url = "https://gmina.example.pl/2021/05/04/zebranie-wiejskie/"
    labelled = UNDATED.replace("<h1>Zebranie wiejskie</h1>", "<h1>Zebranie wiejskie</h1><p>Data publikacji: 2021-05-06</p>")
    assert published(labelled, url) == "2021-05-06"
    unlabelled = UNDATED.replace("<h1>Zebranie wiejskie</h1>", "<h1>Zebranie wiejskie</h1><p>6 maja 2021</p>")
    assert published(unlabelled, url) == "2021-05-06"
    marked_up = UNDATED.replace("<body>", '<body><script type="application/ld+json">'
                                '{"@type": "NewsArticle", "datePublished": "2021-05-07T09:00:00+02:00"}</script>')
    assert published(marked_up, url) == "2021-05-07T09:00:00+02:00"


def test_an_address_date_after_the_page_s_update_is_not_its_publication():
    evidence = DateEvidence(lines=["Zaktualizowano: 3.05.2021"], url="https://gmina.example.pl/2021/05/04/a/")
    dates = page_dates(evidence, NOW)
    assert (dates.published, dates.updated) == (None, "2021-05-03")
    evidence.lines = ["Zaktualizowano: 9.05.2021"]
    assert page_dates(evidence, NOW).published == "2021-05-04"


def test_an_address_no_parser_can_split_dates_nothing_and_raises_nothing():
    evidence = DateEvidence(lines=["Zaktualizowano: 3.05.2021"], url="http://[::1/2021/05/04/")
    assert (page_dates(evidence, NOW).published, page_dates(evidence, NOW).updated) == (None, "2021-05-03")
    assert address_date("https://gmina.example.pl/٢٠٢١/٠٥/٠٤/") is None  # digits of other scripts


def test_address_date_says_what_it_read():
    assert address_date("https://gmina.example.pl/2021/05/04/zebranie/") == ("2021-05-04", "2021/05/04")
    assert address_date("https://gmina.example.pl/zebranie") is None


def test_the_archive_shows_a_researcher_that_the_date_came_from_the_address(tmp_path):
    """Clean, dates, dedupe and store stages into a real archive.db: `date_source` tells a date read
    from the address from one the page labels."""
    db_path = str(tmp_path / "archive.db")
    store = StorePipeline(db_path)
    store.open_spider()
    labelled = UNDATED.replace("<h1>Zebranie wiejskie</h1>",
                               "<h1>Zebranie wiejskie</h1><p>Data publikacji: 2021-05-06</p>").replace("funduszu", "budżetu")
    for url, html in (("https://gmina.example.pl/2021/05/04/zebranie/", UNDATED),
                      ("https://gmina.example.pl/2021/05/05/zebranie-2/", labelled)):
        item = Page(url=url, source="gmina", html=html, fetched_at="2025-06-10T12:00:00+00:00")
        store.process_item(DedupePipeline().process_item(DatesPipeline().process_item(CleanPipeline().process_item(item))))
    store.close_spider()
    rows = sqlite3.connect(db_path).execute("select url, published, date_source from articles order by url").fetchall()
    assert rows[0][:2] == ("https://gmina.example.pl/2021/05/04/zebranie/", "2021-05-04")
    assert "page address" in rows[0][2] and "2021/05/04" in rows[0][2]
    assert rows[1][1] == "2021-05-06"
    assert "Data publikacji" in rows[1][2] and "address" not in rows[1][2]
