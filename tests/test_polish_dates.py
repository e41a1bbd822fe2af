"""Polish dates: labelled strings (tests/data/dates.tsv) and page dates on realistic HTML."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from scraper.dates.grammar import DateMention, page_dates, parse_date, parse_labelled
from scraper.extract.main_text import extract
from scraper.items import DateEvidence

TSV = Path(__file__).parent / "data" / "dates.tsv"
NOW = datetime(2025, 6, 10, 8, 0, tzinfo=timezone.utc)  # the fetch time the TSV counts from


def dates_of(html: str, now: datetime | None = None):
    """A page's dates as a crawl finds them: the clean stage gathers the evidence, the dates stage reads it."""
    return page_dates(extract(html, "https://gmina.example.pl/aktualnosci/1").date_evidence, now)


def lines_dates(lines: list[str], now: datetime | None = None):
    return page_dates(DateEvidence(lines=lines), now)


def labelled_strings():
    lines = [line.rstrip("\n") for line in TSV.read_text(encoding="utf-8").splitlines()]
    rows = [line.split("\t") for line in lines if not line.startswith("#")][1:]
    return [pytest.param(*row, id=f"{n}:{row[0][:40]}") for n, row in enumerate(rows)]


def test_the_labelled_set_is_large_and_has_negatives():
    rows = labelled_strings()
    assert len(rows) >= 400
    assert sum(1 for row in rows if row.values[1] == "") >= 40


@pytest.mark.parametrize("text,expected,kind", labelled_strings())
def test_labelled_string(text, expected, kind):
    mentions = parse_labelled(text, NOW)
    assert (mentions[0].iso if mentions else "") == expected
    assert (mentions[0].kind or "" if mentions else "") == kind
    assert (parse_date(text, NOW) or "") == expected


def test_one_line_with_publication_and_modification():
    line = "Data publikacji 2012-05-22 11:41 • Ostatnia modyfikacja 2012-11-08 11:20"
    assert parse_labelled(line) == [
        DateMention("published", "2012-05-22T11:41:00+02:00"),
        DateMention("updated", "2012-11-08T11:20:00+01:00"),
    ]


def test_empty_bip_fields_give_no_dates():
    line = "Data stworzenia : 2021-02-03 12:13 Autor : Data publikacji :"
    assert parse_labelled(line) == [DateMention("created", "2021-02-03T12:13:00+01:00")]


def test_relative_forms_need_the_fetch_time():
    assert parse_date("wczoraj") is None
    assert parse_date("wczoraj", datetime(2020, 3, 1, 23, 30, tzinfo=timezone.utc)) == "2020-03-01"


def test_sie_is_not_a_month_even_through_the_fallback():
    assert parse_date("Spotkanie odbyło się 14 2020") is None
    assert parse_date("Zebranie odbędzie się 14, 2020 r.") is None


def test_forms_the_grammar_does_not_know_reach_dateparser():
    assert parse_date("March 3rd, 2020") == "2020-03-03"


def test_repeated_runs_give_identical_results():
    texts = [row.values[0] for row in labelled_strings()]
    first = [parse_date(text, NOW) for text in texts]
    assert [parse_date(text, NOW) for text in texts] == first


# --- page dates ------------------------------------------------------------------------------

JOOMLA = """<html><head><title>Realizowane projekty</title></head><body>
<div class="item-page"><h2>Realizowane projekty i programy</h2>
<dl class="article-info muted"><dt class="article-info-term">Szczegóły</dt>
<dd class="published"><span class="icon-calendar"></span>
<time datetime="2020-03-03T14:55:00+01:00" itemprop="datePublished">Opublikowano: wtorek, 03, marzec 2020 14:55</time></dd>
<dd class="hits"><meta itemprop="interactionCount" content="UserPageVisits:30562" />Odsłony: 30562</dd></dl>
<p>2 marca w Urzędzie Miejskim w Starachowicach odbyły się spotkania lokalnych liderów.</p></div>
</body></html>"""


def test_joomla_article_info():
    dates = dates_of(JOOMLA)
    assert (dates.published, dates.updated, dates.created) == ("2020-03-03T14:55:00+01:00", None, None)
    assert "Opublikowano" in dates.evidence


BIP = """<html><body><div id="content"><h1>Ogłoszenie o naborze</h1><p>Treść ogłoszenia.</p>
<table class="metryczka">
<tr><td>Wytworzył:</td><td>Jan Kowalski</td></tr><tr><td>Data wytworzenia:</td><td>26 lip 2021</td></tr>
<tr><td>Opublikował:</td><td>Anna Nowak</td></tr><tr><td>Data publikacji:</td><td>26 lip 2021, godz. 10:51</td></tr>
<tr><td>Zmodyfikował:</td><td>Anna Nowak</td></tr><tr><td>Data modyfikacji:</td><td>02 sie 2021, godz. 08:05</td></tr>
</table></div></body></html>"""


def test_bip_metryczka_has_all_three_dates():
    lines = ["Data wytworzenia: 26 lip 2021", "Data publikacji: 26 lip 2021, godz. 10:51",
             "Data modyfikacji: 02 sie 2021, godz. 08:05"]
    dates = dates_of(BIP)
    assert dates.created == "2021-07-26"
    assert dates.published == "2021-07-26T10:51:00+02:00"
    assert dates.updated == "2021-08-02T08:05:00+02:00"


GDANSK_STATIC = """<html><body><h1>Integracja społeczna i aktywność obywatelska</h1>
<div class="date">Ostatnia aktualizacja: 01 lipca 2018 r.</div><p>Zakres Programu Operacyjnego</p>
<footer>© 2018 Urząd Miejski w Gdańsku</footer></body></html>"""


def test_only_an_update_date_stays_updated_and_says_so():
    dates = dates_of(GDANSK_STATIC)
    assert (dates.published, dates.updated) == (None, "2018-07-01")
    assert "updated only" in dates.evidence


TRAPS = """<html><body>
<header><div class="top">Aktualny czas piątek, 7 października 2016 • Imieniny: Marka, Justyny</div>
<div class="zegar">piątek, 7 października 2016</div><time datetime="2016-10-07">dziś</time></header>
<article><h1>Rewitalizacja społeczna Miasta Nowego Sącza</h1><p>10 kwietnia 2016 r.</p>
<p>Warsztaty programu na lata 2016-2022. Kolejne spotkanie odbędzie się 12 maja 2016 r. w ratuszu.</p>
</article><footer><p>© 2016 Urząd Miasta Nowego Sącza</p><p>piątek, 7 października 2016</p></footer>
</body></html>"""


def test_header_clock_footer_and_event_dates_do_not_win():
    dates = dates_of(TRAPS, now=datetime(2016, 10, 7, 9, 0, tzinfo=timezone.utc))
    assert (dates.published, dates.updated, dates.created) == ("2016-04-10", None, None)


def test_an_unlabelled_line_in_the_future_is_an_event_not_the_publication():
    dates = lines_dates(["Zapraszamy 12 maja 2030 r.", "3 marca 2020"], now=NOW)
    assert dates.published == "2020-03-03"


def test_a_month_alone_dates_a_page_only_when_labelled():
    assert lines_dates(["Sprawozdanie za maj 2019"]).published is None  # the period reported on
    dates = lines_dates(["Data wytworzenia: maj 2019", "Opublikowano: 3 czerwca 2019"])
    assert (dates.published, dates.created) == ("2019-06-03", "2019-05")  # the month, no invented day


def test_a_long_prose_line_is_not_a_date_line():
    prose = "W środę 6 kwietnia 2016 r. w sali reprezentacyjnej ratusza odbyło się spotkanie warsztatowe w związku z programem"
    assert lines_dates([prose]).published is None


WORDPRESS = """<html><head>
<meta property="article:published_time" content="2025-06-04T09:12:00+00:00" />
<meta property="article:modified_time" content="2025-06-05T13:00:00+00:00" />
</head><body><header class="site-header"><time datetime="2025-06-10">10.06.2025</time></header>
<article><header class="entry-header"><h1>Nabór do programu</h1>
<time class="entry-date published" datetime="2025-06-04T11:12:00+02:00">4 czerwca 2025</time></header>
<p>Treść.</p></article></body></html>"""


def test_a_date_line_gets_its_time_from_metadata_of_the_same_day():
    dates = dates_of(WORDPRESS)
    assert dates.published == "2025-06-04T11:12:00+02:00"
    assert dates.updated == "2025-06-05T15:00:00+02:00"


def test_time_datetime_without_date_lines_and_header_time_ignored():
    html = WORDPRESS.replace('<meta property="article:published_time" content="2025-06-04T09:12:00+00:00" />', "")
    assert dates_of(html).published == "2025-06-04T11:12:00+02:00"


JSON_LD = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "MOPR Gdańsk"},
 {"@type": "WebPage", "datePublished": "2023-11-01T08:00:00+01:00", "dateModified": "2025-06-10T06:00:00+02:00"},
 {"@type": "NewsArticle", "headline": "Dzień Seniora", "datePublished": "2023-11-16T08:30:00+01:00",
  "dateModified": "2023-11-17T10:00:00+01:00"}]}
</script></head><body><h1>Dzień Seniora</h1><p>16.11.2023</p></body></html>"""


def test_json_ld_dates():
    dates = dates_of(JSON_LD)
    assert (dates.published, dates.updated) == ("2023-11-16T08:30:00+01:00", "2023-11-17T10:00:00+01:00")
    assert "JSON-LD datePublished" in dates.evidence


def test_labelled_line_beats_metadata_of_another_day():
    dates = dates_of(JSON_LD.replace("<p>16.11.2023</p>", "<p>Opublikowano: 15.11.2023</p>"))
    assert dates.published == "2023-11-15"


def test_a_page_without_dates():
    dates = dates_of("<html><body><p>Kontakt: tel. 58 323 67 27</p><p>Odsłony: 12</p></body></html>")
    assert (dates.published, dates.updated, dates.created) == (None, None, None)


def test_hand_written_json_ld_and_an_unset_epoch_timestamp():
    html = """<html><head><script type="application/ld+json">
    {"@type": "NewsArticle", "datePublished": '2021-05-12', "dateModified": "1970-01-01T00:00:00+00:00",}
    </script></head><body><h1>Komunikat</h1></body></html>"""
    dates = dates_of(html)
    assert (dates.published, dates.updated) == ("2021-05-12", None)


def test_pubdate_attribute_marks_the_publication_time():
    html = ('<html><body><article><h1>Wino</h1><p><time class="updated" datetime="2021-03-16T08:00:48+00:00"'
            " pubdate>16 marca 2021</time></p></article></body></html>")
    assert dates_of(html).published == "2021-03-16T09:00:48+01:00"


def test_date_classed_elements_are_read_when_nothing_else_dates_the_page():
    html = """<html><body><header><span class="data">piątek, 7 października 2016</span></header>
    <article><h1>Urlop dla rodziców</h1><span class="data">22 kwietnia 2021</span>
    <p>Trzy dni urlopu od 2021 r.</p></article></body></html>"""
    assert dates_of(html).published == "2021-04-22"
    dates = page_dates(DateEvidence(elements=["22 kwietnia 2021"]))
    assert dates.published == "2021-04-22"
    assert "page element" in dates.evidence
    header_only = html.replace('<span class="data">22 kwietnia 2021</span>', "")
    assert dates_of(header_only).published is None  # the header's date is furniture


DRUPAL = """<html><body><h1>Program Wspierania Rodziny</h1><div class="node node-article">
<div class="meta submitted">Opublikowane przez <span class="username">admin</span> dnia
<span property="dc:date dc:created" content="2017-05-18T10:33:00+02:00" datatype="xsd:dateTime">czw., 18.05.2017 - 10:33</span></div>
<p>Rada Gminy przyjęła Gminny Program Wspierania Rodziny na lata 2017-2019.</p></div></body></html>"""


def test_drupal_rdfa_date_without_date_lines():
    dates = dates_of(DRUPAL)
    assert (dates.published, dates.updated, dates.created) == ("2017-05-18T10:33:00+02:00", None, None)


def test_drupal_submitted_line():
    line = "Opublikowane przez admin dnia czw., 18.05.2017 - 10:33"
    assert parse_labelled(line) == [DateMention("published", "2017-05-18T10:33:00+02:00")]


def test_the_article_date_repeated_in_a_news_menu_still_counts():
    html = """<html><body><nav><ul><li><a href="/a">Rewitalizacja</a> 10 kwietnia 2016 r.</li></ul></nav>
    <div id="tresc"><h3>Rewitalizacja</h3><p>10 kwietnia 2016 r.</p><p>Treść.</p></div></body></html>"""
    dates = dates_of(html, now=datetime(2016, 10, 7, 9, 0, tzinfo=timezone.utc))
    assert dates.published == "2016-04-10"


def test_xhtml_with_an_xml_declaration_is_read():
    html = ('<?xml version="1.0" encoding="iso-8859-2"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
            '<meta property="article:published_time" content="2016-04-10T09:00:00+02:00" /></head>'
            "<body><h3>Rewitalizacja</h3><p>Treść.</p></body></html>")
    assert dates_of(html).published == "2016-04-10T09:00:00+02:00"
