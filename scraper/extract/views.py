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

from lxml import etree

from scraper.extract import rules
from scraper.extract.template import normalise_text, text_of

# A script that prints the page as it loads: the whole script a print() call, or one in a load handler.
PRINT_SCRIPT = re.compile(r"^\s*(?:window\.)?print\(\)\s*;?\s*$")
PRINT_ON_LOAD = re.compile(r"(?:\bonload\s*=|addEventListener\(\s*['\"]load['\"])[^;{}]*(?:\{[^{}]*?)?\b(?:window\.)?print\(\)")
PAGE_NUMBER = re.compile(r"\d{1,2}")
# lxml picks the few short links in C, by their characters other than XML's white ones: never more
# than the link's text with its white runs folded, which is measured after (`folded_length`)
_LETTERS = "string-length(translate(., ' \t\n\r', ''))"
_XML_WHITE = re.compile("[ \t\n\r]+")
SHORT_LINK_MAX_CHARS = 6  # a page number, blanks around it
SHORT_LINKS = etree.XPath(f".//a[@href][{_LETTERS} <= {SHORT_LINK_MAX_CHARS}]")
FULLER_LINK_MAX_CHARS = 40
# rules.FULL_VERSION_LINK's words, as lxml finds them without folding case (C speed): "Pełna", "CAŁY TEKST", "full"
FULLER_LINKS = etree.XPath(".//a[contains(., 'ełn') or contains(., 'EŁN') or contains(., 'ał') or contains(., 'AŁ')"
                           f" or contains(., 'ull') or contains(., 'ULL')][{_LETTERS} <= {FULLER_LINK_MAX_CHARS}]")
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
    for link in SHORT_LINKS(body):  # lxml picks the few short links: no Python call per link of the page
        text = text_of(link)
        if folded_length(link) <= SHORT_LINK_MAX_CHARS and PAGE_NUMBER.fullmatch(text):
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


def fuller_version(body, url: str) -> str | None:
    """The URL of a fuller version this page links to ("Pełna prezentacja"): the page is a summary
    view of it."""
    here = url.split("#")[0]
    for link in FULLER_LINKS(body):
        if folded_length(link) <= FULLER_LINK_MAX_CHARS and rules.FULL_VERSION_LINK.match(text_of(link)):
            target = urljoin(url, link.get("href") or "").split("#")[0]
            if target != here:
                return target
    return None


def folded_length(link) -> int:
    """The length of the link's text, XML's white runs one blank, trimmed (XPath's normalize-space)."""
    return len(_XML_WHITE.sub(" ", "".join(link.itertext())).strip(" \t\n\r"))


def prints_on_load(tree) -> bool:
    """Does the page open the print dialogue as it loads (a print view)?"""
    body = tree.find("body")
    if body is not None and "print(" in (body.get("onload") or ""):
        return True
    return any(PRINT_SCRIPT.match(script.text or "") or PRINT_ON_LOAD.search(script.text or "")
               for script in tree.iter("script"))


# ---------------------------------------------------------------- print views

CALLS_PRINT = re.compile(r"\bprint\(\s*\)")
# A control of a print view, or an article's link to its print view (the first group).
PRINT_CONTROL = re.compile(r"^(?:(drukuj|wydrukuj|drukuj (?:stronę|artykuł|tekst|informację)|wersja do druku|do druku"
                           r"|print(?: this page| version)?|printer[- ]friendly(?: version)?)|zamknij(?: okno)?"
                           r"|close(?: window)?)$", re.I)
# A link back to the article: "Powrót do artykułu", or the article's address written out.
BACK_LINK = re.compile(r"^(?:powrót|wróć|wstecz|back)(?: do (?:artykułu|strony|tekstu|wiadomości))?$", re.I)
ARTICLE_ADDRESS = re.compile(r"(?:adres|źródło|url|link|source)[^:]{0,30}:\s*((?:https?://|/)\S+)", re.I)
CONTROL_WORDS = re.compile(r"druk|print|zamknij|close|powr|wróć|wstecz|back|://", re.I)
CONTROL_MAX_CHARS = 160  # a control's label, or an address written out
ADDRESS_MAX_CHARS = 300  # a line that gives the article's address is short
CHROME_TAGS = ("nav", "aside", "menu")
CHROME_ROLES = ("navigation", "banner", "contentinfo", "menu", "menubar")
TEXT_TAGS = ("p", "div", "span", "td", "small")  # where a print view may write the article's address
# One pass over the elements these name (lxml picks them): what each holds is read below.
MARK_TAGS = (*TEXT_TAGS, "script", "link", "style", "a", "button", "input", "body")


@dataclass(frozen=True)
class PrintMarks:
    """What tells a print view: `chromeless` (no navigation, header, footer or menu), `marks` (a
    print call, a print stylesheet only, print or close controls), `back_to` (the address of the
    article it prints, on the same site: rel=canonical, a link back, the address written out), and
    `print_link` (the address of its own print view, which a page without chrome may link to)."""
    chromeless: bool = False
    marks: tuple[str, ...] = ()
    back_to: str | None = None
    print_link: str | None = None


def print_marks(tree, url: str, canonical: str | None) -> PrintMarks:
    """The page's marks of a print view, read before scripts, styles and chrome go. A page with the
    site's chrome is no print view of another: its other marks are not looked for (most pages stop
    at their first <nav> or <header>). Then one pass."""
    back_to = canonical if canonical and on_site(canonical, url) and not same_address(canonical, url) else None
    if has_site_chrome(tree):
        return PrintMarks(False, (), back_to)
    found = Found(url, back_to)
    for el in tree.iter(*MARK_TAGS):
        tag = el.tag
        if tag == "a":
            found.see_code(el.get("onclick"))
            found.see_code(el.get("href"))
            found.see_control(el)
        elif tag in TEXT_TAGS:
            found.see_address_line(el.text)
        elif tag in ("button", "input", "body"):
            found.see_code(el.get("onclick") or el.get("onload"))
            if tag != "body":
                found.see_control(el)
        elif tag == "script":
            found.see_code(el.text)
        else:
            found.see_style(el)
    return found.marks()


def has_site_chrome(tree) -> bool:
    """Navigation, a site header or footer, a menu."""
    for el in tree.iter(*CHROME_TAGS, "header", "footer", "ul", "ol"):
        if el.tag in CHROME_TAGS or el.get("role") in CHROME_ROLES or is_menu(el) or (
                el.tag in ("header", "footer") and not in_article(el)):
            return True
    return False


class Found:
    """What one pass over a page found of the marks of a print view."""

    def __init__(self, url: str, back_to: str | None):
        self.url, self.back_to, self.print_link = url, back_to, None
        self.stylesheets, self.print_sheets = 0, 0
        self.kinds: set[str] = set()

    def marks(self) -> PrintMarks:
        if self.stylesheets and self.print_sheets >= self.stylesheets:
            self.kinds.add("print stylesheet only")
        return PrintMarks(True, tuple(sorted(self.kinds)), self.back_to, self.print_link)

    def see_code(self, code: str | None) -> None:
        if not code or "(" not in code:
            return
        if "print(" in code and CALLS_PRINT.search(code):
            self.kinds.add("print call")
        if "window.close(" in code:
            self.kinds.add("close control")

    def see_style(self, el) -> None:
        if el.tag == "link" and "stylesheet" not in (el.get("rel") or "").lower():
            return
        printed = "print" in (el.get("media") or "").lower()
        self.stylesheets += el.tag == "link" or printed
        self.print_sheets += printed

    def see_control(self, el) -> None:
        raw = el.text if len(el) == 0 else "".join(el.itertext())
        raw = raw or el.get("value") or el.get("title") or ""
        if len(raw) > CONTROL_MAX_CHARS or not CONTROL_WORDS.search(raw):
            return
        label = normalise_text(raw)
        target = urljoin(self.url, el.get("href")) if el.tag == "a" and el.get("href") else None
        kind = PRINT_CONTROL.match(label)
        if kind:
            self.kinds.add("print control")
            if kind.group(1) and target and is_address(target) and not same_address(target, self.url):
                self.print_link = self.print_link or target
        elif target and self.back_to is None and on_site(target, self.url) and not same_address(target, self.url) and (
                BACK_LINK.match(label) or same_address(label, target)):
            self.back_to = target

    def see_address_line(self, text: str | None) -> None:
        if self.back_to is not None or not text or len(text) > ADDRESS_MAX_CHARS or ":" not in text or "/" not in text:
            return
        written = ARTICLE_ADDRESS.search(text)
        target = urljoin(self.url, written.group(1)) if written else None
        if target and on_site(target, self.url) and not same_address(target, self.url):
            self.back_to = target


def is_menu(el) -> bool:
    """A list of links: the site's navigation."""
    return el.tag in ("ul", "ol") and len(el) >= rules.MENU_MIN_LINKS and sum(
        1 for item in el if item.tag == "li" and item.find("a") is not None) >= rules.MENU_MIN_LINKS


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
