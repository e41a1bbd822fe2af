"""The registry is data; a broken entry is named with what is wrong."""
import re

import pytest

from scraper.registry.sources import RegistryError, load_registry, to_toml


def write(tmp_path, text):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


ENTRY = """
[{id}]
name = "MOPS"
kind = "{kind}"
city = "Sieradz"
voivodeship = "{voivodeship}"
start_urls = ["{url}"]
"""


@pytest.mark.parametrize("fields, message", [
    ({"voivodeship": "śląsko-pomorskie"}, "unknown voivodeship"),
    ({"kind": "pizzeria"}, "unknown kind"),
    ({"url": "mops.sieradz.eu"}, "is not an http(s) URL"),
    ({"id": "MOPS_Sieradz"}, "ids are lower-case"),
])
def test_a_broken_entry_is_named(tmp_path, fields, message):
    values = {"id": "mops-sieradz", "kind": "welfare_centre", "voivodeship": "łódzkie",
              "url": "https://mops.sieradz.eu/"} | fields
    with pytest.raises(RegistryError, match=re.escape(message)):
        load_registry(write(tmp_path, ENTRY.format(**values)))


def test_the_bundled_registry_round_trips(tmp_path):
    registry = load_registry()
    assert {"nowysacz-wirp", "starachowice", "gdansk", "bdp"} <= set(registry)
    assert load_registry(write(tmp_path, to_toml(list(registry.values())))) == registry


def test_portal_ids_identify_one_article_across_urls():
    registry = load_registry()
    gdansk, joomla = registry["gdansk"], registry["starachowice"]
    assert gdansk.article_id("https://www.gdansk.pl/wiadomosci/Seniorzy-W-Gdansku,a,2011") == "2011"
    assert gdansk.article_id("https://www.gdansk.pl/wiadomosci/seniorzy-w-gdansku,a,2011") == "2011"
    assert joomla.article_id("https://obywatelski.starachowice.eu/aktualnosci/12-projekty/345-spotkania") == "345"
