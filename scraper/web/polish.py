"""Datasette's own words in Polish: filter operators, the description of a filtered table,
facet types and error messages, for the Polish copies of Datasette's pages in templates/
(the table of every column, a row, a query, the database page, an error page).

Datasette 0.65 writes these in Python (`Filters.lookups()`, `human_description_en`, the
messages of its exceptions), so the templates read them through the filters registered here."""
from __future__ import annotations

import json
import re

from markupsafe import Markup, escape

# Filter operators as the filter form offers them (datasette/filters.py keys).
LOOKUPS = {
    "exact": "=", "not": "≠", "contains": "zawiera", "endswith": "kończy się na",
    "startswith": "zaczyna się od", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤",
    "like": "pasuje do wzorca SQL (like)", "notlike": "nie pasuje do wzorca SQL (not like)",
    "glob": "pasuje do wzorca (glob)", "in": "jest jednym z", "notin": "nie jest żadnym z",
    "arraycontains": "lista zawiera", "arraynotcontains": "lista nie zawiera",
    "date": "data", "isnull": "jest pusta (null)", "notnull": "nie jest pusta (null)",
    "isblank": "jest pusta", "notblank": "nie jest pusta",
}
# How a filter reads in the sentence above the table: {c} column, {v} value.
CLAUSES = {
    "exact": "{c} = „{v}”", "not": "{c} ≠ „{v}”", "contains": "{c} zawiera „{v}”",
    "endswith": "{c} kończy się na „{v}”", "startswith": "{c} zaczyna się od „{v}”",
    "gt": "{c} > {v}", "gte": "{c} ≥ {v}", "lt": "{c} < {v}", "lte": "{c} ≤ {v}",
    "like": "{c} pasuje do „{v}”", "notlike": "{c} nie pasuje do „{v}”",
    "glob": "{c} pasuje do „{v}”", "in": "{c} jest jednym z: {v}",
    "notin": "{c} nie jest żadnym z: {v}", "arraycontains": "{c} zawiera „{v}”",
    "arraynotcontains": "{c} nie zawiera „{v}”", "date": "{c} ma datę {v}",
    "isnull": "{c} jest pusta", "notnull": "{c} nie jest pusta",
    "isblank": "{c} jest pusta", "notblank": "{c} nie jest pusta",
}
FACET_TYPES = {"array": "lista", "date": "dzień", "year": "rok"}
SHOW_HIDE = {"hide": "ukryj", "show": "pokaż"}
# Datasette's error messages (and titles) → what the reader is told.
ERRORS = [
    (re.compile(r"^(404|Not Found)$"), "Nie ma takiej strony."),
    (re.compile(r"^Database not found"), "Nie ma takiej bazy danych."),
    (re.compile(r"^Table not found"), "Nie ma takiej tabeli."),
    (re.compile(r"^Record not found"), "Nie ma takiego wiersza."),
    (re.compile(r"^Cannot sort table by (.*)"), "Nie można sortować tej tabeli według {0}."),
    (re.compile(r"^Cannot use _sort and _sort_desc"), "Nie można użyć naraz _sort i _sort_desc."),
    (re.compile(r"^_size must be"), "Nieprawidłowy rozmiar strony (_size)."),
    (re.compile(r"^Cannot search by that column"), "Nie można szukać w tej kolumnie."),
    (re.compile(r"SQL query took too long", re.S),
     "Zapytanie trwało dłużej, niż pozwala limit czasu serwera. Zawęź wyszukiwanie "
     "(więcej słów, filtr miasta lub dat) i spróbuj jeszcze raz."),
    # SQLite's commonest complaints about an operator's SQL.
    (re.compile(r"^no such column: (.*)"), "Nie ma kolumny {0}."),
    (re.compile(r"^no such table: (.*)"), "Nie ma tabeli {0}."),
    (re.compile(r"^no such function: (.*)"), "Nie ma funkcji {0}."),
    (re.compile(r'^near "(.*)": syntax error'), "Błąd składni SQL przy „{0}”."),
    # A permission refused: Datasette names the action.
    (re.compile(r"^execute-sql$"), "Ten serwer nie wykonuje własnych zapytań SQL; wyszukiwarka, "
                                   "filtry i gotowe zapytania działają."),
    (re.compile(r"^view-(instance|database|table|query)$"), "Brak uprawnień do tej strony."),
    (re.compile(r"^(You do not have permission|Permission denied|_where= is not allowed)"),
     "Ten serwer nie pozwala na to (na przykład na własne zapytania SQL)."),
]
TITLES = {"Invalid SQL": "Błąd w zapytaniu SQL", "SQL Interrupted": "Zapytanie przerwane",
          "Forbidden": "Brak dostępu"}


def lookup_label(key: str, display: str) -> str:
    return LOOKUPS.get(key, display)


def rows_word(count: int) -> str:
    """1 wiersz, 2 wiersze, 5 wierszy (Polish plural after a number)."""
    if count == 1:
        return "wiersz"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return "wiersze"
    return "wierszy"


def _clause(column: str, lookup: str, value: str) -> str:
    if lookup in ("in", "notin"):
        try:
            items = json.loads(value) if value.startswith("[") else value.split(",")
        except ValueError:
            items = [value]
        value = ", ".join(f"„{str(item).strip()}”" for item in items)
    return CLAUSES.get(lookup, "{c} {v}").format(c=column, v=value)


def description(filters, args, sort: str | None, sort_desc: str | None,
                extra: list[str] = ()) -> str:
    """Datasette's `human_description_en` in Polish: "gdzie miasto = „Gdańsk” i …, według
    published malejąco"."""
    bits = list(extra)
    if args.get("_search"):
        bits.insert(0, f"wyszukiwanie „{args.get('_search')}”")
    bits += [_clause(c, lookup, v) for c, lookup, v in filters.selections()] if filters else []
    text = ""
    if bits:
        text = "gdzie " + (", ".join(bits[:-1]) + " i " if len(bits) > 1 else "") + bits[-1]
    if sort or sort_desc:
        text = " ".join(filter(None, [text, f"według {sort or sort_desc}"
                                            + (" malejąco" if sort_desc else "")]))
    return text


def error_message(message) -> Markup | str:
    """An error's message in Polish where its wording is known (Datasette's, SQLite's
    commonest); any other stays as it was said."""
    text = str(message or "")
    for pattern, polish in ERRORS:
        match = pattern.search(text)
        if match:
            return polish.format(*(escape(group) for group in match.groups()))
    return message


def error_title(title: str | None, status: int | None) -> str:
    return TITLES.get(title or "", title) if title else f"Błąd {status}"


def register(env) -> None:
    env.filters.update({"pl_lookup": lookup_label, "pl_rows": rows_word,
                        "pl_error": error_message, "pl_facet_type": FACET_TYPES.get,
                        "pl_show_hide": lambda text: SHOW_HIDE.get(text, text)})
    env.globals.update({"pl_description": description, "pl_error_title": error_title})
