"""Extraction benchmark: Archiwum's clean stage against trafilatura on the same pages.

    uv run python bench/extraction.py

Three sets:
- aeb (shared/extraction-dev/aeb): the ScrapingHub article-extraction benchmark, 181 real news
  and blog pages made by others, many languages, a hand-made body for each; body P/R/F1 by its
  4-token shingle metric (see `shingle_match`), the share of empty bodies, the share of pages
  rejected as non-articles (every page is an article) and ms/page. Each page is its own site:
  generic rules only. `uv run python bench/extraction.py aeb` runs this set alone.
- realworld-pl (shared/): 19 real Polish pages with snippets that must / must not appear;
  snippet precision, recall, F1.
- the labelled replicas of scraper/demo (Joomla, WordPress, Drupal, BIP, custom XHTML; gold
  title, body, author, date, views, article or not): body token F1, title accuracy, boilerplate
  leakage (share of articles whose body holds text recurring on 3+ pages of the site and in no
  gold article, or the page's own date/view line), article detection precision/recall, per-field
  precision/recall/F1 and median ms/page.
Archiwum runs as the pipeline does: each site's pages in crawl order (home, listings and other
pages first, then articles and their copies under other URLs) through one SiteTemplate per site,
learning as it goes (a portal's first crawl), then, as the crawl does at its end, the articles read
before their site's template was settled read again with what it learned (scraper/crawl/reclean.py): the
row is what the archive holds after a first crawl. The ablation rows: `archiwum_first_reading` is
that crawl without the re-clean (each page as first read), `archiwum_next_crawl` extracts
the same pages again with the template the first crawl learned (what later crawls of the portal
do), `archiwum_no_template` uses the generic rules alone. trafilatura runs `bare_extraction`
with metadata, default and favor_precision. Prints a table, the ablation per replica (the
held-out `cus` replica writes its chrome in sentences, so only the template can tell it), the
real-page snippets Archiwum misses or leaks, and writes bench/results/extraction.json.
"""
from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from w3lib.encoding import html_body_declared_encoding, html_to_unicode, http_content_type_encoding

from scraper.crawl.encoding import best_encoding
from scraper.extract.main_text import extract, linearise
from scraper.extract.template import SiteTemplate, drop_junk, normalise_text, parse_html

REPO = Path(__file__).resolve().parent.parent
REALWORLD = REPO.parent / "shared" / "realworld-pl"
AEB = REPO.parent / "shared" / "extraction-dev" / "aeb"
RESULTS = REPO / "bench" / "results" / "extraction.json"
SHINGLE_TOKENS = 4
_WORDS = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")
LEAK_MIN_CHARS = 12  # recurring text shorter than this ("Menu") says too little to count


@dataclass
class Result:
    """What one extractor says about one page."""
    title: str | None
    body: str
    is_article: bool
    author: str | None = None
    dates: tuple[str, ...] = ()  # Archiwum: date lines as the page shows them; trafilatura: ISO dates
    views: int | None = None
    reason: str = ""  # why not an article


@dataclass
class LabelledPage:
    site: str
    url: str
    html: str
    gold: dict | None  # None for pages that are not articles


# ---------------------------------------------------------------- pages

def decode(body: bytes, content_type: str) -> str:
    """As the crawler reads a replica page (scraper/crawl/encoding.py picks the charset)."""
    declared = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
    return body.decode(best_encoding(body, declared) or declared or "utf-8", errors="replace")


def realworld_cases() -> list[dict]:
    cases = [json.loads(line) for line in (REALWORLD / "cases.jsonl").read_text("utf-8").splitlines() if line]
    for case in cases:
        case["html"] = html_to_unicode(None, (REALWORLD / case["file"]).read_bytes())[1]
    return cases


def aeb_pages() -> list[LabelledPage]:
    """The development set's pages, each decoded by its own charset declaration, gold body attached."""
    truth = json.loads((AEB / "ground-truth.json").read_text("utf-8"))
    pages = []
    for page_id, gold in sorted(truth.items()):
        raw = gzip.decompress((AEB / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(LabelledPage(page_id, gold["url"], html_to_unicode(None, raw)[1], {"body": gold["articleBody"]}))
    return pages


def labelled_sites() -> list[str]:
    """Replica sites whose template module exists (the replicas grow over time)."""
    from scraper.demo.sites import REPLICAS
    found = []
    for site_id, replica in REPLICAS.items():
        try:
            replica.module
        except ImportError:
            continue
        found.append(site_id)
    return found


def labelled_pages(site_id: str) -> list[LabelledPage]:
    """Pages of one replica in crawl order: non-articles first, then articles and their copies."""
    from scraper.demo.build import build_site
    from scraper.demo.gold import gold_articles, non_articles
    hosts = build_site(site_id)

    def fetch(host: str, path: str) -> str | None:
        resource = hosts[host].resolve(path)
        if resource is None or resource.status != 200 or "html" not in resource.content_type:
            return None
        return decode(resource.body, resource.content_type)

    pages = []
    for path in non_articles(site_id):
        for host in hosts:
            html = fetch(host, path)
            if html is not None:
                pages.append(LabelledPage(site_id, f"http://{host}{path}", html, None))
                break
    for gold in gold_articles(site_id):
        for host, path in [(gold["host"], gold["path"]), *gold["duplicates"]]:
            html = fetch(host, path)
            if html is not None:
                pages.append(LabelledPage(site_id, f"http://{host}{path}", html, gold))
    return pages


def chrome_snippets(pages: list[LabelledPage]) -> set[str]:
    """Text recurring on 3+ pages of a site and in no gold article: what must never be a body."""
    counts: Counter = Counter()
    for page in pages:
        counts.update({_DIGITS.sub("0", line) for line in text_lines(page.html) if len(line) >= LEAK_MIN_CHARS})
    gold_text = " ".join(_DIGITS.sub("0", "\n".join(p.gold["body"]) + p.gold["title"]) for p in pages if p.gold)
    return {line for line, n in counts.items() if n >= 3 and line not in gold_text}


def text_lines(html: str) -> list[str]:
    """Every block of text of a page (scripts and styles aside), chrome included."""
    tree = parse_html(html)
    drop_junk(tree)
    body = tree.find("body")
    return [b.text for b in linearise(body)] if body is not None else []


# ---------------------------------------------------------------- extractors

def archiwum(pages: list[LabelledPage], learn: bool = True, learned_before: bool = False,
             reclean: bool = True) -> list[tuple[LabelledPage, Result, float]]:
    """Each site's pages through its template in crawl order (extract observes, then extracts), as the pipeline.

    `learned_before`: the templates first learn from a whole earlier crawl of the same pages.
    `reclean`: as the crawl does at its end (scraper/crawl/reclean.py), articles read before their site's
    template was settled are read again with the template the crawl learned, once it is settled.
    """
    templates: dict[str, SiteTemplate] = defaultdict(SiteTemplate)
    for page in pages if learned_before else ():
        extract(page.html, page.url, templates[page.site])
    results, early = [], []
    for page in pages:
        template = templates[page.site] if learn else None
        result, seconds = timed_extract(page, template)
        if template is not None and result.is_article and not template.settled:
            early.append(len(results))
        results.append((page, result, seconds))
    for i in early if reclean else ():
        page, _, first_seconds = results[i]
        if templates[page.site].settled:
            result, seconds = timed_extract(page, templates[page.site])
            results[i] = (page, result, first_seconds + seconds)
    return results


def timed_extract(page: LabelledPage, template: SiteTemplate | None) -> tuple[Result, float]:
    start = time.perf_counter()
    out = extract(page.html, page.url, template)
    result = Result(out.title, out.body, out.is_article, out.author, tuple(out.date_lines), out.views, out.reason)
    return result, time.perf_counter() - start


def trafilatura_extractor(**options) -> Callable[[str, str], Result]:
    import trafilatura

    def run(html: str, url: str) -> Result:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, **options)
        if doc is None:
            return Result(None, "", False)
        return Result(doc.title, doc.text or "", bool(doc.text), doc.author, (doc.date,) if doc.date else ())
    return run


def trafilatura(**options) -> Callable[[list[LabelledPage]], list]:
    run = trafilatura_extractor(**options)

    def over(pages: list[LabelledPage]) -> list[tuple[LabelledPage, Result, float]]:
        results = []
        for page in pages:
            start = time.perf_counter()
            result = run(page.html, page.url)
            results.append((page, result, time.perf_counter() - start))
        return results
    return over


# ---------------------------------------------------------------- scores

def snippet_scores(texts: list[str], cases: list[dict]) -> dict:
    """Precision/recall/F1 over must (`with`) and must-not (`without`) snippets."""
    tp = fn = fp = 0
    for text, case in zip(texts, cases):
        text = normalise_text(text)
        found = [normalise_text(s) in text for s in case["with"]]
        leaked = [normalise_text(s) in text for s in case["without"]]
        tp, fn, fp = tp + sum(found), fn + found.count(False), fp + sum(leaked)
    return prf(tp, fp, fn)


def snippet_misses(texts: list[str], cases: list[dict]) -> list[str]:
    """'missing'/'leaked' lines: `with` snippets not found, `without` snippets found."""
    misses = []
    for text, case in zip(texts, cases):
        text = normalise_text(text)
        misses += [f"missing {case['file']}: {s!r}" for s in case["with"] if normalise_text(s) not in text]
        misses += [f"leaked  {case['file']}: {s!r}" for s in case["without"] if normalise_text(s) in text]
    return misses


def shingles(text: str) -> Counter:
    """Overlapping SHINGLE_TOKENS-token shingles of `\\w+` tokens (a shorter text is one shingle)."""
    tokens = _WORDS.findall(text)
    if len(tokens) < SHINGLE_TOKENS:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + SHINGLE_TOKENS]) for i in range(len(tokens) - SHINGLE_TOKENS + 1))


def shingle_match(predicted: str, gold: str) -> tuple[float, float, float]:
    """The benchmark's per-page tp, fp, fn over shingle multisets, scaled to sum to 1."""
    got, want = shingles(predicted), shingles(gold)
    tp = sum((got & want).values())
    fp, fn = sum((got - want).values()), sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def aeb_scores(results: list[tuple[LabelledPage, Result, float]]) -> dict:
    """Precision: mean over pages with output; recall: mean over pages with a gold body; F1 of the means."""
    precisions, recalls = [], []
    for page, result, _ in results:
        tp, fp, fn = shingle_match(result.body, page.gold["body"])
        if result.body.strip():
            precisions.append(tp / (tp + fp) if tp + fp else 0.0)
        if page.gold["body"].strip():
            recalls.append(tp / (tp + fn) if tp + fn else 0.0)
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    return {
        "pages": len(results),
        "precision": round(precision, 4), "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "empty_pct": round(100 * statistics.mean(not r.body.strip() for _, r, _ in results), 2),
        "rejected_pct": round(100 * statistics.mean(not r.is_article for _, r, _ in results), 2),
        "ms_per_page": round(1000 * statistics.median(t for _, _, t in results), 2),
        "ms_mean": round(1000 * statistics.mean(t for _, _, t in results), 2),
    }


def aeb_worst(results: list[tuple[LabelledPage, Result, float]], n: int = 15) -> list[str]:
    """The pages with the lowest shingle F1: where to look for the next failure class."""
    rows = []
    for page, result, _ in results:
        tp, fp, fn = shingle_match(result.body, page.gold["body"])
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        rows.append((f1, page.site[:12], tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0,
                     result.reason if not result.is_article else ""))
    return [f"{f1:.2f} {site} P {p:.2f} R {r:.2f} {reason}" for f1, site, p, r, reason in sorted(rows)[:n]]


def prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def token_f1(predicted: str, gold: str) -> float:
    got, want = Counter(_WORDS.findall(predicted.lower())), Counter(_WORDS.findall(gold.lower()))
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def leaks(body: str, gold: dict, chrome: set[str]) -> bool:
    """Chrome text or a metadata line of the page in the body."""
    text = _DIGITS.sub("0", normalise_text(body))
    if any(snippet in text for snippet in chrome):
        return True
    marks = [gold.get("published_text"), f"{gold['views']}" if gold.get("views") else None]
    lines = body.split("\n\n")
    return any(mark and any(mark in line and len(line) < 3 * len(mark) + 20 for line in lines) for mark in marks)


def field_scores(articles: list[tuple[LabelledPage, Result]]) -> dict:
    """Per-field precision/recall/F1: precision over pages where a value came out, recall over gold values.

    The date field counts only articles with a gold publication date (a static page's update
    line is right but has nothing to be compared with).
    """
    fields = {
        "title": (lambda r: r.title, lambda g: g["title"], lambda got, want: normalise_text(got) == normalise_text(want)),
        "author": (lambda r: r.author, lambda g: g.get("author"), lambda got, want: got.casefold() == want.casefold()),
        "date": (lambda r: r.dates, lambda g: g if g.get("published_text") else None, date_matches),
        "views": (lambda r: r.views, lambda g: g.get("views"), lambda got, want: got == want),
    }
    scores = {}
    for name, (got_of, want_of, same) in fields.items():
        pairs = [(got_of(r), want_of(p.gold)) for p, r in articles if name != "date" or want_of(p.gold)]
        correct = sum(1 for got, want in pairs if got and want and same(got, want))
        predicted, wanted = sum(1 for got, _ in pairs if got), sum(1 for _, want in pairs if want)
        scores[name] = prf(correct, predicted - correct, wanted - correct)
    return scores


def date_matches(dates: tuple[str, ...], gold: dict) -> bool:
    """A date line showing the gold date's text, or an ISO date equal to the gold day."""
    return any(gold["published_text"] in d or d[:10] == str(gold["published"])[:10] for d in dates)


def labelled_scores(results: list[tuple[LabelledPage, Result, float]], chrome: dict[str, set[str]]) -> dict:
    articles = [(p, r) for p, r, _ in results if p.gold and p.url.endswith(p.gold["path"])]
    tp = sum(1 for p, r, _ in results if p.gold and r.is_article)
    fp = sum(1 for p, r, _ in results if not p.gold and r.is_article)
    fn = sum(1 for p, r, _ in results if p.gold and not r.is_article)
    detection = prf(tp, fp, fn)
    return {
        "articles": len(articles),
        "pages": len(results),
        "body_token_f1": round(statistics.mean(token_f1(r.body, "\n".join(p.gold["body"])) for p, r in articles), 4),
        "title_accuracy": round(statistics.mean(
            normalise_text(r.title or "") == normalise_text(p.gold["title"]) for p, r in articles), 4),
        "leakage_pct": round(100 * statistics.mean(leaks(r.body, p.gold, chrome[p.site]) for p, r in articles), 2),
        "article_precision": detection["precision"],
        "article_recall": detection["recall"],
        "ms_per_page": round(1000 * statistics.median(t for _, _, t in results), 2),
        "fields": field_scores(articles),
    }


# ---------------------------------------------------------------- run

SETS = ("aeb", "realworld", "replicas")
AEB_SYSTEMS = ("archiwum", "trafilatura", "trafilatura_precision")  # one page per site: no template rows


def run(sets: tuple[str, ...] = SETS) -> dict:
    systems = {"archiwum": archiwum, "archiwum_first_reading": lambda ps: archiwum(ps, reclean=False),
               "archiwum_next_crawl": lambda ps: archiwum(ps, learned_before=True),
               "archiwum_no_template": lambda ps: archiwum(ps, learn=False),
               "trafilatura": trafilatura(),
               "trafilatura_precision": trafilatura(favor_precision=True)}
    report = {"sites": [], "realworld_pages": 0, "systems": {name: {} for name in systems}}
    if "aeb" in sets and AEB.exists():
        dev = aeb_pages()
        for name in AEB_SYSTEMS:
            results = systems[name](dev)
            report["systems"][name]["aeb"] = aeb_scores(results)
            report["systems"][name]["aeb"]["worst"] = aeb_worst(results)
    if "realworld" in sets:
        cases = realworld_cases()
        report["realworld_pages"] = len(cases)
        realworld_pages = [LabelledPage(c["file"], c["url"], c["html"], None) for c in cases]
        for name, go in systems.items():
            real = go(realworld_pages)
            texts = [r.body for _, r, _ in real]
            row = report["systems"][name]["realworld"] = snippet_scores(texts, cases)
            row["ms_per_page"] = round(1000 * statistics.median(t for _, _, t in real), 2)
            row["misses"] = snippet_misses(texts, cases)
    if "replicas" in sets:
        sites = report["sites"] = labelled_sites()
        by_site = {site: labelled_pages(site) for site in sites}
        pages = [p for site in sites for p in by_site[site]]
        chrome = {site: chrome_snippets(by_site[site]) for site in sites}
        for name, go in systems.items() if pages else ():
            results = go(pages)
            report["systems"][name]["labelled"] = labelled_scores(results, chrome)
            report["systems"][name]["by_replica"] = {
                site: labelled_scores([r for r in results if r[0].site == site], chrome) for site in sites}
    return report


FIELDS = ("title", "author", "date", "views")
COLUMNS = (
    ("realworld", "precision", "rw P"), ("realworld", "recall", "rw R"), ("realworld", "f1", "rw F1"),
    ("realworld", "ms_per_page", "rw ms"),
    ("labelled", "body_token_f1", "body F1"), ("labelled", "title_accuracy", "title acc"),
    ("labelled", "leakage_pct", "leak %"), ("labelled", "article_precision", "art P"),
    ("labelled", "article_recall", "art R"), ("labelled", "ms_per_page", "ms/page"),
)


AEB_COLUMNS = (("precision", "P"), ("recall", "R"), ("f1", "F1"), ("empty_pct", "empty %"),
               ("rejected_pct", "rejected %"), ("ms_per_page", "ms/page"), ("ms_mean", "ms mean"))


def print_aeb(report: dict) -> None:
    rows = {name: row["aeb"] for name, row in report["systems"].items() if "aeb" in row}
    if not rows:
        return
    pages = next(iter(rows.values()))["pages"]
    header = f"{f'aeb dev set, {pages} pages':<24}" + "".join(f"{label:>11}" for _, label in AEB_COLUMNS)
    print(header)
    print("-" * len(header))
    for name, row in rows.items():
        print(f"{name:<24}" + "".join(f"{row[key]:>11.3f}" for key, _ in AEB_COLUMNS))
    print("archiwum's lowest pages (shingle F1, id, P, R, why rejected):", *rows["archiwum"]["worst"], sep="\n  ")
    print()


def print_table(report: dict) -> None:
    print_aeb(report)
    if not any("realworld" in row or "labelled" in row for row in report["systems"].values()):
        return
    header = f"{'system':<24}" + "".join(f"{label:>10}" for _, _, label in COLUMNS)
    print(header)
    print("-" * len(header))
    for name, row in report["systems"].items():
        cells = "".join(f"{row.get(group, {}).get(key, float('nan')):>10.3f}" for group, key, _ in COLUMNS)
        print(f"{name:<24}{cells}")
    print(f"\n{'per-field P / R / F1':<24}" + "".join(f"{name:>21}" for name in FIELDS))
    for name, row in report["systems"].items():
        fields = row.get("labelled", {}).get("fields", {})
        cells = "".join(f"{'{precision:.2f} / {recall:.2f} / {f1:.2f}'.format(**fields[f]):>21}" for f in FIELDS if f in fields)
        print(f"{name:<24}{cells}")
    print_ablation(report)
    labelled = report["systems"]["archiwum"].get("labelled", {})
    print(f"\nrealworld-pl: {report['realworld_pages']} pages; labelled: {labelled.get('articles', 0)} articles, "
          f"{labelled.get('pages', 0)} pages from replicas {', '.join(report['sites']) or '(none yet)'}")
    misses = report["systems"]["archiwum"].get("realworld", {}).get("misses", [])
    print(f"archiwum on realworld-pl: {len(misses)} snippet(s) missed or leaked", *misses, sep="\n  ")


def print_ablation(report: dict) -> None:
    """Body token-F1 and leakage per replica: what the learned template adds to the generic rules."""
    sites = report["sites"]
    if not sites or not all("by_replica" in row for row in report["systems"].values()):
        return
    print(f"\n{'body F1 / leak % per replica':<24}" + "".join(f"{site:>17}" for site in sites))
    for name, row in report["systems"].items():
        cells = "".join(f"{'{body_token_f1:.3f} / {leakage_pct:5.1f}'.format(**row['by_replica'][site]):>17}"
                        for site in sites)
        print(f"{name:<24}{cells}")


def main() -> None:
    wanted = tuple(arg for arg in sys.argv[1:] if arg in SETS) or SETS
    if unknown := [arg for arg in sys.argv[1:] if arg not in SETS]:
        sys.exit(f"unknown set(s) {', '.join(unknown)}: choose from {', '.join(SETS)}")
    report = run(wanted)
    print_table(report)
    if wanted != SETS:
        return  # bench/run.py reads the full report only
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"written {RESULTS.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
