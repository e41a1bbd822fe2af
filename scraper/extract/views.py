"""Which view of an article a page is: a later page of a text split over pages, a print view.

A pager ("Strona: 1 2 3") is a box of links whose texts are page numbers, with the current page's
number as plain text (or a link to the page itself): 1 [2] 3 says this is page 2 and the text
begins at the link "1". Read before the generic chrome goes (pagers are named like chrome). A
print view beside an article calls the browser's print dialogue as it loads (read before the
scripts go); a "Drukuj" button on the article itself calls it only when clicked. Linear in the page.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

from scraper.extract.template import text_of

# A script that prints the page as it loads: the whole script a print() call, or one in a load handler.
PRINT_SCRIPT = re.compile(r"^\s*(?:window\.)?print\(\)\s*;?\s*$")
PRINT_ON_LOAD = re.compile(r"(?:\bonload\s*=|addEventListener\(\s*['\"]load['\"])[^;{}]*(?:\{[^{}]*?)?\b(?:window\.)?print\(\)")
PAGE_NUMBER = re.compile(r"\d{1,2}")
NUMBER_IN_TEXT = re.compile(r"(?<![\d.,:/-])\d{1,2}(?![\d.,:/-])")


def page_in_text(body, url: str, same_page) -> tuple[int, str] | None:
    """(this page's number, the address of page 1) when the page is a later page of a text split
    over pages; None for a first page, or a page without a pager. `same_page(a, b)` compares two
    addresses (scheme, fragment and trailing slash aside)."""
    for box, links in number_links(body, url).items():
        current = current_number(box, links, url, same_page)
        numbers = set(links) | {current}
        if current and current > 1 and 1 in links and numbers == set(range(1, max(numbers) + 1)):
            return current, links[1]
    return None


def number_links(body, url: str) -> dict:
    """Box → {page number: address} of the links whose text is a number (the box of a link in a
    list item is the list)."""
    boxes: dict = {}
    for link in body.iter("a"):
        text = text_of(link)
        if link.get("href") and PAGE_NUMBER.fullmatch(text):
            box = link.getparent()
            if box is not None and box.tag == "li" and box.getparent() is not None:
                box = box.getparent()
            if box is not None:
                boxes.setdefault(box, {})[int(text)] = urljoin(url, link.get("href"))
    return boxes


def current_number(box, links: dict, url: str, same_page) -> int | None:
    """The current page in a pager: the number written without a link, or the link to the page itself."""
    for number, target in links.items():
        if same_page(target, url):
            return number
    plain = {int(n) for text in box.xpath(".//text()[not(ancestor::a)]") for n in NUMBER_IN_TEXT.findall(text)}
    plain -= set(links)
    return plain.pop() if len(plain) == 1 else None


def prints_on_load(tree) -> bool:
    """Does the page open the print dialogue as it loads (a print view)?"""
    body = tree.find("body")
    if body is not None and "print(" in (body.get("onload") or ""):
        return True
    return any(PRINT_SCRIPT.match(script.text or "") or PRINT_ON_LOAD.search(script.text or "")
               for script in tree.iter("script"))
