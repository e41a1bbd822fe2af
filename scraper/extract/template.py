"""Site-level template learning: blocks that recur across pages of one source are chrome.

A block's fingerprint is (DOM path signature, normalised text). Keying on the path keeps a
listing teaser from removing the article's lead paragraph; normalising digits lets a visitor
counter or a view count match across pages. A block seen on `min_pages` distinct pages of a
source is chrome (headings and long prose need more: see `SiteTemplate.is_chrome`). Pages are
told apart by their text, so one article fetched under three URLs counts once and never turns
its own body into chrome. Memory is bounded: at most TEMPLATE_MAX_ENTRIES fingerprints.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache

from lxml import etree

from scraper.extract import rules
from scraper.text import normalise_text
_DIGITS = re.compile(r"\d+")
_WORD_SPLIT = re.compile(r"[\s_\-]+")
_PROSE_MARK = "p"  # fingerprints of long blocks start with it (hex digests never do)
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
    """All text inside an element, normalised (inline content; blocks are read by extract.linearise)."""
    return normalise_text("".join(el.itertext()))


# ---------------------------------------------------------------- cleaning shared with extract

def prepare(html: str) -> etree._Element:
    """A page as both the template and the extractor see it: parsed, junk and generic chrome gone."""
    tree = parse_html(html)
    drop_junk(tree)
    body = tree.find("body")
    if body is not None:
        drop_generic_chrome(body)
    return tree


def drop_junk(tree) -> None:
    """Scripts, styles, forms, hidden elements: never text."""
    for el in tree.iter(*rules.JUNK_TAGS):
        if not (el.tag == "label" and el.find(rules.CHECKLIST_ITEM) is not None):
            el.tag = "junk"
    for el in list(tree.iter("junk")):
        remove(el)
    for el in tree.xpath("//*[@hidden or @aria-hidden='true' or @style]"):
        style = (el.get("style") or "").replace(" ", "").lower()
        if (el.get("hidden") is not None or el.get("aria-hidden") == "true"
                or "display:none" in style or "visibility:hidden" in style):
            remove(el)


def remove(el) -> None:
    """Remove an element but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + " " + el.tail
        else:
            parent.text = (parent.text or "") + " " + el.tail
    parent.remove(el)


def class_words(el) -> set[str]:
    """Class, id, role and custom tag name tokens of an element, whole and split on - and _."""
    custom = el.tag if "-" in el.tag else ""  # custom elements name themselves: <app-seo-description>
    names = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''} {custom}"
    if names.isspace():  # most elements have no name at all
        return set()
    tokens = names.lower().split()
    words = set(tokens)
    for token in tokens:
        words.update(_WORD_SPLIT.split(token))
    return words


def drop_generic_chrome(body) -> None:
    """Remove nav/footer/aside/header and elements named like chrome, unless they hold the article."""
    total = 0  # the page's text, measured when first needed (before anything is removed)
    pending = list(body)
    while pending:
        el = pending.pop()
        if not isinstance(el.tag, str):
            continue
        named = el.get("class") or el.get("id") or el.get("role") or "-" in el.tag
        if el.tag in rules.CHROME_TAGS or named and named_chrome(el):
            total = total or max(text_chars(body), 1)
            if not holds_article(el, total):
                remove(el)
                continue
        pending.extend(el)


def named_chrome(el) -> bool:
    """Class or id words of chrome; navigation words only on an element with a link to follow
    (tabs named "nav" that hold a heading are content)."""
    words = class_words(el) & rules.CHROME_WORDS
    return bool(words) and not (words <= rules.NAVIGATION_WORDS and el.find(".//a") is None)


def holds_article(el, total: int) -> bool:
    if el.tag == "header" and (el.xpath("ancestor::article|ancestor::main") or el.find(".//h1") is not None):
        return True
    return (el.find(".//h1") is not None and text_chars(el) > rules.HOLDS_ARTICLE_TEXT_SHARE * total
            or text_chars(el, "p") > rules.HOLDS_ARTICLE_PARAGRAPH_SHARE * total)


def text_chars(el, tag: str | None = None) -> int:
    if tag:
        return sum(len(text_of(p)) for p in el.iter(tag))
    return len(text_of(el))


# ---------------------------------------------------------------- fingerprints

def _step(node) -> str:
    return _step_of(node.tag, node.get("id") or "", node.get("class") or "")


@lru_cache(maxsize=8192)
def _step_of(tag: str, ident: str, classes: str) -> str:
    """One step of a path signature: tag#id.classes, digits dropped (post-123 ~ post-456)."""
    names = sorted(_DIGITS.sub("", c) for c in classes.split())
    return f"{tag}#{_DIGITS.sub('', ident)}.{'.'.join(names)}"


def block_fingerprints(tree: etree._Element) -> dict:
    """Element → fingerprint for every block of a page, in one pass.

    A fingerprint hashes the path signature (tags, ids and classes without digits, from below
    <body>) with the block's text (words never glued across elements, digits as 0). Blocks
    longer than TEMPLATE_MAX_BLOCK_CHARS are too big to be chrome and get none.
    """
    body = tree.find("body")
    found: dict = {}
    if body is not None:
        _walk(body, "", found)
    return found


def _walk(el, path: str, found: dict) -> list[str] | None:
    """Text parts of `el` (None when too long to matter), recording fingerprints of its blocks."""
    path = f"{path}/{_step(el)}" if el.tag != "body" else ""
    is_block = el.tag in rules.BLOCK_TAGS
    parts = [" ", el.text or ""] if is_block else [el.text or ""]
    too_long = False
    for child in el:
        if isinstance(child.tag, str):
            child_parts = _walk(child, path, found)
            too_long = too_long or child_parts is None
            if not too_long:
                parts.extend(child_parts)
        if child.tail and not too_long:
            parts.append(child.tail)
    if too_long or sum(map(len, parts)) > 4 * rules.TEMPLATE_MAX_BLOCK_CHARS:  # whitespace aside, too long
        return None
    if is_block:
        parts.append(" ")
        text = " ".join("".join(parts).split())
        if text and len(text) <= rules.TEMPLATE_MAX_BLOCK_CHARS and el.tag not in ("body", "br", "hr"):
            key = path + "\0" + _DIGITS.sub("0", text.lower())
            prose = _PROSE_MARK if len(text) >= rules.TEMPLATE_PROSE_CHARS else ""
            found[el] = prose + hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
    return parts


def page_identity(tree: etree._Element) -> str:
    """Same text (digits aside) → same page, whatever its URL."""
    body = tree.find("body")
    text = normalise_text("".join(body.itertext())) if body is not None else ""
    return hashlib.blake2b(_DIGITS.sub("0", text).encode(), digest_size=6).hexdigest()


class SiteTemplate:
    """Block fingerprints of one source's pages; tells which blocks are chrome."""

    def __init__(self, min_pages: int = rules.TEMPLATE_MIN_PAGES,
                 max_entries: int = rules.TEMPLATE_MAX_ENTRIES):
        self.min_pages = min_pages
        self.max_entries = max_entries
        self.blocks: dict[str, int] = {}
        self.pages: dict[str, None] = {}  # identities of the latest pages (ordered), to count a repeat once
        self.pages_seen = 0

    @property
    def ready(self) -> bool:
        """Enough pages seen for recurrence to mean anything."""
        return self.pages_seen >= self.min_pages

    @property
    def settled(self) -> bool:
        """Enough pages seen for every kind of block, headings and prose too, to be judged: a page
        read earlier may keep chrome that a later reading removes (scraper/crawl/reclean.py)."""
        factor = max(rules.TEMPLATE_PROSE_FACTOR, rules.TEMPLATE_HEADING_FACTOR)
        return self.pages_seen >= self.min_pages * factor

    def observe(self, url: str, html_or_tree) -> dict:
        """Record the blocks of one page (articles and listings alike); a page seen before counts once.

        A tree must come from `prepare` (cleaned the way the extractor cleans). Returns the page's
        block fingerprints (element → fingerprint) for `chrome_blocks`.
        """
        tree = prepare(html_or_tree) if isinstance(html_or_tree, str) else html_or_tree
        fingerprints = block_fingerprints(tree)
        page = page_identity(tree)
        if page not in self.pages:
            self.pages[page] = None
            if len(self.pages) > rules.TEMPLATE_RECENT_PAGES:
                del self.pages[next(iter(self.pages))]
            self.pages_seen += 1
            for fp in set(fingerprints.values()):
                self.blocks[fp] = self.blocks.get(fp, 0) + 1
            self._evict()
        return fingerprints

    def _evict(self) -> None:
        """Bounded memory: over the cap, drop blocks seen once (oldest first), then the oldest.

        It drops down to a tenth below the cap, so the walk over every block happens once in
        thousands of pages rather than on every page once a big portal has filled the template.
        """
        if len(self.blocks) <= self.max_entries:
            return
        excess = len(self.blocks) - self.max_entries * 9 // 10
        singles = [fp for fp, seen in self.blocks.items() if seen == 1][:excess]
        oldest = [fp for fp in self.blocks if self.blocks[fp] > 1][:excess - len(singles)]
        for fp in singles + oldest:
            del self.blocks[fp]

    def is_chrome(self, el: etree._Element, fp: str | None) -> bool:
        """Does this block (fingerprint `fp`) recur on enough distinct pages of the source?

        Headings and prose need more pages: a document's title shown in a few views of it
        (summary, full text, attachments) is still its title, and a post that a blog shows in full
        on its home, archive and category pages is still the post; chrome repeats everywhere.
        """
        if fp is None:
            return False
        factor = rules.TEMPLATE_PROSE_FACTOR if fp.startswith(_PROSE_MARK) else 1
        if el.tag in rules.HEADING_TAGS:
            factor = max(factor, rules.TEMPLATE_HEADING_FACTOR)
        return self.blocks.get(fp, 0) >= self.min_pages * factor

    def chrome_blocks(self, tree: etree._Element, fingerprints: dict | None = None) -> list:
        """The outermost chrome blocks of a prepared page, in document order."""
        found = []
        fingerprints = block_fingerprints(tree) if fingerprints is None else fingerprints
        for el, fp in fingerprints.items():
            if self.is_chrome(el, fp) and not any(a in fingerprints and self.is_chrome(a, fingerprints[a])
                                                  for a in el.iterancestors()):
                found.append(el)
        return found

    def to_json(self) -> str:
        return json.dumps({"min_pages": self.min_pages, "pages_seen": self.pages_seen, "pages": list(self.pages),
                           "blocks": self.blocks}, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: str) -> "SiteTemplate":
        raw = json.loads(data)
        template = cls(min_pages=raw.get("min_pages", rules.TEMPLATE_MIN_PAGES))
        template.pages = dict.fromkeys(raw.get("pages", []))
        template.pages_seen = int(raw.get("pages_seen", len(template.pages)))
        template.blocks = {fp: int(seen) for fp, seen in raw.get("blocks", {}).items()}
        return template
