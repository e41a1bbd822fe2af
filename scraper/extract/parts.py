"""An article read from several pages: tabs (a record whose "Skrót i Metryka" tab carries the
dates and the place while its "Pełna prezentacja" tab carries the body) and a text split into
pages ("Strona: 1 2 3").

A part is no article of its own: `extract` says whose part it is and where its text goes
(`Extracted.part_of`, `Extracted.part_rank`: a summary before the article's own text, page n at
n). `Parts` keeps the parts read, keyed by the article they belong to, so the one stored article
has the body of all its pages and the metadata and date evidence of every part (a summary's
abstract is no body). A part read before its article is joined when the article is read; every
article with parts is read again when the stage chain closes (scraper/crawl/reclean.py), so a
part read after it counts too and the order the pages arrive in does not matter. Bounded: the parts of the oldest articles are forgotten first.
"""
from __future__ import annotations

from collections import OrderedDict

from scraper.extract import rules
from scraper.extract.main_text import Extracted, same_page_key as page_key

ARTICLE_RANK = 1  # the article's own page: a summary (0) comes before it, page n of its text after


class Parts:
    def __init__(self, limit: int = rules.PARTS_REMEMBERED):
        self.limit = limit
        # article's page key → (rank, part's page key) → part: two summary tabs (metadata, files) both count
        self.of: OrderedDict[str, dict[tuple[int, str], Extracted]] = OrderedDict()

    def remember(self, part: Extracted, url: str) -> None:
        """Keep a part's text and metadata for the article it belongs to."""
        if not part.part_of:
            return
        key = page_key(part.part_of)
        self.of.setdefault(key, {})[(part.part_rank, page_key(url))] = part
        self.of.move_to_end(key)
        while len(self.of) > self.limit:
            self.of.popitem(last=False)

    def has_parts(self, url: str) -> bool:
        return page_key(url) in self.of

    def completed(self, article: Extracted, url: str) -> Extracted:
        """The article with the text, dates, metadata and attachments of its parts read so far."""
        parts = self.of.get(page_key(url)) or (
            self.of.get(page_key(article.canonical_url)) if article.canonical_url else None)
        return merged(article, parts) if parts else article


def merged(article: Extracted, parts: dict[tuple[int, str], Extracted]) -> Extracted:
    """The article's own fields win; its later pages add their text in place, every part the date
    lines, metadata, files and author it lacks."""
    ranked = sorted([*parts.items(), ((ARTICLE_RANK, ""), article)], key=lambda pair: pair[0])
    readings = [out for _, out in ranked]
    others = [out for out in readings if out is not article]
    # a summary's text is an abstract of the article's own: the pages of the text make the body
    pages = [out for (rank, _), out in ranked if rank >= ARTICLE_RANK]
    paragraphs: list[str] = []
    for page in pages:  # a page that repeats a paragraph of an earlier one (the lead) adds it once
        earlier = set(paragraphs)
        paragraphs += [p for p in page.body.split("\n\n") if p and p not in earlier]
    article.body = "\n\n".join(paragraphs)
    article.date_lines = list(dict.fromkeys(line for out in readings for line in out.date_lines))
    article.date_evidence.lines = list(dict.fromkeys(line for out in readings for line in out.date_evidence.lines))
    article.date_evidence.machine = article.date_evidence.machine or next(
        (part.date_evidence.machine for part in others if part.date_evidence.machine), [])
    for part in others:
        article.meta = part.meta | article.meta
    known = {a["url"] for a in article.attachments}
    for part in others:
        article.attachments = article.attachments + [a for a in part.attachments if a["url"] not in known]
        known |= {a["url"] for a in part.attachments}
    article.author = article.author or next((part.author for part in others if part.author), None)
    return article
