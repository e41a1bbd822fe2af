"""How every portal has been doing, night after night: the `source_health` view and what needs a look.

The view (one row per source that was ever part of a run) is what Datasette shows at
/archive/source_health; `archiwum status` reads the same view and names what needs a look:
a source that has yielded no new article for `quiet_runs` runs, one whose last run found pages
but no article at all (a redesigned portal), one whose error rate jumped, one never crawled, and
a last run that did not finish.
"""
from __future__ import annotations

from dataclasses import dataclass

EARLIER_RUNS = 7  # the error rate of the last run is compared with that of the 7 before it
ERROR_RATE_ALARM = 0.1  # a jump: at least 10 % of requests failed, 10 points above before

VIEW_SQL = f"""
create view source_health as
with runs as (
  select cs.*, c.started_at, c.id as run_id,
         row_number() over (partition by cs.source order by cs.crawl_id desc) as run
  from crawl_sources cs join crawls c on c.id = cs.crawl_id
),
last_new as (
  select source, max(crawl_id) as crawl_id from crawl_sources where articles_new > 0 group by source
),
known as (select id as source from sources union select source from crawl_sources)
select known.source as source,
       last.started_at as last_crawled,
       last.pages as last_pages,
       last.articles_new as last_new,
       last.articles_new + last.articles_changed + last.articles_unchanged as last_articles,
       last.error_count as last_errors,
       last.ended as last_ended,
       (select count(*) from crawl_sources x
        where x.source = known.source and x.crawl_id > coalesce(last_new.crawl_id, 0)) as runs_without_new,
       round(1.0 * last.error_count / max(last.pages + last.error_count, 1), 3) as error_rate,
       (select round(1.0 * sum(e.error_count) / max(sum(e.pages + e.error_count), 1), 3)
        from runs e where e.source = known.source and e.run between 2 and {EARLIER_RUNS + 1}) as earlier_error_rate
from known
left join runs last on last.source = known.source and last.run = 1
left join last_new on last_new.source = known.source
"""


def ensure_view(db) -> None:
    if "source_health" not in db.view_names():
        db.conn.execute(VIEW_SQL)


@dataclass
class Health:
    source: str
    last_crawled: str | None
    last_pages: int | None
    last_new: int | None
    last_articles: int | None
    last_errors: int | None
    last_ended: str | None
    runs_without_new: int
    error_rate: float | None
    earlier_error_rate: float | None


def read_health(conn) -> list[Health]:
    cursor = conn.execute("select * from source_health order by source")
    return [Health(*row) for row in cursor]


def concerns(health: Health, quiet_runs: int) -> list[str]:
    """What needs a look about one source, in words; nothing when it is well."""
    if health.last_crawled is None:
        return ["never crawled"]
    if health.last_ended == "running":
        return []  # tonight's crawl, still going: its figures come at its end
    found = []
    if health.last_pages and not health.last_articles:
        found.append(f"{health.last_pages} pages fetched but no article found (a redesigned portal?)")
    elif not health.last_pages and health.last_ended != "finished":
        found.append(f"last run: {health.last_ended}")
    if health.runs_without_new >= quiet_runs:
        found.append(f"0 new articles in the last {health.runs_without_new} runs")
    earlier = health.earlier_error_rate or 0.0
    if health.error_rate is not None and health.error_rate >= max(ERROR_RATE_ALARM, earlier + ERROR_RATE_ALARM):
        found.append(f"error rate {health.error_rate:.0%} (before: {earlier:.0%})")
    return found
