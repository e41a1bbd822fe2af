"""Long runs of like siblings (a register's 50,000 rows, a list of 20,000 decisions): judged by
their first rows, kept whole.

Choosing the content, telling chrome and teasers, learning the template and finding the dates
take a dozen passes over a page's elements. A run of thousands of rows of one tag is data of
one kind: what those passes decide for its first RUN_JUDGED_ROWS rows holds for the rest. So the
rest is set aside before they run, read into blocks once, its blocks follow the run's last
judged row when that row is content (read as data: kept unless they repeat, row by row only
when one of the judged rows was no body text), and it is put back into the page for what is
read from the whole content after (attachments, images).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from scraper.extract import rules


@lru_cache(maxsize=4)
def child_past(rows: int) -> etree.XPath:
    """Each element's child number `rows` + 1, where it has one (an XPath step in C; counting
    every element's children costs more)."""
    return etree.XPath(f"descendant-or-self::*/*[{rows + 1}]")


def crowded(body) -> list:
    """The elements with more than RUN_JUDGED_ROWS children, outer ones first."""
    parents = [child.getparent() for child in child_past(rules.RUN_JUDGED_ROWS)(body)]
    return sorted(parents, key=lambda parent: sum(1 for _ in parent.iterancestors()))


@dataclass(eq=False)
class Run:
    parent: etree._Element
    judged: list  # the first RUN_JUDGED_ROWS rows, left in the page
    rest: list  # the rows after them, set aside
    holder: etree._Element | None = field(default=None, repr=False)  # where the rest waits (its own document)
    blocks: list | None = field(default=None, repr=False)  # the rest's blocks, once read (main_text.linearise)
    judged_blocks: list = field(default_factory=list, repr=False)  # the judged rows' blocks in the content being read


def set_aside_long_runs(body) -> list[Run]:
    """Take out of the page every row after the first RUN_JUDGED_ROWS of each run of more
    than that many like siblings (`long_runs`)."""
    runs: list[Run] = []
    aside: set = set()
    for parent in crowded(body):
        if any(a in aside for a in parent.iterancestors()):
            continue  # inside a row already set aside: read whole with it
        for run in long_runs(parent):
            run.holder = parent.makeelement(parent.tag)
            run.holder.extend(run.rest)  # moved, tails and all
            aside.update(run.rest)
            runs.append(run)
    return runs


def long_runs(parent) -> list[Run]:
    """The runs among `parent`'s children: more than RUN_JUDGED_ROWS rows of one tag, or of one
    pair of tags in turn (a definition list's <dt>, <dd>)."""
    rows = [child for child in parent if isinstance(child.tag, str)]
    runs, start = [], 0
    while start < len(rows):
        period = 2 if start + 1 < len(rows) and rows[start + 1].tag != rows[start].tag else 1
        end = min(start + period, len(rows))
        while end < len(rows) and rows[end].tag == rows[end - period].tag:
            end += 1
        end -= (end - start) % period  # whole rows only
        if (end - start) // period > rules.RUN_JUDGED_ROWS and {row.tag for row in rows[start:start + period]} <= rules.RUN_TAGS:
            middle = start + rules.RUN_JUDGED_ROWS * period
            runs.append(Run(parent, rows[start:middle], rows[middle:end]))
            start = end
        else:  # no run starts inside a shorter one, but its last row may begin one of another kind
            start = max(start + 1, end - 1)
    return runs


def put_back(runs: list[Run]) -> None:
    """Every row set aside back in its place, after its run's last judged row."""
    for run in reversed(runs):  # an inner run was set aside after the outer one around it
        last = run.judged[-1]
        for row in reversed(run.rest):
            last.addnext(row)
