"""The house's floors: every import in scraper/ points to its own folder or a lower one, never in a circle.

The order is the data's: the ground floor (settings, items, text and URL helpers), then the
registry, extraction, dates, the archive, the crawl, the attachments (reading what the crawl
fetched), the web UI, the distributed crawl and the commands. The demo replicas stand apart. Nothing in scraper/ imports spiders/ or pipelines/: the
crawl names them by dotted path in its settings.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

FLOORS = ["", "registry", "extract", "dates", "archive", "crawl", "attachments", "web", "distributed", "cli"]
APART = {"demo"}  # the replicas import nothing of Archiwum; only the demo command imports them
SCRAPER = REPO / "scraper"


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def floor_of(module: str) -> str:
    """`scraper.extract.rules` -> "extract"; a ground-floor module (`scraper.items`) -> ""."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (SCRAPER / parts[1]).is_dir()) else ""


def imports_of(path: Path) -> set[str]:
    """Every module this file imports (at the top or inside a function), absolute or relative."""
    found = set()
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names if (REPO / f"{base}.{alias.name}".replace(".", "/")).exists()
                      or (REPO / (f"{base}.{alias.name}".replace(".", "/") + ".py")).exists()}
    return found


def scraper_modules() -> list[Path]:
    return sorted(p for p in SCRAPER.rglob("*.py") if "demo" not in p.relative_to(SCRAPER).parts[:1])


@pytest.mark.parametrize("path", scraper_modules(), ids=lambda p: str(p.relative_to(REPO)))
def test_imports_point_down(path):
    here = floor_of(module_name(path))
    for imported in imports_of(path):
        top = imported.split(".")[0]
        assert top not in ("spiders", "pipelines"), f"{path.name} imports {imported}: name it in settings instead"
        if top != "scraper" or imported == "scraper":
            continue
        there = floor_of(imported)
        if there in APART:
            assert here == "cli", f"{module_name(path)} imports the demo replicas ({imported})"
            continue
        assert FLOORS.index(there) <= FLOORS.index(here), f"{module_name(path)} climbs to {imported}"


def test_every_folder_of_scraper_has_a_floor():
    folders = {p.name for p in SCRAPER.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    assert folders <= set(FLOORS) | APART, f"a folder without a place in the order: {folders - set(FLOORS) - APART}"


def test_no_circle_of_imports():
    graph = {module_name(p): {m for m in imports_of(p) if m.startswith("scraper.")} for p in scraper_modules()}
    done, path = set(), []

    def visit(module):
        if module in path:
            pytest.fail("import circle: " + " -> ".join(path[path.index(module):] + [module]))
        if module in done or module not in graph:
            return
        path.append(module)
        for imported in graph[module]:
            visit(imported)
        path.pop()
        done.add(module)

    for module in graph:
        visit(module)
