"""A user mistake gets one clear line and a non-zero exit, never a traceback; a quiet terminal; the contact."""
import re
import subprocess
import sys
from dataclasses import replace

import pytest

from faultserver import fault_server  # noqa: F401
from scraper.registry.sources import load_registry, to_toml
from tests.conftest import REPO, archiwum, free_port, wait_for_http


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


# --- a quiet terminal, for people and for cron -------------------------------------------------

def quick_crawl(server_url: str, db, *options: str):
    return archiwum("crawl", "--url", server_url, "--db", str(db), "--max-pages", "5",
                    "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                    "-s", "ARCHIWUM_CONTACT=mailto:test@example.org", *options)


def test_the_terminal_gets_the_summary_not_scrapys_dumps(fault_server, tmp_path):  # noqa: F811
    plain = quick_crawl(fault_server.url("/portal/"), tmp_path / "a.db")
    assert plain.returncode == 0 and plain.stdout.startswith("crawl finished:")
    assert "Scrapy 2" not in plain.stderr and "Dumping Scrapy stats" not in plain.stderr
    verbose = quick_crawl(fault_server.url("/portal/"), tmp_path / "a.db", "-v")
    assert "Dumping Scrapy stats" in verbose.stderr
    logged = quick_crawl(fault_server.url("/portal/"), tmp_path / "a.db", "-q", "--log-file", str(tmp_path / "crawl.log"))
    assert logged.stderr == "" and len(logged.stdout.splitlines()) == 1
    assert "Dumping Scrapy stats" in (tmp_path / "crawl.log").read_text()


def test_version_and_log_level():
    assert re.fullmatch(r"archiwum \d+\.\d+\.\d+ \(Scrapy [\d.]+\)\n", archiwum("--version", check=True).stdout)
    wrong = archiwum("crawl", "gdansk", "--log-level", "loud")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr


def test_serve_refuses_a_missing_archive_unless_told_to_create_it(tmp_path):
    typo = tmp_path / "archiwe.db"
    result = archiwum("serve", "--db", str(typo))
    assert result.returncode == 2 and "no archive at" in result.stderr and "--create" in result.stderr
    assert not typo.exists()


def test_serve_create_makes_an_empty_archive_and_serves_it(tmp_path):
    db = tmp_path / "new.db"
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "scraper.cli.main", "serve", "--db", str(db), "--create",
                                "--port", str(port)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/-/versions.json", process)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert db.is_file()


# --- who is crawling: ARCHIWUM_CONTACT ---------------------------------------------------------

def many_portals_registry(tmp_path, count: int):
    base = load_registry()["gdansk"]
    path = tmp_path / "many.toml"
    path.write_text(to_toml([replace(base, id=f"portal-{n}", start_urls=["http://127.0.0.1:9/"])
                             for n in range(count)]))
    return path


def test_a_crawl_of_many_portals_without_a_contact_is_refused(tmp_path):
    registry = many_portals_registry(tmp_path, 11)
    result = archiwum("crawl", "--registry", str(registry), "--db", str(tmp_path / "a.db"))
    assert result.returncode == 2 and "no ARCHIWUM_CONTACT" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "warc").exists()  # nothing was fetched


def test_a_crawl_without_a_contact_warns(fault_server, tmp_path):  # noqa: F811
    result = archiwum("crawl", "--url", fault_server.url("/fault/missing"), "--db", str(tmp_path / "a.db"),
                      "-s", "DOWNLOAD_DELAY=0")
    assert "warning: ARCHIWUM_CONTACT is not set" in result.stderr
    assert "(+contact not set)" in result.stderr
