"""Search and export benchmark: synthetic Polish archive, Datasette over HTTP, CSV export.

    uv run python bench/search.py [--rows N] [--keep DB] [--results DIR] [--skip-export]

Builds N generated articles through scraper.archive.db (the real index and count triggers), serves
them with scraper.web.serve.datasette_args, times the results list (HTML, row count included:
exact, or "około" when estimated) for rare, medium and common terms, then the researcher's
other pages (article page, timeline of a broad search, Atom feed), checks the target queries
miss no article, streams the full CSV for Excel from the UI and through `archiwum export`, writes
an .xlsx of one year, prints a table and writes DIR/search.json. Reference rows, measured in the
same run: the table page without a search, and Datasette's stock search count SQL for a common
term.
"""
from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scraper.archive import db as archive_db

from scraper.archive import topics  # noqa: E402
from scraper.web.clients import UNLIMITED  # noqa: E402
from scraper.web.serve import datasette_args  # noqa: E402

COUNT_SHOWN = re.compile(r'class="archiwum-count">\s*(około )?<strong>([\d\u00a0]+)</strong>')
STOCK_PLAN_SQL = """select count(*) from articles where rowid in
  (select rowid from articles_fts where articles_fts match archiwum_match(:q))"""
RESULTS = ROOT / "bench" / "results"
TARGET_P95_MS = 150
REQUESTS_PER_QUERY = 15
BATCH = 5_000
CITIES = [("Łódź", "łódzkie"), ("Gdańsk", "pomorskie"), ("Kraków", "małopolskie"),
          ("Wrocław", "dolnośląskie"), ("Poznań", "wielkopolskie"), ("Białystok", "podlaskie"),
          ("Zielona Góra", "lubuskie"), ("Rzeszów", "podkarpackie")]
CITY_FORMS = {"Łódź": "Łodzi", "Gdańsk": "Gdańsku", "Kraków": "Krakowie", "Wrocław": "Wrocławiu",
              "Poznań": "Poznaniu", "Białystok": "Białymstoku", "Zielona Góra": "Zielonej Górze",
              "Rzeszów": "Rzeszowie"}
FILLER = ("miasto urząd mieszkańców program pomocy wsparcie rodzin dzieci projekt spotkanie "
          "zajęcia osoby starsze informacja termin zgłoszenia udział bezpłatny ośrodek "
          "centrum dzielnica konsultacje społeczne działania warsztaty szkolenie dotacja "
          "gmina rada komisja uchwała inwestycja remont lokal świetlica wolontariusze "
          "organizacja stowarzyszenie fundacja konkurs oferta zadanie publiczne realizacja "
          "wniosek formularz kontakt telefon poniedziałek piątek godzinach zapraszamy "
          "serdecznie wydarzenie festyn piknik park biblioteka kultura sport zdrowie "
          "profilaktyka opieka świadczenia zasiłek dodatek mieszkaniowy praca zatrudnienie "
          "aktywizacja zawodowa bezrobotnych staż kurs język komputer rehabilitacja "
          "niepełnosprawnych asystent transport dowóz posiłki paczki żywnościowe zbiórka").split()
# Marked terms with the share of articles that carry them (for rare/medium/common timing).
PLANTED = {
    "hipoterapia": 0.0002, "noclegowni": 0.01, "społeczna": 0.03, "seniorów": 0.05,
    "seniorami": 0.02, "budżetu obywatelskiego": 0.02, "mieszkańców": 0.5,
}
QUERIES = ["hipoterapia", "noclegownia lodz", "noclegownia", "seniorzy", "budzetu obywatelskiego",
           '"budżet obywatelski"', "lodz seniorzy", "spoleczna", "lodz", "mieszkancy",
           "program OR projekt"]
KINDS = ((1_000, "rare"), (100_000, "medium"), (None, "common"))
STOCK_REFERENCE_QUERY = "mieszkancy"
# Target queries and the articles each must find (every one, none missed).
MUST_FIND = {"lodz": "city = 'Łódź'", "spoleczna": "body like '%społeczna%'",
             "seniorzy": "body like '%seniorów%' or body like '%seniorami%'",
             "budzetu obywatelskiego": "body like '%budżetu obywatelskiego%'"}
MISSED_SQL = """select count(*) from articles where ({condition}) and rowid not in
  (select rowid from articles_fts where articles_fts match archiwum_match(:q))"""


def article(n: int, rng: random.Random) -> dict:
    city, voivodeship = CITIES[n % len(CITIES)]
    words = rng.choices(FILLER, k=rng.randint(150, 250))
    for term, share in PLANTED.items():
        if rng.random() < share:
            words.insert(rng.randrange(len(words)), term)
    words.insert(rng.randrange(len(words)), f"w {CITY_FORMS[city]}")
    title = " ".join(rng.choices(FILLER, k=6)).capitalize()
    body = " ".join(words).capitalize() + "."
    published = f"{rng.randint(2012, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {"id": f"bench-{n}", "url": f"https://example.invalid/{n}", "title": title,
            "body": body, "published": published, "source": f"mops-{n % len(CITIES)}",
            "city": city, "voivodeship": voivodeship,
            "topics": json.dumps(topics.assign(title, body), ensure_ascii=False),
            "fetched_at": "2026-01-01T00:00:00Z"}


def batch(start: int, rows: int) -> list[dict]:
    rng = random.Random(start)
    return [article(n, rng) for n in range(start, min(rows, start + BATCH))]


def build(path: Path, rows: int) -> float:
    """Generate in a second process while this one inserts (and the triggers index)."""
    started = time.perf_counter()
    db = archive_db.connect(path)
    with multiprocessing.Pool(1) as pool:
        for articles in pool.imap(functools.partial(batch, rows=rows), range(0, rows, BATCH)):
            with db.conn:
                db["articles"].insert_all(articles, batch_size=BATCH)
    db.execute("analyze")
    db.conn.close()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_datasette(path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    # One address times page after page: the per-client limit (scraper/web/clients.py) is off.
    process = subprocess.Popen(datasette_args(path, port=port, web_settings=UNLIMITED), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=2)
            return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"Datasette did not start: {process.stderr.read().decode()[-2000:]}")


def fetch(url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
    return (time.perf_counter() - started) * 1000, body


def page_latency(base: str, db_name: str, query: str | None) -> dict:
    args = {"_search": query} if query else {}
    url = f"{base}/{db_name}/articles?{urllib.parse.urlencode(args)}"
    return {"query": query or "(no search)", **latency([url])}


def latency(urls: list[str]) -> dict:
    """Median and p95 of REQUESTS_PER_QUERY requests going round `urls`, after one warm-up."""
    fetch(urls[0])
    times, body = [], b""
    for n in range(REQUESTS_PER_QUERY):
        elapsed, body = fetch(urls[n % len(urls)])
        times.append(elapsed)
    return {"median_ms": round(statistics.median(times), 1),
            "p95_ms": round(sorted(times)[int(0.95 * (len(times) - 1))], 1),
            "rows": shown_count(body.decode())}


def other_pages(base: str, db_name: str, rows: int) -> list[dict]:
    """The article page (different articles), the timeline and the feed of broad searches."""
    rng = random.Random(7)
    articles = [f"{base}/{db_name}/articles/bench-{rng.randrange(rows)}"
                for _ in range(REQUESTS_PER_QUERY)]
    timeline = f"{base}/-/archiwum/timeline?"
    feed = f"{base}/{db_name}/articles.atom?"
    pages = [("article page", "(15 different articles)", articles),
             ("timeline", "(whole archive)", [timeline]),
             ("timeline", "mieszkancy", [timeline + "_search=mieszkancy"]),
             ("timeline", "seniorzy", [timeline + "_search=seniorzy"]),
             ("timeline", "lodz (by week)", [timeline + "_search=lodz&_okres=tydzien"]),
             ("feed", "mieszkancy", [feed + "_search=mieszkancy"]),
             ("feed", "noclegownia lodz", [feed + urllib.parse.urlencode(
                 {"_search": "noclegownia lodz"})])]
    return [{"kind": kind, "query": query, **latency(urls)} for kind, query, urls in pages]


def shown_count(page: str) -> str | None:
    """The count the results list shows: exact, or "około N" when estimated."""
    found = COUNT_SHOWN.search(page)
    return "".join(part or "" for part in found.groups()).replace("\u00a0", ",").strip() \
        if found else None


def sql_ms(path: Path, sql: str, query: str) -> tuple[float, int]:
    """Milliseconds and the single value of a query run in SQLite directly."""
    db = archive_db.connect(path)
    started = time.perf_counter()
    value = db.execute(sql, {"q": query}).fetchone()[0]
    elapsed = (time.perf_counter() - started) * 1000
    db.conn.close()
    return round(elapsed, 1), value


def fts_count(path: Path, query: str) -> dict:
    ms, hits = sql_ms(path, "select count(*) from articles_fts where articles_fts match "
                            "archiwum_match(:q)", query)
    kind = next(name for most, name in KINDS if most is None or hits <= most)
    return {"kind": kind, "hits": hits, "fts_count_ms": ms}


def missed(path: Path) -> dict[str, int]:
    return {query: sql_ms(path, MISSED_SQL.format(condition=condition), query)[1]
            for query, condition in MUST_FIND.items()}


def csv_export_ui(base: str, db_name: str) -> dict:
    """The results page's "CSV dla Excela" link for the whole archive (rows are counted by
    their key column, the last: bodies hold no line breaks in generated articles)."""
    started = time.perf_counter()
    lines, first = 0, b""
    url = f"{base}/-/archiwum/export.csv"
    with urllib.request.urlopen(url, timeout=3600) as response:
        for line in response:
            first = first or line
            lines += 1
    seconds = time.perf_counter() - started
    return {"how": "UI /-/archiwum/export.csv", "rows": lines - 1, "seconds": round(seconds, 1),
            "rows_per_s": round((lines - 1) / seconds), "bom": first.startswith(b"\xef\xbb\xbf")}


def export_cli(path: Path, *args: str, suffix: str = ".csv") -> dict:
    with tempfile.NamedTemporaryFile(suffix=suffix) as out:
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "scraper.cli.main", "export", "--db",
                              str(path), *args, "-o", out.name], check=True, cwd=ROOT,
                             capture_output=True, text=True)
        seconds = time.perf_counter() - started
    rows = int(run.stderr.split()[0])  # "N articles exported"
    return {"how": f"archiwum export {' '.join(args)}", "rows": rows,
            "seconds": round(seconds, 1), "rows_per_s": round(rows / seconds)}


def print_table(result: dict) -> None:
    print(f"\n{result['rows']:,} articles, database {result['db_mb']:,} MB, built in "
          f"{result['build_s']} s")
    print(f"{'kind':12} {'query':28} {'rows shown':>12} {'median ms':>10} {'p95 ms':>8} {'fts count ms':>13}")
    for row in result["search"]:
        print(f"{row['kind']:12} {row['query']:28} {row['rows'] or '':>12} {row['median_ms']:>10} "
              f"{row['p95_ms'] or '':>8} {row.get('fts_count_ms', ''):>13}")
    worst = max(row["p95_ms"] for row in result["search"] if row["kind"] != "reference")
    worst_row = next(row for row in result["search"] if row["p95_ms"] == worst)
    print("reference rows: the table page without a search (count and facets from the kept "
          "counts), and Datasette's stock search count SQL run once in SQLite")
    print(f"worst page p95 {worst} ms ({worst_row['kind']} {worst_row['query']}; "
          f"target < {TARGET_P95_MS} ms): "
          f"{'met' if worst < TARGET_P95_MS else 'NOT met'}")
    print("target queries, articles missed:", result["missed"])
    for row in result["export"] + result["xlsx"]:
        print(f"export {row['how']:48} {row['rows']:>9,} rows {row['seconds']:>7} s "
              f"{row['rows_per_s']:>8,} rows/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="articles to generate")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the archive at this path")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="directory for search.json (default bench/results)")
    parser.add_argument("--skip-export", action="store_true", help="time the search page only")
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory()
    path = args.keep or Path(workdir.name) / "archive.db"
    build_s = 0.0 if path.exists() else build(path, args.rows)
    process, base = start_datasette(path)
    try:
        search = [{"kind": "reference", **page_latency(base, path.stem, None)},
                  {"kind": "reference", "query": f"stock count: {STOCK_REFERENCE_QUERY}",
                   "rows": None, "p95_ms": None,
                   "median_ms": sql_ms(path, STOCK_PLAN_SQL, STOCK_REFERENCE_QUERY)[0]}]
        for query in QUERIES:
            search.append({**fts_count(path, query), **page_latency(base, path.stem, query)})
        search += other_pages(base, path.stem, args.rows)
        export = [] if args.skip_export else [csv_export_ui(base, path.stem),
                                              export_cli(path, "--excel")]
        # One year, not the whole archive (a workbook of 1M bodies is past Excel's own limit
        # of 1,048,576 rows per sheet anyway); kept out of `export`, whose rows are all.
        xlsx = [] if args.skip_export else [
            export_cli(path, "--year", "2020", "--format", "xlsx", suffix=".xlsx")]
    finally:
        process.terminate()
        process.wait()
    result = {"rows": args.rows, "build_s": round(build_s, 1),
              "db_mb": round(path.stat().st_size / 1e6), "search": search, "export": export,
              "xlsx": xlsx,
              "missed": missed(path)}
    print_table(result)
    if args.skip_export:
        return 0
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "search.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
