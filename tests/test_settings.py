"""Crawl settings: polite defaults, and overrides that take effect."""
from scraper.crawl.runner import crawl_settings


def test_the_user_agent_names_the_project_and_the_operators_contact():
    settings = crawl_settings("archive.db", {"ARCHIWUM_CONTACT": "mailto:archiwum@example.org"})
    assert settings.get("USER_AGENT") == "Archiwum/0.1 (+mailto:archiwum@example.org)"


def test_a_user_agent_given_on_the_command_line_wins():
    assert crawl_settings("archive.db", {"USER_AGENT": "Moje/1.0"}).get("USER_AGENT") == "Moje/1.0"


def test_defaults_are_polite_to_small_municipal_servers():
    settings = crawl_settings("archive.db")
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert settings.getfloat("DOWNLOAD_DELAY") >= 1
