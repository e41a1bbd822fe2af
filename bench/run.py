"""The one benchmark command: run every bench script present, print one combined table.

    uv run python bench/run.py [--pages N] [--skip search ...] [--only crawl ...] [--quick]

Runs bench/crawl.py and whichever of bench/dates.py, bench/extraction.py, bench/search.py,
bench/distributed.py and bench/load.py exist, reads the bench/results/<name>.json each one writes and writes bench/results/summary.json.
"""
from __future__ import annotations

import argparse
import functools
import json
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import collect  # noqa: E402
import table  # noqa: E402

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
SCRIPTS = ("crawl", "dates", "extraction", "search", "distributed", "load")
# Smaller sizes for --quick, passed only to a script whose --help lists the flag.
QUICK_ARGS = {"search": ["--rows", "20000"], "distributed": ["--pages", "500"], "load": ["--quick"]}
QUICK_PAGES = 2000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, help="article pages in the crawl portal (default 20,000)")
    parser.add_argument("--skip", nargs="+", default=[], choices=SCRIPTS, metavar="NAME",
                        help=f"benchmarks not to run ({', '.join(SCRIPTS)})")
    parser.add_argument("--only", nargs="+", default=SCRIPTS, choices=SCRIPTS, metavar="NAME",
                        help="run only these benchmarks")
    parser.add_argument("--quick", action="store_true",
                        help=f"smaller sizes: {QUICK_PAGES:,} crawl pages, and {QUICK_ARGS}")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="where summary.json goes, and the result files of scripts that take --results")
    return parser.parse_args()


@functools.cache
def usage(name: str) -> str:
    return subprocess.run([sys.executable, str(BENCH / f"{name}.py"), "--help"], capture_output=True,
                          text=True).stdout


def accepts(name: str, flag: str) -> bool:
    return flag in usage(name)


def script_args(name: str, args: argparse.Namespace) -> list[str]:
    results = ["--results", str(args.results)] if accepts(name, "--results") else []
    if name == "crawl":
        pages = args.pages or (QUICK_PAGES if args.quick else None)
        return results + (["--pages", str(pages)] if pages else [])
    quick = QUICK_ARGS.get(name, []) if args.quick else []
    return results + (quick if quick and accepts(name, quick[0]) else [])


def result_file(name: str, args: argparse.Namespace) -> Path:
    return (args.results if accepts(name, "--results") else RESULTS) / f"{name}.json"


def run_benchmark(name: str, args: argparse.Namespace) -> dict:
    """Run one bench script; its rows, after a failing row when it exited non-zero or wrote nothing new."""
    command = [sys.executable, str(BENCH / f"{name}.py"), *script_args(name, args)]
    print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
    started = time.time()
    exit_code = subprocess.run(command, cwd=BENCH.parent).returncode
    seconds = round(time.time() - started, 1)
    path = result_file(name, args)
    fresh = path.exists() and path.stat().st_mtime >= started
    rows = collect.rows_from(name, json.loads(path.read_text(encoding="utf-8"))) if fresh else []
    if exit_code or not fresh:
        problem = f"exit {exit_code}" if exit_code else f"no new {path.name}"
        rows.insert(0, table.row(f"{name}: benchmark failed ({problem})", passed=False))
    return {"name": name, "command": command[1:], "exit_code": exit_code, "seconds": seconds, "rows": rows}


def main() -> int:
    args = parse_args()
    args.results.mkdir(parents=True, exist_ok=True)
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    present = [name for name in args.only if (BENCH / f"{name}.py").exists() and name not in args.skip]
    runs = [run_benchmark(name, args) for name in present]
    rows = [r for run in runs for r in run["rows"]]
    summary = {"started_at": started_at, "benchmarks": [{k: v for k, v in run.items() if k != "rows"}
                                                        for run in runs], "rows": rows}
    (args.results / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    print("\n" + table.render(rows))
    print(f"\nwritten {args.results / 'summary.json'}")
    return 0 if all(r.get("pass") is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
