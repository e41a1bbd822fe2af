"""Serve archive.db read-only with Datasette, the archiwum plugin, metadata and templates."""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import yaml

from scraper.web.clients import checked_settings
from scraper.web.plugin import PLUGIN, RANK_COLUMN, SEARCH_TABLE
from scraper.archive.db import ARTICLE_COLUMNS
from scraper.archive.lemmas import CACHE_DIR

METADATA = Path(__file__).with_name("metadata.yaml")
# Nothing is written through the UI (0.65 has no write API; the file opens mode=ro, not
# immutable, so a crawl can keep writing through WAL). CSV streams whole result sets.
SETTINGS = {
    "max_csv_mb": 0,
    "allow_csv_stream": "on",
    "suggest_facets": "off",
    "facet_time_limit_ms": 200,
    "sql_time_limit_ms": 3000,
    "truncate_cells_html": 300,
    "num_sql_threads": 6,
}


def metadata_for(db_path: str | Path, web_settings: dict | None = None) -> Path:
    """metadata.yaml with its database section filed under this archive's name, and the web
    settings (scraper/web/clients.py) as the plugin's configuration."""
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    metadata["plugins"] = {PLUGIN: checked_settings(web_settings or {})}
    metadata["databases"] = {Path(db_path).stem: metadata["databases"]["archive"]}
    articles = metadata["databases"][Path(db_path).stem]["tables"][SEARCH_TABLE]
    articles["sortable_columns"] = [*ARTICLE_COLUMNS, RANK_COLUMN]
    text = json.dumps(metadata, ensure_ascii=False, sort_keys=True)
    # Named by its content too: two servers of archives of one name with other settings (the
    # tests' per-client limits) never read each other's.
    digest = hashlib.sha1(text.encode()).hexdigest()[:10]
    target = private_dir() / f"metadata-{Path(db_path).stem}-{digest}.json"
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(partial, target)  # atomic: a second `serve` of the same name never reads half
    return target


def private_dir() -> Path:
    """A directory only this user can write to (never the shared /tmp, where another local user
    could plant a metadata file whose `extra_js_urls` every page of the UI would load)."""
    directory = CACHE_DIR / "serve"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if directory.stat().st_uid != os.getuid():
        raise PermissionError(f"{directory} belongs to another user; set ARCHIWUM_CACHE")
    directory.chmod(0o700)
    return directory


def datasette_args(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001,
                   public: bool = False, web_settings: dict | None = None) -> list[str]:
    """The command line that serves `db_path` (plugin found through its entry point); `public`:
    no arbitrary SQL (`?sql=`, `_where=`), for an address anyone can reach; `web_settings`:
    ARCHIWUM_WEB_* values over scraper/settings.py's."""
    chosen = SETTINGS | ({"default_allow_sql": "off"} if public else {})
    settings = [arg for name, value in chosen.items()
                for arg in ("--setting", name, str(value))]
    return [sys.executable, "-m", "datasette", "serve", str(db_path),
            "--host", host, "--port", str(port),
            "--metadata", str(metadata_for(db_path, web_settings)),
            *settings]


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001,
          public: bool = False, web_settings: dict | None = None) -> int:
    """Become the Datasette process (so a signal to `archiwum serve` reaches Datasette)."""
    if not Path(db_path).is_file():
        print(f"archiwum: error: {db_path} does not exist", file=sys.stderr)
        return 2
    try:
        args = datasette_args(db_path, host, port, public, web_settings)
    except OSError as error:
        print(f"archiwum: error: cannot write the UI's metadata: {error}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"archiwum: error: {error}", file=sys.stderr)
        return 2
    os.execv(args[0], args)
