"""`archiwum status --redis URL [--crawl NAME]`: what a distributed crawl is doing, or that it finished.

Read from Redis only (frontier.py lists the keys): the plan the writer opened (running or
finished, since when, its `crawls` row and archive), the workers and how long since each was
heard from (a silent one's requests go back to the frontier after the lease timeout), the
frontier (queued, in flight), the items waiting for the writer, the crawl's errors as
`archiwum crawl` words them (the workers' and the writer's: reports.py), and per portal the pages
fetched, items sent, articles stored (new, changed, unchanged, repeats), known articles not
fetched again, errors, and whether its page budget was reached. Exit status 0, or 1 when no crawl
of that name was ever opened there.
"""
from __future__ import annotations

from scraper.crawl.runner import error_counts
from scraper.distributed.frontier import Frontier, Keys, connect_redis
from scraper.distributed.reports import crawl_stats, portal_figures

COLUMNS = ("pages", "sent", "new", "changed", "unchanged", "repeat", "skipped", "errors")
HEADINGS = ("pages", "sent", "new", "changed", "unchanged", "repeats", "skipped", "errors")


def status_lines(client, keys: Keys, lease_timeout: float) -> list[str]:
    plan = {k.decode(): v.decode() for k, v in client.hgetall(keys.plan).items()}
    if not plan:
        return [f"crawl {keys.name!r}: never started here (no writer has opened it)"]
    state = plan.get("status", "?")
    when = (f"{plan.get('outcome', 'finished')} at {plan['finished_at']}" if state == "finished"
            else f"running since {plan.get('started_at')}")
    lines = [f"crawl {keys.name!r}: {when} (crawls row {plan.get('crawl_id')} in {plan.get('db')}, "
             f"writer {plan.get('writer')}; {len(plan.get('sources', '').split(','))} sources)"]
    if state != "finished":
        lines += live_lines(client, keys, lease_timeout)
    stats = crawl_stats(client, keys)
    return lines + [f"errors: {error_counts(stats)}"] + portal_table(portal_figures(stats))


def live_lines(client, keys: Keys, lease_timeout: float) -> list[str]:
    frontier = Frontier(client, keys)
    workers = frontier.workers()
    alive = {w: s for w, s in workers.items() if s < lease_timeout}
    silent = {w: s for w, s in workers.items() if s >= lease_timeout}
    leased = {w: client.hlen(keys.lease(w)) for w in workers}
    lines = ["workers: " + (", ".join(f"{w} ({leased[w]} in flight, heard {s:.1f} s ago)" for w, s in alive.items())
                            or "none alive")]
    lines += [f"  silent: {w} for {s:.0f} s, {leased[w]} requests to go back to the frontier" for w, s in silent.items()]
    writer = client.get(keys.writer)
    lines.append(f"frontier: {frontier.queued()} queued, {sum(leased.values())} in flight; "
                 f"{client.llen(keys.items)} items waiting for the writer "
                 f"({'writer ' + writer.decode() if writer else 'no writer running'})")
    return lines


def portal_table(portals: dict[str, dict[str, int]]) -> list[str]:
    if not portals:
        return ["no page fetched yet"]
    width = max(len("portal"), *(len(p) for p in portals))
    rows = [f"{'portal':{width}}  " + "  ".join(f"{h:>9}" for h in HEADINGS)]
    rows += [f"{portal:{width}}  " + "  ".join(f"{counts.get(c, 0):>9}" for c in COLUMNS)
             + ("  page budget reached" if counts.get("budget_reached") else "")
             for portal, counts in portals.items()]
    return rows


def run_status(args) -> int:
    client = connect_redis(args.redis)
    keys = Keys(args.crawl)
    for line in status_lines(client, keys, args.lease_timeout):
        print(line)
    return 0 if client.exists(keys.plan) else 1
