"""Polish full-text index of the archive: one folded, lemmatised, stemmed token per word.

`articles_fts` is a contentless FTS5 table over `title` and `body` holding `index_text()` of
each: lower-case, ł→l and every other diacritic removed, the simplemma dictionary lemma, then a
light suffix strip. Queries go through the same `index_term()`, so "lodz" finds "Łodzi" and
"budzetu obywatelskiego" finds "budżetu obywatelskiego"; one token per word keeps phrases
working. Triggers on `articles` keep the index current; they call the SQL function
`archiwum_index_text`, which `ensure_index()` registers on every connection that
`scraper.archive.db.connect()` opens (readers need no function: they match `archiwum_match(q)`).
"""
from __future__ import annotations

import itertools
import math
import re
import sys
import sqlite3
import unicodedata
from functools import lru_cache

import sqlite_utils
from simplemma.strategies import DictionaryLookupStrategy

from scraper.archive.lemmas import DiskDictionaryFactory

# What a letter typed on a plain keyboard may stand for.
ACCENTED = {"a": "aą", "c": "cć", "e": "eę", "l": "lł", "n": "nń", "o": "oó", "s": "sś",
            "z": "zźż"}
MAX_RESPELLINGS = 4096
MAX_PHRASE_VARIANTS = 16
# What one query may cost, whoever sends it (a search box, `?sql=archiwum_match(...)`): its first
# MAX_QUERY_WORDS words count, and its words are respelled while their dictionary look-ups add up
# to at most MAX_QUERY_LOOKUPS (~10-50 ms); later words match as typed.
MAX_QUERY_WORDS = 32
MAX_QUERY_LOOKUPS = 8192
# Matches are looked for in the first MAX_SCANNED_CHARS characters of a text (~25,000 words,
# ~10 ms): a scraped text of megabytes costs no more.
MAX_SCANNED_CHARS = 200_000
# Longest first; a suffix is removed only when at least MIN_STEM characters remain.
SUFFIXES = tuple(sorted((
    "osciami", "osciach", "osciom", "oscia", "osci", "osc",
    "iami", "iach", "iego", "iemu", "owie",
    "ami", "ach", "ego", "emu", "ych", "ymi", "imi", "ich", "owi", "iej",
    "ow", "om", "em", "ej", "ym", "im", "ie", "ia", "iu",
    "a", "e", "i", "o", "u", "y",
), key=len, reverse=True))
MIN_STEM = 3
# No form in the Polish dictionary is longer (simplemma 2.0's longest has 34 characters;
# tests/test_lemmas.py checks): a longer word, such as a page-long run of letters, is looked up
# nowhere, instead of costing case variants of megabytes.
MAX_DICTIONARY_WORD = 64
FOLDED_LETTERS = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ß": "ss"})
WORD = re.compile(r"\w+")
QUERY_PART = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')
OPERATORS = {"AND", "OR", "NOT"}
SNIPPET_WORDS = 32
INDEX_FUNCTION = "archiwum_index_text"
MATCH_FUNCTION = "archiwum_match"
SNIPPET_FUNCTION = "archiwum_snippet"
# Private-use characters around highlighted words (a stray one in scraped text only adds a <mark>).
MARK_START, MARK_END = "\ue000", "\ue001"

# simplemma's lookup rules over the dictionary on disk (scraper/archive/lemmas.py): no 375 MB dict in memory.
_dictionary = DictionaryLookupStrategy(DiskDictionaryFactory())


def fold(text: str) -> str:
    """Lower case without diacritics, ł included: "Łódź" → "lodz"."""
    decomposed = unicodedata.normalize("NFD", text.translate(FOLDED_LETTERS).lower())
    if decomposed.isascii():  # no combining marks
        return decomposed
    if len(decomposed) > LONG_TEXT:  # a page-long run of letters: one pass in C, not one call per letter
        return decomposed.translate(combining_marks())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


LONG_TEXT = 1000


@lru_cache(maxsize=1)
def combining_marks() -> dict[int, None]:
    """str.translate's table deleting what `fold` deletes (built once, ~0.2 s, when first needed)."""
    return {code: None for code in range(sys.maxunicode + 1) if unicodedata.combining(chr(code))}


def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def index_term(word: str) -> str:
    """The one token a word is indexed and searched as."""
    if word.isdigit():  # numbers have no lemma and no suffix: a register's 50,000 of them cost no look-up
        return word  # ...and take no place in the cache: most numbers are met once
    return word_term(word)


# A word's look-up costs ~20 µs (a B-tree probe of the lemma table, scraper/archive/lemmas.py) and
# its entry ~150 bytes: a crawl meets new word forms all along, and 500,000 of them would hold ~75 MB
# by the end. The commonest forms make most of any text, and stay.
@lru_cache(maxsize=100_000)
def word_term(word: str) -> str:
    lower = word.lower()
    lemma = _dictionary.get_lemma(lower, "pl") if len(lower) <= MAX_DICTIONARY_WORD else None
    return stem(fold(lemma or lower))


def _spelling_options(word: str) -> list[str]:
    return [ACCENTED.get(letter, letter) for letter in word]


def respelling_cost(word: str) -> int:
    """Dictionary look-ups `query_terms` makes for a word typed without Polish letters."""
    lower = word.lower()
    if lower != fold(lower):
        return 0
    count = math.prod(map(len, _spelling_options(lower)))
    return count if count <= MAX_RESPELLINGS else 0


def _respellings(word: str) -> list[str]:
    """Dictionary words that `word`, typed without Polish letters, may stand for."""
    if not respelling_cost(word):
        return []
    return [spelled for spelled in map("".join, itertools.product(*_spelling_options(word)))
            if spelled != word and _dictionary.get_lemma(spelled, "pl")]


@lru_cache(maxsize=50_000)
def query_terms(word: str, respell: bool = True) -> tuple[str, ...]:
    """Index tokens a query word stands for: its own, and those of its Polish spellings when
    typed without diacritics ("mieszkancy" → "mieszkańcy" → lemma "mieszkaniec")."""
    lower = word.lower()
    terms = [index_term(lower)]
    if respell:
        terms += [index_term(spelled) for spelled in _respellings(lower)]
    return tuple(dict.fromkeys(terms))


class QueryBudget:
    """The words of one query that count (MAX_QUERY_WORDS) and which of them are respelled
    (MAX_QUERY_LOOKUPS in all), in the order they are typed: the MATCH expression and the
    highlighting spend the same budget on the same words, so they agree."""

    def __init__(self):
        self.words, self.lookups = MAX_QUERY_WORDS, MAX_QUERY_LOOKUPS

    def take(self, words: list[str]) -> list[str]:
        taken = words[:self.words]
        self.words -= len(taken)
        return taken

    def terms(self, word: str) -> tuple[str, ...]:
        cost = respelling_cost(word)
        respell = cost <= self.lookups
        self.lookups -= cost if respell else 0
        return query_terms(word, respell)


# The store assigns topics and the trigger indexes the same title and body moments apart (an
# update's trigger reads the old ones in between): four texts kept, each read into words once.
# Kept are the texts too, megabytes each on a huge page: no more than that.
@lru_cache(maxsize=4)
def index_terms(text: str | None) -> tuple[str, ...]:
    """The index token of every word of `text`, in order."""
    return tuple(map(index_term, WORD.findall(text or "")))


def index_text(text: str | None) -> str:
    return " ".join(index_terms(text))


def warm_up() -> None:
    """Open the Polish dictionary now (built on first use on a machine, ~15 s) rather than in
    the first search."""
    index_term("społecznej")


def _any_of(alternatives: list[str]) -> str:
    quoted = [f'"{text}"' for text in alternatives]
    return quoted[0] if len(quoted) == 1 else f"({' OR '.join(quoted)})"


def _phrase(words: list[str], budget: QueryBudget) -> str:
    alternatives = [budget.terms(word) for word in words]
    variants = itertools.islice(itertools.product(*alternatives), MAX_PHRASE_VARIANTS)
    return _any_of([" ".join(variant) for variant in variants]) if words else ""


def _query_items(query: str) -> list[str]:
    """FTS5 items of a user query: phrases, terms (prefix* kept), operators, parentheses."""
    items, budget = [], QueryBudget()
    for part in QUERY_PART.findall(query):
        if part in OPERATORS or part in "()":
            items.append(part)
        elif part.startswith('"'):
            items.append(_phrase(budget.take(WORD.findall(part.strip('"'))), budget))
        elif part.endswith("*") and (words := budget.take(WORD.findall(part[:-1]))):
            items.extend(f'"{fold(word)}"' for word in words)
            items[-1] += "*"
        else:
            items.extend(_any_of(list(budget.terms(word)))
                         for word in budget.take(WORD.findall(part)))
    return [item for item in items if item]


def _balanced(items: list[str]) -> list[str]:
    """Drop dangling operators and unmatched parentheses so FTS5 never sees a syntax error."""
    kept, depth = [], 0
    for item in items:
        if item in OPERATORS and (not kept or kept[-1] in OPERATORS or kept[-1] == "("):
            continue
        if item == ")":
            if depth == 0:
                continue
            while kept[-1] in OPERATORS:
                kept.pop()
            depth -= 1
            if kept[-1] == "(":
                kept.pop()
                continue
        if item not in OPERATORS and item != ")" and kept and kept[-1] not in OPERATORS | {"("}:
            kept.append("AND")
        depth += item == "("
        kept.append(item)
    while kept and (kept[-1] in OPERATORS or kept[-1] == "("):
        depth -= kept.pop() == "("
    return kept + [")"] * depth


def match_expression(query: str | None) -> str:
    """The FTS5 MATCH expression for what a user typed ('' matches nothing)."""
    items = _balanced(_query_items(query or ""))
    text = " ".join(items)
    return text if WORD.search(text) else '""'


def _query_terms(query: str) -> set[str]:
    """The index tokens a query's words stand for, as `match_expression` reads them."""
    budget, terms = QueryBudget(), set()
    for part in QUERY_PART.findall(query or ""):
        if part not in OPERATORS and not part.endswith("*"):
            terms.update(term for word in budget.take(WORD.findall(part)) for term in budget.terms(word))
        elif part.endswith("*"):
            budget.take(WORD.findall(part[:-1]))
    return terms


def _best_window(terms: list[str], wanted: set[str]) -> int:
    hits = [i for i, term in enumerate(terms) if term in wanted]
    if not hits:
        return 0
    # The hit starting the window with the most hits, found in one pass (a text repeating the
    # query word thousands of times must not cost their square).
    best, most, end = hits[0], 0, 0
    for first, start in enumerate(hits):
        while end < len(hits) and hits[end] < start + SNIPPET_WORDS:
            end += 1
        if end - first > most:
            best, most = start, end - first
    return max(0, best - 3)


def highlight(text: str | None, query: str | None, words: int | None = None) -> str:
    """`text` (or about `words` words of it around the query terms) with every word the query
    matches wrapped in MARK_START/MARK_END. Plain text: escaping is the renderer's job. Only the
    first MAX_SCANNED_CHARS characters are read for matches."""
    text = text or ""
    scanned = text[:MAX_SCANNED_CHARS]
    tokens = WORD.findall(scanned)
    if not tokens:
        return text
    wanted = _query_terms(query)
    terms = list(map(index_term, tokens))
    start = _best_window(terms, wanted) if words else 0
    stop = min(start + words, len(tokens)) if words else len(tokens)
    found = list(itertools.islice(WORD.finditer(scanned), start, stop))
    cursor = found[0].start() if start else 0
    pieces = ["…" if start else ""]
    for match, term in zip(found, terms[start:stop]):
        pieces.append(text[cursor:match.start()])
        pieces.append(f"{MARK_START}{match.group()}{MARK_END}" if term in wanted else match.group())
        cursor = match.end()
    cut = bool(words) and (stop < len(tokens) or len(scanned) < len(text))
    pieces.append("…" if cut else text[cursor:])
    return "".join(pieces)


def snippet(text: str | None, query: str | None) -> str:
    return highlight(text, query, SNIPPET_WORDS)


FUNCTIONS = ((INDEX_FUNCTION, 1, index_text), (MATCH_FUNCTION, 1, match_expression),
             (SNIPPET_FUNCTION, 2, snippet))


def register_functions(conn: sqlite3.Connection, wrap=lambda function: function) -> None:
    """The index's SQL functions on a connection (`wrap`: a guard around each, e.g. a deadline)."""
    for name, arity, function in FUNCTIONS:
        conn.create_function(name, arity, wrap(function), deterministic=True)


FTS_SQL = (
    "create virtual table articles_fts using fts5("
    "title, body, content='', tokenize='unicode61 remove_diacritics 0')"
)
TRIGGERS_SQL = f"""
create trigger if not exists articles_fts_insert after insert on articles begin
  insert into articles_fts(rowid, title, body)
  values (new.rowid, {INDEX_FUNCTION}(new.title), {INDEX_FUNCTION}(new.body));
end;
create trigger if not exists articles_fts_delete after delete on articles begin
  insert into articles_fts(articles_fts, rowid, title, body)
  values ('delete', old.rowid, {INDEX_FUNCTION}(old.title), {INDEX_FUNCTION}(old.body));
end;
create trigger if not exists articles_fts_update after update of title, body on articles
when old.title is not new.title or old.body is not new.body begin
  insert into articles_fts(articles_fts, rowid, title, body)
  values ('delete', old.rowid, {INDEX_FUNCTION}(old.title), {INDEX_FUNCTION}(old.body));
  insert into articles_fts(rowid, title, body)
  values (new.rowid, {INDEX_FUNCTION}(new.title), {INDEX_FUNCTION}(new.body));
end;
"""
OLD_TRIGGERS = ("articles_ai", "articles_ad", "articles_au")


def _is_current(db: sqlite_utils.Database) -> bool:
    row = db.execute("select sql from sqlite_master where name = 'articles_fts'").fetchone()
    return bool(row) and "content=''" in row[0]


def rebuild_index(db: sqlite_utils.Database) -> None:
    """Drop any older full-text index and index every article again."""
    for trigger in OLD_TRIGGERS + ("articles_fts_insert", "articles_fts_delete",
                                   "articles_fts_update"):
        db.execute(f"drop trigger if exists {trigger}")
    db.execute("drop table if exists articles_fts")
    db.execute(FTS_SQL)
    db.execute(f"insert into articles_fts(rowid, title, body) select rowid, "
               f"{INDEX_FUNCTION}(title), {INDEX_FUNCTION}(body) from articles")
    db.conn.executescript(TRIGGERS_SQL)


def ensure_index(db: sqlite_utils.Database) -> None:
    """Register the index functions on this connection; create or upgrade the index."""
    register_functions(db.conn)
    if not _is_current(db):
        with db.conn:
            rebuild_index(db)


def row_extras(title: str | None, body: str) -> dict:
    """Extra columns the store writes beside an article: none, the triggers index it."""
    return {}
