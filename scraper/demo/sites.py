"""The replicas: which registry source each mirrors, its template and content, its hosts.

Held-out replicas use templates the demo never shows; only tests crawl them, as portals the
extraction code has never seen.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Replica:
    id: str
    template: str          # module in scraper.demo.templates
    content: str           # file in scraper.demo.content
    mirrors: str | None    # registry source id in scraper/registry/sources.toml
    held_out: bool = False

    @property
    def module(self) -> ModuleType:
        return importlib.import_module(f"scraper.demo.templates.{self.template}")

    @property
    def hosts(self) -> tuple[str, ...]:
        return self.module.HOSTS


REPLICAS = {r.id: r for r in (
    Replica("nowysacz-wirp", "nowysacz", "nowysacz", mirrors="nowysacz-wirp"),
    Replica("starachowice", "joomla", "starachowice", mirrors="starachowice"),
    Replica("gdansk", "gdansk", "gdansk", mirrors="gdansk"),
    Replica("bdp", "bdp", "bdp", mirrors="bdp"),
    Replica("mops_wp", "wordpress", "mops_wp", mirrors=None, held_out=True),
    Replica("ops_drupal", "drupal", "ops_drupal", mirrors=None, held_out=True),
    Replica("bip", "bip", "bip", mirrors=None, held_out=True),
    Replica("cus", "cus", "cus", mirrors=None, held_out=True),
)}

DEMO_SITES = tuple(r.id for r in REPLICAS.values() if not r.held_out)
HELD_OUT_SITES = tuple(r.id for r in REPLICAS.values() if r.held_out)
