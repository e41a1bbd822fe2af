"""An article read from several pages: tabs (a record whose "Skrót i Metryka" tab carries the
dates and the place while its "Pełna prezentacja" tab carries the body) and a text split into
pages ("Strona: 1 2 3"), a print view beside it.

A part read in a later crawl than its article (page 2 added a night after page 1, a tab that failed
to load) has the spider ask for the article again (`whole_article_of`), past the incremental
filter and the conditional request, so both are read in one crawl as if they had come together.

A part is no article of its own: `extract` says whose part it is and where its text goes
(`Extracted.part_of`, `Extracted.part_rank`: a summary before the article's own text, page n at
n). `Parts` keeps the parts read, keyed by the article they belong to, so the one stored article
has the body of all its pages and the metadata and date evidence of every part (a summary's
abstract is no body). A part read before its article is joined when the article is read; every
article with parts is read again when the stage chain closes (scraper/crawl/reclean.py), so a
part read after it counts too and the order the pages arrive in does not matter. Bounded: the parts of the oldest articles are forgotten first.

A print view adds nothing to its article: it is the same text without the site around it. With no
print address (print=1, /druk/) and no print call as it loads, it is known by its text and its
marks (scraper/extract/views.py, `print_marks`): `PrintViews` remembers the sentences of every
article read, and a page whose text is (nearly) the same as another's of its portal is the other's
print view when it points to it (rel=canonical, a link back), the other links to it as its print
version, or it lacks the site's chrome that the other has and shows a print mark or the same
headline. Whichever comes first, the article keeps its own address and the print view's is
stored as its alias (pipelines/store.py).
"""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from scraper.extract import rules
from scraper.extract.main_text import Extracted, same_page, same_page_key as page_key
from scraper.extract.views import PrintMarks, fuller_version, on_site, page_in_text, same_address
from scraper.text import normalise_text

ARTICLE_RANK = 1  # the article's own page: a summary (0) comes before it, page n of its text after


def whole_article_of(root, url: str) -> str | None:
    """The address of the article this page may be a part of: page 1 of a text whose later page it
    is, the full presentation its summary tab links to. The spider reads it from the page as
    fetched and asks for that article again even when an incremental crawl would skip it as
    known: a part that comes a night after its article joins it as it would in one crawl."""
    later = page_in_text(root, url, same_page)
    return later[1] if later else fuller_version(root, url)


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


# ---------------------------------------------------------------- print views

SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
SENTENCE_MIN_LETTERS = 20    # shorter lines ("Drukuj", a date) say nothing of the text
SENTENCES_COMPARED = 12      # the start of a text is enough to tell it, and bounds the memory
SIGNATURE_MAX_CHARS = 20_000  # ...and the reading: a register's rows hold no sentence at all
# Of the shorter text's characters, and of the longer one's, in sentences the other has too: a
# print view may lose a paragraph or gain a line in its reading.
SAME_TEXT_SHARE = (0.8, 0.6)


@dataclass
class Reading:
    url: str
    title: str
    sentences: dict[int, int]  # hash of a sentence -> its length
    marks: PrintMarks
    stored_as: str = ""  # the address the article is stored under: its canonical one on the same site

    @classmethod
    def of(cls, url: str, out: Extracted) -> "Reading":
        canonical = out.canonical_url if out.canonical_url and on_site(out.canonical_url, url) else url
        return cls(url, out.title or "", text_signature(out.body), out.print_marks, canonical)


def text_signature(body: str) -> dict[int, int]:
    """The text's first sentences (casefolded, white runs folded) in its first SIGNATURE_MAX_CHARS,
    hashed, with their lengths."""
    found: dict[int, int] = {}
    for match in SENTENCE.finditer(body, 0, SIGNATURE_MAX_CHARS):
        sentence = " ".join(match.group().casefold().split())
        if sum(map(str.isalpha, sentence)) >= SENTENCE_MIN_LETTERS:
            found[hash(sentence)] = len(sentence)
            if len(found) >= SENTENCES_COMPARED:
                break
    return found


def same_text(a: dict[int, int], b: dict[int, int]) -> bool:
    shared = sum(a[h] for h in a.keys() & b.keys())
    shorter, longer = sorted((sum(a.values()), sum(b.values())))
    return shared >= SAME_TEXT_SHARE[0] * shorter and shared >= SAME_TEXT_SHARE[1] * longer


def prints(page: Reading, other: Reading) -> bool:
    """Is `page` the print view of `other`, whose text it shares?"""
    back_to, print_link = page.marks.back_to or "", other.marks.print_link or ""
    if any(same_address(back_to, address) for address in (other.url, other.stored_as)) or same_address(print_link, page.url):
        return True
    return (page.marks.chromeless and not other.marks.chromeless
            and bool(page.marks.marks or page.marks.back_to or same_title(page, other)))


def same_title(a: Reading, b: Reading) -> bool:
    return bool(a.title) and normalise_text(a.title).casefold() == normalise_text(b.title or "").casefold()


class PrintViews:
    """The articles read in this crawl, by the sentences of their text, per portal; bounded: the
    oldest are forgotten first."""

    def __init__(self, limit: int = rules.ARTICLES_COMPARED_WITH_PRINT_VIEWS):
        self.limit = limit
        self.readings: OrderedDict[str, tuple[str, Reading]] = OrderedDict()  # page key -> (source, reading)
        self.by_sentence: dict[int, str] = {}  # hash of (source, sentence hash) -> page key

    def match(self, source: str, url: str, out: Extracted) -> tuple[str, str] | None:
        """(print view's address, the address its article is stored under) when this article and one
        read before are one article in two views; the article is remembered (a print view is not)."""
        reading = Reading.of(url, out)
        if not reading.sentences:
            return None
        other = self.same_text_as(source, reading)
        if other is not None and prints(reading, other):
            return url, other.stored_as
        self.remember(source, reading)
        if other is not None and prints(other, reading):
            self.forget(page_key(other.url))
            return other.url, url
        return None

    def prints_stored(self, url: str, out: Extracted, stored: dict) -> bool:
        """Is this page the print view of the stored article it points to (its title, body, url)?"""
        reading = Reading.of(url, out)
        article = Reading(stored["url"], stored["title"] or "", text_signature(stored["body"] or ""), PrintMarks(),
                          stored["url"])
        return bool(reading.sentences) and same_text(reading.sentences, article.sentences) and prints(reading, article)

    def same_text_as(self, source: str, reading: Reading) -> Reading | None:
        hits: dict[str, int] = {}
        for sentence in reading.sentences:
            key = self.by_sentence.get(hash((source, sentence)))
            if key is not None:
                hits[key] = hits.get(key, 0) + 1
        for key in sorted(hits, key=hits.get, reverse=True)[:3]:
            other = self.readings[key][1]
            if key != page_key(reading.url) and same_text(reading.sentences, other.sentences):
                return other
        return None

    def remember(self, source: str, reading: Reading) -> None:
        key = page_key(reading.url)
        self.forget(key)
        self.readings[key] = (source, reading)
        for sentence in reading.sentences:
            self.by_sentence[hash((source, sentence))] = key
        while len(self.readings) > self.limit:
            self.forget(next(iter(self.readings)))

    def forget(self, key: str) -> None:
        source, reading = self.readings.pop(key, (None, None))
        for sentence in reading.sentences if reading else ():
            if self.by_sentence.get(hash((source, sentence))) == key:
                del self.by_sentence[hash((source, sentence))]
