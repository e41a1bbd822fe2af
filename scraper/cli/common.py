"""What every `archiwum` command shares: the archive and registry arguments, -s NAME=VALUE, usage errors."""
from __future__ import annotations

from scraper import settings as project_settings
from scraper.registry.sources import DEFAULT_REGISTRY

DEFAULT_DB = project_settings.ARCHIWUM_DB


class UserError(Exception):
    """A mistake on the command line; printed as one line, never as a traceback."""


def add_db_argument(parser) -> None:
    parser.add_argument("--db", default=DEFAULT_DB, help=f"the archive (default: ./{DEFAULT_DB})")


def add_registry_argument(parser) -> None:
    parser.add_argument("--registry", default=str(DEFAULT_REGISTRY), help="a sources.toml")


def add_settings_argument(parser) -> None:
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=0")


def parse_settings(pairs: list[str]) -> dict[str, str]:
    settings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UserError(f"-s takes NAME=VALUE, got {pair!r}")
        settings[name.strip()] = value
    return settings
