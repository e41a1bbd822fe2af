""""Czy chodziło o: …" for a search with no hits: each word the index does not know is
replaced by the nearest word the archive has, as some article spells it."""
from __future__ import annotations

import difflib
import sqlite3

from scraper.archive import search_index

VOCABULARY = "temp.archiwum_vocabulary"
CREATE_VOCABULARY = (f"create virtual table if not exists {VOCABULARY} "
                     f"using fts5vocab(main, articles_fts, 'row')")
# Candidates share the first letters of the typed word (a typo is rarely the first letter).
CANDIDATES_SQL = (f"select term, doc from {VOCABULARY} where term >= :start and term < :end "
                  f"order by doc desc limit 2000")
KNOWN_SQL = f"select doc from {VOCABULARY} where term = :term"
FIRST_HIT_SQL = ("select a.title, a.body from articles_fts f join articles a on a.rowid = f.rowid "
                 "where articles_fts match :term limit 1")
PREFIX = 2


def better_query(conn: sqlite3.Connection, query: str) -> str | None:
    """The query with unknown words replaced, or None when there is nothing better to offer."""
    conn.execute(CREATE_VOCABULARY)
    words = query.split()
    replaced = [_known_or_nearest(conn, word) for word in words]
    if replaced == words or None in replaced:
        return None
    return " ".join(replaced)


def _known_or_nearest(conn: sqlite3.Connection, word: str) -> str | None:
    bare = word.strip('"()*')
    if not bare or bare in search_index.OPERATORS or not search_index.WORD.fullmatch(bare):
        return word
    terms = search_index.query_terms(bare)
    if any(conn.execute(KNOWN_SQL, {"term": term}).fetchone() for term in terms):
        return word
    term = terms[0]
    rows = conn.execute(CANDIDATES_SQL, {"start": term[:PREFIX],
                                         "end": term[:PREFIX] + "\uffff"}).fetchall()
    near = difflib.get_close_matches(term, [row[0] for row in rows], n=1, cutoff=0.7)
    return _spelled(conn, near[0]) if near else None


def _spelled(conn: sqlite3.Connection, term: str) -> str | None:
    """A word of an article that the index holds as `term`."""
    row = conn.execute(FIRST_HIT_SQL, {"term": f'"{term}"'}).fetchone()
    for text in row or ():
        for word in search_index.WORD.findall(text or ""):
            if search_index.index_term(word) == term:
                return word.lower()
    return None
