"""Main text and metadata of one page: title, body, author, views, date lines, attachments.

Steps: parse → drop junk and generic chrome (tags, class words) → mark the site template's
chrome → pick the main content by paragraph scores, beside the headline → read its blocks from
the headline on, turning metadata lines into fields and collapsing repeats → decide whether the
page is an article.
Rules and thresholds live in scraper/extract/rules.py.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree

from scraper.extract import evidence, rules
from scraper.extract.runs import Run, put_back, set_aside_long_runs
from scraper.extract.views import PrintMarks, fuller_version, page_in_text, print_marks, prints_on_load
from scraper.items import DateEvidence
from scraper.extract.template import (Attributed, SiteTemplate, block_keys, class_words, drop_generic_chrome, drop_junk,
                                      nearest_known, normalise_text, parse_html, text_chars, text_of)

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
    part_of: str | None = None  # the fuller view of the same article, when this page is its summary
    part_rank: int = 0  # where its text goes in the whole: a summary before it (0), page n of a text at n
    template_verdicts: str | None = None  # SiteTemplate.verdicts that shaped this reading (None: no template)
    print_marks: PrintMarks = field(default_factory=PrintMarks)  # what says it may be a print view (views.py)
    template_blocks: list | None = None  # the page's blocks as the template judged them (template.block_keys)


@dataclass(slots=True)
class Block:
    """A run of inline text inside one block element."""
    owner: etree._Element
    text: str
    link_chars: int
    tag: str
    points: float | None = None  # what it adds to the scores of its containers (`paragraph_points`)
    rest_of: Run | None = None  # the run whose rows set aside it reads (runs.py)
    link_density: float = field(init=False)  # read many times per block

    def __post_init__(self):
        self.link_density = self.link_chars / max(len(self.text), 1)


class PageBlocks(list):
    """The blocks of a whole page, in document order, read before anything was marked; tells
    which of them a content element holds without walking its subtree again (on a page of
    250,000 table cells, each walk costs more than the reading that finds the answer)."""

    def __init__(self, blocks: list[Block]):
        super().__init__(blocks)
        self.first: dict | None = None  # owner -> index of its first block

    def within(self, roots: list) -> list[Block]:
        """The blocks whose owner is one of `roots` or inside one, in document order, each once."""
        if len(roots) == 1:
            return [self[i] for i in self.indexes_within(roots[0])]
        return [self[i] for i in sorted({i for root in roots for i in self.indexes_within(root)})]

    def within_one(self, root) -> list[Block]:
        return [self[i] for i in self.indexes_within(root)]

    def indexes_within(self, root):
        if root.tag not in rules.BLOCK_TAGS or root.tag in rules.CELL_TAGS:
            within = set(root.iter())  # text of an inline or cell root shares blocks with its neighbours
            return [i for i, b in enumerate(self) if b.owner in within]
        if self.first is None:
            self.first = {}
            for i, block in enumerate(self):
                self.first.setdefault(block.owner, i)
        # a block element's blocks stand together: from any one of them, back and on while inside it
        # (the first element owning a block need not own the first block: a wrapper's text after
        # its paragraph comes after the paragraph's block)
        found = next((self.first[el] for el in root.iter() if el in self.first), None)
        if found is None:
            return range(0)
        start, end = found, found + 1
        inside = {root: True}
        while start > 0 and nearest_known(self[start - 1].owner, inside, False):
            start -= 1
        while end < len(self) and nearest_known(self[end].owner, inside, False):
            end += 1
        return range(start, end)


# ---------------------------------------------------------------- entry point

def extract(html: str, url: str, template: SiteTemplate | None = None, change_register: str | None = None) -> Extracted:
    """Extract one page; `template` (the source's learned chrome) sharpens the result.

    With a template the page is first observed by it (once per distinct page), so a caller that
    extracts every page of a source in crawl order trains the template as it goes. `change_register`:
    the HTML of the document's change register, read into the date evidence.
    """
    tree = parse_html(html)
    out = Extracted(canonical_url=canonical_url(tree, url), meta=head_meta(tree))
    attributed = Attributed(tree)
    views = views_from_markup(attributed)
    head_dates = evidence.head_dates(tree)  # --- date evidence (scraper/extract/evidence.py): before scripts go
    language = evidence.page_language(tree)
    print_view = prints_on_load(tree)  # before the scripts go too
    out.print_marks = print_marks(tree, url, out.canonical_url)
    for el in attributed.having(CHROME_MARK):  # a page cannot mark its own text as chrome
        del el.attrib[CHROME_MARK]
    drop_junk(tree, attributed)
    body = tree.find("body")
    if body is None:
        out.is_article, out.reason = False, "no body"
        return out
    runs = set_aside_long_runs(body)  # judged by their first rows, kept whole (runs.py)
    later_page = page_in_text(body, url, same_page)  # before the generic chrome: pagers are named like it
    furniture = drop_generic_chrome(body)
    named = Attributed(body, custom_tags=True)  # read again: the chrome took its elements along
    body_dates = evidence.body_dates(named)  # --- date evidence: after the chrome is gone, before metryka marks
    fingerprints = template.observe(url, tree) if template is not None else {}
    all_blocks = PageBlocks(linearise(body))
    out.views = views if views is not None else views_from_blocks(all_blocks)
    out.meta.update(metryka(named, all_blocks))
    page_title = normalise_text(" ".join(text for title in tree.iter("title") for text in title.itertext())
                                + " " + out.meta.get("og:title", ""))
    # listing signals before template marking: teasers recur across listings and would be marked
    generic_scores = paragraph_scores(all_blocks)
    generic_roots = main_content(named, all_blocks, page_title, generic_scores)
    teasers = (teaser_units(body, all_blocks, generic_roots, {url, out.canonical_url}),)
    led_before = leads_after_links(all_blocks, generic_roots)
    if template is not None and template.ready:
        out.template_blocks = block_keys(fingerprints)
        out.template_verdicts = template.verdicts_of_blocks(out.template_blocks)
        mark_template_chrome(tree, template, fingerprints)
        roots = main_content(named, unmarked(all_blocks), page_title, scores_without_marked(all_blocks, generic_scores))
        heading, content, paragraphs = read_article(named, roots, page_title, out, url, all_blocks, runs)
        if len("".join(paragraphs)) < rules.MIN_ARTICLE_CHARS:
            # the template took the whole text: prose that recurs in the articles (stock sentences), not chrome
            unmark_template_chrome(tree)
            roots = generic_roots
            heading, content, paragraphs = read_article(named, roots, page_title, out, url, all_blocks, runs)
    else:
        roots = generic_roots
        heading, content, paragraphs = read_article(named, roots, page_title, out, url, all_blocks, runs)
    put_back(runs)  # the content's links and images are read from the whole page
    out.date_lines = date_lines(all_blocks, content, heading)
    out.date_evidence = evidence.gather(head_dates + body_dates, named, out.date_lines, out.meta, change_register, furniture,
                                        language, url)
    out.attachments = attachments(article_scope(roots, heading), url)
    out.author = out.author or byline(named) or labelled_author(all_blocks) or out.meta.get("ld:author")
    out.body = "\n\n".join(paragraphs)
    images = sum(1 for root in article_scope(roots, heading) for _ in root.iter("img"))
    # ...and after: chrome that reads like prose may have drawn the generic choice away from the teasers
    interleaved = (led_before, led_before if roots == generic_roots else leads_after_links(all_blocks, roots))
    if roots != generic_roots:
        teasers = (*teasers, teaser_units(body, all_blocks, roots, {url, out.canonical_url}))
    out.is_article, out.reason = classify(url, out, teasers, interleaved, heading is not None, images)
    if out.is_article and print_view:  # the article's own page is the one to keep
        out.is_article, out.reason = False, "print variant (prints itself as it loads)"
    elif out.is_article and (fuller := fuller_version(body, url)):
        out.is_article, out.reason, out.part_of = False, f"summary view of {fuller}", fuller
    elif later_page and (out.is_article or out.reason.startswith(rules.LATER_PAGE_REASONS)):
        (out.part_rank, out.part_of), out.is_article = later_page, False
        out.reason = f"page {out.part_rank} of {out.part_of}"
    return out


def read_article(named: Attributed, roots: list, page_title: str, out: Extracted, url: str, all_blocks: list[Block],
                 runs: list[Run]) -> tuple:
    """The headline, the content's blocks from it on and the body paragraphs; fills title and author.
    `named`: the body's elements with attributes (`Attributed`); `runs`: the rows set aside."""
    heading = title_element(named.root, roots, page_title)
    out.title = pick_title(heading, out.meta, page_title)
    content = with_rest_of_runs(without_related_posts(from_headline(roots, heading, all_blocks, named), roots), runs)
    paragraphs, out.author = body_paragraphs(content, out.title, url, runs)
    return heading, content, paragraphs


# ---------------------------------------------------------------- head metadata

# Head elements are looked up by tag (lxml filters tags in C), never by an XPath "//": a page of
# 250,000 table cells would be walked in full for each look-up.

def canonical_url(tree, url: str) -> str | None:
    found = ([link.get("href") for link in tree.iter("link") if link.get("rel") == "canonical"]
             or [meta.get("content") for meta in tree.iter("meta") if meta.get("property") == "og:url"])
    found = [h.strip() for h in found if h and h.strip()]
    return urljoin(url, found[0]) if found else None


def head_meta(tree) -> dict:
    """og:* tags and JSON-LD basics (headline, dates, author, type)."""
    meta = {}
    metas = list(tree.iter("meta"))
    for el in metas:
        if ((el.get("property") or "").startswith(("og:", "article:")) or (el.get("name") or "").startswith("og:")) \
                and el.get("content"):
            meta.setdefault(el.get("property") or el.get("name"), normalise_text(el.get("content")))
    author = [el.get("content") for el in metas if el.get("name") == "author" and el.get("content") is not None]
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
    """The top-level nodes of the page's JSON-LD scripts (a list, an "@graph", or one node)."""
    found = []
    for script in evidence.json_ld_scripts(tree):
        data = evidence.load_json_ld(script.text or "")
        items = data if isinstance(data, list) else graph_nodes(data) if isinstance(data, dict) else []
        found.extend(d for d in items if isinstance(d, dict))
    return found


def graph_nodes(data: dict) -> list:
    graph = data.get("@graph")
    if isinstance(graph, list):
        return graph
    return [graph] if isinstance(graph, dict) else [data]  # "@graph": 5 is no graph; the node may still say something


def ld_author_names(author, depth: int = 0) -> list[str]:
    """Names from a JSON-LD author: a string, a Person, or lists of them (tags stripped)."""
    if depth > evidence.JSON_LD_MAX_DEPTH:
        return []
    if isinstance(author, list):
        return [name for item in author for name in ld_author_names(item, depth + 1)]
    if isinstance(author, dict):
        return ld_author_names(author.get("name"), depth + 1)
    if isinstance(author, str):
        name = author_name(normalise_text(re.sub(r"<[^>]+>", " ", author)))
        return [name] if name else []
    return []


def views_from_markup(attributed: Attributed) -> int | None:
    for value in [el.get("content") for el in attributed.having("itemprop")
                  if el.get("itemprop") == "interactionCount" and el.get("content") is not None]:
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


def unmark_template_chrome(tree) -> None:
    for el in tree.iter():
        if el.get(CHROME_MARK) == "1":
            del el.attrib[CHROME_MARK]


# ---------------------------------------------------------------- blocks

_BLOCKS_NOT_CELLS = rules.BLOCK_TAGS - rules.CELL_TAGS  # a table row reads as one line
_LEAVES_WALKED = _BLOCKS_NOT_CELLS | {"a"}  # leaves that start a block or a link


def linearise(root, keep_marked: bool = False) -> list[Block]:
    """Blocks of text in document order; marked chrome is skipped unless asked for."""
    blocks: list[Block] = []
    buffer: list[str] = []
    links = [0]
    owner = [root]

    def flush():
        if buffer:
            text = normalise_text("".join(buffer))
            if text:
                blocks.append(Block(owner[-1], text, min(links[0], len(text)), owner[-1].tag))
            buffer.clear()
        links[0] = 0

    def walk(el, tag: str, in_link: bool):  # the tag read once: lxml builds it anew on every read
        if not keep_marked and el.get(CHROME_MARK):
            return
        is_block = tag in _BLOCKS_NOT_CELLS
        if tag in rules.CELL_TAGS:
            buffer.append(" ")
        if is_block:
            flush()
            owner.append(el)
        linked = in_link or tag == "a"
        text = el.text
        if text:
            buffer.append(text)
            links[0] += len(text.strip()) if linked else 0
        for child in el:
            child_tag = child.tag
            if isinstance(child_tag, str):
                if len(child) or child_tag in _LEAVES_WALKED or not keep_marked and child.get(CHROME_MARK):
                    walk(child, child_tag, linked)
                else:  # a cell or inline element with text alone, the commonest of a big page: no call
                    if child_tag in rules.CELL_TAGS:
                        buffer.append(" ")
                    text = child.text
                    if text:
                        buffer.append(text)
                        links[0] += len(text.strip()) if linked else 0
            tail = child.tail
            if tail:
                buffer.append(tail)
                links[0] += len(tail.strip()) if linked else 0
        if is_block:
            flush()
            owner.pop()

    walk(root, root.tag, False)
    flush()
    return blocks


def with_rest_of_runs(content: list[Block], runs: list[Run]) -> list[Block]:
    """The content's blocks, the blocks of each run's rows set aside after those of its last
    judged row. A run is content when the content holds two of its judged rows or more; the
    content read inside one row (one post of a long listing) does not take the rest."""
    after: dict[int, list[Block]] = {}  # index of a run's last judged block -> the blocks set aside
    for run in reversed(runs):  # inner runs first: a run in a run's last judged row ends before the outer one's rest
        row_of = {row: row for row in run.judged}
        rows = [nearest_known(block.owner, row_of) for block in content]
        judged = [i for i, row in enumerate(rows) if row is not None]
        run.judged_blocks = [content[i] for i in judged]
        if len({id(rows[i]) for i in judged}) > 1:
            if run.blocks is None:
                run.blocks = linearise(run.holder, keep_marked=True)
                for block in run.blocks:
                    block.rest_of = run
            after.setdefault(judged[-1], []).extend(run.blocks)
    if not after:
        return content
    return [b for i, block in enumerate(content) for b in (block, *after.get(i, ()))]


def blocks_of(root, all_blocks: PageBlocks) -> list[Block]:
    """`linearise(root, keep_marked=True)`, taken from the page's blocks (read before anything was
    marked) when they are the same: a block element outside any link starts and ends blocks of
    its own. A page's text is then read once, not once for the page and again for its content."""
    if root.tag not in rules.BLOCK_TAGS or root.tag in rules.CELL_TAGS or next(root.iterancestors("a"), None) is not None:
        return linearise(root, keep_marked=True)
    return all_blocks.within_one(root)


# ---------------------------------------------------------------- main content

def unmarked(blocks: list[Block]) -> list[Block]:
    """Blocks outside chrome marked after they were read (marks cover whole subtrees)."""
    return [b for b in blocks if not b.owner.get(CHROME_MARK)]


def scores_without_marked(blocks: list[Block], scores: dict) -> dict | None:
    """The `paragraph_scores` of the unmarked blocks: the same as all blocks' when the marks took
    no paragraph (the template's chrome is mostly menus and labels); None when they must be
    worked out again."""
    return None if any(paragraph_points(b) for b in blocks if b.owner.get(CHROME_MARK)) else scores


def main_content(named: Attributed, blocks: list[Block], page_title: str | None = None, scores: dict | None = None) -> list:
    """The element(s) holding the article: best-scored container plus its content siblings.

    `named`: the body's elements with attributes (`Attributed`). Given the page's <title>, the
    container is looked for beside the headline it names. `scores`: the `paragraph_scores` of
    these blocks, when already known.
    """
    body = named.root
    scores = paragraph_scores(blocks) if scores is None else scores
    if not scores:
        return [body]
    best = max(scores, key=scores.get)
    hinted = hinted_body(named)
    if (hinted is not None and scores.get(hinted, 0) >= rules.HINTED_MIN_SCORE_SHARE * scores[best]
            and best not in hinted.iterancestors()):
        best = hinted
    if page_title is not None:
        near = beside_headline(best, title_element(body, [best], page_title), scores)
        if near is not best and (paragraph_count(near, blocks) > paragraph_count(best, blocks) or is_teaser_list(best, blocks)):
            best = near
    return with_lead(with_cousins(with_content_siblings(best, scores), best, scores))


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
        at = nearest_known(el.getparent(), level)
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


def is_teaser_list(el, blocks: list[Block]) -> bool:
    """Most of the container's paragraphs follow a link to another page: a rail of teasers, which
    never outranks the text beside the headline, however many leads it has."""
    led, prose = leads_after_links(blocks, [el])
    return led >= rules.LISTING_MIN_TEASERS and led >= rules.LISTING_LED_SHARE * prose


def paragraph_count(el, blocks: list[Block]) -> int:
    """Paragraphs the scoring counts inside `el`."""
    return sum(1 for b in blocks if text_weight(b.text) >= rules.MIN_PARAGRAPH_CHARS and b.link_density <= rules.MAX_LINK_DENSITY
               and (b.owner is el or el in b.owner.iterancestors()))


def hinted_body(named: Attributed):
    """The element the markup names as the article body (itemprop, then BODY_CLASSES in order)."""
    found = {}
    wanted = set(rules.BODY_CLASSES)
    for el in named.having("itemprop", "class"):
        if el.get(CHROME_MARK) is not None:
            continue
        if el.get("itemprop") == "articleBody":
            return el
        for name in class_names(el.get("class")) & wanted:
            found.setdefault(name, el)
    return next((found[name] for name in rules.BODY_CLASSES if name in found), None)


@lru_cache(maxsize=4096)  # a page names thousands of elements with a few classes
def class_names(classes: str | None) -> frozenset[str]:
    return frozenset((classes or "").split())


def paragraph_scores(blocks: list[Block]) -> dict:
    """Each container's points from the paragraphs it holds, up to ANCESTOR_DIVISORS levels down
    (less the further down), times its `container_weight`; in the order the page first reaches
    them. Summed a level at a time: the thousands of rows of a table reach their table together."""
    level: dict = {}  # element -> [points of the paragraphs it holds at this distance, first paragraph's index]
    for index, block in enumerate(blocks):
        points = paragraph_points(block)
        if points:
            node = block.owner if block.tag not in ("li", "td", "dd", "br") else block.owner.getparent()
            if node in level:
                level[node][0] += points
            else:
                level[node] = [points, index]
    scores: dict = {}
    first: dict = {}  # element -> (index of the first paragraph that reaches it, at which distance)
    for distance, divisor in enumerate(rules.ANCESTOR_DIVISORS):
        above: dict = {}
        for el, (points, index) in level.items():
            if el.tag == "html":
                continue
            scores[el] = scores.get(el, 0) + points / divisor
            first[el] = min(first[el], (index, distance)) if el in first else (index, distance)
            parent = el.getparent()
            if parent is None:
                continue
            if parent in above:
                above[parent][0] += points
                above[parent][1] = min(above[parent][1], index)
            else:
                above[parent] = [points, index]
        level = above
    return {el: scores[el] * container_weight(el) for el in sorted(scores, key=first.__getitem__)}


def paragraph_points(block: Block) -> float:
    """A paragraph's points (0 for a block too short or too linked to be one), worked out once
    per block: the content is chosen twice, before and after the template marks its chrome."""
    if block.points is None:
        length = text_weight(block.text)
        if length < rules.MIN_PARAGRAPH_CHARS or block.link_density > rules.MAX_LINK_DENSITY:
            block.points = 0.0
        else:
            points = 1 + len(rules.CLAUSE_MARKS.findall(block.text)) + min(length / 100, rules.LENGTH_POINTS_MAX)
            block.points = points * rules.TEASER_ITEM_WEIGHT if is_teaser_item(block) else points
    return block.points


def text_weight(text: str) -> int:
    """Length in Latin-script characters: a Chinese, Japanese or Korean character carries about
    as much as WIDE_CHAR_WEIGHT Latin ones, so such prose is not undervalued beside Latin chrome."""
    return len(text) + (rules.WIDE_CHAR_WEIGHT - 1) * len(rules.WIDE_CHARS.findall(text))


def is_teaser_item(block: Block) -> bool:
    """A list item that opens with a link to another page's title and goes on with its lead (a
    news ticker, a "more news" list): however long its leads, such a list is no article."""
    if block.tag != "li" or (block.owner.text or "").strip():
        return False
    first = next((child for child in block.owner if isinstance(child.tag, str)), None)
    link = first if first is not None and first.tag == "a" else first.find(".//a") if first is not None else None
    if link is None or (first is not link and (first.text or "").strip()):
        return False
    return len(text_of(link)) >= rules.LISTING_MIN_LINK_CHARS


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
    before = True
    for sibling in parent:
        before = before and sibling is not best
        if sibling is best or (isinstance(sibling.tag, str) and sibling.get(CHROME_MARK) is None
                               and (scores.get(sibling, 0) >= threshold or before and sibling in scores and is_paragraph(sibling))):
            roots.append(sibling)
    return roots


def is_paragraph(el) -> bool:
    """A paragraph of prose on its own: the first paragraphs of a body written as a row of
    paragraph boxes, before the box that holds the rest."""
    blocks = linearise(el)
    text = sum(len(b.text) for b in blocks)
    return (len(blocks) <= rules.LEAD_PARAGRAPH_MAX_BLOCKS and text >= rules.LEAD_PARAGRAPH_MIN_CHARS
            and sum(b.link_chars for b in blocks) <= rules.LEAD_MAX_LINK_DENSITY * text
            and all(is_sentence(b) for b in blocks))


def with_cousins(roots: list, best, scores: dict) -> list:
    """Add the containers of the same kind as `best` (same tag and first class) elsewhere in the page
    that score like content: a body split over grid sections, step boxes or several text
    components keeps all its parts, in page order."""
    kind = container_kind(best)
    if not kind[1]:
        return roots
    threshold = scores[best] * rules.COUSIN_SCORE_RATIO
    around = {el for root in roots for el in (root, *root.iterancestors())}
    chosen = set(roots)
    cousins = [el for el, score in scores.items() if score >= threshold and container_kind(el) == kind
               and el not in around and el.get(CHROME_MARK) is None
               and not any(a in chosen or a in scores and container_kind(a) == kind for a in el.iterancestors())]
    if not cousins:
        return roots
    order = {el: i for i, el in enumerate(best.getroottree().getroot().iter())}
    return sorted(roots + cousins, key=order.__getitem__)


def container_kind(el) -> tuple[str, str]:
    """Tag and first class: "block-text" and "block-text block-text--first" are one kind."""
    classes = (el.get("class") or "").split()
    return el.tag, classes[0] if classes else ""


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
    overlaps = [title_match(words(heading_text(h)), title_words) for h in candidates]
    if overlaps and max(overlaps) > 0:
        return candidates[overlaps.index(max(overlaps))]
    h1s = [h for h in candidates if h.tag == "h1"]
    return (h1s or candidates or [None])[0]


def title_match(heading_words: set[str], title_words: set[str]) -> float:
    """How well a heading matches the <title>: words shared, times the share of the heading they
    make. A one-word heading the title happens to contain ("Comments") or a sub-heading echoing a
    few of its words loses to the headline that the title repeats."""
    shared = len(heading_words & title_words)
    return shared * shared / max(len(heading_words), 1)


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
            before.append(el)
    return [h for h in inside + before[::-1] if is_headline(h)]


def is_headline(h) -> bool:
    """A heading that is not mostly a link; an <h1> linking to its own article (a permalink) is one."""
    text = heading_text(h)
    links = list(h.iter("a"))
    link_text = normalise_text("".join("".join(a.itertext()) for a in links))
    if h.get(CHROME_MARK) is not None or len(text) < 3:
        return False
    return len(link_text) < rules.LINKED_HEADING_SHARE * len(text) or h.tag == "h1" and not links_home(links)


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

def body_paragraphs(content: list[Block], title: str | None, url: str = "",
                    runs: list[Run] = ()) -> tuple[list[str], str | None]:
    """Body paragraphs without metadata, furniture, chrome and repeats; the closing signature as author.
    The lead is kept even when the template marked it.

    The signature is looked for among chrome blocks too: the same name under every article is
    chrome to the template but still the article's author. The rows a long run set aside
    (`runs`) are read as data, like their judged rows, unless one of those was no body text:
    then they are judged one by one too.
    """
    candidates: list[tuple[str, str, int | None]] = []  # (text, tag, where the line it repeats stood)
    repeats = Repeats()
    references = ReferenceLists(url)
    last = None
    # the first sentence under the headline is the article's lead, even when every article opens
    # with the same frame ("Komunikat nr 12 ...") and the template has seen it often
    is_lead = True
    judged_by = {id(block): run for run in runs for block in run.judged_blocks}
    judged_one_by_one: set = set()  # runs with a judged row that was no body text

    def left_out(block: Block) -> None:
        if id(block) in judged_by:
            judged_one_by_one.add(judged_by[id(block)])

    for block in content:
        as_data = block.rest_of is not None and block.rest_of not in judged_one_by_one
        text = block.text if as_data else without_trailing_furniture(block.text)
        if not text or not as_data and is_furniture(block, title, references):
            left_out(block)
            continue
        last = text if block.link_density <= rules.MAX_LINK_DENSITY else None  # a link is no signature
        mark, sentence = block.owner.get(CHROME_MARK), is_lead and is_sentence(block)  # past the lead, no matter
        lead, is_lead = is_lead and sentence, is_lead and not sentence
        if mark and not (lead and mark == "1"):
            left_out(block)
            continue
        item = is_item(block)
        original = None if item else repeats.seen(text)
        if original is None:
            repeats.add(text, len(candidates), near=not item)
        candidates.append((text, block.tag, original))
    kept = without_repeats(candidates)
    signature = rules.SIGNATURE.match(last or "")
    author = None
    if signature and kept and [text for text, _ in kept] != [last]:
        if kept[-1][0] == last:
            kept.pop()
        author = signature.group(1)
    return without_empty_headings(kept), author


def without_trailing_furniture(text: str) -> str:
    """The block without a trailing "czytaj więcej" marker (searched for only where one could end)."""
    return rules.TRAILING_FURNITURE.sub("", text) if text[-6:].lower().endswith(rules.TRAILING_FURNITURE_ENDS) else text


def without_repeats(candidates: list[tuple[str, str, int | None]]) -> list[tuple[str, str]]:
    """Lines without the repeats of earlier ones, except a line repeated on its own, between new
    lines and far from where it stood first: a part of a recurring structure ("Obiad" and the same
    dish on two days of a meal plan). A run of repeats (a block shown twice) or a repeat close to
    its first place (a lead printed again as the first paragraph) goes."""
    kept = []
    for i, (text, tag, original) in enumerate(candidates):
        alone = (not (i > 0 and candidates[i - 1][2] is not None)
                 and not (i + 1 < len(candidates) and candidates[i + 1][2] is not None))
        if original is None or alone and i - original > rules.REPEAT_KEPT_MIN_DISTANCE:
            kept.append((text, tag))
    return kept


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


def is_furniture(block: Block, title: str | None, references: ReferenceLists) -> bool:
    text = block.text
    if title and text == title:
        return True
    if (block.link_density > rules.MAX_LINK_DENSITY and not is_prose(block) and block.tag not in rules.HEADING_TAGS
            and not references.holds(block)):
        return True
    # the searches scan the whole block: a word they need must be in it first
    lower = text.lower()
    if (rules.FURNITURE_LINE.match(text) or rules.CHROME_PHRASES.match(text)
            or any(word in lower for word in rules.APPEAL_WORDS) and rules.APPEAL.search(text)):
        return True
    if is_chrome_label(text):
        return True
    if len(text) <= rules.CAPTION_MAX_CHARS and any(mark in lower for mark in rules.CAPTION_MARKS) and rules.CAPTION.search(text):
        return True
    if is_emphasised_teaser(block):
        return True
    if len(text) <= rules.MAX_DATE_LINE and (
        rules.VIEWS_LINE.match(text) or rules.META_LABEL.match(text)
        or (not is_item(block) or rules.DATE_LABEL.match(text)) and is_date_line(text)  # the cheap test first
    ):
        return True
    return False


class ReferenceLists:
    """Which lists of a page are the article's own reading list or sources: a list whose every
    item links to other sites (menus and related posts link within the site). Each list is judged
    once, not once per item (a register of 20,000 links is one list of 20,000 items)."""

    def __init__(self, url: str):
        self.url = url
        self.verdicts: dict = {}  # the list element (kept alive here, so its proxy stays the same) -> verdict

    def holds(self, block: Block) -> bool:
        parent = block.owner.getparent()
        if block.tag != "li" or not self.url or parent is None:
            return False
        if parent not in self.verdicts:
            self.verdicts[parent] = self.links_elsewhere(parent)
        return self.verdicts[parent]

    def links_elsewhere(self, parent) -> bool:
        host = urlsplit(self.url).hostname
        items = [item for item in parent if item.tag == "li"]
        targets = [urlsplit(urljoin(self.url, a.get("href") or "")) for item in items for a in item.iter("a")]
        return (len(items) >= rules.REFERENCE_MIN_ITEMS and len(targets) >= len(items)
                and all(t.scheme in ("http", "https") and t.hostname not in (None, host) for t in targets))


def is_prose(block: Block) -> bool:
    """A long sentence-like paragraph, kept even when most of its words are links."""
    return block.tag in ("p", "li") and reads_as_prose(block, rules.PROSE_MAX_LINK_DENSITY)


def reads_as_prose(block: Block, max_link_density: float) -> bool:
    return (text_weight(block.text) >= rules.PROSE_MIN_CHARS and block.link_density <= max_link_density
            and block.text.endswith(rules.PROSE_END))


def is_emphasised_teaser(block: Block) -> bool:
    """A short line, all in one <em>/<strong>, holding a link to another article."""
    owner = block.owner
    if (len(block.text) > rules.TEASER_MAX_CHARS or block.link_density < rules.TEASER_MIN_LINK_DENSITY
            or (owner.text or "").strip() or block.text.endswith(rules.PROSE_END)):
        return False
    children = [c for c in owner if isinstance(c.tag, str)]
    return len(children) == 1 and children[0].tag in rules.EMPHASIS_TAGS


def is_chrome_label(text: str) -> bool:
    """ "Czytaj też: …", a box label alone ("Najnowsze"), or a "Tagi: …" line."""
    if len(text) <= rules.CHROME_LEAD_MAX_CHARS and rules.CHROME_LEADS.match(text):
        return True
    match = rules.CHROME_LABELS.match(text)
    return bool(match) and (len(text) <= rules.CHROME_LABEL_MAX_CHARS or text[match.end():].lstrip().startswith(":"))


def is_date_line(text: str) -> bool:
    """A short line that carries a date and little else (a label, a weekday, a time, an author)."""
    if len(text) > rules.MAX_DATE_LINE or not rules.has_date(text) or rules.EMBED_ATTRIBUTION.search(text):
        return False
    label = rules.DATE_LABEL.match(text)
    letters = len(re.sub(r"[\W\d_]+", "", rules.DATE_IN_TEXT.sub("", text[label.end():] if label else text)))
    if label:
        return letters <= rules.LABELLED_DATE_LINE_MAX_LETTERS
    return letters <= rules.DATE_LINE_MAX_LETTERS and len(text) <= rules.UNLABELLED_DATE_LINE_MAX


class Repeats:
    """Texts kept so far; tells intra-page repeats: exact ones by hash, near-identical variants
    of short lines ("Odsłony" / "Odśtony") among the earlier lines with the same numbers that
    share one of the smallest hashes of their trigrams with it. Lines whose numbers differ are
    different lines, so a register whose every line has its own number is never sketched; buckets
    and candidates are capped, so a page of thousands of similar lines costs time in proportion
    to its length."""

    def __init__(self):
        self.exact: dict[str, int] = {}  # text -> where it stood
        self.groups: dict[tuple[str, ...], SimilarLines] = {}  # numbers -> the short lines kept with them
        # aligning two lines (SequenceMatcher) is the costly step: real pages need a few dozen, a
        # page of 20,000 similar lines tens of thousands; past the budget, only exact repeats and
        # letters replaced in place are told
        self.alignments_left = rules.REPEAT_MAX_ALIGNMENTS

    def seen(self, text: str) -> int | None:
        """Where the line this one repeats stood, or None."""
        if text in self.exact:
            return self.exact[text]
        if len(text) > rules.NEAR_DUPLICATE_MAX_CHARS:
            return None
        group = self.groups.get(tuple(_NUMBERS.findall(text)))
        if group is None:
            return None
        return next((self.exact[earlier] for earlier in group.candidates(text) if self.near_identical(earlier, text)), None)

    def near_identical(self, a: str, b: str) -> bool:
        if not may_be_near_identical(a, b):
            return False
        if replaced_in_place(a, b):
            return True
        if not self.alignments_left:
            return False
        self.alignments_left -= 1
        return close_edit_ratio(a, b)

    def add(self, text: str, position: int, near: bool = True) -> None:
        """Remember a kept line; `near=False` for a table row or list item: a paragraph that
        repeats one exactly is a repeat, but rows differ from each other by a typo's worth (a
        register of 50,000 rows would cost a sketch each)."""
        self.exact[text] = position
        if near and len(text) <= rules.NEAR_DUPLICATE_MAX_CHARS:
            self.groups.setdefault(tuple(_NUMBERS.findall(text)), SimilarLines()).add(text)


class SimilarLines:
    """Short lines with the same numbers, indexed by their sketches once a second one comes."""

    def __init__(self):
        self.lines: list[str] = []
        self.buckets: dict[int, list[str]] | None = None

    def add(self, text: str) -> None:
        self.lines.append(text)
        if self.buckets is not None:
            self.index(text)

    def index(self, text: str) -> None:
        for key in slot_keys(text):
            bucket = self.buckets.setdefault(key, [])
            if len(bucket) < rules.REPEAT_BUCKET_MAX:
                bucket.append(text)

    def candidates(self, text: str) -> list[str]:
        """The earlier lines sharing most sketch values with this one (REPEAT_CANDIDATES at most)."""
        if self.buckets is None:
            self.buckets = {}
            for line in self.lines:
                self.index(line)
        sharing = Counter(earlier for key in slot_keys(text) for earlier in self.buckets.get(key, ()))
        return [earlier for earlier, _ in sharing.most_common(rules.REPEAT_CANDIDATES)]


_NUMBERS = re.compile(r"\d+")


@lru_cache(maxsize=4096)
def slot_keys(text: str) -> tuple[int, ...]:
    """The smallest hashes of the byte trigrams of a short line's opening (a bottom-k MinHash
    sketch): lines sharing one are candidates. A typo or an inserted word leaves most of the
    opening's trigrams as they were, so REPEAT_SKETCH_BYTES of it are enough to find candidates
    (`close_edit_ratio` then compares whole lines). CRC-32 in C spread by a multiplication is the
    same in every process (a page must read the same whichever process reads it)."""
    data = text.encode()[:rules.REPEAT_SKETCH_BYTES]
    hashes = {(zlib.crc32(data[i:i + 3]) * 0x9E3779B1) & 0xFFFFFFFF for i in range(len(data) - 2)}
    return tuple(sorted(hashes or {zlib.crc32(data)})[:rules.REPEAT_SLOTS])


def may_be_near_identical(a: str, b: str) -> bool:
    """Could the lines be the same line with a typo or two (`close_edit_ratio`)? Lines whose
    numbers differ are different lines ("Komunikat nr 3", a schedule's hours); so are lines
    whose short words differ ("Plan A" / "Plan B") or that share few trigrams."""
    if abs(len(a) - len(b)) > rules.NEAR_DUPLICATE_LENGTH_DIFF * max(len(a), len(b), 1):
        return False
    if _NUMBERS.findall(a) != _NUMBERS.findall(b) or short_words_differ(a, b):
        return False
    shingles_a, shingles_b = trigrams(a), trigrams(b)
    shared = len(shingles_a & shingles_b)
    return shared / max(len(shingles_a) + len(shingles_b) - shared, 1) >= rules.TRIGRAM_PREFILTER


def replaced_in_place(a: str, b: str) -> bool:
    """Lines of one length that differ in few letters (typos, misread letters): at least
    NEAR_DUPLICATE_RATIO alike without aligning them."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) <= (1 - rules.NEAR_DUPLICATE_RATIO) * len(a)


def close_edit_ratio(a: str, b: str) -> bool:
    """Are the lines at least NEAR_DUPLICATE_RATIO alike, character by character, once aligned?"""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    # quick_ratio() bounds ratio() from above and costs a fraction of it
    return matcher.quick_ratio() >= rules.NEAR_DUPLICATE_RATIO and matcher.ratio() >= rules.NEAR_DUPLICATE_RATIO


def short_words_differ(a: str, b: str) -> bool:
    """Do the lines differ in a short word ("Plan A" / "Plan B")? A typo changes a longer one."""
    words_a, words_b = set(a.split()), set(b.split())
    return any(len(word) < rules.TYPO_MIN_WORD_CHARS for word in words_a ^ words_b)


@lru_cache(maxsize=4096)  # an earlier line is a candidate of many later ones
def trigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 3] for i in range(len(text) - 2))


def byline(named: Attributed) -> str | None:
    """An author element: itemprop/rel author or a class naming the author."""
    for el in named.having("itemprop", "rel", "class"):
        if not (el.get("itemprop") == "author" or el.get("rel") == "author"
                or "author" in (el.get("class") or "") or "byline" in (el.get("class") or "")):
            continue
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
    lines: dict[str, None] = {}  # ordered, and each line once
    for index, block in enumerate(all_blocks):
        text = block.text
        labelled = rules.DATE_LABEL.match(text) and rules.has_date(text)
        if ((labelled or index in region and not is_item(block)) and is_date_line(text)
                and not rules.NOT_ARTICLE_DATE.search(text)):
            lines[text] = None
    return list(lines)


def is_item(block: Block) -> bool:
    """A row of a table or an item of a list: content of its own (a schedule, a meal plan), never
    the article's date line or a repeat of an earlier line, whatever dates or words it repeats."""
    return block.tag in rules.ITEM_TAGS or block.owner.getparent() is not None and block.owner.getparent().tag in rules.ITEM_TAGS


def article_region(all_blocks: list[Block], content: list[Block], heading) -> range:
    """Indexes of blocks from just above the headline to the end of the content."""
    owners = {id(b.owner) for b in content}
    marks = [i for i, b in enumerate(all_blocks)
             if id(b.owner) in owners or (heading is not None and (b.owner is heading or heading in b.owner.iterancestors()))]
    if not marks:
        return range(0)
    return range(max(marks[0] - rules.DATE_LINES_ABOVE_HEADLINE, 0), marks[-1] + 1)


# ---------------------------------------------------------------- metryka, attachments

def metryka(named: Attributed, blocks: list[Block]) -> dict:
    """Label: value fields of a BIP metryczka or a "Metryka praktyki" table; the box leaves the body."""
    fields: dict = {}
    body = named.root
    boxes = [el for el in named.having("class", "id")
             if "metry" in f"{el.get('class') or ''} {el.get('id') or ''}".lower()]
    headed = any("Metry" in block.text for block in blocks)  # the page's text read once, not every element's again
    for heading in body.xpath(".//*[starts-with(normalize-space(text()), 'Metry')]") if headed else ():
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


def from_headline(roots: list, heading, all_blocks: list[Block], named: Attributed) -> list[Block]:
    """The content's blocks from the headline on, photo captions aside.

    Above the headline are section labels and breadcrumbs; prose above it stays (the chosen
    heading may be a "Comments" heading or a sub-heading, and the lead may stand above it). Between a headline and the body
    container below it stand parts of the article the paragraph scores do not see (a list of
    ingredients, a table, a subheading): see `before_container`.
    """
    captions = {el for root in roots for figure in (root, *root.iter("figure", "figcaption"), *named.within(root).named())
                if is_caption(figure) for el in figure.iter()}
    content = [b for root in roots for b in blocks_of(root, all_blocks) if b.owner not in captions]
    if heading is None:
        return content
    for index, block in enumerate(content):
        if block.owner is heading or heading in block.owner.iterancestors():
            return [b for b in content[:index] if is_sentence(b)] + content[index:]
    return before_container(heading, roots[0]) + content


def without_related_posts(content: list[Block], roots: list) -> list[Block]:
    """Blocks without the related-posts boxes inside the content: a "Podobne wpisy" / "Zobacz
    także" label and what follows it in its box (or, when the label stands in the article's own
    container, up to the next heading of its rank). Their items change from article to article,
    so no template learns them; the label says what they are."""
    kept: list[Block] = []
    box, rank = None, None
    for block in content:
        if box is not None:
            inside = block.owner is box or box in block.owner.iterancestors()
            if inside and (rank is None or not (block.tag in rules.HEADING_TAGS and block.tag <= rank)):
                continue
            box, rank = None, None
        if len(block.text) <= rules.CHROME_LABEL_MAX_CHARS and rules.RELATED_LABEL.match(block.text):
            box = block.owner.getparent() if block.owner.getparent() is not None else block.owner
            rank = block.tag if box in roots and block.tag in rules.HEADING_TAGS else None
            if box in roots and rank is None:
                box = None  # a label line in the running text: only the label goes
            continue
        kept.append(block)
    return kept


def is_caption(el) -> bool:
    """A photo with its caption, or an element named as a caption or a photo credit."""
    return el.tag in ("figure", "figcaption") or bool(class_words(el) & rules.CAPTION_WORDS)


def is_sentence(block: Block) -> bool:
    """A block of prose, however short: it ends a sentence and is not mostly a link."""
    return (text_weight(block.text) >= rules.SENTENCE_MIN_CHARS and block.link_density <= rules.MAX_LINK_DENSITY
            and block.text.endswith(rules.PROSE_END))


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
    around_text = lru_cache(maxsize=None)(text_of)  # many file links may share one parent
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
            around = around_text(link.getparent()) if link.getparent() is not None else text
            size = rules.FILE_SIZE.search(text) or rules.FILE_SIZE.search(around)
            title = normalise_text(rules.FILE_SIZE.sub("", text)).strip(" ()[],-–>»›") or href.rsplit("/", 1)[-1]
            found.append({"url": urljoin(url, href), "title": title, "type": ext.group(1).lower(),
                          "size": size.group(1) if size else None})
    return found


# ---------------------------------------------------------------- article or not

def classify(url: str, out: Extracted, teasers: tuple[tuple[int, int, int], ...], interleaved: tuple[tuple[int, int], ...],
             has_headline: bool, images: int) -> tuple[bool, str]:
    """Article or not, and why not: URL and title kinds, listings, static pages, galleries, no text."""
    parts = urlsplit(url)
    for pattern, reason in rules.NOT_ARTICLE_URL:
        if pattern.search(parts.path + (f"?{parts.query}" if parts.query else "")):
            return False, reason
    for pattern, reason in rules.NOT_ARTICLE_TITLE:
        if out.title and pattern.search(out.title):
            return False, reason
    for units, teaser_chars, own_chars in teasers:
        if (units >= 2 and own_chars < teaser_chars
                or units == 1 and own_chars < rules.SINGLE_TEASER_OWN_SHARE * teaser_chars):
            return False, f"listing: {units} article links, little own text"
    for led, prose in interleaved:
        if led >= rules.LISTING_MIN_TEASERS and led >= rules.LISTING_LED_SHARE * prose:
            return False, f"listing: {led} of {prose} paragraphs follow a link to another page"
    if (not out.date_lines and not declares_article(out.meta) and not rules.DATE_IN_URL.search(parts.path)
            and len(out.body) < (rules.STATIC_PAGE_MAX_CHARS if has_headline else rules.STATIC_NO_HEADLINE_MAX_CHARS)):
        return False, "no date and little text: a static page"
    if images >= rules.GALLERY_MIN_IMAGES and len(out.body) < rules.GALLERY_MAX_CHARS:
        return False, f"gallery: {images} images, little text"
    if len(out.body) < rules.MIN_ARTICLE_CHARS:
        return False, f"too little text ({len(out.body)} characters)"
    return True, ""


def declares_article(meta: dict) -> bool:
    """og:type article, a JSON-LD *Article / BlogPosting, or a publication time in the head."""
    kind = f"{meta.get('og:type', '')} {meta.get('ld:@type', '')}".lower()
    return "article" in kind or "posting" in kind or "article:published_time" in meta or "ld:datePublished" in meta


def teaser_units(body, blocks: list[Block], roots: list, own_urls: set) -> tuple[int, int, int]:
    """Teasers in the content (a linked heading with what belongs to it), their text, and the
    content's prose outside them. A rail of related articles beside a long article is not its
    content: the page is weighed by its own prose, not by the links around it. A heading linking
    to the page itself (a permalink headline) is no teaser."""
    own = {same_page_key(u) for u in own_urls if u}
    base = next(iter(own_urls - {None}), "")
    linked = [h for h in body.iter(*rules.HEADING_TAGS) if is_linked_heading(h)]
    # the permalink headline still bounds the teasers around it
    linked_below = Counter(ancestor for h in linked for ancestor in h.iterancestors())
    every_unit = [unit for h in linked if not links_to(h, own, base)
                  for unit in [teaser_unit(h, body, linked_below)] if text_before(h, unit) <= rules.TEASER_MAX_CHARS_BEFORE]
    unit_of = {el: unit for unit in every_unit for el in unit.iter()}
    # when one teaser scored best, the content is the list it stands in
    scope = [unit_of[root].getparent() if root in unit_of and unit_of[root].getparent() is not None else root
             for root in roots]
    units = [unit for unit in every_unit if any(unit is root or root in unit.iterancestors() for root in scope)]
    inside = {el for unit in units for el in unit.iter()}
    own = sum(len(b.text) for b in blocks_within(blocks, scope) if b.owner not in inside
              and b.link_density < rules.MAX_LINK_DENSITY and len(b.text) >= rules.MIN_PARAGRAPH_CHARS)
    return len(units), sum(text_chars(unit) for unit in units), own


def blocks_within(blocks: list[Block], roots: list) -> list[Block]:
    """The blocks whose owner is one of `roots` or inside one, in document order."""
    if isinstance(blocks, PageBlocks):
        return blocks.within(roots)
    inside = {el for root in roots for el in root.iter()}
    return [b for b in blocks if b.owner in inside]


def text_before(heading, unit) -> int:
    """Characters of the unit's text before its heading: a teaser opens with its title (a date or
    a picture at most before it); a linked line after prose is a call to action in an article."""
    chars = 0
    for el in unit.iter():
        if el is heading:
            return chars
        chars += len((el.text or "").strip()) + (len((el.tail or "").strip()) if el is not unit else 0)
    return chars


def leads_after_links(blocks: list[Block], roots: list) -> tuple[int, int]:
    """Prose blocks in the content, and how many come right after a title link (teaser leads):
    each link leads one paragraph at most, the first prose within LISTING_LEAD_REACH blocks."""
    content = blocks_within(blocks, roots)
    prose = [i for i, b in enumerate(content)
             if len(b.text) >= rules.LISTING_LEAD_MIN_CHARS and b.link_density < rules.MAX_LINK_DENSITY]
    is_prose = set(prose)
    led = set()
    for i, block in enumerate(content):
        if is_title_link(block):
            lead = next((j for j in range(i + 1, min(i + 1 + rules.LISTING_LEAD_REACH, len(content))) if j in is_prose), None)
            if lead is not None:
                led.add(lead)
    return len(led), len(prose)


def is_title_link(block: Block) -> bool:
    """A block that is mostly a link with a title's words (a bare URL is no title)."""
    return (block.link_density >= rules.TITLE_LINK_MIN_DENSITY and len(block.text) >= rules.LISTING_MIN_LINK_CHARS
            and not rules.BARE_URL.match(block.text))


def is_linked_heading(h) -> bool:
    """A heading that is a link to another page (not the site logo linking home)."""
    wrapper = next((a for a in h.iterancestors("a")), None)
    links = [wrapper] if wrapper is not None else list(h.iter("a"))
    link_text = normalise_text(" ".join("".join(a.itertext()) for a in links))
    return (len(link_text) >= rules.LISTING_MIN_LINK_CHARS and len(link_text) >= rules.LINKED_HEADING_SHARE * len(heading_text(h))
            and not links_home(links))


def links_to(h, pages: set, base: str) -> bool:
    """Does the heading (or the link around it) point to one of these pages?"""
    wrapper = next((a for a in h.iterancestors("a")), None)
    links = [wrapper] if wrapper is not None else list(h.iter("a"))
    return any(same_page_key(urljoin(base, a.get("href") or "")) in pages for a in links)


def same_page(a: str, b: str) -> bool:
    return same_page_key(a) == same_page_key(b)


def same_page_key(url: str) -> str:
    """A URL without scheme, fragment and trailing slash: http/https and /x vs /x/ are one page."""
    parts = urlsplit(url)
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}?{parts.query}"


def links_home(links: list) -> bool:
    """A link to the site's home page (the logo)."""
    targets = [urlsplit(a.get("href") or "") for a in links]
    return any(t.path.strip("/") in ("", "index.html", "index.php") and not t.query for t in targets)


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
