"""A document's change register (BIP "Rejestr zmian"): the link to it and the changes it lists.

Polish BIP portals show a document's publication in its metryczka, and its later changes only on
a register page linked from there, one dated row per change. The spider fetches that page
together with the document and hands it on in `Page.meta["change_register"]` (spiders/portal.py);
the dates stage reads its rows here, and the latest change after the first entry is the
document's `updated` (scraper/polish_dates.page_dates). The register itself is no article.
"""
from __future__ import annotations

import re

from scraper import date_rules as rules
from scraper.polish_dates import ChromeText, html_tree, normalise, parse_labelled

_UPPER, _LOWER = "AĄBCĆDEĘFGHIJKLŁMNŃOÓPQRSŚTUVWXYZŹŻ", "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
# A cheap look at the raw HTML first, so pages without such a link cost no XPath walk.
LINK_HINT = re.compile("|".join(r"(?:\s|&nbsp;|&#160;)+".join(map(re.escape, text.split()))
                                for text in rules.CHANGE_REGISTER_LINK_TEXTS), re.IGNORECASE)
LINK_XPATH = "//a[@href][{}]/@href".format(" or ".join(
    f"translate(normalize-space(translate(., '\u00a0', ' ')), '{_UPPER}', '{_LOWER}') = '{text}'"
    for text in rules.CHANGE_REGISTER_LINK_TEXTS))


def register_link(response) -> str | None:
    """The href of the page's change register link (exact link text, any case), or None."""
    if not LINK_HINT.search(response.text):
        return None
    return response.xpath(LINK_XPATH).get()


def register_changes(html: str | None) -> list[str]:
    """The date (ISO 8601) of each dated row of a change register, in page order; rows in the
    page's furniture (header clocks, footers) are left out."""
    tree = html_tree(html or "")
    if tree is None:
        return []
    chrome = ChromeText(tree)
    changes = []
    for row in tree.iter("tr", "li"):
        mentions = parse_labelled(normalise(row.text_content()))
        if mentions and not chrome.contains(row):
            changes.append(mentions[0].iso)
    return changes
