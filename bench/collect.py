"""Rows of the combined table from each benchmark's bench/results/<name>.json.

A result file with a "rows" list (see bench/table.py) is taken as it is; the others are read by
the adapter named after the benchmark, or flattened into plain figures when there is none.
"""
from __future__ import annotations

from table import row

TARGET_DATES_SPEEDUP = 20
TARGET_DATE_ACCURACY = 0.995
TARGET_EXTRACTION_SPEEDUP = 2
TARGET_BODY_F1 = 0.98
TARGET_SNIPPET_F1 = 0.97
TARGET_DEV_SET_F1 = 0.97  # issue #14: above trafilatura's best setting on the AEB development set
TARGET_DEV_SET_EMPTY_PCT = 1
TARGET_DEV_SET_REJECTED_PCT = 2
TARGET_SEARCH_P95_MS = 150


def percent(value: float | None) -> str | None:
    return None if value is None else f"{value:.1%}"


def ratio(ours: float | None, reference: float | None) -> float | None:
    return round(ours / reference, 2) if ours and reference else None


def tool_run(runs: list[dict], prefix: str) -> dict:
    return next((run for run in runs if run.get("tool", "").startswith(prefix)), {})


def dates_rows(data: dict) -> list[dict]:
    ours, dateparser = tool_run(data["strings"], "polish_dates"), tool_run(data["strings"], "dateparser")
    speedup = data.get("speed_ratio_vs_dateparser") or ratio(ours.get("per_second"), dateparser.get("per_second"))
    speedup = speedup and round(speedup, 1)
    page, htmldate = tool_run(data.get("pages", []), "polish_dates"), tool_run(data.get("pages", []), "htmldate")
    return [
        row("date parsing strings/s (vs dateparser)", round(ours.get("per_second", 0)),
            round(dateparser.get("per_second", 0)), speedup, f"≥ {TARGET_DATES_SPEEDUP} ×",
            bool(speedup and speedup >= TARGET_DATES_SPEEDUP)),
        row(f"date string accuracy ({ours.get('items')} strings)", percent(ours.get("accuracy")),
            percent(dateparser.get("accuracy")), target=f"≥ {TARGET_DATE_ACCURACY:.1%}",
            passed=ours.get("accuracy", 0) >= TARGET_DATE_ACCURACY),
        row(f"page date accuracy ({page.get('items')} pages, vs htmldate)", percent(page.get("accuracy")),
            percent(htmldate.get("accuracy")), target=f"≥ {TARGET_DATE_ACCURACY:.1%}",
            passed=page.get("accuracy", 0) >= TARGET_DATE_ACCURACY),
    ]


EXTRACTION_SETS = (("labelled", "replica pages"), ("realworld", "realworld-pl"), ("aeb", "AEB dev set"))
EXTRACTION_QUALITY = (
    ("labelled", "body_token_f1", "body token F1 (replicas)", TARGET_BODY_F1),
    ("realworld", "f1", "snippet F1 (realworld-pl)", TARGET_SNIPPET_F1),
    ("aeb", "f1", "body shingle F1 (AEB dev set)", TARGET_DEV_SET_F1),
)
EXTRACTION_CEILINGS = (  # shares of pages, the lower the better
    ("aeb", "empty_pct", "empty bodies % (AEB dev set)", TARGET_DEV_SET_EMPTY_PCT),
    ("aeb", "rejected_pct", "articles rejected as non-articles % (AEB dev set)", TARGET_DEV_SET_REJECTED_PCT),
)


def extraction_rows(data: dict) -> list[dict]:
    ours, trafilatura = data["systems"]["archiwum"], data["systems"]["trafilatura"]
    rows = []
    for group, label in EXTRACTION_SETS:
        ms, reference_ms = ours.get(group, {}).get("ms_per_page"), trafilatura.get(group, {}).get("ms_per_page")
        speedup = ratio(reference_ms, ms)
        rows.append(row(f"extraction ms/page, {label} (vs trafilatura)", ms, reference_ms, speedup,
                        f"≥ {TARGET_EXTRACTION_SPEEDUP} × faster",
                        bool(speedup and speedup >= TARGET_EXTRACTION_SPEEDUP)))
    for group, key, label, target in EXTRACTION_QUALITY:
        value = ours.get(group, {}).get(key)
        rows.append(row(f"extraction {label}", value, trafilatura.get(group, {}).get(key),
                        target=f"≥ {target}", passed=value is not None and value >= target))
    for group, key, label, ceiling in EXTRACTION_CEILINGS:
        value = ours.get(group, {}).get(key)
        rows.append(row(f"extraction {label}", value, trafilatura.get(group, {}).get(key),
                        target=f"≤ {ceiling}", passed=value is not None and value <= ceiling))
    return rows


def search_rows(data: dict) -> list[dict]:
    queries = [r for r in data["search"] if r.get("kind") != "reference" and r.get("p95_ms") is not None]
    worst = max(queries, key=lambda r: r["p95_ms"])
    table_page = next((r for r in data["search"] if r.get("kind") == "reference"), {})
    rows = [row(f"search page p95 ms at {data['rows']:,} articles, worst query ({worst['query']!r})",
                worst["p95_ms"], table_page.get("p95_ms"), target=f"< {TARGET_SEARCH_P95_MS}",
                passed=worst["p95_ms"] < TARGET_SEARCH_P95_MS)]
    rows += [row(f"CSV export rows/s ({export['how']})", export["rows_per_s"], target=f"all {data['rows']:,} rows",
                 passed=export["rows"] == data["rows"]) for export in data["export"]]
    rows.append(row("database MB", data.get("db_mb")))
    return rows


ADAPTERS = {"dates": dates_rows, "extraction": extraction_rows, "search": search_rows}


def leaves(data, path: str = ""):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaves(value, f"{path}[{index}]")
    elif isinstance(data, (int, float)) and not isinstance(data, bool):
        yield path, data


def flattened_rows(name: str, data: dict) -> list[dict]:
    return [row(f"{name}: {path}", value) for path, value in leaves(data)]


def rows_from(name: str, data: dict) -> list[dict]:
    if isinstance(data.get("rows"), list) and all(isinstance(r, dict) for r in data["rows"]):
        return data["rows"]
    adapter = ADAPTERS.get(name)
    if adapter is None:
        return flattened_rows(name, data)
    try:
        return adapter(data)
    except (KeyError, TypeError, ValueError) as error:
        # The file's shape changed under the adapter: show its figures rather than nothing.
        return [row(f"{name}: result file not understood ({error!r})", passed=False)] + flattened_rows(name, data)
