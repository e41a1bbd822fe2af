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


@pytest.mark.parametrize("line, message", [
    ('name = 5', "name must be text in quotes, not 5"),
    ('city = ["X"]', "city must be text in quotes, not ['X']"),
    ('max_pages = "many"', "max_pages must be a whole number from 1 to 10,000,000, not 'many'"),
    ('max_pages = true', "max_pages must be a whole number"),
    ('max_depth = 0', "max_depth must be a whole number from 1 to 1,000, not 0"),
    ('allowed_hosts = "mops.sieradz.eu"', "allowed_hosts must be a list of texts"),
    ('feeds = [5]', "feeds must be a list of texts"),
    ('id_pattern = 5', "id_pattern must be text in quotes"),
])
def test_a_field_of_the_wrong_type_or_range_is_named_with_its_portal(tmp_path, line, message):
    entry = ENTRY.format(id="mops-sieradz", kind="welfare_centre", voivodeship="łódzkie",
                         url="https://mops.sieradz.eu/")
    name = line.split(" = ")[0]
    entry = "\n".join(row for row in entry.splitlines() if not row.startswith(name + " ")) + f"\n{line}\n"
    with pytest.raises(RegistryError, match=re.escape(f"source [mops-sieradz]: {message}")):
        load_registry(write(tmp_path, entry))


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
