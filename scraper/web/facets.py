"""Facets of the articles table: per source, city, voivodeship, year and topic, counted in one
grouped query (or, on the unfiltered articles page, read from the counts the triggers keep),
headed in Polish, sources shown by name."""
from __future__ import annotations

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from scraper.archive import facet_counts
from scraper.web.plugin import SEARCH_TABLE, whole_table

COUNTED_FACET_SQL = (f"select value, count from {facet_counts.TABLE} where facet = :facet "
                     f"and count > 0 order by {{order}} limit {{limit}}")
SOURCE_NAMES_SQL = "select id, name from sources where name is not null and name != ''"
# What the researcher reads above each facet's values.
HEADINGS = {"source": "Źródło", "city": "Miasto", "voivodeship": "Województwo",
            "published": "Rok", "topics": "Temat"}


async def source_names(database) -> dict[str, str]:
    """Source id → its name in the registry (empty when the archive has no sources table)."""
    if not await database.table_exists("sources"):
        return {}
    return {row["id"]: row["name"] for row in await database.execute(SOURCE_NAMES_SQL)}


class _GroupFacet(Facet):
    """A facet whose values come from one grouped query, or on the unfiltered articles page
    from the counts the triggers keep; a click adds `{column}__{lookup}` (`{column}` if no
    lookup)."""
    lookup = ""
    order = "count desc, value"

    def values_sql(self, column: str, limit: int) -> str:
        raise NotImplementedError

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        whole_table = await self._whole_table()
        names = await source_names(self.ds.get_database(self.database))
        for config in self.get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            counted = whole_table and facet_counts.FACETS.get(column) == self.type
            try:
                results.append(await self._column_result(column, config["source"], counted,
                                                         names))
            except QueryInterrupted:
                timed_out.append(column)
        return results, timed_out

    async def _whole_table(self) -> bool:
        """Is this the whole articles table (on any page: Datasette would count the rows after
        the page's cursor), with its facet counts kept in the archive?"""
        return (whole_table.get() and self.table == SEARCH_TABLE
                and await self.ds.get_database(self.database).table_exists(facet_counts.TABLE))

    async def _column_result(self, column: str, source: str, counted: bool,
                             names: dict[str, str]) -> dict:
        size = self.get_facet_size()
        sql, params = ((COUNTED_FACET_SQL.format(order=self.order, limit=size + 1),
                        {"facet": column}) if counted
                       else (self.values_sql(column, size + 1), self.params))
        rows = await self.ds.execute(self.database, sql, params, truncate=False,
                                     custom_time_limit=self.ds.setting("facet_time_limit_ms"))
        labels = names if column == "source" else {}
        return {
            "name": column, "type": self.type, "hideable": source != "metadata",
            "heading": HEADINGS.get(column, column),
            "toggle_url": path_with_removed_args(self.request, {f"_facet_{self.type}": column}),
            "truncated": len(rows) > size,
            "results": [self._value(column, row, labels) for row in rows.rows[:size]],
        }

    def _value(self, column: str, row, labels: dict[str, str]) -> dict:
        arg = f"{column}__{self.lookup}" if self.lookup else column
        selected = row["value"] in self.request.args.getlist(arg)
        path = (path_with_removed_args(self.request, {arg: row["value"]}) if selected
                else path_with_added_args(self.request, {arg: row["value"]}))
        return {"value": row["value"], "label": labels.get(row["value"], row["value"]),
                "count": row["count"], "toggle_url": self.ds.absolute_url(self.request, path),
                "selected": selected}


class ValueFacet(_GroupFacet):
    """`_facet_value=city`: articles per value of a column (Datasette's column facet, which
    cannot read the kept counts)."""
    type = "value"

    def values_sql(self, column: str, limit: int) -> str:
        column = escape_sqlite(column)
        return (f"select {column} as value, count(*) as count from ({self.sql}) "
                f"where {column} is not null group by {column} order by {self.order} "
                f"limit {limit}")


class YearFacet(_GroupFacet):
    """`_facet_year=published`: articles per year of an ISO date column."""
    type, lookup, order = "year", "startswith", "value desc"

    def values_sql(self, column: str, limit: int) -> str:
        return (f"select substr({escape_sqlite(column)}, 1, 4) as value, count(*) as count "
                f"from ({self.sql}) where value glob '[0-9][0-9][0-9][0-9]' "
                f"group by value order by {self.order} limit {limit}")


class TopicFacet(_GroupFacet):
    """`_facet_topic=topics`: articles per item of a JSON array column (Datasette's array facet
    de-duplicates whole rows, bodies included, and is ~30× slower)."""
    type, lookup = "topic", "arraycontains"

    def values_sql(self, column: str, limit: int) -> str:
        return (f"select item.value as value, count(*) as count from ({self.sql}) as row "
                f"join json_each(row.{escape_sqlite(column)}) as item "
                f"group by item.value order by {self.order} limit {limit}")


@hookimpl
def register_facet_classes():
    return [ValueFacet, YearFacet, TopicFacet]
