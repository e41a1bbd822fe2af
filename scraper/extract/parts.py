"""An article read from several pages: a record whose summary tab carries the dates and the place
("Skrót i Metryka") while its "Pełna prezentacja" tab carries the body.

The summary view is no article of its own (`extract` says whose summary it is: `Extracted.part_of`);
its metadata belongs to the fuller page. `Parts` keeps what the summaries said, keyed by the
page they point to, until that page is read, so the one stored article has the body of the full
view and the metadata of both. Bounded: the oldest summaries are forgotten first.
"""
from __future__ import annotations

from collections import OrderedDict

from scraper.extract import rules
from scraper.extract.main_text import Extracted, same_page_key as page_key


class Parts:
    def __init__(self, limit: int = rules.PARTS_REMEMBERED):
        self.limit = limit
        self.summaries: OrderedDict[str, Extracted] = OrderedDict()

    def remember(self, summary: Extracted) -> None:
        """Keep a summary view's metadata for the page it points to."""
        if not summary.part_of:
            return
        self.summaries[page_key(summary.part_of)] = summary
        self.summaries.move_to_end(page_key(summary.part_of))
        while len(self.summaries) > self.limit:
            self.summaries.popitem(last=False)

    def completed(self, article: Extracted, url: str) -> Extracted:
        """The article with the dates, metadata and attachments of its summary view, when one was read."""
        summary = self.summaries.get(page_key(url)) or (
            self.summaries.get(page_key(article.canonical_url)) if article.canonical_url else None)
        return merged(article, summary) if summary is not None else article


def merged(article: Extracted, summary: Extracted) -> Extracted:
    """The article's own fields win; the summary adds date lines, metadata and files it lacks."""
    article.date_lines = list(dict.fromkeys(summary.date_lines + article.date_lines))
    article.date_evidence.lines = list(dict.fromkeys(summary.date_evidence.lines + article.date_evidence.lines))
    article.date_evidence.machine = article.date_evidence.machine or summary.date_evidence.machine
    article.meta = summary.meta | article.meta
    known = {a["url"] for a in article.attachments}
    article.attachments = article.attachments + [a for a in summary.attachments if a["url"] not in known]
    article.author = article.author or summary.author
    return article
