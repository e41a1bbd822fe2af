"""The page's date evidence, gathered while the clean stage has the page parsed.

The dates stage (scraper/dates/grammar.py: page_dates) reads only what is gathered here, so a page
is parsed once and page furniture is what the clean stage knows it to be:
- machine dates stated in the head and in scripts (JSON-LD, <meta>), read before the clean stage
  drops scripts (`head_dates`);
- machine dates in the body (<time datetime>, itemprop/RDFa, hAtom <abbr title>) and short
  date-classed elements, read after it dropped the generic chrome (`body_dates`, `date_elements`);
- the unlabelled date lines that the dropped furniture shows too (a header clock's "today"), and
  its labelled date lines when nothing else may date the page;
- the rows of the document's change register, a second page the spider fetched with it
  (`register_rows`).
The date lines themselves are the extractor's (scraper/extract/main_text.py: date_lines).
"""
from __future__ import annotations

import json
import re

from scraper import vocabulary
from scraper.extract import rules
from scraper.extract.template import Attributed, drop_generic_chrome, drop_junk, parse_html, text_of
from scraper.items import DateEvidence, MachineDate
from scraper.text import normalise_text

JSON_LD_LOOSE = re.compile(
    r"[\"'](?P<key>" + "|".join(vocabulary.JSON_LD_DATE_KEYS) + r")[\"']\s*:\s*[\"'](?P<value>[^\"']+)"
)
TIME_HINT = re.compile("|".join(map(re.escape, vocabulary.TIME_CLASS_HINTS)), re.IGNORECASE)
DATE_ELEMENT_HINT = re.compile("|".join(map(re.escape, vocabulary.DATE_ELEMENT_HINTS)), re.IGNORECASE)
MAX_VALUE_CHARS = 100
JSON_LD_MAX_DEPTH = 20  # deeper nesting is no page's metadata
FURNITURE_LINE_TAGS = ("p", "li", "dd", "tr", "div", "span", "time")  # a machine date is short; longer values are not read


def head_dates(tree) -> list[MachineDate]:
    """JSON-LD and <meta> dates, anywhere in the page (neither is shown, so neither is furniture)."""
    found = []
    for script in json_ld_scripts(tree):
        for key, value in json_ld_pairs(script.text or ""):
            found.append(MachineDate(vocabulary.JSON_LD_DATE_KEYS[key], value, f"JSON-LD {key}"))
    for element in tree.iter("meta"):
        if element.get("content") is None or all(element.get(name) is None for name in ("name", "property", "itemprop")):
            continue
        key = first_date_key(element.get("property") or element.get("name") or element.get("itemprop"))
        if key:
            found.append(machine_date(vocabulary.META_DATE_KEYS[key], element.get("content"), f"meta {key}"))
    return [date for date in found if date.value]


def json_ld_scripts(tree) -> list:
    return [script for script in tree.iter("script") if script.get("type") == "application/ld+json"]


def body_dates(named: Attributed) -> list[MachineDate]:
    """itemprop/RDFa, <time datetime> and hAtom dates of a body whose chrome is already dropped
    (`named`: its elements with attributes, where every such date stands)."""
    found = []
    for element in named:
        if element.tag == "meta" or element.get("itemprop") is None and element.get("property") is None \
                and element.tag not in ("time", "abbr"):
            continue
        if element.tag == "time" and element.get("datetime"):
            found.append(machine_date(time_kind(element), element.get("datetime"), "<time datetime>"))
        elif element.tag == "abbr" and element.get("title") and hatom_kind(element):
            found.append(machine_date(hatom_kind(element), element.get("title"), f"hAtom {hatom_kind(element)}"))
        key = first_date_key(element.get("property") or element.get("itemprop"))
        if key:
            value = element.get("datetime") or element.get("content") or text_of(element)
            found.append(machine_date(vocabulary.META_DATE_KEYS[key], value, f"{element.tag} {key}"))
    return [date for date in found if date.value]


def date_elements(named: Attributed) -> list[str]:
    """Text of short elements whose class/id names a date, in page order (chrome already dropped)."""
    lines: list[str] = []
    for element in named.having("class", "id"):
        hints = f"{element.get('class', '')} {element.get('id', '')}"
        if DATE_ELEMENT_HINT.search(hints):
            text = text_of(element)
            if 0 < len(text) <= vocabulary.MAX_DATE_ELEMENT_CHARS and text not in lines:
                lines.append(text)
    return lines


def register_rows(html: str | None) -> list[str]:
    """The text of each row (tr, li) of a change register page, furniture dropped, in page order."""
    if not html:
        return []
    tree = parse_html(html)
    drop_junk(tree)
    body = tree.find("body")
    if body is None:
        return []
    drop_generic_chrome(body)
    return [text for row in body.iter("tr", "li") if (text := text_of(row))]


def page_language(tree) -> str:
    """The locale the page declares: <html lang> (or xml:lang), <meta http-equiv=content-language>,
    og:locale, lower case with a hyphen ("en_US" -> "en-us"); the most specific one when they name
    one language, "" when they name none or several languages (a Polish page with an English
    og:locale left from a theme's defaults is read as no language)."""
    declared = [tree.get("lang"), tree.get("xml:lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    declared += tree.xpath("//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
                           "='content-language']/@content | //meta[@property='og:locale']/@content")
    tags = {tag for value in declared if value for tag in [language_tag(value)] if tag}
    if len({tag.split("-")[0] for tag in tags}) != 1:
        return ""
    regional = [tag for tag in tags if "-" in tag]
    return regional[0] if len(regional) == 1 else next(iter(tags)).split("-")[0]


def language_tag(value: str) -> str:
    """"en_US", " en-US ", "en-US,pl" -> "en-us"; "" for what is no language tag."""
    tag = value.split(",")[0].strip().lower().replace("_", "-")
    return tag if LANGUAGE_TAG.fullmatch(tag) else ""


LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")


def gather(machine: list[MachineDate], named: Attributed | None, lines: list[str], metadata: dict,
           register_html: str | None = None, furniture: list = (), language: str = "",
           url: str = "") -> DateEvidence:
    """The evidence of one page: its date lines and the metadata fields that are dated by label
    ("Data publikacji": …), its machine dates (`head_dates` + `body_dates`), its change register's
    rows, the date lines the removed `furniture` elements show too and, when nothing else may date
    it, its date-classed elements; with the page's declared `language` (`page_language`) and its
    address."""
    evidence = DateEvidence(lines=list(lines) + labelled_fields(metadata), machine=list(machine),
                            register_rows=register_rows(register_html), language=language, url=url)
    evidence.in_furniture = lines_in_furniture(lines, furniture)
    if not evidence.lines and not evidence.machine and named is not None:
        evidence.elements = date_elements(named)
        evidence.furniture_lines = furniture_date_lines(furniture)
    return evidence


def lines_in_furniture(lines: list[str], furniture: list) -> list[str]:
    """Unlabelled date lines that the page furniture shows too (its text read only when needed)."""
    unlabelled = [line for line in lines if not rules.DATE_LABEL.match(line)]
    if not unlabelled or not furniture:
        return []
    text = " | ".join(text_of(el) for el in furniture)
    return [line for line in unlabelled if line in text]


def furniture_date_lines(furniture: list) -> list[str]:
    """Short labelled date lines inside the dropped furniture, in page order."""
    lines: list[str] = []
    for box in furniture:
        for element in box.iter(*FURNITURE_LINE_TAGS):
            text = text_of(element)
            if (len(text) <= rules.MAX_DATE_LINE and rules.DATE_LABEL.match(text) and rules.has_date(text)
                    and text not in lines):
                lines.append(text)
    return lines


def labelled_fields(metadata: dict) -> list[str]:
    """Metryczka fields whose label is a date label, as "label: value" lines."""
    return [f"{label}: {value}" for label, value in metadata.items()
            if isinstance(value, str) and normalise_text(label).lower() in DATE_LABEL_WORDS]


DATE_LABEL_WORDS = frozenset(
    form for kind in vocabulary.ARTICLE_DATE_KINDS for word in vocabulary.DATE_LABELS[kind]
    for form in (word, word.translate(vocabulary.ASCII_FOLD))
)


def machine_date(kind: str, value: str | None, where: str) -> MachineDate:
    return MachineDate(kind, normalise_text(value or "")[:MAX_VALUE_CHARS], where)


def first_date_key(keys: str | None) -> str | None:
    """property/itemprop may hold several names ("dc:date dc:created"): the first date one."""
    return next((key for key in (keys or "").lower().split() if key in vocabulary.META_DATE_KEYS), None)


def time_kind(element) -> str:
    if element.get("pubdate") is not None:
        return "published"
    hint = TIME_HINT.search(f"{element.get('class', '')} {element.get('itemprop', '')}")
    return vocabulary.TIME_CLASS_HINTS[hint.group(0).lower()] if hint else "published"


def hatom_kind(element) -> str | None:
    classes = (element.get("class") or "").lower().split()
    return next((kind for name, kind in vocabulary.HATOM_CLASSES.items() if name in classes), None)


def load_json_ld(text: str):
    """The JSON of a JSON-LD script, or None when it is not JSON a reader can walk.

    Hand-written JSON-LD has single quotes and trailing commas (ValueError); a script nested
    thousands of levels deep exceeds the parser's recursion (RecursionError)."""
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        return None


def json_ld_pairs(text: str) -> list[tuple[str, str]]:
    """(key, value) of the date keys of a JSON-LD script, Article-like nodes first."""
    data = load_json_ld(text)
    if data is None:
        return [(m.group("key"), m.group("value")) for m in JSON_LD_LOOSE.finditer(text)]
    nodes = sorted(json_nodes(data), key=lambda node: not preferred_type(node.get("@type")))
    return [(key, node[key]) for node in nodes for key in vocabulary.JSON_LD_DATE_KEYS if isinstance(node.get(key), str)]


def preferred_type(types) -> bool:
    names = types if isinstance(types, list) else [types]
    return any(isinstance(n, str) and part in n for n in names for part in vocabulary.JSON_LD_PREFERRED_TYPES)


def json_nodes(data, depth: int = 0):
    if depth > JSON_LD_MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from json_nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, (list, dict)):
                yield from json_nodes(value, depth + 1)
