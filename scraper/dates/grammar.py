"""Polish dates -> ISO 8601: a fast grammar for the forms of Polish municipal and BIP pages.

`parse_date` reads one (possibly labelled) date string, `parse_labelled` tells published,
updated and created apart on one line, `page_dates` picks a page's dates from its date lines
and its machine-readable metadata. The vocabulary lives in scraper/dates/rules.py; dateparser is
only a fallback for forms the grammar does not know.
"""
from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from scraper.dates import rules
from scraper.text import normalise_text
WARSAW = ZoneInfo("Europe/Warsaw")
ASCII_FOLD = str.maketrans("ąćęłńóśźż", "acelnoszz")


@dataclass(frozen=True)
class DateMention:
    kind: str | None
    iso: str


@dataclass(frozen=True)
class PageDates:
    published: str | None
    updated: str | None
    created: str | None
    evidence: str


def _alternation(words) -> str:
    """Regex matching any of the words or their diacritic-free forms, built as a trie (fast)."""
    trie: dict = {}
    for word in {w for word in words for w in (word, word.translate(ASCII_FOLD))}:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return "(?:" + body + ")?"
    return body


def _with_folded(table: dict) -> dict:
    """The table plus its words written without diacritics ("miesiac" for "miesiąc")."""
    return {form: value for word, value in table.items() for form in (word, word.translate(ASCII_FOLD))}


MONTHS = _with_folded(
    {word: month for table in (rules.MONTH_NAMES, rules.MONTH_ABBREVIATIONS)
     for month, words in table.items() for word in words}
)
DAYS_BACK = _with_folded(rules.RELATIVE_DAY_WORDS)
UNITS = _with_folded(rules.RELATIVE_UNITS)
NUMBERS = _with_folded(rules.NUMBER_WORDS)
_FULL_MONTHS = _alternation(w for words in rules.MONTH_NAMES.values() for w in words)
_ANY_MONTH = _alternation(MONTHS)
_ROMAN = "|".join(sorted(rules.ROMAN_MONTHS, key=len, reverse=True))
_NO_DIGIT_BEFORE = r"(?<![\d.\-/:])"
_NO_DIGIT_AFTER = r"(?![\d]|[.\-/]\d)"

DATE_FORMS = {  # form -> pattern; tried as one alternation, leftmost match first
    "iso": (  # 2012-05-22, 2012-05-22T11:41:00+02:00, 2020.03.03
        _NO_DIGIT_BEFORE + r"(?P<y>\d{4})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
        r"(?:[T ]\s*(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:[.,]\d+)?"
        r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?" + _NO_DIGIT_AFTER
    ),
    "dmy": (  # 16.11.2023, 21.11.24, 03-03-2020
        _NO_DIGIT_BEFORE + r"(?P<d>\d{1,2})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)"
        r"(?P<y>\d{4}|\d{2})" + _NO_DIGIT_AFTER
    ),
    "words": (  # 3 marca 2020, 03, marzec 2020, 26 lip 2021, 3-go mar. 2020
        r"(?<![\d\w])(?P<d>\d{1,2})(?:-go|\.)?\s*,?\s*(?P<mw>" + _ANY_MONTH + r")\.?"
        r"(?!\w)\s*,?\s*(?P<y>\d{4})(?!\d)"
    ),
    "roman": (  # 3 III 2020, 15.XI.2019 (upper case only: "i" is a word)
        r"(?<![\d\w])(?P<d>\d{1,2})\s*[.\-/ ]\s*(?-i:(?P<rm>" + _ROMAN + r"))\s*[.\-/ ]\s*"
        r"(?P<y>\d{4})(?!\d)"
    ),
}


def _date_alternation() -> re.Pattern:
    """One regex for all forms; each form's groups get the form as suffix (d_iso, d_dmy...)."""
    forms = []
    for form, pattern in DATE_FORMS.items():
        pattern = re.sub(r"\(\?P<(\w+)>", rf"(?P<\1_{form}>", pattern)
        forms.append(f"(?P<{form}>" + re.sub(r"\(\?P=(\w+)\)", rf"(?P=\1_{form})", pattern) + ")")
    return re.compile("|".join(forms), re.IGNORECASE)


DATE = _date_alternation()
FORM_GROUPS = {  # form -> (short group names, full group names): "d" and "d_iso"
    form: tuple(zip(*[(name[: -len(form) - 1], name) for name in DATE.groupindex
                      if name.endswith("_" + form)]))
    for form in DATE_FORMS
}
MONTH_YEAR = re.compile(  # not after a day number: "30 lutego 2020" is no date at all
    r"(?<![\w.])(?<!\d\s)(?P<mw>" + _FULL_MONTHS + r")\s+(?P<y>\d{4})(?!\d)", re.IGNORECASE
)
TIME_AFTER = re.compile(
    r"\s*(?:r\.|roku|rok)?\s*[,\-–—•|]?\s*"
    r"(?:o\s+)?(?:godz(?:ina|\.)?\s*:?\s*(?P<hg>\d{1,2})[:.](?P<mg>\d{2})"
    r"|(?P<h>\d{1,2}):(?P<mi>\d{2}))(?::(?P<s>\d{2}))?(?!\d)",
    re.IGNORECASE,
)
TIME_BEFORE = re.compile(r"(?<!\d)(?P<h>\d{1,2}):(?P<mi>\d{2})\s*[,|\-–]?\s*$")
RELATIVE_DAY = re.compile(
    r"(?<!\w)(?P<word>" + _alternation(rules.RELATIVE_DAY_WORDS) + r")(?!\w)", re.IGNORECASE
)
RELATIVE_AGO = re.compile(
    r"(?<!\w)(?:(?P<n>\d{1,3}|" + _alternation([*rules.NUMBER_WORDS, *rules.VAGUE_COUNTS])
    + r")\s+)?"
    r"(?P<unit>" + _alternation(rules.RELATIVE_UNITS) + r")\s+temu(?!\w)",
    re.IGNORECASE,
)
RELATIVE_HINT = re.compile(r"temu|dzi|wczoraj", re.IGNORECASE)
LABEL = re.compile(
    r"(?<!\w)(?P<label>" + _alternation(w for words in rules.LABELS.values() for w in words)
    + r")(?!\w)\s*:?",
    re.IGNORECASE,
)
LABEL_KINDS = _with_folded({word: kind for kind, words in rules.LABELS.items() for word in words})
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
DAY_NUMBER = re.compile(r"(?<!\d)(?:[1-9]|[0-2]\d|3[01])(?!\d)")
WORD = re.compile(r"[^\W\d_]{3,}")
MONTH_WORD = re.compile(r"(?<!\w)(?:" + _ANY_MONTH + r")(?!\w)", re.IGNORECASE)
SIE = re.compile(r"(?<!\w)si[eę](?!\w)", re.IGNORECASE)


normalise = normalise_text  # the dates grammar reads text as every stage does (scraper/text.py)


def parse_date(text: str, now: datetime | None = None) -> str | None:
    """One date string (possibly labelled) -> ISO 8601, or None when it holds no date."""
    mentions = parse_labelled(text, now)
    return mentions[0].iso if mentions else None


def parse_labelled(text: str, now: datetime | None = None) -> list[DateMention]:
    """Every dated field of a line, each with the kind its label gives (None when unlabelled)."""
    text = normalise(text)
    segments = _labelled_segments(text)
    has_chrome = any(kind == "chrome" for kind, _ in segments)
    mentions = []
    for kind, segment in segments:
        if kind == "chrome" or (kind is None and has_chrome):
            continue
        iso = _parse_segment(segment, now)
        if iso:
            mentions.append(DateMention(kind, iso))
    return mentions


def label_kind(label: str) -> str | None:
    """The kind a whole label names ("Data publikacji" -> "published"), None if it is no date label."""
    match = LABEL.fullmatch(normalise(label))
    kind = LABEL_KINDS[match.group("label").lower()] if match else None
    return None if kind == "chrome" else kind


def _labelled_segments(text: str) -> list[tuple[str | None, str]]:
    """Split a line at its labels: [(kind or None, text up to the next label)]."""
    segments, kind, start = [], None, 0
    for match in LABEL.finditer(text):
        segments.append((kind, text[start:match.start()]))
        kind, start = LABEL_KINDS[match.group("label").lower()], match.end()
    segments.append((kind, text[start:]))
    return [(kind, segment) for kind, segment in segments if segment.strip() or kind]


def _parse_segment(text: str, now: datetime | None) -> str | None:
    return (
        _explicit_date(text)
        or _relative_date(text, now)
        or _month_year(text)
        or _fallback(text, now)
    )


def _explicit_date(text: str) -> str | None:
    for match in DATE.finditer(text):
        short, full = FORM_GROUPS[match.lastgroup]
        groups = {name: value for name, value in zip(short, match.group(*full)) if value}
        day = _valid_day(groups)
        if day is None:
            continue
        if groups.get("h"):
            return _iso_with_time(day, groups, groups.get("tz"))
        return _with_time_near(day, text, match)
    return None


def _valid_day(groups: dict) -> date | None:
    if "mw" in groups:
        month = MONTHS[groups["mw"].lower()]
    elif "rm" in groups:
        month = rules.ROMAN_MONTHS[groups["rm"]]
    else:
        month = int(groups["m"])
    year = _full_year(groups["y"])
    if not _plausible_year(year):
        return None
    try:
        return date(year, month, int(groups["d"]))
    except ValueError:
        return None


def _plausible_year(year: int) -> bool:
    return rules.YEAR_RANGE[0] <= year <= rules.YEAR_RANGE[1]


def _full_year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 2:
        year += 1900 if year >= rules.TWO_DIGIT_YEAR_PIVOT else 2000
    return year


def _with_time_near(day: date, text: str, match: re.Match) -> str:
    """The date, with the time shown right after it (or right before it) when there is one."""
    after = TIME_AFTER.match(text, match.end())
    before = TIME_BEFORE.search(text, 0, match.start())
    time = after or before
    return _iso_with_time(day, time.groupdict()) if time else day.isoformat()


def _iso_with_time(day: date, groups: dict, tz: str | None = None) -> str:
    """Date and time in Warsaw time; a time shown with an offset is converted to Warsaw's."""
    hour, minute = groups.get("h") or groups.get("hg"), groups.get("mi") or groups.get("mg")
    second = int(groups.get("s") or 0)
    if int(hour) > 23 or int(minute) > 59 or second > 59:
        return day.isoformat()
    moment = datetime(day.year, day.month, day.day, int(hour), int(minute), second)
    if tz:
        offset = datetime.strptime(tz.replace("Z", "+0000").replace(":", ""), "%z").tzinfo
        moment = moment.replace(tzinfo=offset).astimezone(WARSAW)
    else:
        moment = moment.replace(tzinfo=WARSAW)
    return moment.isoformat(timespec="seconds")


def _relative_date(text: str, now: datetime | None) -> str | None:
    if now is None or not RELATIVE_HINT.search(text):
        return None
    local = _as_utc(now).astimezone(WARSAW)
    day_word = RELATIVE_DAY.search(text)
    if day_word:
        day = local.date() - timedelta(days=DAYS_BACK[day_word.group("word").lower()])
        return _with_time_near(day, text, day_word)
    ago = RELATIVE_AGO.search(text)
    if not ago:
        return None
    count = _count(ago.group("n"))
    if count is None:
        return None
    unit = UNITS[ago.group("unit").lower()]
    if unit in ("minutes", "hours"):
        moment = (local - timedelta(**{unit: count})).replace(second=0, microsecond=0)
        return moment.isoformat(timespec="seconds")
    if unit in ("days", "weeks"):
        return (local.date() - timedelta(**{unit: count})).isoformat()
    months = count * (12 if unit == "years" else 1)
    return _months_back(local.date(), months).isoformat()


def _count(word: str | None) -> int | None:
    if word is None:
        return 1
    return int(word) if word.isdigit() else NUMBERS.get(word.lower())


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _as_utc(moment: datetime) -> datetime:
    """Naive datetimes are UTC, like Page.fetched_at."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _month_year(text: str) -> str | None:
    """'maj 2019' -> '2019-05': a month-only date stays month-only (ISO 8601 YYYY-MM)."""
    match = MONTH_YEAR.search(text)
    if not match:
        return None
    year = int(match.group("y"))
    if not _plausible_year(year):
        return None
    return f"{year:04d}-{MONTHS[match.group('mw').lower()]:02d}"


def _fallback(text: str, now: datetime | None) -> str | None:
    """dateparser for forms the grammar does not know.

    Only tried when the text has a year, a day-sized number and a word that may name a month,
    and no Polish month name (those the grammar reads), which keeps it off the common path;
    "się" is removed first (dateparser reads it as August).
    """
    if not (YEAR.search(text) and DAY_NUMBER.search(YEAR.sub(" ", text)) and WORD.search(text)):
        return None
    if MONTH_WORD.search(text):  # a Polish month the grammar already read and found invalid
        return None
    import dateparser  # slow to import and rarely needed

    settings = {
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RELATIVE_BASE": (now or datetime(2000, 1, 1)).replace(tzinfo=None),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    found = dateparser.parse(SIE.sub(" ", text), languages=["pl", "en"], settings=settings)
    if found is None or not _plausible_year(found.year):
        return None
    if found.time() == datetime.min.time():
        return found.date().isoformat()
    return found.replace(tzinfo=WARSAW).isoformat(timespec="seconds")


# --- page level -----------------------------------------------------------------------------

CHROME_HINT = re.compile("|".join(map(re.escape, rules.CHROME_ELEMENT_HINTS)), re.IGNORECASE)
DATE_ELEMENT_HINT = re.compile("|".join(map(re.escape, rules.DATE_ELEMENT_HINTS)), re.IGNORECASE)
JSON_LD_LOOSE = re.compile(
    r"[\"'](?P<key>" + "|".join(rules.JSON_LD_DATE_KEYS) + r")[\"']\s*:\s*[\"'](?P<value>[^\"']+)"
)
TIME_HINT = re.compile("|".join(map(re.escape, rules.TIME_CLASS_HINTS)), re.IGNORECASE)
CONTENT_TAGS = {"article", "main"}
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def page_dates(html: str, date_lines: list[str], now: datetime | None = None,
               changes: list[str] = ()) -> PageDates:
    """A page's published/updated/created dates from its date lines and machine-readable data.

    Labelled lines win, then machine-readable metadata, then the first unlabelled date line
    (counted as published); short date-classed elements of the page are read only when all
    of these are silent. Lines that sit in page furniture (clocks, name days, footers) are
    ignored. `changes` are the dates of the page's change register (scraper/dates/change_register.py):
    its latest change, when later than the first entry and the publication, is an update.
    """
    tree = html_tree(html)
    chrome = ChromeText(tree)
    picks = _picks(date_lines, "line", chrome, now, _machine_dates(tree, chrome))
    if not picks and tree is not None:
        picks = _picks(_date_elements(tree, chrome), "page element", chrome, now, {})
    _add_register_update(picks, changes)
    return PageDates(
        published=picks.get("published", (None,))[0],
        updated=picks.get("updated", (None,))[0],
        created=picks.get("created", (None,))[0],
        evidence=_evidence(picks),
    )


def _picks(lines, source, chrome, now, machine) -> dict[str, tuple[str, str]]:
    labelled, guesses = _line_dates(lines, source, chrome, now)
    picks = dict(labelled)
    for kind, (iso, where) in machine.items():
        picks[kind] = _more_precise(picks[kind], (iso, where)) if kind in picks else (iso, where)
    if "published" not in picks and guesses:
        picks["published"] = guesses[0]
    return picks


def _line_dates(date_lines, source, chrome, now):
    labelled, guesses = {}, []
    for line in map(normalise, date_lines):
        mentions = parse_labelled(line, now)
        if chrome.hides(line, clock_like=_clock_like(mentions, now)):
            continue
        for mention in mentions:
            if mention.kind:
                labelled.setdefault(mention.kind, (mention.iso, f"{source} {line!r}"))
            elif _plausible_guess(line, mention.iso, now):
                guesses.append((mention.iso, f"unlabelled {source} {line!r}"))
    return labelled, guesses


def _clock_like(mentions: list[DateMention], now: datetime | None) -> bool:
    """Unlabelled and showing the fetch day (any day when the fetch time is unknown)."""
    if any(m.kind for m in mentions):
        return False
    if now is None:
        return True
    today = _as_utc(now).astimezone(WARSAW).date().isoformat()
    return any(m.iso[:10] == today for m in mentions)


def _plausible_guess(line: str, iso: str, now: datetime | None) -> bool:
    """An unlabelled line is the publication date unless it is prose, a future event or only a
    month ("Sprawozdanie za maj 2019" names the period reported on, not the day of publication)."""
    if len(iso) < len("YYYY-MM-DD") or len(line.split()) > rules.MAX_UNLABELLED_LINE_WORDS:
        return False
    if now is None:
        return True
    latest = _as_utc(now).astimezone(WARSAW).date() + timedelta(days=rules.MAX_FUTURE_DAYS)
    return iso[:10] <= latest.isoformat()


def _add_register_update(picks: dict, changes: list[str]) -> None:
    """The register's latest change becomes `updated` when it is later than the register's first
    entry (the document's creation), the publication and any update the page shows itself."""
    if not changes:
        return
    first = latest = changes[0]
    for change in changes[1:]:
        first = change if _is_later(first, change) else first
        latest = change if _is_later(change, latest) else latest
    baselines = [first] + [picks[kind][0] for kind in ("published", "updated") if kind in picks]
    if all(_is_later(latest, baseline) for baseline in baselines):
        picks["updated"] = (latest, f"change register ({len(changes)} dated entries)")


def _is_later(a: str, b: str) -> bool:
    """Whether ISO date `a` is later than `b`; on the same day only when both show a time."""
    if a[:10] != b[:10] or len(a) <= 10 or len(b) <= 10:
        return a[:10] > b[:10]
    return datetime.fromisoformat(a) > datetime.fromisoformat(b)


def _more_precise(chosen, other):
    """Keep the chosen date, but take the other's time when both name the same day."""
    if len(chosen[0]) == 10 and len(other[0]) > 10 and other[0][:10] == chosen[0]:
        return other[0], f"{chosen[1]} + time from {other[1]}"
    return chosen


def _evidence(picks) -> str:
    parts = [f"{kind}: {picks[kind][1]}" for kind in ("published", "updated", "created") if kind in picks]
    if "published" not in picks:
        parts.append("no publication date" + ("; updated only" if "updated" in picks else ""))
    return "; ".join(parts)


def html_tree(html: str):
    if not html or not html.strip():
        return None
    import lxml.html

    try:  # lxml refuses str input that declares an encoding (XHTML's <?xml ... ?>)
        return lxml.html.document_fromstring(XML_DECLARATION.sub("", html, count=1))
    except Exception:  # lxml raises several types for broken or empty documents
        return None


class ChromeText:
    """The text of page furniture (site header, footer, nav, clock and name-day widgets)."""

    def __init__(self, tree):
        self.elements = _chrome_elements(tree) if tree is not None else []
        self.marked = set(self.elements)
        self.chrome = " | ".join(normalise(el.text_content()) for el in self.elements)
        self.full = normalise(tree.text_content()) if tree is not None else ""

    def hides(self, line: str, clock_like: bool) -> bool:
        """A line is furniture when all its occurrences lie in furniture, or when it looks like
        a clock (today's date, unlabelled) and furniture shows it too."""
        inside = self.chrome.count(line)
        return inside > 0 and (clock_like or self.full.count(line) <= inside)

    def contains(self, element) -> bool:
        marked = self.marked
        return element in marked or any(a in marked for a in element.iterancestors())


def _chrome_elements(tree) -> list:
    found = [el for el in tree.iter() if isinstance(el.tag, str) and _is_chrome(el)]
    marked = set(found)
    return [el for el in found if not any(a in marked for a in el.iterancestors())]


def _is_chrome(element) -> bool:
    hints = f"{element.get('class', '')} {element.get('id', '')}"
    if hints.strip() and CHROME_HINT.search(hints):
        return True
    return element.tag in rules.CHROME_TAGS and not any(
        a.tag in CONTENT_TAGS for a in element.iterancestors()
    )


def _date_elements(tree, chrome) -> list[str]:
    """Text of short elements whose class/id names a date, outside furniture, in page order."""
    lines = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        hints = f"{element.get('class', '')} {element.get('id', '')}"
        if hints.strip() and DATE_ELEMENT_HINT.search(hints) and not chrome.contains(element):
            text = normalise(element.text_content())
            if 0 < len(text) <= rules.MAX_DATE_ELEMENT_CHARS and text not in lines:
                lines.append(text)
    return lines


def _machine_dates(tree, chrome) -> dict[str, tuple[str, str]]:
    """Dates from JSON-LD, meta tags, itemprop and <time datetime>, first source wins."""
    found = {}
    if tree is None:
        return found
    for kind, iso, where in _machine_candidates(tree, chrome):
        found.setdefault(kind, (iso, where))
    return found


def _machine_candidates(tree, chrome):
    yield from _json_ld_dates(tree)
    for element in tree.xpath("//meta[@name or @property or @itemprop] | //*[@itemprop or @property]"):
        key = _first_date_key(element.get("property") or element.get("name") or element.get("itemprop"))
        value = element.get("datetime") or element.get("content") or element.text_content()
        yield from _dated(rules.META_DATE_KEYS.get(key), value, f"{element.tag} {key}")
    for element in tree.iter("time"):
        if element.get("datetime") and not chrome.contains(element):
            yield from _dated(_time_kind(element), element.get("datetime"), "<time datetime>")


def _first_date_key(keys: str | None) -> str | None:
    """property/itemprop may hold several names ("dc:date dc:created"): the first date one."""
    return next((key for key in (keys or "").lower().split() if key in rules.META_DATE_KEYS), None)


def _time_kind(element) -> str:
    if element.get("pubdate") is not None:
        return "published"
    hint = TIME_HINT.search(f"{element.get('class', '')} {element.get('itemprop', '')}")
    return rules.TIME_CLASS_HINTS[hint.group(0).lower()] if hint else "published"


def _dated(kind, value, where):
    if kind and value:
        iso = _explicit_date(normalise(value))
        if iso:
            yield kind, iso, where


def _json_ld_dates(tree):
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        for key, value in _json_ld_pairs(script.text_content()):
            yield from _dated(rules.JSON_LD_DATE_KEYS[key], value, f"JSON-LD {key}")


def _json_ld_pairs(text: str) -> list[tuple[str, str]]:
    try:
        data = json.loads(text, strict=False)
    except ValueError:  # hand-written JSON-LD: single quotes, trailing commas
        return [(m.group("key"), m.group("value")) for m in JSON_LD_LOOSE.finditer(text)]
    nodes = sorted(_json_nodes(data), key=lambda node: not _preferred_type(node.get("@type")))
    return [
        (key, node[key])
        for node in nodes
        for key in rules.JSON_LD_DATE_KEYS
        if isinstance(node.get(key), str)
    ]


def _preferred_type(types) -> bool:
    names = types if isinstance(types, list) else [types]
    return any(isinstance(n, str) and part in n for n in names for part in rules.JSON_LD_PREFERRED_TYPES)


def _json_nodes(data):
    if isinstance(data, list):
        for item in data:
            yield from _json_nodes(item)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, (list, dict)):
                yield from _json_nodes(value)

