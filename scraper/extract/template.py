"""Site-level template learning: blocks that recur across pages of one source are chrome.

A block's fingerprint is (DOM path signature, normalised text). Keying on the path keeps a
listing teaser from removing the article's lead paragraph; normalising digits lets a visitor
counter or a view count match across pages. A block seen on `min_pages` distinct pages of a
source, mostly in the same place among its siblings, is chrome (headings and long prose need
more: see `SiteTemplate.is_chrome`). Pages are told apart by their text, so one article fetched
under three URLs counts once and never turns its own body into chrome. Memory is bounded: at
most TEMPLATE_MAX_ENTRIES fingerprints.
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
_BODY_START = re.compile(r"<body\b|</head\s*>", re.I)
_HEAD_TITLE = re.compile(r"<title\b[^>]*>([^<]*)", re.I)
_HEAD_TAGS = re.compile(r"<(?:meta|link)\b[^<>]*>", re.I)


def parse_html(html: str) -> etree._Element:
    """Parse a decoded page into an lxml tree (tolerates XML declarations, junk and a broken head)."""
    html = _XML_DECL.sub("", html or "")
    root = _parse(html)
    if root is not None and root.find("body") is None:
        recovered = without_broken_head(html)
        root = recovered if recovered is not None else root
    return root if root is not None else etree.fromstring("<html><body></body></html>", _PARSER)


def _parse(html: str):
    try:
        return etree.fromstring(html, _PARSER) if html.strip() else None
    except (etree.ParserError, ValueError):
        return None


def without_broken_head(html: str):
    """The page parsed again from its <body> (or the head's end) on, with a head rebuilt from the
    title and the meta/link tags written before it: an unclosed <title> or attribute quote in the
    head otherwise swallows the whole document, leaving no <body>."""
    start = _BODY_START.search(html)
    if start is None:
        return None
    head = html[:start.start()]
    title = _HEAD_TITLE.search(head)
    # a tag cut by an unclosed quote would swallow the rest again: only whole ones are kept
    tags = "".join(tag for tag in _HEAD_TAGS.findall(head) if tag.count('"') % 2 == 0 and tag.count("'") % 2 == 0)
    rebuilt = f"<html><head><title>{title.group(1) if title else ''}</title>{tags}</head>{html[start.start():]}"
    root = _parse(rebuilt)
    return root if root is not None and root.find("body") is not None else None


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


def drop_junk(tree, attributed: Attributed | None = None) -> None:
    """Scripts, styles, form controls, forms without prose, hidden elements: never text.
    `attributed`: the page's elements with attributes, when already read (those gone with the junk
    do no harm)."""
    for el in tree.iter(*rules.JUNK_TAGS):
        if not (el.tag == "label" and el.find(rules.CHECKLIST_ITEM) is not None):
            el.tag = "junk"
    for el in list(tree.iter("junk")):
        remove(el)
    drop_forms_without_prose(tree)
    for anchor in tree.iter("a"):
        if anchor.get("href") is None:  # a named anchor, often left open (<a name="top">): no link
            anchor.tag = "span"
    for el in (attributed if attributed is not None else Attributed(tree)).having("hidden", "aria-hidden", "style"):
        style = (el.get("style") or "").replace(" ", "").lower()
        if (el.get("hidden") is not None or el.get("aria-hidden") == "true"
                or "display:none" in style or "visibility:hidden" in style):
            remove(el)


def drop_forms_without_prose(tree) -> None:
    """Search, login and comment forms go; a form wrapping the whole page (ASP.NET WebForms,
    Lotus and other CMSs) holds the article and stays. Its controls are junk already."""
    for form in list(tree.iter("form")):
        labels = sum(text_chars(label) for label in form.iter("label"))  # consent clauses are no prose
        if form.getparent() is not None and text_chars(form) - labels < rules.FORM_PROSE_MIN_CHARS:
            remove(form)


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


# Elements are found by attribute with one XPath walk in C (testing each element in Python costs
# more), never with a union or a parent step ("//@class/.."): libxml2 merges such node sets in
# quadratic time, minutes on a table of 250,000 classed cells.
_ATTRIBUTED = etree.XPath("descendant::*[@*]")
_NAMED = etree.XPath("descendant::*[@* or contains(local-name(), '-')]")


class Attributed(list):
    """The elements under `root` that carry attributes (with `custom_tags`, also custom elements,
    whose tags name them), in document order: read once for a state of the page, then asked by
    each reader for the attributes it wants."""

    def __init__(self, root, custom_tags: bool = False):
        super().__init__((_NAMED if custom_tags else _ATTRIBUTED)(root))
        self.root = root

    def having(self, *attributes: str) -> list:
        # written out per count: a generator per element would cost more than the look-ups
        if len(attributes) == 1:
            return [el for el in self if el.get(attributes[0]) is not None]
        if len(attributes) == 2:
            a, b = attributes
            return [el for el in self if el.get(a) is not None or el.get(b) is not None]
        if len(attributes) == 3:
            a, b, c = attributes
            return [el for el in self if el.get(a) is not None or el.get(b) is not None or el.get(c) is not None]
        holders = {el for name in attributes for el in self if el.get(name) is not None}
        return [el for el in self if el in holders]

    def named(self) -> list:
        """Those that `class_words` can name: with a class, id or role, or a custom tag."""
        return [el for el in self if el.get("class") is not None or el.get("id") is not None
                or el.get("role") is not None or "-" in el.tag]

    def within(self, root) -> Attributed:
        """Those inside `root` (an element under this one's root), in document order. Each
        element's ancestors are looked at once, however many elements share them."""
        if root is self.root:
            return self
        inside = {root: True, self.root: False}
        found = Attributed.__new__(Attributed)
        found.root = root
        found.extend(el for el in self if el is not root and nearest_known(el, inside, False))
        return found


def nearest_known(el, known: dict, default=None):
    """What `known` says of `el` or of its nearest ancestor it knows (`default` if none); what is
    found on the way is remembered in `known`, so the rows of a table, which share their
    ancestors, cost a step each."""
    path = []
    while el is not None and el not in known:
        path.append(el)
        el = el.getparent()
    found = default if el is None else known[el]
    known.update(dict.fromkeys(path, found))
    return found


def class_words(el) -> frozenset[str]:
    """Class, id, role and custom tag name tokens of an element, whole and split on - and _."""
    custom = el.tag if "-" in el.tag else ""  # custom elements name themselves: <app-seo-description>
    return words_of_names(f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''} {custom}")


@lru_cache(maxsize=8192)  # a page names thousands of elements with a few names ("row", "cell")
def words_of_names(names: str) -> frozenset[str]:
    tokens = names.lower().split()
    return frozenset(tokens).union(*(_WORD_SPLIT.split(token) for token in tokens))


def drop_generic_chrome(body) -> list:
    """Remove nav/footer/aside/header and elements named like chrome, unless they hold the article;
    returns the removed elements (the date evidence reads the furniture's text: clocks, name days)."""
    candidates: list = []
    prose = {body: _prose_walk(body, False, candidates)}  # measured before anything is removed
    prose.update(candidates)
    removed, gone = [], set()
    for el, _ in candidates:  # outer elements first: what a removed one holds is gone with it
        if el not in gone and not holds_article(el, prose, body):
            gone.update(el.iter())
            remove(el)
            removed.append(el)
    return removed[::-1]


def _prose_walk(el, in_link: bool, candidates: list) -> int:
    """Characters of prose under `el` (runs of text outside links at least PROSE_RUN_MIN_CHARS
    long: menus, buttons and labels are links or short runs), noting each chrome candidate below
    it with its own count, in document order. One pass over the page."""
    in_link = in_link or el.tag == "a"
    total = 0 if in_link else prose_run(el.text)
    for child in el:
        if isinstance(child.tag, str):
            if child.tag in rules.CHROME_TAGS or (child.get("class") or child.get("id") or child.get("role")
                                                  or "-" in child.tag) and named_chrome(child):
                at = len(candidates)
                candidates.append(None)
                count = _prose_walk(child, in_link, candidates)
                candidates[at] = (child, count)
            else:
                count = _prose_walk(child, in_link, candidates)
            total += count
            if not in_link:
                total += prose_run(child.tail)
    return total


def named_chrome(el) -> bool:
    """Class or id words of chrome; navigation words only on an element with a link to follow
    (tabs named "nav" that hold a heading are content)."""
    words = class_words(el) & rules.CHROME_WORDS
    return bool(words) and not (words <= rules.NAVIGATION_WORDS and el.find(".//a") is None)


def holds_article(el, prose: dict, body) -> bool:
    """A chrome tag or chrome-named wrapper that holds the page's headline with its text, or most
    of the page's prose, is content whatever its name says (Blogger's "widget Blog", page-builder
    "widget-wrap"s, layouts "with-sidebar"). Prose, not all text: mega-menus would inflate it."""
    if el.tag == "header" and (el.xpath("ancestor::article|ancestor::main") or el.find(".//h1") is not None):
        return True
    if class_words(el) & rules.NEVER_CONTENT_WORDS:
        return False
    total = max(prose.get(body, 0), 1)
    return (prose.get(el, 0) > rules.HOLDS_ARTICLE_PROSE_SHARE * total
            or el.find(".//h1") is not None and prose.get(el, 0) > rules.HOLDS_ARTICLE_TEXT_SHARE * total)


def prose_run(text: str | None) -> int:
    length = len(text.strip()) if text else 0
    return length if length >= rules.PROSE_RUN_MIN_CHARS else 0


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
    """Element → (fingerprint, fingerprint at its place from the start, from the end) for every
    block of a page, in one pass.

    A fingerprint hashes the path signature (tags, ids and classes without digits, from below
    <body>) with the block's text (words never glued across elements, digits as 0). The placed
    ones add the block's index among its parent's children, counted from either end: chrome
    stands in the same place of the template on every page (the first box of a column, the last
    line of an article), while prose that the articles themselves repeat (stock sentences)
    stands wherever its article puts it. Blocks longer than TEMPLATE_MAX_BLOCK_CHARS are too big
    to be chrome and get none; neither do the blocks in the middle of a long run of siblings
    (the rows of a register, the paragraphs of a long text): no template place is that far from
    both ends, and skipping them keeps a page of 250,000 cells from costing a fingerprint each.
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
    children = [child for child in el if isinstance(child.tag, str)]
    last = len(children) - 1
    middle = 0  # characters of the children in the middle of a long run
    for index, child in enumerate(children):
        if rules.TEMPLATE_MAX_PLACE <= index <= last - rules.TEMPLATE_MAX_PLACE:
            if not too_long:  # in the middle of a long run: its text counts, it gets no fingerprint
                text = "".join(child.itertext())
                parts.extend((" ", text, " ", child.tail or ""))
                middle += len(text) + len(child.tail or "") + 2
                too_long = middle > 4 * rules.TEMPLATE_MAX_BLOCK_CHARS
            continue
        child_parts = _walk(child, path, found)
        if child in found:
            fp = found[child]
            found[child] = (fp, f"{fp}<{index}", f"{fp}>{last - index}")  # "…<0": first of its siblings, "…>0": last
        too_long = too_long or child_parts is None
        if not too_long:
            parts.extend(child_parts)
            if child.tail:
                parts.append(child.tail)
    if too_long or _too_long(parts):
        return None
    if is_block:
        parts.append(" ")
        text = " ".join("".join(parts).split())
        if text and len(text) <= rules.TEMPLATE_MAX_BLOCK_CHARS and el.tag not in ("body", "br", "hr"):
            key = path + "\0" + _DIGITS.sub("0", text.lower())
            prose = _PROSE_MARK if len(text) >= rules.TEMPLATE_PROSE_CHARS else ""
            found[el] = prose + hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
    return parts


def _too_long(parts: list[str]) -> bool:
    return sum(map(len, parts)) > 4 * rules.TEMPLATE_MAX_BLOCK_CHARS  # whitespace aside, too long


def block_keys(fingerprints: dict) -> list[tuple[str, str, str, bool]]:
    """The blocks of `block_fingerprints` as the template judges them: their fingerprints and
    whether each is a heading, in page order; enough to judge the page again without parsing it."""
    return [(*keys, el.tag in rules.HEADING_TAGS) for el, keys in fingerprints.items()]


def page_identity(tree: etree._Element) -> str:
    """Same text (digits aside) → same page, whatever its URL."""
    body = tree.find("body")
    # lxml's text serialisation: the same text as joining itertext(), in C (a 5 MB page in 15 ms, not 90)
    text = normalise_text(etree.tostring(body, method="text", encoding="unicode", with_tail=False)) if body is not None else ""
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
        self.placed = True  # counts blocks at their places too (templates saved before that did not)

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
            for fp in {key for keys in fingerprints.values() for key in keys}:
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

    def is_chrome(self, el: etree._Element, keys: tuple[str, str, str] | None) -> bool:
        """Does this block (its fingerprint and placed fingerprints) recur on enough distinct pages
        of the source, and mostly in the same place?

        Headings and prose need more pages: a document's title shown in a few views of it
        (summary, full text, attachments) is still its title, and a post that a blog shows in full
        on its home, archive and category pages is still the post; chrome repeats everywhere.
        The place tells chrome from sentences the articles share: the same block in the same
        place of the template is chrome, a stock sentence wherever its article puts it is not,
        so what is kept does not depend on the order the articles arrive in.
        """
        return keys is not None and self.is_chrome_block(keys, el.tag in rules.HEADING_TAGS)

    def is_chrome_block(self, keys: tuple[str, str, str], heading: bool) -> bool:
        """`is_chrome` of a block known by its fingerprints alone."""
        fp, from_start, from_end = keys
        factor = rules.TEMPLATE_PROSE_FACTOR if fp.startswith(_PROSE_MARK) else 1
        if heading:
            factor = max(factor, rules.TEMPLATE_HEADING_FACTOR)
        seen = self.blocks.get(fp, 0)
        if seen < self.min_pages * factor:
            return False
        at_place = max(self.blocks.get(from_start, 0), self.blocks.get(from_end, 0))
        return not self.placed or at_place >= rules.TEMPLATE_SAME_PLACE_SHARE * seen

    def chrome_blocks(self, tree: etree._Element, fingerprints: dict | None = None) -> list:
        """The outermost chrome blocks of a prepared page, in document order."""
        found = []
        fingerprints = block_fingerprints(tree) if fingerprints is None else fingerprints
        for el, fp in fingerprints.items():
            if self.is_chrome(el, fp) and not any(a in fingerprints and self.is_chrome(a, fingerprints[a])
                                                  for a in el.iterancestors()):
                found.append(el)
        return found

    def verdicts(self, fingerprints: dict) -> str:
        """A digest of this template's chrome verdict on every block of a page (in the order of
        `block_fingerprints`): the same digest, the same blocks marked, the same reading. A page
        read before a block's count crossed a threshold has another digest now
        (scraper/crawl/reclean.py reads it again)."""
        return self.verdicts_of_blocks(block_keys(fingerprints))

    def verdicts_of_blocks(self, blocks: list) -> str:
        """`verdicts` of a page known by its `block_keys` alone (no need to parse it again)."""
        bits = "".join("1" if self.is_chrome_block((fp, start, end), heading) else "0"
                       for fp, start, end, heading in blocks)
        return hashlib.blake2b(bits.encode(), digest_size=8).hexdigest()

    def verdicts_of(self, html: str) -> str:
        """`verdicts` of a page not yet parsed (counts nothing)."""
        return self.verdicts(block_fingerprints(prepare(html)))

    def to_json(self) -> str:
        return json.dumps({"min_pages": self.min_pages, "pages_seen": self.pages_seen, "pages": list(self.pages),
                           "placed": self.placed, "blocks": self.blocks}, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: str) -> "SiteTemplate":
        raw = json.loads(data)
        template = cls(min_pages=raw.get("min_pages", rules.TEMPLATE_MIN_PAGES))
        template.pages = dict.fromkeys(raw.get("pages", []))
        template.pages_seen = int(raw.get("pages_seen", len(template.pages)))
        template.blocks = {fp: int(seen) for fp, seen in raw.get("blocks", {}).items()}
        template.placed = bool(raw.get("placed", False))
        return template
