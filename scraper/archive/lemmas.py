"""simplemma's Polish dictionary as a small on-disk table, so no process holds it in memory.

simplemma keeps its Polish dictionary as a Python dict: ~375 MB of RSS and 4–15 s to load in
every process that lemmatises (the crawl's store stage, Datasette). Built once per machine into
an SQLite file (a child process pays the memory, then exits), the same lookups cost a B-tree
probe and a few MB. `DiskDictionaryFactory` plugs it into simplemma's own lookup strategy, so
its rules (case fallbacks, canonical tokens) still apply.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import simplemma

# Where the table is built: ARCHIWUM_CACHE (a service sets it: its home is read-only), else ~/.cache.
CACHE_DIR = Path(os.environ.get("ARCHIWUM_CACHE", Path.home() / ".cache" / "archiwum"))
LANGUAGE = "pl"


class LemmaTableError(Exception):
    """The table is missing and cannot be built where ARCHIWUM_CACHE points."""


def table_path(lang: str = LANGUAGE) -> Path:
    return CACHE_DIR / f"lemmas-{lang}-simplemma-{simplemma.__version__}.db"


def build(path: Path, lang: str = LANGUAGE) -> None:
    """Write simplemma's dictionary for `lang` to `path` (run in a child process)."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    forms = DefaultDictionaryFactory().get_dictionary(lang)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    conn = sqlite3.connect(partial)
    conn.execute("create table lemmas (form text primary key, lemma text not null) without rowid")
    conn.executemany("insert into lemmas values (?, ?)", ((f, forms[f]) for f in forms))
    conn.commit()
    conn.close()
    partial.replace(path)  # atomic: a reader never sees half a table


def ensure_table(lang: str = LANGUAGE) -> Path:
    path = table_path(lang)
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise LemmaTableError(f"cannot create {path.parent} for the lemma table ({error.strerror}); "
                                  "set ARCHIWUM_CACHE to a writable directory") from None
        if not os.access(path.parent, os.W_OK):
            raise LemmaTableError(f"{path.parent} is not writable; set ARCHIWUM_CACHE to a writable directory")
        subprocess.run([sys.executable, "-m", "scraper.archive.lemmas", str(path), lang], check=True)
    return path


class DiskDictionary:
    """The `get` of simplemma's dictionary mapping, answered from the table."""

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True,
                                    check_same_thread=False)
        self.lock = threading.Lock()  # Datasette calls in from several threads

    def get(self, form: str, default=None):
        with self.lock:
            row = self.conn.execute("select lemma from lemmas where form = ?", [form]).fetchone()
        return row[0] if row else default


class DiskDictionaryFactory:
    def __init__(self):
        self.dictionaries: dict[str, DiskDictionary] = {}

    def get_dictionary(self, lang: str) -> DiskDictionary:
        if lang not in self.dictionaries:
            self.dictionaries[lang] = DiskDictionary(ensure_table(lang))
        return self.dictionaries[lang]


if __name__ == "__main__":  # `python -m scraper.archive.lemmas`: make sure the table exists
    if len(sys.argv) == 3:
        build(Path(sys.argv[1]), sys.argv[2])
    else:
        print(ensure_table())
