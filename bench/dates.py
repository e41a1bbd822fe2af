"""Polish dates benchmark: scraper.dates.grammar vs dateparser and htmldate, same items, one run.

    uv run python bench/dates.py

Strings: tests/data/dates.tsv (labelled). Development set: ../shared/dates-dev/dateparser-pl.jsonl
(dateparser's own Polish cases, with a relevance class each: real, edge, pedantic), read to the day
by us, `dateparser.parse` and `dateparser.search.search_dates` (first date found). Pages: built below from templates of real portal
styles (Joomla, BIP metryczka, Gdańsk, WordPress, JSON-LD, header clocks and footers as traps),
each filled with many dates and read by the clean stage; the expected values come from the date a
page was built from.
Replica pages: every article of the portal replicas through the clean and dates stages, with the
change register the spider would fetch; expected values from their gold labels. On pages, our
timings are the dates stage's alone: it reads the evidence the clean stage gathered (not timed),
where htmldate parses the page itself.
Page addresses: on the real pages of ../shared/extraction-dev/aeb, how often the date in a page's
address (weak evidence, used only when the page names no publication date) agrees with the date the
page names itself, and how many pages the address alone dates.
Prints a table and writes bench/results/dates.json.
"""
from __future__ import annotations

import dataclasses
import html as html_escape
import json
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dateparser  # noqa: E402
import htmldate  # noqa: E402

from scrapy.http import HtmlResponse  # noqa: E402
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding  # noqa: E402

from pipelines.dates import item_dates  # noqa: E402
from scraper.dates.change_register import register_links  # noqa: E402
from scraper.demo.build import build_site  # noqa: E402
from scraper.demo.gold import gold_articles  # noqa: E402
from scraper.demo.sites import REPLICAS  # noqa: E402
from scraper.crawl.encoding import best_encoding  # noqa: E402
from scraper.extract.main_text import extract  # noqa: E402
from scraper.dates import rules  # noqa: E402
from scraper.dates.grammar import address_date, page_dates, parse_date  # noqa: E402

TSV = ROOT / "tests" / "data" / "dates.tsv"
DEV_SET = next((path for path in (ROOT.parent / "shared" / "dates-dev" / "dateparser-pl.jsonl",
                                  Path("/work/shared/dates-dev/dateparser-pl.jsonl")) if path.exists()), None)
RELEVANCE = ("real", "edge", "pedantic")
RESULTS = ROOT / "bench" / "results" / "dates.json"
NOW = datetime(2025, 6, 10, 8, 0, tzinfo=timezone.utc)  # the TSV's fetch time
WARSAW = ZoneInfo("Europe/Warsaw")
REPEATS = 5
PAGE_URL = "https://mops.example.pl/aktualnosci/komunikat"
PAGES_PER_TEMPLATE = 30

GENITIVE = ("stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
            "listopada grudnia").split()
NOMINATIVE = ("styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik "
              "listopad grudzień").split()
ABBREVIATED = "sty lut mar kwi maj cze lip sie wrz paź lis gru".split()
ROMAN = "I II III IV V VI VII VIII IX X XI XII".split()
WEEKDAYS = "poniedziałek wtorek środa czwartek piątek sobota niedziela".split()

# --- strings ---------------------------------------------------------------------------------


def labelled_strings():
    lines = TSV.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if not line.startswith("#")][1:]


def dateparser_iso(text: str) -> str | None:
    settings = {"DATE_ORDER": "DMY", "RELATIVE_BASE": NOW.astimezone(WARSAW).replace(tzinfo=None)}
    found = dateparser.parse(text, languages=["pl"], settings=settings)
    return found.isoformat() if found else None


def htmldate_iso(text: str) -> str | None:
    page = f"<html><body><p>{html_escape.escape(text)}</p></body></html>"
    return htmldate.find_date(page, original_date=True)


def string_correct(expected: str, got: str | None, strict: bool) -> bool:
    """Ours must match exactly; the stock tools get credit for the right day (and minute)."""
    if not expected or not got:
        return not expected and not got
    if strict:
        return got == expected
    if len(expected) == 7:  # month only
        return got[:7] == expected
    if len(expected) == 10:
        return got[:10] == expected
    return got[:16] == expected[:16]


def measure(tools, items, expected, correct) -> list[dict]:
    """Accuracy and speed of each tool on the same items; the timed passes are interleaved
    (tool A, tool B, ... then again) so that load on the machine hits every tool alike."""
    runs = []
    for name, call, strict in tools:
        results = [call(item) for item in items]
        misses = [(item if isinstance(item, str) else item["template"], exp, got)
                  for item, exp, got in zip(items, expected, results) if not correct(exp, got, strict)]
        runs.append({"tool": name, "items": len(items), "accuracy": 1 - len(misses) / len(items),
                     "seconds": [], "misses": misses})
    for _ in range(REPEATS):
        for run, (_, call, _) in zip(runs, tools):
            run["seconds"].append(_timed(lambda: [call(item) for item in items]))
    for run in runs:
        run["per_second"] = len(items) / min(run["seconds"])
        run["us_per_item"] = min(run["seconds"]) / len(items) * 1e6
    return runs


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


# --- development set --------------------------------------------------------------------------


def dev_cases() -> list[dict]:
    if DEV_SET is None:
        return []
    return [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def dev_now(case: dict) -> datetime:
    return datetime.fromisoformat(case["now"])


def dev_settings(case: dict) -> dict:
    return {"DATE_ORDER": "DMY", "RELATIVE_BASE": dev_now(case).astimezone(WARSAW).replace(tzinfo=None)}


def dev_ours(case: dict) -> str | None:
    return parse_date(case["text"], dev_now(case))


def dev_dateparser(case: dict) -> str | None:
    found = dateparser.parse(case["text"], languages=["pl"], settings=dev_settings(case))
    return found.isoformat() if found else None


def dev_search_dates(case: dict) -> str | None:
    from dateparser.search import search_dates

    found = search_dates(case["text"], languages=["pl"], settings=dev_settings(case))
    return found[0][1].isoformat() if found else None


def dev_day_correct(expected, got) -> bool:
    """Right to the day (to the month for a month-only answer); a list holds every acceptable one."""
    answers = expected if isinstance(expected, list) else [expected]
    for answer in answers:
        if answer is None and got is None:
            return True
        if answer is not None and got is not None and got[:len(answer[:10])] == answer[:10]:
            return True
    return False


def dev_runs(cases: list[dict]) -> list[dict]:
    """Per tool: day-level accuracy on the whole set and per relevance class, and the misses."""
    runs = []
    for name, call in (("polish_dates.parse_date", dev_ours), ("dateparser.parse (pl, DMY)", dev_dateparser),
                       ("dateparser search_dates (pl, DMY)", dev_search_dates)):
        results = [(case, _never_raising(call, case)) for case in cases]
        right = [dev_day_correct(case["expected"], got) for case, got in results]
        run = {"tool": name, "items": len(cases), "accuracy": sum(right) / len(cases),
               "misses": [(case["text"], case["expected"], got) for (case, got), ok in zip(results, right) if not ok]}
        for relevance in RELEVANCE:
            marks = [ok for (case, _), ok in zip(results, right) if case["relevance"] == relevance]
            run[relevance] = sum(marks) / len(marks) if marks else None
        runs.append(run)
    return runs


def _never_raising(call, case):
    try:
        return call(case)
    except Exception as error:  # a tool that raises has read no date
        return f"raised {type(error).__name__}"


# --- pages -----------------------------------------------------------------------------------

HEADER_CLOCK = ('<header id="top"><div class="zegar">Aktualny czas {now_wd}, {now_d} {now_gen} {now_y}'
                ' • Imieniny: Marka, Justyny</div><nav><a href="/">Start</a></nav></header>')
FOOTER = '<footer><p>© 2008-{now_y} Miejski Ośrodek Pomocy Społecznej</p></footer>'
EVENT = "<p>Kolejne spotkanie odbędzie się {ev_d} {ev_gen} {ev_y} r. w sali ratusza.</p>"

# (name, html body, expected: published/updated/created as keys of iso_values)
TEMPLATES = [
    ("joomla", HEADER_CLOCK + '<div class="item-page"><h2>Realizowane projekty</h2><dl class="article-info">'
     '<dd class="published">Opublikowano: {wd}, {dd}, {nom} {y} {HH}:{MM}</dd><dd class="hits">Odsłony: 3056</dd>'
     "</dl>" + EVENT + "</div>" + FOOTER, ("time", None, None)),
    ("joomla-three", '<div class="item-page"><h2>Ogłoszenie</h2><dl class="article-info">'
     '<dd class="create">Utworzono: {cwd}, {cdd}, {cnom} {cy} {HH}:{MM}</dd>'
     '<dd class="modified">Poprawiono: {uwd}, {udd}, {unom} {uy} {HH}:{MM}</dd>'
     '<dd class="published">Opublikowano: {wd}, {dd}, {nom} {y} {HH}:{MM}</dd></dl><p>Treść.</p></div>', ("time", "utime", "ctime")),
    ("bip-metryczka", '<div id="tresc"><h1>Ogłoszenie o naborze</h1><p>Treść.</p><table class="metryczka">'
     "<tr><td>Wytworzył:</td><td>Jan Kowalski</td></tr><tr><td>Data wytworzenia:</td><td>{cd} {cabbr} {cy}</td></tr>"
     "<tr><td>Opublikował:</td><td>Anna Nowak</td></tr><tr><td>Data publikacji:</td><td>{d} {abbr} {y}, godz. {HH}:{MM}</td></tr>"
     "<tr><td>Data modyfikacji:</td><td>{udd}.{umm}.{uy}</td></tr></table></div>", ("time", "udate", "cdate")),
    ("bip-one-line", "<div><h1>Zarządzenie</h1><p>Treść zarządzenia.</p><p class=\"meta\">Data publikacji "
     "{y}-{mm}-{dd} {HH}:{MM} • Ostatnia modyfikacja {uy}-{umm}-{udd} {HH}:{MM}</p></div>",
     ("time", "utime", None)),
    ("bip-empty-fields", '<div><h1>Informacja</h1><p>Treść.</p><p>Data stworzenia : {y}-{mm}-{dd} {HH}:{MM} '
     "Autor : Data publikacji :</p><p>Publikacja dnia: {udd}.{umm}.{uy}</p></div>",
     ("udate", None, "time")),
    ("gdansk-news", HEADER_CLOCK + "<main><h1>Dzień Seniora</h1><p class=\"lead\">Zapraszamy.</p><p>{dd}.{mm}.{y}</p>"
     + EVENT + "</main>" + FOOTER, ("date", None, None)),
    ("gdansk-static", "<main><h1>Integracja społeczna</h1><p>Ostatnia aktualizacja: {udd} {ugen} {uy} r.</p>"
     + EVENT + "</main>" + FOOTER, (None, "udate", None)),
    ("nowy-sacz", '<div id="o-nas">O nas</div>' + HEADER_CLOCK + "<h2>Aktualności:</h2><h3>Rewitalizacja</h3>"
     "<p>{d} {gen} {y} r.</p>" + EVENT + FOOTER,
     ("date", None, None)),
    ("mops-krakow-clock", HEADER_CLOCK + '<div class="data-dnia">{now_wd}, {now_d} {now_gen} {now_y}</div>'
     "<article><h1>Wsparcie</h1><p>{d} {rom} {y} r.</p>" + EVENT + "</article>" + FOOTER, ("date", None, None)),
    ("wordpress-meta", '<html><head><meta property="article:published_time" content="{utc_iso}"/>'
     '<meta property="article:modified_time" content="{u_utc_iso}"/></head><body>' + HEADER_CLOCK
     + '<article><h1>Nabór</h1><time class="entry-date published" datetime="{local_iso}">{d} {gen} {y}</time>'
     + EVENT + "</article>" + FOOTER + "</body></html>", ("time", "utime", None)),
    ("json-ld", '<html><head><script type="application/ld+json">{{"@context":"https://schema.org","@graph":'
     '[{{"@type":"WebSite","name":"MOPR"}},{{"@type":"NewsArticle","datePublished":"{local_iso}",'
     '"dateModified":"{u_local_iso}"}}]}}</script></head><body><h1>Komunikat</h1>' + EVENT + FOOTER
     + "</body></html>", ("time", "utime", None)),
    ("warszawa-rodzinna", "<div><h1>Program</h1><p>opublikowano: {d} {gen} {y} - {HH}:{MM}, admin</p>" + EVENT
     + "</div>" + FOOTER, ("time", None, None)),
    ("dobre-praktyki", '<div id="licznik">1.756.820 gości odwiedziło nas od 1 kwietnia 2008 r.</div>'
     "<h1>Wdrażanie projektów</h1><table><tr><td>Data wprowadzenia do BDP:</td><td>{y}-{mm}-{dd}</td></tr>"
     "<tr><td>Data aktualizacji:</td><td>{uy}-{umm}-{udd}</td></tr></table>", ("date", "udate", None)),
    ("relative", HEADER_CLOCK + "<article><h1>Komunikat</h1><p>Dodano: wczoraj, {HH}:{MM}</p></article>", ("yesterday", None, None)),
]


def date_fields(prefix: str, moment: datetime) -> dict:
    day = moment.date()
    return {
        f"{prefix}d": day.day, f"{prefix}dd": f"{day.day:02d}", f"{prefix}mm": f"{day.month:02d}",
        f"{prefix}y": day.year, f"{prefix}gen": GENITIVE[day.month - 1],
        f"{prefix}nom": NOMINATIVE[day.month - 1], f"{prefix}abbr": ABBREVIATED[day.month - 1],
        f"{prefix}rom": ROMAN[day.month - 1], f"{prefix}wd": WEEKDAYS[day.weekday()],
    }


def build_pages() -> list[dict]:
    rng = random.Random(2024)
    pages = []
    for name, body, expected in TEMPLATES:
        for _ in range(PAGES_PER_TEMPLATE):
            pages.append(build_page(rng, body, expected, name))
    return pages


def build_page(rng, body, expected, name) -> dict:
    published = datetime(2008, 1, 1, tzinfo=WARSAW) + timedelta(days=rng.randrange(6200),
                                                                  minutes=rng.randrange(6 * 60, 22 * 60))
    created = published - timedelta(days=rng.randrange(0, 5))
    updated = published + timedelta(days=rng.randrange(1, 400))
    fetched = updated + timedelta(days=rng.randrange(1, 300), hours=rng.randrange(24))
    event = published + timedelta(days=rng.randrange(3, 40))
    fields = {**date_fields("", published), **date_fields("c", created), **date_fields("u", updated),
              **date_fields("now_", fetched), **date_fields("ev_", event),
              "HH": f"{published.hour:02d}", "MM": f"{published.minute:02d}",
              "utc_iso": published.astimezone(timezone.utc).isoformat(),
              "u_utc_iso": updated.astimezone(timezone.utc).isoformat(),
              "local_iso": published.isoformat(), "u_local_iso": updated.isoformat()}
    values = {
        "date": published.date().isoformat(), "time": published.isoformat(timespec="seconds"),
        "cdate": created.date().isoformat(), "udate": updated.date().isoformat(),
        "ctime": created.replace(hour=published.hour, minute=published.minute).isoformat(timespec="seconds"),
        "utime": updated.replace(hour=published.hour, minute=published.minute).isoformat(timespec="seconds"),
        "yesterday": datetime.combine(fetched.date() - timedelta(days=1), published.time(), WARSAW)
        .isoformat(timespec="seconds"),
    }
    html = "<html><body>" + body.format(**fields) + "</body></html>" if "<html" not in body else body.format(**fields)
    return {"template": name, "html": html, "date_evidence": extract(html, PAGE_URL).date_evidence,
            "now": fetched.astimezone(timezone.utc),
            "expected": tuple(values[key] if key else None for key in expected)}


def replica_pages() -> list[dict]:
    """Every article of the portal replicas (scraper/demo), decoded and read by the clean stage
    (scraper/extract/main_text.py) as the crawl does, with its change register where it links one (as the
    spider fetches it); expected dates from the replicas' gold labels."""
    pages = []
    for site in REPLICAS:
        hosts = build_site(site)
        for gold in gold_articles(site):
            url = f"http://{gold['host']}/{gold['path'].lstrip('/')}"
            html = replica_html(hosts[gold["host"]], gold["path"])
            registers = register_links(HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8"))
            register_html = None
            if registers:
                register_url = urlsplit(urljoin(url, registers[0]))
                path = register_url.path + (f"?{register_url.query}" if register_url.query else "")
                register_html = replica_html(hosts[register_url.netloc], path)
            found = extract(html, url, change_register=register_html)
            pages.append({"template": f"{site} {gold['path']}", "html": html, "date_evidence": found.date_evidence,
                          "fetched_at": NOW.isoformat(),
                          "expected": (gold["published"], gold["updated"], gold["created"])})
    return pages


def replica_html(host, path: str) -> str:
    resource = host.resolve(path) or host.resolve(path.lstrip("/"))
    declared = http_content_type_encoding(resource.content_type) or html_body_declared_encoding(resource.body)
    return resource.body.decode(best_encoding(resource.body, declared) or "utf-8")


def same_moment(gold: str | None, got: str | None) -> bool:
    """Gold gives local Polish times without an offset; ours carry Warsaw's offset."""
    if gold is None or got is None:
        return gold == got
    return got.startswith(gold) and (len(gold) > 10) == (len(got) > 10)


def replica_correct(expected, got, strict) -> bool:
    if strict:
        return all(same_moment(exp, value) for exp, value in zip(expected, got))
    return got[0] == (expected[0][:10] if expected[0] else None)


def ours_page(page) -> tuple:
    found = page_dates(page["date_evidence"], now=page["now"])
    return found.published, found.updated, found.created


def ours_item(page) -> tuple:
    found = item_dates(page)
    return found.published, found.updated, found.created


def htmldate_page(page) -> tuple:
    return htmldate.find_date(page["html"], original_date=True), None, None


def page_correct(expected, got, strict) -> bool:
    if strict:
        return tuple(got) == tuple(expected)
    published = expected[0][:10] if expected[0] else None
    return got[0] == published


# --- report ----------------------------------------------------------------------------------


def main() -> None:
    rows = labelled_strings()
    texts, expected = [text for text, _, _ in rows], [iso for _, iso, _ in rows]
    dateparser_iso("3 marca 2020")  # first call loads dateparser's data (~160 ms): not a per-string cost
    strings = measure([
        ("polish_dates.parse_date", lambda text: parse_date(text, NOW), True),
        ("dateparser.parse (pl, DMY)", dateparser_iso, False),
        ("htmldate.find_date (<p>text</p>)", htmldate_iso, False),
    ], texts, expected, string_correct)
    pages = build_pages()
    page_runs = measure([
        ("polish_dates.page_dates (pub+upd+created)", ours_page, True),
        ("htmldate.find_date (published day only)", htmldate_page, False),
    ], pages, [page["expected"] for page in pages], page_correct)
    replicas = replica_pages()
    replica_runs = measure([
        ("pipelines.dates stage (pub+upd+created)", ours_item, True),
        ("htmldate.find_date (published day only)", htmldate_page, False),
    ], replicas, [page["expected"] for page in replicas], replica_correct)
    ratio = statistics.median(dp / ours for ours, dp in zip(strings[0]["seconds"], strings[1]["seconds"]))
    dev = dev_runs(dev_cases())
    addresses = address_agreement()
    print_table(strings, page_runs, replica_runs, ratio)
    print_dev_table(dev)
    print_address_table(addresses)
    write_results(strings, page_runs, replica_runs, ratio, dev, addresses)


def print_table(strings, page_runs, replica_runs, ratio) -> None:
    print(f"\nStrings: {strings[0]['items']} labelled (tests/data/dates.tsv), best of {REPEATS} interleaved runs")
    print(f"{'tool':42} {'accuracy':>9} {'strings/s':>11} {'µs/string':>10}")
    for run in strings:
        print(f"{run['tool']:42} {run['accuracy']:9.2%} {run['per_second']:11.0f} {run['us_per_item']:10.1f}")
    print(f"speed ratio parse_date / dateparser.parse (median of the {REPEATS} paired runs): {ratio:.1f}x")
    page_sets = ((f"Pages: {page_runs[0]['items']} built from {len(TEMPLATES)} portal templates (traps included)",
                  page_runs),
                 (f"Replica pages: {replica_runs[0]['items']} articles of {len(REPLICAS)} portal replicas, "
                  "date lines from the clean stage", replica_runs))
    for title, runs in page_sets:
        print(f"\n{title}")
        print(f"{'tool':42} {'accuracy':>9} {'pages/s':>11} {'µs/page':>10}")
        for run in runs:
            print(f"{run['tool']:42} {run['accuracy']:9.2%} {run['per_second']:11.0f} {run['us_per_item']:10.1f}")
    for run in strings[:1] + page_runs[:1] + replica_runs[:1]:
        for miss in run["misses"][:10]:
            print("  miss:", run["tool"], miss)


def print_dev_table(runs) -> None:
    if not runs or not runs[0]["items"]:
        print("\nDevelopment set: ../shared/dates-dev/dateparser-pl.jsonl not found, skipped")
        return
    cases = dev_cases()
    counts = {relevance: sum(1 for case in cases if case["relevance"] == relevance) for relevance in RELEVANCE}
    print(f"\nDevelopment set: {runs[0]['items']} strings ({DEV_SET.name}), right to the day")
    print(f"{'tool':42} {'all':>7}" + "".join(f" {f'{r} ({counts[r]})':>14}" for r in RELEVANCE))
    for run in runs:
        print(f"{run['tool']:42} {run['accuracy']:7.2%}" + "".join(f" {run[r]:14.2%}" for r in RELEVANCE))
    for miss in runs[0]["misses"]:
        print("  miss:", runs[0]["tool"], miss)


def address_agreement() -> dict:
    """The address date of each aeb page against the publication date the page names itself."""
    from bench.extraction import AEB, aeb_pages
    if not AEB.exists():
        return {}
    counts = {"pages": 0, "with_address_date": 0, "page_dates_too": 0, "same_day": 0, "within_a_day": 0,
              "dated_by_address_alone": 0, "declared_language": 0, "month_first_language": 0}
    for page in aeb_pages():
        counts["pages"] += 1
        evidence = extract(page.html, page.url).date_evidence
        counts["declared_language"] += bool(evidence.language)
        counts["month_first_language"] += evidence.language in rules.MONTH_FIRST_LOCALES
        found = address_date(page.url)
        if found is None:
            continue
        counts["with_address_date"] += 1
        own = page_dates(dataclasses.replace(evidence, url=""), NOW).published
        if own is None:
            counts["dated_by_address_alone"] += page_dates(evidence, NOW).published is not None
            continue
        counts["page_dates_too"] += 1
        address_day, own_day = found[0], own[:len(found[0])]
        counts["same_day"] += address_day == own_day
        counts["within_a_day"] += address_day == own_day or (len(address_day) == 10 and abs(
            (date.fromisoformat(address_day) - date.fromisoformat(own[:10])).days) <= 1)
    return counts


def print_address_table(counts: dict) -> None:
    if not counts:
        print("\nPage addresses: ../shared/extraction-dev/aeb not found, skipped")
        return
    print(f"\nPage addresses: {counts['pages']} real pages (extraction-dev/aeb); "
          f"{counts['declared_language']} declare a language, {counts['month_first_language']} a month-first one")
    print(f"  a date in the address: {counts['with_address_date']}; the page names its own too: {counts['page_dates_too']}, "
          f"the same day: {counts['same_day']}, within a day (a US evening is the next day in Warsaw): "
          f"{counts['within_a_day']}; dated by the address alone: {counts['dated_by_address_alone']}")


def write_results(strings, page_runs, replica_runs, ratio, dev=(), addresses=None) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    summary = {
        "strings": [_summary(run) for run in strings],
        "pages": [_summary(run) for run in page_runs],
        "replica_pages": [_summary(run) for run in replica_runs],
        "speed_ratio_vs_dateparser": ratio,
        "development_set": [_summary(run) for run in dev],
        "page_addresses": addresses or {},
    }
    RESULTS.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")


def _summary(run: dict) -> dict:
    return {key: value for key, value in run.items() if key != "misses"} | {"misses": len(run["misses"])}


if __name__ == "__main__":
    main()
