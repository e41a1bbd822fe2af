"""The README documents every command and every Archiwum setting (sqlite-utils' habit)."""
import re
from pathlib import Path

import pytest

import scraper.settings
from scraper.cli.main import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(subparsers.choices)


@pytest.mark.parametrize("command", commands())
def test_every_command_is_in_the_readme(command):
    assert re.search(rf"archiwum {command}\b", README), f"`archiwum {command}` is undocumented"


@pytest.mark.parametrize("setting", sorted(n for n in dir(scraper.settings) if n.startswith("ARCHIWUM_")))
def test_every_archiwum_setting_is_in_the_readme(setting):
    assert f"`{setting}`" in README, f"{setting} is undocumented"
