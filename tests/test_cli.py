"""A user mistake gets one clear line and a non-zero exit, never a traceback."""
import pytest

from tests.conftest import archiwum


@pytest.mark.parametrize("args, message", [
    (["crawl", "no-such-portal"], "unknown source no-such-portal"),
    (["crawl", "--url", "gdansk.pl/wiadomosci"], "is not an http(s) URL"),
    (["crawl", "--url", "http://127.0.0.1:9/", "-s", "DOWNLOAD_DELAY"], "-s takes NAME=VALUE"),
    (["crawl", "gdansk", "--db", "/no/such/dir/archive.db"], "does not exist"),
    (["crawl", "gdansk", "--registry", "/no/such/sources.toml"], "cannot read registry"),
])
def test_mistakes_get_one_clear_line(args, message):
    result = archiwum(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_registry_field_of_the_wrong_type_stops_the_crawl_before_it_starts(tmp_path):
    registry = tmp_path / "sources.toml"
    registry.write_text('[mops-x]\nname = "MOPS"\nkind = "welfare_centre"\ncity = "X"\nvoivodeship = ""\n'
                        'start_urls = ["http://127.0.0.1:9/"]\nmax_pages = "many"\n', encoding="utf-8")
    result = archiwum("crawl", "--registry", str(registry), "--db", str(tmp_path / "archive.db"))
    assert result.returncode == 2
    assert result.stderr.strip() == ("archiwum: error: source [mops-x]: max_pages must be a whole number "
                                     "from 1 to 10,000,000, not 'many'")
    assert not (tmp_path / "archive.db").exists()


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("moje notatki, nie baza danych\n" * 50)
    result = archiwum("crawl", "gdansk", "--db", str(notes))
    assert result.returncode == 2
    assert "not a usable SQLite database" in result.stderr
    assert notes.read_text() == "moje notatki, nie baza danych\n" * 50


def test_sources_lists_and_filters_the_registry():
    result = archiwum("sources", "--voivodeship", "pomorskie", check=True)
    assert "gdansk" in result.stdout and "mopr-gdansk" in result.stdout
    assert "starachowice" not in result.stdout
