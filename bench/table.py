"""Benchmark result rows (metric, Archiwum, reference, ratio, target, pass) and their text table."""
from __future__ import annotations

COLUMNS = ("metric", "archiwum", "reference", "ratio", "target", "pass")
HEADERS = ("metric", "Archiwum", "reference", "ratio", "target", "pass/fail")


def row(metric: str, archiwum=None, reference=None, ratio=None, target: str = "", passed=None) -> dict:
    return dict(zip(COLUMNS, (metric, archiwum, reference, ratio, target, passed)))


def cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "PASS" if value else "FAIL"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render(rows: list[dict]) -> str:
    lines = [HEADERS] + [tuple(cell(r.get(c)) for c in COLUMNS) for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    text = [" | ".join(v.ljust(w) for v, w in zip(line, widths)) for line in lines]
    text.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(text)
