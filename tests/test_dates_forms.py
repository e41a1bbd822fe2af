"""The date forms of real Polish pages (issue 15), each as a class, with strings written for the test,
and the dates stage never raising on page input."""
from __future__ import annotations

import gzip
import random
from datetime import datetime, timezone
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler

from pipelines.dates import DatesPipeline
from scraper.crawl.stages import StageContext
from scraper.dates.grammar import DateMention, page_dates, parse_date, parse_labelled
from scraper.demo.build import build_site
from scraper.demo.sites import REPLICAS
from scraper.extract.main_text import extract
from scraper.extract.rules import DATE_LABEL
from scraper.items import DateEvidence, MachineDate, Page
from scraper.vocabulary import ARTICLE_DATE_KINDS, ASCII_FOLD, DATE_LABELS

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=timezone.utc)  # 14:00 in Warsaw, a Tuesday
SHARED = Path("/work/shared") if Path("/work/shared").exists() else Path(__file__).parents[2] / "shared"


def test_non_ascii_digits_are_no_date_and_never_raise():
    assert parse_date("٢٠٢١-٠٥-٠٤T١٠:٤٦", NOW) is None
    assert parse_date("Opublikowano: ৩.০৫.২০২১", NOW) is None
    evidence = DateEvidence(machine=[MachineDate("published", "٢٠٢١-٠٥-٠٤T١٠:٤٦:٠٠+٠٢:٠٠", "meta date")])
    assert (page_dates(evidence).published, page_dates(evidence).unreadable) == (None, 1)
    crawler = get_crawler(Spider)
    stage = DatesPipeline.from_context(StageContext(crawler.settings, crawler.stats))
    stage.process_item(Page(url="https://gmina.example.pl/a", source="t", html="", fetched_at="", date_evidence=evidence))
    assert crawler.stats.get_value("dates/unreadable") == 1  # counted, and the page goes on undated


@pytest.mark.parametrize("line", ["Data ostatniej aktualizacji: 4.05.2021", "Data ostatniej edycji: 4.05.2021",
                                  "Ostatnio zmieniany: 4.05.2021", "Ostatnio edytowano 4 maja 2021",
                                  "Zaktualizowano: 4.05.2021 r."])
def test_update_labels_mark_an_update(line):
    assert parse_labelled(line, NOW)[0].kind == "updated"
    dates = page_dates(DateEvidence(lines=["Opublikowano: 2.05.2021", line]), NOW)
    assert (dates.published, dates.updated) == ("2021-05-02", "2021-05-04")


def test_every_date_label_is_known_to_the_clean_stage_too():
    labels = [word for kind in ARTICLE_DATE_KINDS for word in DATE_LABELS[kind]]
    unknown = [label for label in labels for form in (label, label.translate(ASCII_FOLD))
               if not DATE_LABEL.match(f"{form.capitalize()}: 4.05.2021")]
    assert unknown == []


@pytest.mark.parametrize("text,expected", [
    ("7 min temu", "2025-06-10T13:53:00+02:00"), ("15 min. temu", "2025-06-10T13:45:00+02:00"),
    ("2 godz. temu", "2025-06-10T12:00:00+02:00"), ("4 godz temu", "2025-06-10T10:00:00+02:00"),
    ("2 tyg. temu", "2025-05-27"), ("3 mies. temu", "2025-03-10"), ("przed chwilą", "2025-06-10T14:00:00+02:00"),
    ("pół godziny temu", "2025-06-10T13:30:00+02:00"), ("30 sek. temu", "2025-06-10T13:59:00+02:00"),
])
def test_abbreviated_relative_times_count_from_the_fetch(text, expected):
    assert parse_date(text, NOW) == expected


@pytest.mark.parametrize("text,expected", [
    ("21 maja", "2025-05-21"), ("11 czerwca", "2024-06-11"),  # tomorrow's day of the month is last year's
    ("7 lutego, 9:15", "2025-02-07T09:15:00+01:00"), ("2 czerwca o 18:40", "2025-06-02T18:40:00+02:00"),
    ("sobota, 7 czerwca", "2025-06-07"), ("w piątek 7 czerwca", None),  # 7 June 2025 was a Saturday
])
def test_dates_without_a_year_are_the_latest_such_day(text, expected):
    assert parse_date(text, NOW) == expected
    assert parse_date(text) is None or expected is None  # without a fetch time: no year to give


def test_a_yearless_date_in_a_longer_unlabelled_line_is_an_event():
    assert page_dates(DateEvidence(lines=["Zapraszamy na piknik rodzinny 21 maja"]), NOW).published is None
    assert page_dates(DateEvidence(lines=["Dodano: 21 maja, 10:00"]), NOW).published == "2025-05-21T10:00:00+02:00"


@pytest.mark.parametrize("text", ["Uchwała nr 14/IV/2023", "Zarządzenie Nr 5.06.2023", "Sygn. 3-05-2023",
                                  "Uchwała Nr 12 III 2024"])
def test_identifiers_are_no_dates(text):
    assert parse_date(text, NOW) is None
    assert page_dates(DateEvidence(lines=[text]), NOW).published is None


@pytest.mark.parametrize("text,expected", [
    ("14 maja 2024 · 08:05", "2024-05-14T08:05:00+02:00"), ("14.05.2024 / 08:05", "2024-05-14T08:05:00+02:00"),
    ("14 maja 2024 (08:05)", "2024-05-14T08:05:00+02:00"), ("14 maja 2024 o godzinie 8:05", "2024-05-14T08:05:00+02:00"),
    ("14.05.2024 (wtorek) godz. 8:05", "2024-05-14T08:05:00+02:00"), ("14.05.2024, 8.05", "2024-05-14T08:05:00+02:00"),
    ("14.05.2024, 15.05.2024", "2024-05-14"),  # a second date is no time
])
def test_the_time_after_the_date_is_kept(text, expected):
    assert parse_date(text, NOW) == expected


@pytest.mark.parametrize("text,expected", [
    ("2023-11-20 22:30:00 GMT", "2023-11-20T23:30:00+01:00"), ("2023-11-20 22:30:00 +0000", "2023-11-20T23:30:00+01:00"),
    ("Mon, 20 Nov 2023 23:30:00 +0000", "2023-11-21T00:30:00+01:00"),  # the day moves with the offset
    ("20231120T223000-0100", "2023-11-21T00:30:00+01:00"),
    ("Mon, 20 Nov 2023 22:30:00 UTC", "2023-11-20T23:30:00+01:00"),
])
def test_offsets_are_converted_to_warsaw_time_never_replaced(text, expected):
    assert parse_date(text, NOW) == expected


def test_an_impossible_offset_keeps_the_day_and_drops_the_time():
    assert parse_date("2024-02-10T10:00:00+99:99", NOW) == "2024-02-10"
    assert parse_date("Sat, 10 Feb 2024 10:00:00 -2500", NOW) == "2024-02-10"


def test_machine_readable_dates_of_hatom_meta_keys_and_unix_times():
    html = """<html><head><meta name="dcterms.date" content="2022-09-01"><meta property="og:updated_time"
    content="1662300000"></head><body><article><h1>Nabór wniosków</h1><p>Ośrodek przyjmuje wnioski o dodatek
    osłonowy do końca miesiąca, w godzinach pracy kasy, w budynku przy ulicy Głównej.</p>
    <abbr class="published" title="2022-09-01T09:30:00+02:00">1 września</abbr></article></body></html>"""
    dates = page_dates(extract(html, "https://gmina.example.pl/aktualnosci/1").date_evidence, NOW)
    assert (dates.published, dates.updated) == ("2022-09-01T09:30:00+02:00", "2022-09-04T16:00:00+02:00")
    alone = page_dates(DateEvidence(machine=[MachineDate("published", "2022-09-01", "meta publication_date"),
                                             MachineDate("updated", "x", "meta og:updated_time")]))
    assert (alone.published, alone.unreadable) == ("2022-09-01", 1)


@pytest.mark.parametrize("text,expected", [("12 marca br.", "2025-03-12"), ("3 b.r.", None), ("5 bm.", "2025-06-05"),
                                           ("Spotkanie 20 kwietnia b.r. o 10:00", "2025-04-20T10:00:00+02:00")])
def test_this_year_and_this_month(text, expected):
    assert parse_date(text, NOW) == expected


@pytest.mark.parametrize("text,expected", [
    ("od 12 do 14 września 2024", "2024-09-12"), ("12–14.09.2024", "2024-09-12"), ("12-14.09.2024", "2024-09-12"),
    ("29.08–2.09.2024", "2024-08-29"), ("30.12–2.01.2025", "2024-12-30"), ("14–12.09.2024", None),
])
def test_ranges_give_their_start(text, expected):
    assert parse_date(text, NOW) == expected


def test_a_range_line_is_no_publication_date_unless_labelled():
    assert page_dates(DateEvidence(lines=["12–14.09.2024"]), NOW).published is None
    assert page_dates(DateEvidence(lines=["Dodano: 12–14.09.2024"]), NOW).published == "2024-09-12"


@pytest.mark.parametrize("text,expected", [
    ("listopad 8, 2023", "2023-11-08"), ("Nov 8, 2023", "2023-11-08"), ("November 8th, 2023", "2023-11-08"),
    ("Aug 8, 2023", "2023-08-08"), ("sie 8, 2023", None),  # "się" without its diacritic
])
def test_month_first_and_english_forms(text, expected):
    assert parse_date(text, NOW) == expected


@pytest.mark.parametrize("text,expected", [
    ("Published on 8 November 2023", "2023-11-08"), ("Posted: the 8th of November 2023", "2023-11-08"),
    ("Veröffentlicht am 8. November 2023", "2023-11-08"), ("Aktualisiert: 9. Dezember 2023", "2023-12-09"),
    ("Zuletzt geändert am 3. März 2024 um 10:15", "2024-03-03T10:15:00+01:00"),
])
def test_english_and_german_pages(text, expected):
    assert parse_date(text, NOW) == expected


PROSE = ("<p>The Municipal Social Welfare Centre invites families to apply for the support programme. "
         "Applications are accepted at the office on weekdays, and the forms are available online.</p>")


@pytest.mark.parametrize("line,expected", [("Posted on March 3, 2024", "2024-03-03"),
                                           ("Veröffentlicht am 3. März 2024", "2024-03-03"),
                                           ("3 March 2024", "2024-03-03")])
def test_a_page_in_english_or_german_is_dated_by_the_same_grammar(line, expected):
    html = f"<html><body><article><h1>Family support</h1><p>{line}</p>{PROSE}</article></body></html>"
    assert page_dates(extract(html, "https://gmina.example.pl/en/news/1").date_evidence, NOW).published == expected


def test_an_embedded_posts_attribution_stays_in_the_body():
    quote = "— Gmina Przykładowo (@gmina_przyk) March 3, 2024"
    html = f"<html><body><article><h1>Family support</h1>{PROSE}<blockquote>{quote}</blockquote></article></body></html>"
    out = extract(html, "https://gmina.example.pl/en/news/1")
    assert quote in out.body and quote not in out.date_lines


@pytest.mark.parametrize("text,expected", [
    ("Published: Monday, November 18th, 2019 at 11:08 a.m.", "2019-11-18T11:08:00+01:00"),
    ("November 18, 2019 7:07 PM", "2019-11-18T19:07:00+01:00"), ("Nov 18, 2019, 12:05 am", "2019-11-18T00:05:00+01:00"),
    ("Nov 18, 2019, 12:05 pm", "2019-11-18T12:05:00+01:00"), ("Nov 18, 2019, 15:05 pm", "2019-11-18"),
])
def test_english_times_of_day(text, expected):
    assert parse_date(text, NOW) == expected


def test_german_update_label_is_an_update():
    assert parse_labelled("Aktualisiert: 9. Dezember 2023", NOW) == [DateMention("updated", "2023-12-09")]


# --- never raise -------------------------------------------------------------------------------

def shared_pages():
    for path in sorted((SHARED / "realworld-pl" / "pages").glob("*.html")):
        yield path.read_bytes().decode("utf-8", "replace")
    for path in sorted((SHARED / "extraction-dev" / "aeb" / "html").glob("*.html.gz")):
        yield gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
    for site in REPLICAS:
        for host in build_site(site).values():
            for resource in host.pages.values():
                if resource.content_type.startswith("text/html"):
                    yield resource.body.decode("utf-8", "replace")


GARBAGE_PARTS = [
    "২০২০-০৮-২৯T১০:৪৬", "٣١.١٢.٢٠٢٠", "１２．０３．２０２４", "99.99.9999", "2024-02-30T25:61:61+99:99",
    "Data publikacji:", "temu", "o 25:99", "9" * 400, "\x00", "\ufffd", "<time datetime='٢٠٢١'>",
    "od 31 do 1 lutego 2024", "nr", "Mon, 99 Foo 2024 99:99:99 +9999", "20241399T999999+9999",
    "2024-02-10T10:00:00+99:99", "20240210T100000-2460", "1" * 10, "29 lutego", "pół", "²³ min temu",
]


DATE_TOKENS = ["-", ".", "/", ":", "T", " ", "+", "Z", " GMT", ", ", "–", " o ", " godz. ", " r.", " br.", "(", ")",
               "marca", "lut", "May", "März", "XII", "II", "temu", "min", "wczoraj", "od", "do", "nr ",
               "Data publikacji: "]
DIGITS = "0123456789০১২৩৪৫٠١٢٣"


def date_like(rng: random.Random) -> str:
    """Numbers of any width (ASCII or not) between the separators and words of dates."""
    parts = []
    for _ in range(rng.randrange(1, 12)):
        if rng.random() < 0.6:
            parts.append("".join(rng.choice(DIGITS if rng.random() < 0.1 else "0123456789")
                                 for _ in range(rng.choice([1, 2, 2, 4, 4, 6, 8, 10]))))
        else:
            parts.append(rng.choice(DATE_TOKENS))
    return "".join(parts)


def garbage(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return date_like(rng)
    return " ".join(rng.choice(GARBAGE_PARTS) for _ in range(rng.randrange(1, 8)))


def test_the_dates_stage_never_raises_on_page_input():
    crawler, rng = get_crawler(Spider), random.Random(15)
    stage = DatesPipeline.from_context(StageContext(crawler.settings, crawler.stats))
    pages = list(shared_pages())
    assert len(pages) > 200
    for html in pages + [f"<html><body><h1>{garbage(rng)}</h1><p>{garbage(rng)}</p></body></html>" for _ in range(300)]:
        out = extract(html, "https://gmina.example.pl/aktualnosci/1")
        item = Page(url="https://gmina.example.pl/aktualnosci/1", source="t", html=html,
                    fetched_at=rng.choice(["2025-06-10T12:00:00+00:00", "", "nonsense"]), date_evidence=out.date_evidence)
        stage.process_item(item)
    assert crawler.stats.get_value("dates/errors") is None  # no page needed the stage's safety net
    for _ in range(20000):
        parse_labelled(date_like(rng), NOW)
    for _ in range(2000):
        evidence = DateEvidence(lines=[garbage(rng)], machine=[MachineDate("published", garbage(rng), "meta")],
                                elements=[garbage(rng)], register_rows=[garbage(rng)], in_furniture=[garbage(rng)])
        page_dates(evidence, NOW)


def test_a_page_the_grammar_fails_on_is_kept_undated_and_counted():
    crawler = get_crawler(Spider)
    stage = DatesPipeline.from_context(StageContext(crawler.settings, crawler.stats))
    broken = DateEvidence(machine=[MachineDate("published", 20210504, "meta date")])  # not a string: a bug upstream
    item = stage.process_item(Page(url="https://gmina.example.pl/a", source="t", html="", fetched_at="",
                                   date_evidence=broken))
    assert (item.published, crawler.stats.get_value("dates/errors")) == (None, 1)


SIDEBAR = """<html><body><article><h1>Nabór do programu Asystent</h1>{prose}</article>
<aside class="sidebar">{box}</aside></body></html>"""
LONG_PROSE = ("<p>Ośrodek Pomocy Społecznej ogłasza nabór do programu asystencji osobistej osób z niepełnosprawnościami. "
              "Wnioski przyjmuje sekretariat ośrodka w godzinach pracy, a formularze są dostępne na miejscu.</p>") * 2


def test_a_labelled_date_in_a_sidebar_dates_a_page_that_has_no_other():
    box = "<h3>O dokumencie</h3><p>Data publikacji: 4.03.2024</p><p>Data modyfikacji: 6.03.2024</p>"
    dates = page_dates(extract(SIDEBAR.format(prose=LONG_PROSE, box=box), "https://gmina.example.pl/a/1").date_evidence)
    assert (dates.published, dates.updated) == ("2024-03-04", "2024-03-06")
    assert "furniture line" in dates.evidence


def test_the_dates_of_a_sidebars_list_of_other_articles_date_nothing():
    box = "<ul>" + "".join(f"<li>Dodano: {n}.03.2024 <a href='/a/{n}'>Komunikat {n}</a></li>" for n in (2, 5, 9)) + "</ul>"
    evidence = extract(SIDEBAR.format(prose=LONG_PROSE, box=box), "https://gmina.example.pl/a/1").date_evidence
    assert len(evidence.furniture_lines) == 3
    assert page_dates(evidence).published is None
