"""Which view of an article a page is: a later page of a text split over pages, a print view.

A pager ("Strona: 1 2 3") is a box of links whose texts are page numbers, with the current page's
number as plain text (or a link to the page itself): 1 [2] 3 says this is page 2 and the text
begins at the link "1". Read before the generic chrome goes (pagers are named like chrome). A
print view beside an article calls the browser's print dialogue as it loads (read before the
scripts go); a "Drukuj" button on the article itself calls it only when clicked. Linear in the page.

A print view that does not print itself still shows what it is (`print_marks`): no site chrome
(navigation, header, footer, menus), and a print call anywhere, a print stylesheet only, "Drukuj" or
"Zamknij okno" controls, or the address of the article it prints (rel=canonical, a link back,
"Adres artykułu: ..."). The marks alone do not make a print view (an article has a "Drukuj" button
too): the clean stage compares the page's text with the other articles of its portal
(scraper/extract/parts.py, `PrintViews`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from scraper.extract.template import normalise_text, text_of

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


# ---------------------------------------------------------------- print views

CALLS_PRINT = re.compile(r"\bprint\(\s*\)")
CLOSES_WINDOW = re.compile(r"\bwindow\.close\(\s*\)")
# A control of a print view, or an article's link to its print view (the first group).
PRINT_CONTROL = re.compile(r"^(?:(drukuj|wydrukuj|drukuj (?:stronę|artykuł|tekst|informację)|wersja do druku|do druku"
                           r"|print(?: this page| version)?|printer[- ]friendly(?: version)?)|zamknij(?: okno)?"
                           r"|close(?: window)?)$", re.I)
# A link back to the article: "Powrót do artykułu", or the article's address written out.
BACK_LINK = re.compile(r"^(?:powrót|wróć|wstecz|back)(?: do (?:artykułu|strony|tekstu|wiadomości))?$", re.I)
ARTICLE_ADDRESS = re.compile(r"(?:adres|źródło|url|link|source)[^:]{0,30}:\s*((?:https?://|/)\S+)", re.I)
CHROME_TAGS = ("nav", "header", "footer", "aside", "menu")
CHROME_ROLES = ("navigation", "banner", "contentinfo", "menu", "menubar", "search")
MENU_MIN_LINKS = 5  # a list of this many links is a menu
ADDRESS_MAX_CHARS = 300  # a line that gives the article's address is short


@dataclass(frozen=True)
class PrintMarks:
    """What tells a print view: `chromeless` (no navigation, header, footer or menu), `marks` (a
    print call, a print stylesheet only, print or close controls), `back_to` (the address of the
    article it prints, on the same site), and, on an article, `print_link` (its print view's address)."""
    chromeless: bool = False
    marks: tuple[str, ...] = ()
    back_to: str | None = None
    print_link: str | None = None


def print_marks(tree, url: str, canonical: str | None) -> PrintMarks:
    """The page's marks of a print view, read before scripts, styles and chrome go. One pass."""
    marks: set[str] = set()
    chrome, stylesheets, print_sheets = False, 0, 0
    back_to = canonical if canonical and on_site(canonical, url) and not same_address(canonical, url) else None
    print_link = None
    for el in tree.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in CHROME_TAGS and not in_article(el) or el.get("role") in CHROME_ROLES:
            chrome = True
        elif tag in ("ul", "ol") and len(el.xpath("./li/a")) >= MENU_MIN_LINKS:
            chrome = True
        elif tag == "script" and CALLS_PRINT.search(el.text or ""):
            marks.add("print call")
        elif tag == "link" and "stylesheet" in (el.get("rel") or "").lower():
            stylesheets += 1
            print_sheets += "print" in (el.get("media") or "").lower()
        elif tag == "style" and "print" in (el.get("media") or "").lower():
            print_sheets += 1
        if tag in ("a", "button", "input", "body"):
            handlers = " ".join(filter(None, (el.get("onclick"), el.get("onload"), el.get("href"))))
            if CALLS_PRINT.search(handlers):
                marks.add("print call")
            if CLOSES_WINDOW.search(handlers):
                marks.add("close control")
        if tag in ("a", "button"):
            label = text_of(el) or normalise_text(el.get("value") or el.get("title") or "")
            target = urljoin(url, el.get("href") or "") if tag == "a" and el.get("href") else None
            control = PRINT_CONTROL.match(label)
            if control:
                marks.add("print control")
                if control.group(1) and target and is_address(target) and not same_address(target, url):
                    print_link = print_link or target
            elif target and on_site(target, url) and not same_address(target, url) and (
                    BACK_LINK.match(label) or same_address(label, target)):
                back_to = back_to or target
        if back_to is None and tag in ("p", "div", "span", "td", "small") and len(el.text or "") < ADDRESS_MAX_CHARS:
            written = ARTICLE_ADDRESS.search(el.text or "")
            target = urljoin(url, written.group(1)) if written else None
            if target and on_site(target, url) and not same_address(target, url):
                back_to = target
    if stylesheets and print_sheets >= stylesheets:
        marks.add("print stylesheet only")
    return PrintMarks(not chrome, tuple(sorted(marks)), back_to, print_link)


def in_article(el) -> bool:
    """An article's own <header> or <footer> (its headline, its byline) is no site chrome."""
    return any(ancestor.tag in ("article", "main") for ancestor in el.iterancestors())


def is_address(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def on_site(a: str, b: str) -> bool:
    return is_address(a) and urlsplit(a).netloc.lower() == urlsplit(b).netloc.lower()


def same_address(a: str, b: str) -> bool:
    """Scheme, fragment and trailing slash aside."""
    first, second = urlsplit(a.strip()), urlsplit(b.strip())
    return (first.netloc.lower(), first.path.rstrip("/"), first.query) == (
        second.netloc.lower(), second.path.rstrip("/"), second.query)
