"""Full-text index of the archive (deepened by the search issue)."""
from __future__ import annotations

import sqlite_utils


def ensure_index(db: sqlite_utils.Database) -> None:
    """FTS5 over title and body, kept in step with `articles` by triggers."""
    if "articles_fts" not in db.table_names():
        db["articles"].enable_fts(
            ["title", "body"],
            tokenize="unicode61 remove_diacritics 2",
            create_triggers=True,
        )


def row_extras(title: str | None, body: str) -> dict:
    """Extra columns the store writes beside an article for searching."""
    return {}
