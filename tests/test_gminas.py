"""The national registry: gminas from a TERYT CSV become registry sources; mistakes are named."""
import argparse
import re
import unicodedata
from pathlib import Path

import pytest

from scraper.registry.gminas import GminaImportError, add_import_arguments, read_gminas, run_import
from scraper.registry.sources import load_registry
from tests.conftest import archiwum

SAMPLE = Path(__file__).parent / "data" / "gminas_sample.csv"
HEADER = "teryt,name,type,voivodeship,powiat,portal_url,bip_url,mops_url\n"
SIERADZ = "1014011,Sieradz,gmina miejska,łódzkie,sieradzki,https://www.sieradz.eu/,https://bip.sieradz.eu/,https://mops.sieradz.eu/\n"


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """The sample imported the way a user does it, into a registry file."""
    output = tmp_path_factory.mktemp("gminas") / "gminas.toml"
    parser = argparse.ArgumentParser()
    add_import_arguments(parser)
    assert run_import(parser.parse_args([str(SAMPLE), "--output", str(output)])) == 0
    return output


def write_csv(tmp_path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "gminas.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def test_every_url_of_a_gmina_becomes_a_source_of_its_kind(imported):
    registry = load_registry(imported)
    lodz = {s.id: s for s in registry.values() if s.teryt == "1061011"}
    assert {i: s.kind for i, s in lodz.items()} == {
        "g1061011-portal": "city_hall", "g1061011-bip": "bip", "g1061011-mops": "welfare_centre"}
    mops = lodz["g1061011-mops"]
    assert (mops.city, mops.voivodeship, mops.start_urls) == ("Łódź", "łódzkie", ["https://mops.lodz.pl/"])
    assert "g1465011-mops" not in registry  # Warszawa: no welfare centre URL in the sample, no source


def test_polish_names_survive_the_round_trip(imported):
    names = [s.name for s in load_registry(imported).values()]
    assert "Zielona Góra — portal gminy" in names and "Białystok — Biuletyn Informacji Publicznej" in names
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_sources_filters_the_imported_registry_by_voivodeship_and_kind(imported):
    result = archiwum("sources", "--registry", str(imported), "--voivodeship", "pomorskie",
                      "--kind", "bip", check=True)
    assert sorted(line.split()[0] for line in result.stdout.splitlines()) == [
        "g2261011-bip", "g2262011-bip", "g2264011-bip"]


@pytest.mark.parametrize("row, message", [
    (SIERADZ.replace("łódzkie", "łódzkie-wschodnie"), "line 2: unknown voivodeship 'łódzkie-wschodnie'"),
    (SIERADZ.replace("https://mops.sieradz.eu/", "mops.sieradz.eu"), "'mops.sieradz.eu' is not an http(s) URL"),
    (SIERADZ.replace("https://www.sieradz.eu/", "https://www.sieradz eu/"), "has no valid host name"),
    (SIERADZ.replace("1014011", "101401"), "TERYT '101401' is not 7 digits"),
    (SIERADZ.replace("1014011", "1214011"), "TERYT 1214011 is in małopolskie, not łódzkie"),
    (SIERADZ.replace("gmina miejska", "gmina wiejska"), "but a gmina wiejska ends in 2"),
    (SIERADZ.replace("gmina miejska", "miasto"), "unknown type 'miasto'"),
    (SIERADZ.replace("sieradzki", ""), "powiat is empty"),
])
def test_a_broken_row_is_named_with_its_line(tmp_path, row, message):
    with pytest.raises(GminaImportError, match=re.escape(message)):
        read_gminas(write_csv(tmp_path, row))


def test_a_duplicate_teryt_is_reported_with_both_lines(tmp_path):
    with pytest.raises(GminaImportError, match=re.escape("line 3: duplicate TERYT 1014011 (ids g1014011-*), first on line 2")):
        read_gminas(write_csv(tmp_path, SIERADZ, SIERADZ))


def test_every_problem_is_reported_at_once(tmp_path):
    broken = [SIERADZ.replace("łódzkie", "łódzkie-wschodnie"),
              SIERADZ.replace("1014011", "1014022").replace("https://bip.sieradz.eu/", "bip.sieradz.eu")]
    with pytest.raises(GminaImportError) as error:
        read_gminas(write_csv(tmp_path, *broken))
    lines = str(error.value).splitlines()
    assert [line.split(": ", 1)[0].rsplit(" ", 2)[1:] for line in lines] == [
        ["line", "2"], ["line", "3"], ["line", "3"]]


def test_a_wrong_header_names_the_columns(tmp_path):
    path = write_csv(tmp_path, SIERADZ, header=HEADER.replace("mops_url", "ops_url"))
    with pytest.raises(GminaImportError, match="missing mops_url; unknown ops_url"):
        read_gminas(path)
