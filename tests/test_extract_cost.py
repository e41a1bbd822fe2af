"""Work per page grows with the page, not faster (issue #13): big generated pages extract in
reasonable time. The timeouts are generous bounds against a hang (the quadratic repeat check
took minutes on a 5 MB table), not speed targets: those live in bench/extraction.py."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from scraper.demo.pathological import BASE_URL, PAGES, typo_variants
from scraper.extract.main_text import extract
from scraper.extract.template import SiteTemplate

HEAD = "<!DOCTYPE html><html lang='pl'><head><meta charset='utf-8'><title>{0}</title></head><body><h1>{0}</h1>"


def table_page(rows: int) -> str:
    """A register of decisions: one dated row per decision, a file link in each."""
    cells = "".join(f"<tr><td>{i}</td><td>Zasiłek celowy nr {i}</td><td>{i % 28 + 1:02d}.03.2024</td>"
                    f"<td><a href='/decyzje/{i}.pdf'>decyzja {i}</a></td></tr>" for i in range(rows))
    return (HEAD.format("Rejestr decyzji") + "<p>Wykaz decyzji wydanych w 2024 roku przez ośrodek pomocy społecznej, "
            f"w kolejności ich wydania.</p><table>{cells}</table></body></html>")


def near_identical_page(paragraphs: int) -> str:
    return HEAD.format("Komunikaty") + "".join(f"<p>{line}</p>" for line in typo_variants(paragraphs)) + "</body></html>"


@pytest.mark.timeout(120)
def test_a_table_page_of_50000_rows_extracts_every_row():
    html = table_page(50_000)
    assert len(html) > 5_000_000
    out = extract(html, "https://ops.example.pl/rejestr", SiteTemplate())
    assert "Zasiłek celowy nr 0 " in out.body and "Zasiłek celowy nr 49999 " in out.body
    assert len(out.attachments) == 50_000


@pytest.mark.timeout(120)
def test_a_page_of_20000_near_identical_paragraphs_keeps_one():
    out = extract(near_identical_page(20_000), "https://ops.example.pl/komunikaty", SiteTemplate())
    assert len(out.body.split("\n\n")) == 1, out.body[:500]


def test_a_page_reads_the_same_in_every_process():
    """The repeat check buckets lines by hashes that no process salts, so which near-repeats meet
    (and which lines stay) cannot change from one crawl process to the next."""
    script = "from scraper.extract.main_text import slot_keys; print(slot_keys('Obiad: zupa pomidorowa z makaronem'))"
    keys = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env=os.environ | {"PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2, 3)}
    assert len(keys) == 1


ARTICLE = ("<p>Miejski Ośrodek Pomocy Społecznej przypomina o terminie składania wniosków o dodatek "
           "osłonowy, który mija z końcem miesiąca.</p>")


def json_ld_page(*scripts: str) -> str:
    head = "".join(f'<script type="application/ld+json">{script}</script>' for script in scripts)
    return (f"<!DOCTYPE html><html lang='pl'><head><title>Dodatek osłonowy</title>{head}</head>"
            f"<body><h1>Dodatek osłonowy</h1>{ARTICLE}</body></html>")


@pytest.mark.timeout(120)
def test_json_ld_nested_thousands_deep_is_passed_over_and_the_next_script_still_read():
    deep = '{"@type": "NewsArticle", "about": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}"
    also_deep_but_parsed = '{"@type": "NewsArticle", "author": ' + "[" * 500 + '"Jan Kowalski"' + "]" * 500 + "}"
    dated = '{"@type": "NewsArticle", "headline": "Dodatek osłonowy", "datePublished": "2024-03-05"}'
    out = extract(json_ld_page(deep, also_deep_but_parsed, dated), "https://ops.example.pl/a/1", SiteTemplate())
    assert "dodatek osłonowy, który mija" in out.body
    assert out.meta["ld:datePublished"] == "2024-03-05"
    assert [d.value for d in out.date_evidence.machine if d.where == "JSON-LD datePublished"] == ["2024-03-05"]


@pytest.mark.parametrize("odd", ['{"@graph": 5, "headline": "Dodatek osłonowy"}', '{"@graph": "x"}', '{"@graph": {"@type": 5}}',
                                 '{"@graph": [5, null, []], "author": {"name": 7}}', "5", "null", '"tekst"', "[[[]]]",
                                 '{"@type": ["NewsArticle", 5], "author": [{"name": ["Jan", 3]}], "datePublished": 20240305}'])
def test_json_ld_of_any_shape_is_read_or_passed_over_never_raises(odd):
    out = extract(json_ld_page(odd), "https://ops.example.pl/a/2", SiteTemplate())
    assert "dodatek osłonowy, który mija" in out.body


@pytest.mark.timeout(120)
def test_a_list_of_20000_links_to_another_site_is_judged_once_and_kept_whole():
    """Each item of a reading list asked whether its whole list links elsewhere: once per list."""
    out = extract(PAGES["links_20k"](), BASE_URL + "wykaz", SiteTemplate())
    assert "Dokument nr 0: pomoc" in out.body and "Dokument nr 19999: wniosek" in out.body
