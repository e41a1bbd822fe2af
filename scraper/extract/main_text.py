"""Main text and metadata of one page: title, body, author, views, date lines, attachments.

Steps: parse → drop junk and generic chrome (tags, class words) → mark the site template's
chrome → pick the main content by paragraph scores, beside the headline → read its blocks from
the headline on, turning metadata lines into fields and collapsing repeats → decide whether the
page is an article.
Rules and thresholds live in scraper/extract/rules.py.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree

from scraper.extract import evidence, rules
from scraper.items import DateEvidence
from scraper.extract.template import (SiteTemplate, class_words, drop_generic_chrome, drop_junk, normalise_text,
                              parse_html, text_chars, text_of)

CHROME_MARK = "data-archiwum-chrome"
TITLE_TAGS = ("h1", "h2", "h3")
_TITLE_SEPARATORS = re.compile(r"\s+(?:[-|–—»:]{1,2})\s+")


@dataclass
class Extracted:
    title: str | None = None
    body: str = ""
    author: str | None = None
    views: int | None = None
    date_lines: list[str] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)
    canonical_url: str | None = None
    meta: dict = field(default_factory=dict)
    date_evidence: DateEvidence = field(default_factory=DateEvidence)
    is_article: bool = True
    reason: str = ""


@dataclass
class Block:
    """A run of inline text inside one block element."""
    owner: etree._Element
    text: str
    link_chars: int
    tag: str

    @property
    def link_density(self) -> float:
        return self.link_chars / max(len(self.text), 1)


# ---------------------------------------------------------------- entry point

def extract(html: str, url: str, template: SiteTemplate | None = None, change_register: str | None = None) -> Extracted:
    """Extract one page; `template` (the source's learned chrome) sharpens the result.

    With a template the page is first observed by it (once per distinct page), so a caller that
    extracts every page of a source in crawl order trains the template as it goes. `change_register`:
    the HTML of the document's change register, read into the date evidence.
    """
    tree = parse_html(html)
    out = Extracted(canonical_url=canonical_url(tree, url), meta=head_meta(tree))
    views = views_from_markup(tree)
    head_dates = evidence.head_dates(tree)  # --- date evidence (scraper/extract/evidence.py): before scripts go
    drop_junk(tree)
    body = tree.find("body")
    if body is None:
        out.is_article, out.reason = False, "no body"
        return out
    furniture = drop_generic_chrome(body)
    body_dates = evidence.body_dates(body)  # --- date evidence: after the chrome is gone, before metryka marks
    fingerprints = template.observe(url, tree) if template is not None else {}
    all_blocks = linearise(body)
    out.views = views if views is not None else views_from_blocks(all_blocks)
    out.meta.update(metryka(body))
    # listing signals before template marking: teasers recur across listings and would be marked
    teasers = teaser_units(body, all_blocks)
    generic_roots = main_content(body, all_blocks)
    led_before = leads_after_links(all_blocks, generic_roots)
    if template is not None and template.ready:
        mark_template_chrome(tree, template, fingerprints)
    page_title = normalise_text(" ".join(tree.xpath("//title//text()")) + " " + out.meta.get("og:title", ""))
    roots = main_content(body, unmarked(all_blocks), page_title)
    heading = title_element(body, roots, page_title)
    out.title = pick_title(heading, out.meta, page_title)
    content = from_headline(roots, heading)
    out.date_lines = date_lines(all_blocks, content, heading)
    out.date_evidence = evidence.gather(head_dates + body_dates, body, out.date_lines, out.meta, change_register, furniture)
    out.attachments = attachments(article_scope(roots, heading), url)
    paragraphs, out.author = body_paragraphs(content, out.title)
    out.author = out.author or byline(body) or labelled_author(all_blocks) or out.meta.get("ld:author")
    out.body = "\n\n".join(paragraphs)
    images = sum(1 for root in article_scope(roots, heading) for _ in root.iter("img"))
    # ...and after: chrome that reads like prose may have drawn the generic choice away from the teasers
    interleaved = (led_before, led_before if roots == generic_roots else leads_after_links(all_blocks, roots))
    out.is_article, out.reason = classify(url, out, teasers, interleaved, heading is not None, images)
    if out.is_article and (fuller := fuller_version(body, url)):
        out.is_article, out.reason = False, f"summary view of {fuller}"
    return out


# ---------------------------------------------------------------- head metadata

def canonical_url(tree, url: str) -> str | None:
    for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        found = [h.strip() for h in tree.xpath(xpath) if h.strip()]
        if found:
            return urljoin(url, found[0])
    return None


def head_meta(tree) -> dict:
    """og:* tags and JSON-LD basics (headline, dates, author, type)."""
    meta = {}
    for el in tree.xpath("//meta[starts-with(@property, 'og:') or starts-with(@name, 'og:')"
                         " or starts-with(@property, 'article:')]"):
        key = el.get("property") or el.get("name")
        if el.get("content"):
            meta.setdefault(key, normalise_text(el.get("content")))
    author = tree.xpath("//meta[@name='author']/@content")
    if author and author[0].strip():
        meta["author"] = normalise_text(author[0])
    for data in json_ld(tree):
        for key in ("@type", "headline", "datePublished", "dateModified"):
            if isinstance(data.get(key), str):
                meta.setdefault(f"ld:{key}", normalise_text(data[key]))
        names = ld_author_names(data.get("author"))
        if names:
            meta.setdefault("ld:author", ", ".join(names))
    return meta


def json_ld(tree) -> list[dict]:
    found = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        found.extend(d for d in items if isinstance(d, dict))
    return found


def ld_author_names(author) -> list[str]:
    """Names from a JSON-LD author: a string, a Person, or lists of them (tags stripped)."""
    if isinstance(author, list):
        return [name for item in author for name in ld_author_names(item)]
    if isinstance(author, dict):
        return ld_author_names(author.get("name"))
    if isinstance(author, str):
        name = author_name(normalise_text(re.sub(r"<[^>]+>", " ", author)))
        return [name] if name else []
    return []


def views_from_markup(tree) -> int | None:
    for value in tree.xpath("//*[@itemprop='interactionCount']/@content"):
        digits = re.sub(r"\D", "", value)
        if digits:
            return int(digits)
    return None


def views_from_blocks(blocks: list[Block]) -> int | None:
    for block in blocks:
        match = rules.VIEWS_LINE.match(block.text)
        if match:
            return int(re.sub(r"\D", "", match.group(1)) or 0)
    return None


# ---------------------------------------------------------------- chrome

def mark_template_chrome(tree, template: SiteTemplate, fingerprints: dict) -> None:
    """Mark (not remove) blocks the template knows as chrome; date lines may still be read there."""
    for block in template.chrome_blocks(tree, fingerprints):
        for el in block.iter():
            el.set(CHROME_MARK, "1")


# ---------------------------------------------------------------- blocks

def linearise(root, keep_marked: bool = False) -> list[Block]:
    """Blocks of text in document order; marked chrome is skipped unless asked for."""
    blocks: list[Block] = []
    buffer: list[str] = []
    links = [0]
    owner = [root]

    def flush():
        text = normalise_text("".join(buffer))
        if text:
            blocks.append(Block(owner[-1], text, min(links[0], len(text)), owner[-1].tag))
        buffer.clear()
        links[0] = 0

    def walk(el, in_link: bool):
        if el.get(CHROME_MARK) and not keep_marked:
            return
        is_block = el.tag in rules.BLOCK_TAGS and el.tag not in rules.CELL_TAGS
        if el.tag in rules.CELL_TAGS:
            buffer.append(" ")
        if is_block:
            flush()
            owner.append(el)
        if el.text:
            buffer.append(el.text)
            links[0] += len(el.text.strip()) if in_link or el.tag == "a" else 0
        for child in el:
            if isinstance(child.tag, str):
                walk(child, in_link or el.tag == "a")
            if child.tail:
                buffer.append(child.tail)
                links[0] += len(child.tail.strip()) if in_link or el.tag == "a" else 0
        if is_block:
            flush()
            owner.pop()

    walk(root, False)
    flush()
    return blocks


# ---------------------------------------------------------------- main content

def unmarked(blocks: list[Block]) -> list[Block]:
    """Blocks outside chrome marked after they were read (marks cover whole subtrees)."""
    return [b for b in blocks if not b.owner.get(CHROME_MARK)]


def main_content(body, blocks: list[Block], page_title: str | None = None) -> list:
    """The element(s) holding the article: best-scored container plus its content siblings.

    Given the page's <title>, the container is looked for beside the headline it names.
    """
    scores = paragraph_scores(blocks)
    if not scores:
        return [body]
    best = max(scores, key=scores.get)
    hinted = hinted_body(body)
    if (hinted is not None and scores.get(hinted, 0) >= rules.HINTED_MIN_SCORE_SHARE * scores[best]
            and best not in hinted.iterancestors()):
        best = hinted
    if page_title is not None:
        near = beside_headline(best, title_element(body, [best], page_title), scores)
        if near is not best and paragraph_count(near, blocks) > paragraph_count(best, blocks):
            best = near
    return with_lead(with_content_siblings(best, scores))


def beside_headline(best, headline, scores: dict):
    """The best container of the headline's nearest section that scores HEADLINE_SECTION_SCORE_SHARE
    of `best`, if `best` lies outside it. The article's text stands by its headline: it wins over a
    higher-scored box elsewhere when it has more paragraphs (steps of a recipe, short paragraphs
    against one long paragraph in a side box)."""
    if headline is None:
        return best
    sections = list(headline.iterancestors())
    level = {section: i for i, section in enumerate(sections)}
    nearest: dict[int, object] = {}  # section level -> best container whose nearest headline section it is
    for el, score in scores.items():
        at = next((level[a] for a in el.iterancestors() if a in level), None)
        if at is not None and (at not in nearest or score > scores[nearest[at]]):
            nearest[at] = el
    around_best = {best, *best.iterancestors()}
    near = None
    for i, section in enumerate(sections):
        if section in around_best:
            return best
        if i in nearest and (near is None or scores[nearest[i]] > scores[near]):
            near = nearest[i]
        if near is not None and scores[near] >= rules.HEADLINE_SECTION_SCORE_SHARE * scores[best]:
            return near
    return best


def paragraph_count(el, blocks: list[Block]) -> int:
    """Paragraphs the scoring counts inside `el`."""
    return sum(1 for b in blocks if len(b.text) >= rules.MIN_PARAGRAPH_CHARS and b.link_density <= rules.MAX_LINK_DENSITY
               and (b.owner is el or el in b.owner.iterancestors()))


def hinted_body(body):
    """The element the markup names as the article body (itemprop, then BODY_CLASSES in order)."""
    found = {}
    wanted = set(rules.BODY_CLASSES)
    for el in body.iter():
        if el.get(CHROME_MARK) is not None:
            continue
        if el.get("itemprop") == "articleBody":
            return el
        for name in set((el.get("class") or "").split()) & wanted:
            found.setdefault(name, el)
    return next((found[name] for name in rules.BODY_CLASSES if name in found), None)


def paragraph_scores(blocks: list[Block]) -> dict:
    scores: dict = {}
    for block in blocks:
        if len(block.text) < rules.MIN_PARAGRAPH_CHARS or block.link_density > rules.MAX_LINK_DENSITY:
            continue
        points = 1 + block.text.count(",") + min(len(block.text) / 100, rules.LENGTH_POINTS_MAX)
        node = block.owner if block.tag not in ("li", "td", "dd", "br") else block.owner.getparent()
        for divisor, ancestor in zip(rules.ANCESTOR_DIVISORS, [node, *node.iterancestors()]):
            if ancestor.tag == "html":
                break
            scores[ancestor] = scores.get(ancestor, 0) + points / divisor
    return {el: score * container_weight(el) for el, score in scores.items()}


def container_weight(el) -> float:
    words = class_words(el)
    weight = rules.CONTENT_CLASS_WEIGHT if words & rules.CONTENT_WORDS or el.get("itemprop") == "articleBody" else 1.0
    weight *= rules.CHROME_CLASS_WEIGHT if words & rules.CHROME_WORDS else 1.0
    return weight * (rules.BODY_WEIGHT if el.tag == "body" else 1.0)


def with_content_siblings(best, scores: dict) -> list:
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(rules.SIBLING_MIN_SCORE, scores[best] * rules.SIBLING_SCORE_RATIO)
    roots = []
    for sibling in parent:
        if sibling is best or (isinstance(sibling.tag, str) and sibling.get(CHROME_MARK) is None
                               and scores.get(sibling, 0) >= threshold):
            roots.append(sibling)
    return roots


def with_lead(roots: list) -> list:
    """Add a lead paragraph that precedes the body container in the same article."""
    first = roots[0]
    scope = next((a for i, a in enumerate(first.iterancestors())
                  if i == rules.LEAD_SCOPE_LEVELS or a.tag in ("article", "body")), None)
    if scope is None:
        return roots
    for el in scope.iter():
        if el is first:
            break
        if (isinstance(el.tag, str) and el.get(CHROME_MARK) is None and class_words(el) & rules.LEAD_WORDS
                and not any(r in el.iterancestors() for r in roots) and is_lead_text(el)):
            return [el, *roots]
    return roots


def is_lead_text(el) -> bool:
    blocks = linearise(el)
    text = sum(len(b.text) for b in blocks)
    links = sum(b.link_chars for b in blocks)
    return text >= rules.LEAD_MIN_CHARS and links <= rules.LEAD_MAX_LINK_DENSITY * text


# ---------------------------------------------------------------- title

def title_element(body, roots, page_title: str):
    """The headline: the heading near the content most of whose words the <title> repeats, else an h1."""
    candidates = headings_near(body, roots)
    title_words = words(page_title)
    overlaps = [len(words(heading_text(h)) & title_words) / max(len(words(heading_text(h))), 1) for h in candidates]
    if overlaps and max(overlaps) > 0:
        return candidates[overlaps.index(max(overlaps))]
    h1s = [h for h in candidates if h.tag == "h1"]
    return (h1s or candidates or [None])[0]


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w{3,}", text.lower())}


def headings_near(body, roots) -> list:
    """Headings inside the content (in order), then those before it (nearest first)."""
    inside = [h for root in roots for h in root.iter(*TITLE_TAGS)]
    before = []
    for el in body.iter():
        if el is roots[0]:
            break
        if el.tag in TITLE_TAGS:
            before.insert(0, el)
    return [h for h in inside + before if is_headline(h)]


def is_headline(h) -> bool:
    text = heading_text(h)
    links = normalise_text("".join("".join(a.itertext()) for a in h.iter("a")))
    return h.get(CHROME_MARK) is None and len(text) >= 3 and len(links) < rules.LINKED_HEADING_SHARE * len(text)


def heading_text(h) -> str:
    return text_of(h)


def pick_title(heading, meta: dict, page_title: str) -> str | None:
    """The headline element when the <title> or an h1 vouches for it, else og:title, else any heading."""
    if heading is not None and (heading.tag == "h1" or words(heading_text(heading)) & words(page_title)):
        return heading_text(heading)
    for candidate in (meta.get("og:title"), meta.get("ld:headline")):
        if candidate:
            return strip_site_name(normalise_text(candidate), meta.get("og:site_name"))
    if heading is not None:
        return heading_text(heading)
    return strip_site_name(page_title, meta.get("og:site_name")) or None


def strip_site_name(title: str, site_name: str | None) -> str:
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p]
    if len(parts) < 2:
        return title
    parts = [p for p in parts if not site_name or p.lower() != site_name.lower()] or parts
    return max(parts, key=len)


# ---------------------------------------------------------------- body

def body_paragraphs(content: list[Block], title: str | None) -> tuple[list[str], str | None]:
    """Body paragraphs without metadata, furniture, chrome and repeats; the closing signature as author.

    The signature is looked for among chrome blocks too: the same name under every article is
    chrome to the template but still the article's author.
    """
    kept: list[tuple[str, str]] = []  # (text, tag)
    repeats = Repeats()
    last = None
    for block in content:
        text = rules.TRAILING_FURNITURE.sub("", block.text)
        if not text or is_furniture(block, title):
            continue
        last = text
        if not block.owner.get(CHROME_MARK) and not repeats.seen(text):
            kept.append((text, block.tag))
            repeats.add(text)
    signature = rules.SIGNATURE.match(last or "")
    author = None
    if signature and kept and [text for text, _ in kept] != [last]:
        if kept[-1][0] == last:
            kept.pop()
        author = signature.group(1)
    return without_empty_headings(kept), author


def without_empty_headings(kept: list[tuple[str, str]]) -> list[str]:
    """Texts without headings that have nothing under them before a heading of their rank or
    higher: the label of a box that is gone ("Inne wiadomości" over chrome teasers)."""
    found: list[str] = []
    next_tag = None
    for text, tag in reversed(kept):
        if tag in rules.HEADING_TAGS and (next_tag is None or next_tag in rules.HEADING_TAGS and next_tag <= tag):
            continue
        found.append(text)
        next_tag = tag
    return found[::-1]


def is_furniture(block: Block, title: str | None) -> bool:
    text = block.text
    if title and text == title:
        return True
    if block.link_density > rules.MAX_LINK_DENSITY and not is_prose(block) and block.tag not in rules.HEADING_TAGS:
        return True
    if rules.FURNITURE_LINE.match(text) or rules.CHROME_PHRASES.match(text) or rules.APPEAL.search(text):
        return True
    if is_chrome_label(text):
        return True
    if len(text) <= rules.CAPTION_MAX_CHARS and rules.CAPTION.search(text):
        return True
    if is_emphasised_teaser(block):
        return True
    if len(text) <= rules.MAX_DATE_LINE and (
        rules.VIEWS_LINE.match(text) or rules.META_LABEL.match(text) or is_date_line(text)
    ):
        return True
    return False


def is_prose(block: Block) -> bool:
    """A long sentence-like paragraph, kept even when most of its words are links."""
    return block.tag == "p" and reads_as_prose(block, rules.PROSE_MAX_LINK_DENSITY)


def reads_as_prose(block: Block, max_link_density: float) -> bool:
    return (len(block.text) >= rules.PROSE_MIN_CHARS and block.link_density <= max_link_density
            and bool(rules.PROSE_END.search(block.text)))


def is_emphasised_teaser(block: Block) -> bool:
    """A short line, all in one <em>/<strong>, holding a link to another article."""
    owner = block.owner
    children = [c for c in owner if isinstance(c.tag, str)]
    return (len(block.text) <= rules.TEASER_MAX_CHARS and block.link_density >= rules.TEASER_MIN_LINK_DENSITY
            and not (owner.text or "").strip() and len(children) == 1 and children[0].tag in rules.EMPHASIS_TAGS
            and not rules.PROSE_END.search(block.text))


def is_chrome_label(text: str) -> bool:
    """ "Czytaj też: …", a box label alone ("Najnowsze"), or a "Tagi: …" line."""
    if len(text) <= rules.CHROME_LEAD_MAX_CHARS and rules.CHROME_LEADS.match(text):
        return True
    match = rules.CHROME_LABELS.match(text)
    return bool(match) and (len(text) <= rules.CHROME_LABEL_MAX_CHARS or text[match.end():].lstrip().startswith(":"))


def is_date_line(text: str) -> bool:
    """A short line that carries a date and little else (a label, a weekday, a time, an author)."""
    if len(text) > rules.MAX_DATE_LINE or not rules.DATE_IN_TEXT.search(text) or rules.EMBED_ATTRIBUTION.search(text):
        return False
    label = rules.DATE_LABEL.match(text)
    letters = len(re.sub(r"[\W\d_]+", "", rules.DATE_IN_TEXT.sub("", text[label.end():] if label else text)))
    if label:
        return letters <= rules.LABELLED_DATE_LINE_MAX_LETTERS
    return letters <= rules.DATE_LINE_MAX_LETTERS and len(text) <= rules.UNLABELLED_DATE_LINE_MAX


class Repeats:
    """Texts kept so far; tells intra-page repeats, including near-identical variants of short
    lines ("Odsłony" / "Odśtony"), comparing only texts of similar length."""

    def __init__(self):
        self.exact: set[str] = set()
        self.by_length: list[tuple[int, str]] = []

    def seen(self, text: str) -> bool:
        if text in self.exact:
            return True
        if len(text) > rules.NEAR_DUPLICATE_MAX_CHARS:
            return False
        low = bisect_left(self.by_length, (int(len(text) * (1 - rules.NEAR_DUPLICATE_LENGTH_DIFF)), ""))
        high = bisect_right(self.by_length, (int(len(text) / (1 - rules.NEAR_DUPLICATE_LENGTH_DIFF)) + 1, ""))
        return any(near_identical(earlier, text) for _, earlier in self.by_length[low:high])

    def add(self, text: str) -> None:
        self.exact.add(text)
        insort(self.by_length, (len(text), text))


def near_identical(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > rules.NEAR_DUPLICATE_LENGTH_DIFF * max(len(a), len(b), 1):
        return False
    shingles_a, shingles_b = trigrams(a), trigrams(b)
    shared = len(shingles_a & shingles_b)
    jaccard = shared / max(len(shingles_a) + len(shingles_b) - shared, 1)
    if max(len(a), len(b)) > rules.EDIT_RATIO_MAX_CHARS or jaccard < rules.TRIGRAM_PREFILTER:
        return jaccard >= rules.NEAR_DUPLICATE_RATIO
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    # quick_ratio() bounds ratio() from above and costs a fraction of it
    return matcher.quick_ratio() >= rules.NEAR_DUPLICATE_RATIO and matcher.ratio() >= rules.NEAR_DUPLICATE_RATIO


@lru_cache(maxsize=4096)
def trigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 3] for i in range(len(text) - 2))


def byline(body) -> str | None:
    """An author element: itemprop/rel author or a class naming the author."""
    for el in body.xpath(".//*[@itemprop='author' or @rel='author' or contains(@class, 'author')"
                         " or contains(@class, 'byline')]"):
        for block in linearise(el):
            name = author_name(block.text)
            if name:
                return name
    return None


def author_name(text: str) -> str | None:
    """The name in a byline: label and dates dropped; sources and bare dates are no names."""
    match = rules.AUTHOR_LABEL.match(text)
    name = normalise_text(rules.DATE_IN_TEXT.sub("", match.group(1) if match else text)).strip(" ,|•-")
    if rules.NOT_AUTHOR.search(name) or not rules.AUTHOR_MIN_CHARS <= len(name) <= rules.AUTHOR_MAX_CHARS:
        return None
    return name


def labelled_author(blocks: list[Block]) -> str | None:
    """ "Autor: …", "Wytworzył: …", "Opublikowane przez … dnia …"."""
    for block in blocks:
        match = rules.AUTHOR_LINE.search(block.text)
        name = author_name(match.group(1) or match.group(2)) if match else None
        if name:
            return name
    return None


# ---------------------------------------------------------------- dates

def date_lines(all_blocks: list[Block], content: list[Block], heading) -> list[str]:
    """Short date lines of the article header and metadata, labels kept, in page order."""
    region = article_region(all_blocks, content, heading)
    lines: list[str] = []
    for index, block in enumerate(all_blocks):
        text = block.text
        labelled = rules.DATE_LABEL.match(text) and rules.DATE_IN_TEXT.search(text)
        if ((labelled or index in region) and is_date_line(text) and not rules.NOT_ARTICLE_DATE.search(text)
                and text not in lines):
            lines.append(text)
    return lines


def article_region(all_blocks: list[Block], content: list[Block], heading) -> range:
    """Indexes of blocks from just above the headline to the end of the content."""
    owners = {id(b.owner) for b in content}
    marks = [i for i, b in enumerate(all_blocks)
             if id(b.owner) in owners or (heading is not None and (b.owner is heading or heading in b.owner.iterancestors()))]
    if not marks:
        return range(0)
    return range(max(marks[0] - rules.DATE_LINES_ABOVE_HEADLINE, 0), marks[-1] + 1)


# ---------------------------------------------------------------- metryka, attachments

def metryka(body) -> dict:
    """Label: value fields of a BIP metryczka or a "Metryka praktyki" table; the box leaves the body."""
    fields: dict = {}
    boxes = [el for el in body.xpath(".//*[@class or @id]")
             if "metry" in f"{el.get('class') or ''} {el.get('id') or ''}".lower()]
    for heading in body.xpath(".//*[starts-with(normalize-space(text()), 'Metry')]"):
        boxes += [heading] + ([heading.getnext()] if heading.getnext() is not None else [])
    for box in boxes:
        for row in box.iter("tr", "dt", "li", "p", "div"):
            label, value = label_value(row)
            if label and value:
                fields.setdefault(label, value)
        for el in box.iter():
            el.set(CHROME_MARK, "metryka")
    return fields


def label_value(row) -> tuple[str | None, str | None]:
    if row.tag == "tr":
        cells = [text_of(c) for c in row if c.tag in ("td", "th")]
        if len(cells) == 2:
            return cells[0].rstrip(": ") or None, cells[1] or None
        return None, None
    if row.tag == "dt":
        value = row.getnext()
        if value is not None and value.tag == "dd":
            return text_of(row).rstrip(": "), text_of(value)
        return None, None
    match = rules.METRYKA_ROW.match(text_of(row))
    return (match.group(1), match.group(2)) if match and len(row) <= 3 else (None, None)


def from_headline(roots: list, heading) -> list[Block]:
    """The content's blocks from the headline on.

    Above the headline are section labels and breadcrumbs. Between a headline and the body
    container below it stand parts of the article the paragraph scores do not see (a list of
    ingredients, a table, a subheading): see `before_container`.
    """
    content = [b for root in roots for b in linearise(root, keep_marked=True)]
    if heading is None:
        return content
    for index, block in enumerate(content):
        if block.owner is heading or heading in block.owner.iterancestors():
            return content[index:]
    return before_container(heading, roots[0]) + content


def before_container(heading, first) -> list[Block]:
    """Blocks of the elements that precede the container `first`, at each level up to the
    section it shares with the headline, when they hold no prose of their own (a text box
    beside the article) and are no photo, caption or byline."""
    above_first = list(first.iterancestors())
    section = next((a for a in heading.iterancestors() if a in above_first), None)
    if section is None or section.tag in ("body", "html"):
        return []
    found: list[Block] = []
    node = first
    while node.getparent() is not section:
        parent = node.getparent()
        level = []
        for sibling in parent:
            if sibling is node:
                break
            if isinstance(sibling.tag, str) and not any(is_credit(el) for el in sibling.iter()):
                blocks = linearise(sibling, keep_marked=True)
                level += [] if any(reads_as_prose(b, rules.MAX_LINK_DENSITY) for b in blocks) else blocks
        found[:0] = level
        node = parent
    return found


def is_credit(el) -> bool:
    """A photo, its caption or a byline."""
    return el.tag in ("figure", "figcaption") or el.get("itemprop") == "author" or bool(class_words(el) & rules.CREDIT_WORDS)


def article_scope(roots: list, heading) -> list:
    """The smallest element holding the headline and the content (attachments sit around the text)."""
    scope = roots[0].getparent() if len(roots) > 1 or heading is not None else roots[0]
    while scope is not None and heading is not None and heading not in scope.iterdescendants():
        scope = scope.getparent()
    if scope is None or scope.tag in ("body", "html"):
        return roots
    return [scope]


def attachments(roots, url: str) -> list[dict]:
    found, seen = [], set()
    for root in roots:
        for link in root.iter("a"):
            href = (link.get("href") or "").strip()
            if link.get(CHROME_MARK) == "1":
                continue
            ext = rules.ATTACHMENT_EXT.search(href)
            if not ext or href in seen:
                continue
            seen.add(href)
            text = text_of(link)
            around = text_of(link.getparent()) if link.getparent() is not None else text
            size = rules.FILE_SIZE.search(text) or rules.FILE_SIZE.search(around)
            title = normalise_text(rules.FILE_SIZE.sub("", text)).strip(" ()[],-–>»›") or href.rsplit("/", 1)[-1]
            found.append({"url": urljoin(url, href), "title": title, "type": ext.group(1).lower(),
                          "size": size.group(1) if size else None})
    return found


# ---------------------------------------------------------------- article or not

def classify(url: str, out: Extracted, teasers: tuple[int, int, int], interleaved: tuple[tuple[int, int], ...],
             has_headline: bool, images: int) -> tuple[bool, str]:
    """Article or not, and why not: URL and title kinds, listings, static pages, galleries, no text."""
    parts = urlsplit(url)
    for pattern, reason in rules.NOT_ARTICLE_URL:
        if pattern.search(parts.path + (f"?{parts.query}" if parts.query else "")):
            return False, reason
    for pattern, reason in rules.NOT_ARTICLE_TITLE:
        if out.title and pattern.search(out.title):
            return False, reason
    units, teaser_chars, own_chars = teasers
    if units >= 2 and own_chars < teaser_chars or units == 1 and own_chars < rules.SINGLE_TEASER_OWN_SHARE * teaser_chars:
        return False, f"listing: {units} article links, little own text"
    for led, prose in interleaved:
        if led >= rules.LISTING_MIN_TEASERS and led >= rules.LISTING_LED_SHARE * prose:
            return False, f"listing: {led} of {prose} paragraphs follow a link to another page"
    if not out.date_lines and not declares_article(out.meta) and (
            not has_headline or len(out.body) < rules.STATIC_PAGE_MAX_CHARS):
        return False, "no date and little text or no headline: a static page"
    if images >= rules.GALLERY_MIN_IMAGES and len(out.body) < rules.GALLERY_MAX_CHARS:
        return False, f"gallery: {images} images, little text"
    if len(out.body) < rules.MIN_ARTICLE_CHARS:
        return False, f"too little text ({len(out.body)} characters)"
    return True, ""


def declares_article(meta: dict) -> bool:
    """og:type article, a JSON-LD *Article / BlogPosting, or a publication time in the head."""
    kind = f"{meta.get('og:type', '')} {meta.get('ld:@type', '')}".lower()
    return "article" in kind or "posting" in kind or "article:published_time" in meta or "ld:datePublished" in meta


def fuller_version(body, url: str) -> str | None:
    """The URL of a fuller version this page links to ("Pełna prezentacja"), if any."""
    here = url.split("#")[0]
    for link in body.iter("a"):
        if rules.FULL_VERSION_LINK.match(text_of(link)):
            target = urljoin(url, link.get("href") or "").split("#")[0]
            if target != here:
                return target
    return None


def teaser_units(body, blocks: list[Block]) -> tuple[int, int, int]:
    """Teasers (a linked heading with what belongs to it), their text, and the prose outside them."""
    linked = [h for h in body.iter(*rules.HEADING_TAGS) if is_linked_heading(h)]
    linked_below = Counter(ancestor for h in linked for ancestor in h.iterancestors())
    units = [teaser_unit(h, body, linked_below) for h in linked]
    inside = {el for unit in units for el in unit.iter()}
    own = sum(len(b.text) for b in blocks if b.owner not in inside and b.link_density < rules.MAX_LINK_DENSITY
              and len(b.text) >= rules.MIN_PARAGRAPH_CHARS)
    return len(units), sum(text_chars(unit) for unit in units), own


def leads_after_links(blocks: list[Block], roots: list) -> tuple[int, int]:
    """Prose blocks in the content, and how many come right after a title link (teaser leads)."""
    inside = {el for root in roots for el in root.iter()}
    content = [b for b in blocks if b.owner in inside]
    prose = [i for i, b in enumerate(content)
             if len(b.text) >= rules.LISTING_LEAD_MIN_CHARS and b.link_density < rules.MAX_LINK_DENSITY]
    led = [i for i in prose if any(is_title_link(b) for b in content[max(i - rules.LISTING_LEAD_REACH, 0):i])]
    return len(led), len(prose)


def is_title_link(block: Block) -> bool:
    return block.link_density >= rules.TITLE_LINK_MIN_DENSITY and len(block.text) >= rules.LISTING_MIN_LINK_CHARS


def is_linked_heading(h) -> bool:
    """A heading that is a link to another page (not the site logo linking home)."""
    wrapper = next((a for a in h.iterancestors("a")), None)
    links = [wrapper] if wrapper is not None else list(h.iter("a"))
    link_text = normalise_text(" ".join("".join(a.itertext()) for a in links))
    targets = [urlsplit(a.get("href") or "") for a in links]
    to_home = any(t.path.strip("/") in ("", "index.html", "index.php") and not t.query for t in targets)
    return (len(link_text) >= rules.LISTING_MIN_LINK_CHARS and len(link_text) >= rules.LINKED_HEADING_SHARE * len(heading_text(h))
            and not to_home)


def teaser_unit(heading, root, linked_below: Counter):
    """The widest ancestor of a linked heading, inside root, holding no other linked heading.

    `linked_below` counts the linked headings under each element (checked first: cheaper than
    the text of a listing's whole container)."""
    unit = heading
    for ancestor in heading.iterancestors():
        if (ancestor is root or linked_below[ancestor] > 1
                or text_chars(ancestor) > rules.TEASER_UNIT_MAX_CHARS):
            break
        unit = ancestor
    return unit
