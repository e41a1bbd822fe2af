"""Site-level template learning: blocks that recur across pages of one source are chrome.

A block's fingerprint is (DOM path signature, normalised text). Keying on the path keeps a
listing teaser from removing the article's lead paragraph; normalising digits lets a visitor
counter or a view count match across pages. A block seen on `min_pages` distinct pages of a
source is chrome. Pages are told apart by their text, so one article fetched under three URLs
counts once and never turns its own body into chrome.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from lxml import etree

from scraper import extract_rules as rules

_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_CLASS_DIGITS = re.compile(r"\d+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)


def parse_html(html: str) -> etree._Element:
    """Parse a decoded page into an lxml tree (tolerates XML declarations and junk)."""
    html = _XML_DECL.sub("", html or "")
    try:
        root = etree.fromstring(html, _PARSER) if html.strip() else None
    except (etree.ParserError, ValueError):
        root = None
    return root if root is not None else etree.fromstring("<html><body></body></html>", _PARSER)


def text_of(el: etree._Element) -> str:
    """All text inside an element, normalised (inline only: use element_text across blocks)."""
    return normalise_text("".join(el.itertext()))


def normalise_text(text: str) -> str:
    """NFC, one space between words, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def element_text(el: etree._Element) -> str:
    """The element's text with a space at every block boundary (words never glued)."""
    parts: list[str] = []
    _collect_text(el, parts)
    return normalise_text("".join(parts))


def _collect_text(el, parts: list[str]) -> None:
    is_block = el.tag in rules.BLOCK_TAGS
    if is_block:
        parts.append(" ")
    if el.text and isinstance(el.tag, str):
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)
    if is_block:
        parts.append(" ")


def path_signature(el: etree._Element) -> str:
    """Tags with id and classes (digits dropped) from below <body> down to the element."""
    steps = []
    node = el
    while node is not None and node.tag not in ("body", "html"):
        steps.append(_step(node))
        node = node.getparent()
    return "/".join(reversed(steps))


def _step(node) -> str:
    ident = _CLASS_DIGITS.sub("", node.get("id") or "")
    classes = sorted(_CLASS_DIGITS.sub("", c) for c in (node.get("class") or "").split())
    return f"{node.tag}#{ident}.{'.'.join(classes)}"


def fingerprint(el: etree._Element, text: str | None = None) -> str | None:
    """Fingerprint of a block element, or None for elements that are not blocks."""
    if not isinstance(el.tag, str) or el.tag not in rules.BLOCK_TAGS or el.tag in ("body", "br", "hr"):
        return None
    text = element_text(el) if text is None else text
    if not text or len(text) > rules.TEMPLATE_MAX_BLOCK_CHARS:
        return None
    key = path_signature(el) + "\0" + _DIGITS.sub("0", text.lower())
    return hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def block_fingerprints(tree: etree._Element) -> set[str]:
    """Fingerprints of every block of a page."""
    body = tree.find("body")
    if body is None:
        return set()
    found = set()
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag not in rules.JUNK_TAGS:
            fp = fingerprint(el)
            if fp:
                found.add(fp)
    return found


def page_identity(tree: etree._Element) -> str:
    """Same text (digits aside) → same page, whatever its URL."""
    body = tree.find("body")
    text = element_text(body) if body is not None else ""
    return hashlib.blake2b(_DIGITS.sub("0", text).encode(), digest_size=6).hexdigest()


class SiteTemplate:
    """Block fingerprints of one source's pages; tells which blocks are chrome."""

    def __init__(self, min_pages: int = rules.TEMPLATE_MIN_PAGES,
                 max_entries: int = rules.TEMPLATE_MAX_ENTRIES):
        self.min_pages = min_pages
        self.max_entries = max_entries
        self.blocks: dict[str, int] = {}
        self.pages: list[str] = []  # identities of the latest pages, to count a repeat once
        self.pages_seen = 0

    @property
    def ready(self) -> bool:
        """Enough pages seen for recurrence to mean anything."""
        return self.pages_seen >= self.min_pages

    def observe(self, url: str, html_or_tree) -> None:
        """Record the blocks of one page (articles and listings alike); a page seen before counts once."""
        tree = parse_html(html_or_tree) if isinstance(html_or_tree, str) else html_or_tree
        page = page_identity(tree)
        if page in self.pages:
            return
        self.pages.append(page)
        del self.pages[: -rules.TEMPLATE_RECENT_PAGES]
        self.pages_seen += 1
        for fp in block_fingerprints(tree):
            self.blocks[fp] = self.blocks.get(fp, 0) + 1
        self._evict()

    def _evict(self) -> None:
        """Bounded memory: drop blocks seen once, oldest first, when over the cap."""
        excess = len(self.blocks) - self.max_entries
        if excess <= 0:
            return
        for fp in [fp for fp, seen in self.blocks.items() if seen == 1][:excess]:
            del self.blocks[fp]

    def is_chrome(self, el: etree._Element, text: str | None = None) -> bool:
        """Does this block recur on enough distinct pages of the source?

        Headings need more pages: a document's title shown in a few views of it (summary, full
        text, attachments) is still its title, while chrome headings repeat everywhere.
        """
        fp = fingerprint(el, text)
        needed = self.min_pages * (rules.TEMPLATE_HEADING_FACTOR if el.tag in rules.HEADING_TAGS else 1)
        return fp is not None and self.blocks.get(fp, 0) >= needed

    def to_json(self) -> str:
        return json.dumps({"min_pages": self.min_pages, "pages_seen": self.pages_seen, "pages": self.pages,
                           "blocks": self.blocks}, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: str) -> "SiteTemplate":
        raw = json.loads(data)
        template = cls(min_pages=raw.get("min_pages", rules.TEMPLATE_MIN_PAGES))
        template.pages = list(raw.get("pages", []))
        template.pages_seen = int(raw.get("pages_seen", len(template.pages)))
        template.blocks = {fp: int(seen) for fp, seen in raw.get("blocks", {}).items()}
        return template
