"""Issue #14 class 10: an article whose body and metadata stand on two tabs is stored once, whole."""
from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem

from pipelines.clean import CleanPipeline
from pipelines.dates import DatesPipeline
from scraper.items import Page

RECORD = "https://praktyki.example.pl/index.php?rekord=41"
TABS = (f"<p class='tabs'><a href='{RECORD}&amp;widok=1'>Skrót i Metryka</a> | "
        f"<a href='{RECORD}&amp;widok=2'>Pełna prezentacja</a></p>")
TITLE = "Klub Seniora w remizie"
SUMMARY = f"""<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>{TABS}
<p>Krótki opis: sołectwo otworzyło klub dla seniorów w budynku remizy, z zajęciami trzy razy w tygodniu.</p>
<table class="metryka"><tr><td>Miejsce</td><td>Olszynka, gmina Przykładowo</td></tr>
<tr><td>Data rozpoczęcia</td><td>12.03.2019</td></tr><tr><td>Data publikacji</td><td>3 kwietnia 2019</td></tr></table>
</body></html>"""
FULL = f"""<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>{TABS}
<p>Pomysł zrodził się na zebraniu wiejskim, kiedy mieszkańcy zauważyli, że starsze osoby nie mają gdzie się spotykać.</p>
<p>Strażacy udostępnili salę, a ośrodek pomocy społecznej sfinansował wyposażenie i zajęcia z terapeutką.</p>
<p>Dziś do klubu przychodzi regularnie dwadzieścia osób, a zajęcia prowadzą na zmianę wolontariusze.</p>
<p>W programie są gimnastyka, warsztaty rękodzieła, wieczory wspomnień i wyjazdy do teatru w mieście powiatowym.</p>
<p>Koszt prowadzenia klubu to około ośmiu tysięcy złotych rocznie, z czego połowę pokrywa fundusz sołecki.</p>
<p>Rada gminy zdecydowała, że w kolejnym roku podobne kluby powstaną w dwóch następnych sołectwach.</p></body></html>"""


def item(url: str, html: str) -> Page:
    return Page(url=url, source="praktyki", html=html, fetched_at="2024-01-01T00:00:00+00:00")


def test_the_full_presentation_keeps_the_summary_tabs_dates_and_place():
    stage = CleanPipeline()
    with pytest.raises(DropItem, match="summary view"):
        stage.process_item(item(f"{RECORD}&widok=1", SUMMARY))
    stored = stage.process_item(item(f"{RECORD}&widok=2", FULL))
    assert "Strażacy udostępnili salę" in stored.body
    assert stored.metadata.get("Miejsce") == "Olszynka, gmina Przykładowo"
    assert stored.metadata.get("Data publikacji") == "3 kwietnia 2019"
    assert DatesPipeline().process_item(stored).published == "2019-04-03"


def test_an_article_with_no_summary_view_is_stored_as_it_is():
    stored = CleanPipeline().process_item(item(f"{RECORD}&widok=2", FULL))
    assert "Miejsce" not in stored.metadata
