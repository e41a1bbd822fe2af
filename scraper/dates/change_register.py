"""A document's change register (BIP "Rejestr zmian"): the link to it and the changes it lists.

Polish BIP portals show a document's publication in its metryczka, and its later changes only on
a register page linked from there, one dated row per change. The spider fetches that page
together with the document and hands it on in `Page.change_register` (spiders/portal.py);
a register that several pages link is the bulletin's own change log and dates none of them.
The clean stage reads its rows (scraper/extract/evidence.py: register_rows), the dates stage their
dates, and the latest change after the first entry is the document's `updated`
(scraper/dates/grammar.py: page_dates). The register itself is no article.
"""
from __future__ import annotations

from scrapy.selector import Selector

from scraper.dates import rules
from scraper.dates.grammar import normalise

LINK_TEXTS = frozenset(rules.CHANGE_REGISTER_LINK_TEXTS)
# Every link text ends in a word ("zmian") that a plain substring search finds fast in the raw HTML,
# so pages without one cost no XPath walk; links holding it are then compared whole.
LAST_WORDS = sorted({case(text.split()[-1]) for text in LINK_TEXTS
                     for case in (str.lower, str.capitalize, str.upper)})
CANDIDATE_LINKS = "//a[@href][{}]".format(" or ".join(f"contains(., '{word}')" for word in LAST_WORDS))


def register_links(response, parsed: Selector | None = None) -> list[str]:
    """The hrefs of the page's change register links (whole text one of the rules', any case).
    `parsed`: the page already parsed, by the spider (spiders/portal.py, own_selector)."""
    if not any(word in response.text for word in LAST_WORDS):
        return []
    parsed = parsed if parsed is not None else Selector(text=response.text, type="html")
    return [link.attrib["href"] for link in parsed.xpath(CANDIDATE_LINKS)
            if normalise(" ".join(link.xpath(".//text()").getall())).lower() in LINK_TEXTS]


class RegisterOwners:
    """Whose register a register link is. A BIP's menu often links the whole bulletin's change log
    with the same words from every page: a register linked from more than one page is no document's
    own, and its changes date none of them."""

    def __init__(self):
        self.first_page: dict[str, str] = {}
        self.shared: set[str] = set()

    def claim(self, register: str, page: str) -> bool:
        """Note that `page` (an article key: one document under several URLs is one page) links
        `register`; whether it is still that page's own."""
        if self.first_page.setdefault(register, page) != page:
            self.shared.add(register)
        return self.owns(register)

    def owns(self, register: str) -> bool:
        return register not in self.shared
