"""The national registry: every gmina's portal, BIP and welfare centre from one CSV (TERYT codes).

    archiwum sources import gminas.csv --output gminas.toml
    archiwum sources --registry gminas.toml --voivodeship mazowieckie --kind bip

Columns: teryt, name, type, voivodeship, powiat, portal_url, bip_url, mops_url (an empty URL is
no source), optionally note. Each URL becomes a registry source `g<teryt>-portal|bip|mops`.
Every problem in the file is reported at once, with its line number.
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from scraper.registry.sources import RegistryError, Source, check_url, to_toml
from scraper.text import normalise_text

COLUMNS = ("teryt", "name", "type", "voivodeship", "powiat", "portal_url", "bip_url", "mops_url")
OPTIONAL_COLUMNS = ("note",)

# TERC: voivodeship (2 digits), powiat (2), gmina (2), type (1).
TERYT_PATTERN = re.compile(r"\d{7}")
VOIVODESHIP_CODES = {
    "02": "dolnośląskie", "04": "kujawsko-pomorskie", "06": "lubelskie", "08": "lubuskie",
    "10": "łódzkie", "12": "małopolskie", "14": "mazowieckie", "16": "opolskie",
    "18": "podkarpackie", "20": "podlaskie", "22": "pomorskie", "24": "śląskie",
    "26": "świętokrzyskie", "28": "warmińsko-mazurskie", "30": "wielkopolskie",
    "32": "zachodniopomorskie",
}
GMINA_TYPES = {"gmina miejska": "1", "gmina wiejska": "2", "gmina miejsko-wiejska": "3"}

# URL column -> (id suffix, registry kind, name suffix)
URL_COLUMNS = {
    "portal_url": ("portal", "city_hall", "portal gminy"),
    "bip_url": ("bip", "bip", "Biuletyn Informacji Publicznej"),
    "mops_url": ("mops", "welfare_centre", "ośrodek pomocy społecznej"),
}
HOST_PATTERN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d+)?")


class GminaImportError(RegistryError):
    """The CSV has problems; the message lists each with its line."""


def read_gminas(path: str | Path) -> list[Source]:
    """Registry sources for every gmina in the CSV, or GminaImportError naming every problem."""
    rows = read_rows(Path(path))
    problems, sources, first_line = [], [], {}
    for line, row in rows:
        row_problems = check_row(row)
        teryt = row["teryt"]
        if teryt in first_line:
            row_problems.append(f"duplicate TERYT {teryt} (ids g{teryt}-*), first on line {first_line[teryt]}")
        first_line.setdefault(teryt, line)
        problems += [f"{path} line {line}: {problem}" for problem in row_problems]
        if not row_problems:
            sources += gmina_sources(row)
    if problems:
        raise GminaImportError("\n".join(problems))
    return sources


def read_rows(path: Path) -> list[tuple[int, dict]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise GminaImportError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise GminaImportError(f"{path} is not UTF-8 text") from None
    reader = csv.DictReader(text.splitlines())
    check_header(path, reader.fieldnames or [])
    return [(reader.line_num, {k: clean(v) for k, v in row.items()}) for row in reader]


def check_header(path: Path, header: list[str]) -> None:
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        raise GminaImportError(
            f"{path}: columns must be {', '.join(COLUMNS)} (and optionally note); "
            + "; ".join(filter(None, [missing and f"missing {', '.join(missing)}",
                                      unknown and f"unknown {', '.join(unknown)}"])))


def clean(value: str | None) -> str:
    return normalise_text(value)


def check_row(row: dict) -> list[str]:
    problems = [f"{column} is empty" for column in ("teryt", "name", "type", "voivodeship", "powiat")
                if not row[column]]
    problems += check_teryt(row)
    problems += [problem for column in URL_COLUMNS if row[column]
                 for problem in check_portal_url(row[column], column)]
    if not any(row[column] for column in URL_COLUMNS):
        problems.append("no URL (portal_url, bip_url, mops_url all empty)")
    return problems


def check_teryt(row: dict) -> list[str]:
    teryt, voivodeship, kind = row["teryt"], row["voivodeship"].lower(), row["type"].lower()
    problems = []
    if voivodeship and voivodeship not in VOIVODESHIP_CODES.values():
        problems.append(f"unknown voivodeship {row['voivodeship']!r}")
    if kind and kind not in GMINA_TYPES:
        problems.append(f"unknown type {row['type']!r} (one of {', '.join(GMINA_TYPES)})")
    if not TERYT_PATTERN.fullmatch(teryt):
        return problems + ([f"TERYT {teryt!r} is not 7 digits"] if teryt else [])
    named = VOIVODESHIP_CODES.get(teryt[:2])
    if voivodeship in VOIVODESHIP_CODES.values() and named != voivodeship:
        problems.append(f"TERYT {teryt} is in {named or 'no voivodeship'}, not {voivodeship}")
    if kind in GMINA_TYPES and teryt[-1] != GMINA_TYPES[kind]:
        problems.append(f"TERYT {teryt} ends in {teryt[-1]}, but a {kind} ends in {GMINA_TYPES[kind]}")
    return problems


def check_portal_url(url: str, column: str) -> list[str]:
    try:
        check_url(url, column)
    except RegistryError as error:
        return [str(error)]
    host = urlsplit(url).netloc.lower()
    return [] if HOST_PATTERN.fullmatch(host) else [f"{column}: {url!r} has no valid host name"]


def gmina_sources(row: dict) -> list[Source]:
    return [
        Source(
            id=f"g{row['teryt']}-{suffix}", name=f"{row['name']} — {label}", kind=kind,
            city=row["name"], gmina=row["name"], voivodeship=row["voivodeship"].lower(),
            teryt=row["teryt"], start_urls=[row[column]], allowed_hosts=host_variants(row[column]),
        )
        for column, (suffix, kind, label) in URL_COLUMNS.items() if row[column]
    ]


def host_variants(url: str) -> list[str]:
    """A portal answers with and without `www.`; links to either stay on it."""
    bare = urlsplit(url).netloc.lower().removeprefix("www.")
    return sorted({bare, "www." + bare})


# --- `archiwum sources import` -----------------------------------------------------------------

def add_import_arguments(parser) -> None:
    parser.add_argument("csv", metavar="CSV", help="gminas: " + ", ".join(COLUMNS))
    parser.add_argument("--output", "-o", metavar="TOML",
                        help="write the registry here (default: print it)")


def run_import(args) -> int:
    sources = read_gminas(args.csv)
    text = to_toml(sources)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    gminas = len({s.teryt for s in sources})
    kinds = ", ".join(f"{sum(s.kind == kind for s in sources)} {kind}"
                      for _suffix, kind, _label in URL_COLUMNS.values())
    print(f"imported {gminas} gminas: {len(sources)} sources ({kinds})"
          + (f" → {args.output}" if args.output else ""), file=sys.stderr)
    return 0
