"""Polish dates -> ISO 8601: a fast grammar for the forms of Polish municipal and BIP pages.

`parse_date` reads one (possibly labelled) date string, `parse_labelled` tells published,
updated and created apart on one line, `page_dates` picks a page's dates from the date evidence
the clean stage gathered (scraper/extract/evidence.py): it parses no HTML. The vocabulary lives
in scraper/vocabulary.py (shared with the clean stage) and scraper/dates/rules.py; dateparser is
only a fallback for forms the grammar does not know.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from urllib.parse import parse_qsl, unquote, urlsplit
from zoneinfo import ZoneInfo

from scraper.dates import rules
from scraper.items import DateEvidence, MachineDate
from scraper.text import normalise_text
from scraper.vocabulary import ARTICLE_DATE_KINDS, ASCII_FOLD

WARSAW = ZoneInfo("Europe/Warsaw")


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
    unreadable: int = 0  # machine-readable date values that held no date we can read


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


def _ascii_digits(pattern: str) -> str:
    r"""`\d` as [0-9]: Python's \d matches any Unicode digit ("২০২০"), which no date of ours is
    written in, and which int() and the offset reader would then have to cope with."""
    out, in_class, escaped = [], False, False
    for index, char in enumerate(pattern):
        if escaped:
            out.append(("0-9" if in_class else "[0-9]") if char == "d" else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            in_class = (in_class or char == "[") and not (in_class and char == "]" and pattern[index - 1] != "[")
            out.append(char)
    return "".join(out)


def _compile(pattern: str, flags=re.IGNORECASE) -> re.Pattern:
    return re.compile(_ascii_digits(pattern), flags)


def _month_table(*tables) -> dict:
    months: dict = {}
    for table in tables:
        for month, words in table.items():
            for word in words:
                assert months.setdefault(word, month) == month, f"{word!r} names two months"
    return _with_folded(months)


MONTHS = _month_table(rules.MONTH_NAMES, rules.MONTH_ABBREVIATIONS, rules.FOREIGN_MONTH_NAMES)
DAYS_BACK = _with_folded(rules.RELATIVE_DAY_WORDS)
UNITS = _with_folded(rules.RELATIVE_UNITS)
NUMBERS = _with_folded(rules.NUMBER_WORDS)
WEEKDAY_NUMBERS = _with_folded({word: day for day, words in rules.WEEKDAYS.items() for word in words})
_FULL_MONTHS = _alternation(w for words in rules.MONTH_NAMES.values() for w in words)
_GENITIVE_MONTHS = _alternation(words[1] for words in rules.MONTH_NAMES.values())
_ANY_MONTH = _alternation(MONTHS)
# Month before the day ("marzec 12, 2024", "Mar 12, 2024"): nominative Polish names and the
# foreign ones; Polish abbreviations are left out ("sie 14, 2020" is "się" without diacritics).
_MONTH_FIRST = _alternation([*(words[0] for words in rules.MONTH_NAMES.values()),
                             *(w for words in rules.FOREIGN_MONTH_NAMES.values() for w in words)])
_ROMAN = "|".join(sorted(rules.ROMAN_MONTHS, key=len, reverse=True))
_NO_DIGIT_BEFORE = r"(?<![\d.\-/:])"
_NO_DIGIT_AFTER = r"(?![\d]|[.\-/]\d)"
# A time's zone: a numeric offset ("+0200", "GMT+2"), "Z", or a name of rules.TIME_ZONE_NAMES.
_UPPER_ZONES = [name for name in rules.TIME_ZONE_NAMES if name.isupper()]
_WORD_ZONES = [name for name in rules.TIME_ZONE_NAMES if not name.isupper()]
_OFFSET = (
    r"(?P<tz>(?-i:GMT|UTC)\s?[+-]\d{1,2}(?::?\d{2})?(?!\d)|[+-]\d{2}:?\d{2}"
    r"|(?-i:Z|" + _alternation(_UPPER_ZONES) + r")(?![^\W\d_])|" + _alternation(_WORD_ZONES) + r"(?!\w))"
)
_ORDINAL = r"(?:-go|\.|st|nd|rd|th)?"

DATE_FORMS = {  # form -> pattern; tried as one alternation, leftmost match first
    "range": (  # od 3 do 5 maja 2020, 3–5.05.2020, 30.04–3.05.2020: the start of the range
        r"(?<![\w.\-/:])(?:od\s+)?(?P<d>\d{1,2})(?:\.(?P<m>\d{1,2})\.?)?\s*(?:[-–—]|do)\s*"
        r"(?P<d2>\d{1,2})(?:(?P<sep>[./])(?P<m2>\d{1,2})(?P=sep)|\s+(?P<mw>" + _FULL_MONTHS + r")\s*,?\s*)"
        r"(?P<y>\d{4})(?!\d)"
    ),
    "iso": (  # 2012-05-22, 2012-05-22T11:41:00+02:00, 2020.03.03, 2021-05-04 13:20:05 +0000
        _NO_DIGIT_BEFORE + r"(?P<y>\d{4})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
        r"(?:[T ]\s*(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:[.,]\d+)?"
        r"(?:\s?" + _OFFSET + r")?)?" + _NO_DIGIT_AFTER
    ),
    "basic": (  # ISO 8601 basic: 20210504T132005+0200
        _NO_DIGIT_BEFORE + r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})T(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})?"
        r"(?:[.,]\d+)?" + _OFFSET + r"?(?!\d)"
    ),
    "dmy": (  # 16.11.2023, 21.11.24, 03-03-2020
        _NO_DIGIT_BEFORE + r"(?P<d>\d{1,2})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)"
        r"(?P<y>\d{4}|\d{2})" + _NO_DIGIT_AFTER
    ),
    "words": (  # 3 marca 2020, 03, marzec 2020, 26 lip 2021, 3-go mar. 2020, 4 May 2021, 12. März 2024
        r"(?<![\d\w])(?P<d>\d{1,2})" + _ORDINAL + r"\s*,?\s*(?:of\s+)?(?P<mw>" + _ANY_MONTH + r")\.?"
        r"(?!\w)\s*,?\s*(?P<y>\d{4})(?!\d)"
    ),
    "mdy": (  # marzec 12, 2024; Mar 12, 2024; March 3rd, 2020
        r"(?<![\w])(?P<mw>" + _MONTH_FIRST + r")\.?\s+(?P<d>\d{1,2})" + _ORDINAL + r"\s*,?\s+(?P<y>\d{4})(?!\d)"
    ),
    "roman": (  # 3 III 2020, 15.XI.2019 (upper case only: "i" is a word; not "8/II/2024", a number)
        r"(?<![\d\w])(?P<d>\d{1,2})\s*[.\- ]\s*(?-i:(?P<rm>" + _ROMAN + r"))\s*[.\- ]\s*"
        r"(?P<y>\d{4})(?!\d)"
    ),
}


def _date_alternation() -> re.Pattern:
    """One regex for all forms; each form's groups get the form as suffix (d_iso, d_dmy...)."""
    forms = []
    for form, pattern in DATE_FORMS.items():
        pattern = re.sub(r"\(\?P<(\w+)>", rf"(?P<\1_{form}>", pattern)
        forms.append(f"(?P<{form}>" + re.sub(r"\(\?P=(\w+)\)", rf"(?P=\1_{form})", pattern) + ")")
    return _compile("|".join(forms))


DATE = _date_alternation()
FORM_GROUPS = {  # form -> (short group names, full group names): "d" and "d_iso"
    form: tuple(zip(*[(name[: -len(form) - 1], name) for name in DATE.groupindex
                      if name.endswith("_" + form)]))
    for form in DATE_FORMS
}
RANGE = _compile(DATE_FORMS["range"])
MONTH_YEAR = _compile(  # not after a day number: "30 lutego 2020" is no date at all
    r"(?<![\w.])(?<!\d\s)(?P<mw>" + _FULL_MONTHS + r")\s+(?P<y>\d{4})(?!\d)"
)
_HOUR = r"(?:[01]?\d|2[0-3])"
_AM_PM = r"(?:\s*(?P<ampm>a|p)\.?\s?m\b\.?)?"  # English pages: "11:08 a.m.", "7:07 PM"
_WEEKDAY_IN_BRACKETS = r"(?:\(\s*[^\W\d_]{2,13}\.?\s*\)\s*)?"
TIME_AFTER = _compile(  # 3 marca 2024 · 12:30, (12:30), o godzinie 17:00, (wtorek) godz. 9:00, , 12.30
    r"\s*(?:r\.|roku|rok)?\s*" + _WEEKDAY_IN_BRACKETS + r"[,\-–—•|·/]?\s*\(?\s*(?:o\s+|od\s+|um\s+|at\s+)?"
    r"(?:godz(?:ina|inie|iny|\.)?\s*:?\s*(?P<hg>" + _HOUR + r")[:.](?P<mg>[0-5]\d)"
    r"|(?P<h>" + _HOUR + r"):(?P<mi>[0-5]\d)"
    r"|(?P<hd>" + _HOUR + r")\.(?P<md>[0-5]\d)(?![\d.\-/]))"
    r"(?::(?P<s>[0-5]\d))?(?!\d)" + _AM_PM + r"(?:\s*\(?\s*" + _OFFSET + r"(?!\w))?"
)
TIME_BEFORE = _compile(r"(?<!\d)(?P<h>\d{1,2}):(?P<mi>\d{2})\s*[,|\-–]?\s*$")
RELATIVE_DAY = _compile(
    r"(?<!\w)(?P<word>" + _alternation(rules.RELATIVE_DAY_WORDS) + r")(?!\w)"
)
RELATIVE_AGO = _compile(
    r"(?<!\w)(?:(?P<n>\d{1,3}|" + _alternation([*rules.NUMBER_WORDS, *rules.VAGUE_COUNTS])
    + r")\s*)?"
    r"(?P<unit>" + _alternation(rules.RELATIVE_UNITS) + r")\s*temu(?!\w)"
)
JUST_NOW = _compile(r"(?<!\w)(?:" + _alternation(rules.JUST_NOW) + r")(?!\w)")
RELATIVE_HINT = _compile(r"temu|dzi|wcz|onegdaj|chwil|moment|teraz")
YEARLESS = _compile(  # 14 marca, 3 lutego, 12:30; 12 marca br.; 12 bm.
    r"(?<![\w.\-/:])(?P<d>\d{1,2})(?:-go|\.)?\s*(?:(?P<mw>" + _GENITIVE_MONTHS + r")(?!\w)"
    r"(?P<rest>\s*,?\s*(?:\d{4}|\d{2})(?![\d:.]))?"
    r"(?:\s*(?P<this_year>" + _alternation(rules.THIS_YEAR) + r")(?!\w))?"
    r"|(?P<this_month>" + _alternation(rules.THIS_MONTH) + r")(?!\w))"
)
WEEKDAY = _compile(r"(?<!\w)(?P<wd>" + _alternation(WEEKDAY_NUMBERS) + r")(?!\w)")
NUMBER_MARKER = _compile(r"(?<!\w)(?:" + _alternation(rules.NUMBER_MARKERS) + r")\s*$")
LABEL = _compile(
    r"(?<!\w)(?P<label>" + _alternation(w for words in rules.LABELS.values() for w in words)
    + r")(?!\w)\s*:?"
)
LABEL_KINDS = _with_folded({word: kind for kind, words in rules.LABELS.items() for word in words})
YEAR = _compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
DAY_NUMBER = _compile(r"(?<!\d)(?:[1-9]|[0-2]\d|3[01])(?!\d)")
WORD = re.compile(r"[^\W\d_]{3,}")
MONTH_WORD = _compile(r"(?<!\w)(?:" + _ANY_MONTH + r")(?!\w)")
SIE = re.compile(r"(?<!\w)si[eę](?!\w)", re.IGNORECASE)
ADDRESS_DATES = (  # in a page's address, in this order: a day, a day in 8 digits, a month (/2021/05/)
    _compile(r"(?<!\d)(?P<y>\d{4})(?P<sep>[/\-_.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"),
    _compile(r"(?<!\d)(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?!\d)"),  # a longer number is an id
    _compile(r"(?<!\d)(?P<y>\d{4})/(?P<m>\d{1,2})(?=/(?!\d)|$)"),
)
EPOCH = re.compile(r"[0-9]{10}(?:[0-9]{3})?")  # og:updated_time and kin as Unix seconds (or ms)


normalise = normalise_text  # the dates grammar reads text as every stage does (scraper/text.py)


def parse_date(text: str, now: datetime | None = None, month_first: str = "") -> str | None:
    """One date string (possibly labelled) -> ISO 8601, or None when it holds no date."""
    mentions = parse_labelled(text, now, month_first)
    return mentions[0].iso if mentions else None


def parse_labelled(text: str, now: datetime | None = None, month_first: str = "") -> list[DateMention]:
    """Every dated field of a line, each with the kind its label gives (None when unlabelled).

    `month_first`: the separators with which the page writes numeric dates month first ("/" on
    an English page: 05/04/2021 is 4 May; rules.MONTH_FIRST_LOCALES); others are day first."""
    text = normalise(text)
    segments = _labelled_segments(text)
    has_chrome = any(kind == "chrome" for kind, _ in segments)
    mentions = []
    for kind, segment in segments:
        if kind == "chrome" or (kind is None and has_chrome):
            continue
        iso = _parse_segment(segment, now, month_first)
        if iso:
            mentions.append(DateMention(kind, iso))
    return mentions


def _labelled_segments(text: str) -> list[tuple[str | None, str]]:
    """Split a line at its labels: [(kind or None, text up to the next label)]."""
    segments, kind, start = [], None, 0
    for match in LABEL.finditer(text):
        segments.append((kind, text[start:match.start()]))
        kind, start = LABEL_KINDS[match.group("label").lower()], match.end()
    segments.append((kind, text[start:]))
    return [(kind, segment) for kind, segment in segments if segment.strip() or kind]


def _parse_segment(text: str, now: datetime | None, month_first: str = "") -> str | None:
    return (
        _explicit_date(text, month_first)
        or _relative_date(text, now)
        or _yearless_date(text, now)
        or _month_year(text)
        or _fallback(text, now)
    )


def _explicit_date(text: str, month_first: str = "") -> str | None:
    for match in DATE.finditer(text):
        if NUMBER_MARKER.search(text, max(match.start() - 20, 0), match.start()):
            continue  # "Uchwała nr 8/II/2024", "Zarządzenie Nr 12.05.2020": an identifier
        short, full = FORM_GROUPS[match.lastgroup]
        groups = {name: value for name, value in zip(short, match.group(*full)) if value}
        if match.lastgroup == "dmy":
            groups = _numeric_order(groups, month_first)
        day = _valid_day(groups)
        if day is None:
            continue
        if groups.get("h"):
            return _iso_with_time(day, groups, groups.get("tz"))
        return _with_time_near(day, text, match)
    return None


def _numeric_order(groups: dict, month_first: str) -> dict:
    """Day and month of 05/04/2021 in the page's order: month first when the page writes its
    separator so, or when the second number cannot be a month (04/13/2021); day first otherwise,
    and always when the first number cannot be a month (13/04/2021)."""
    first, second = int(groups["d"]), int(groups["m"])
    if first <= 12 and (groups["sep"] in month_first or second > 12):
        return groups | {"d": groups["m"], "m": groups["d"]}
    return groups


def _valid_day(groups: dict) -> date | None:
    """The date the groups of a match name; for a range, its first day."""
    if "mw" in groups:
        month = MONTHS[groups["mw"].lower()]
    elif "rm" in groups:
        month = rules.ROMAN_MONTHS[groups["rm"]]
    else:
        month = int(groups.get("m2") or groups["m"])
    year = _full_year(groups["y"])
    if not _plausible_year(year):
        return None
    try:
        end = date(year, month, int(groups.get("d2") or groups["d"]))
        if "d2" not in groups:
            return end
        start_month = int(groups.get("m") or month)
        start = date(year - (start_month > end.month), start_month, int(groups["d"]))
    except ValueError:
        return None
    return start if start < end else None


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
    if not time:
        return day.isoformat()
    return _iso_with_time(day, time.groupdict(), time.groupdict().get("tz"))


def _iso_with_time(day: date, groups: dict, tz: str | None = None) -> str:
    """Date and time in Warsaw time; a time shown with an offset is converted to Warsaw's."""
    hour = groups.get("h") or groups.get("hg") or groups.get("hd")
    minute = groups.get("mi") or groups.get("mg") or groups.get("md")
    second = int(groups.get("s") or 0)
    hour = _twenty_four(int(hour), (groups.get("ampm") or "").lower())
    if hour is None or int(minute) > 59 or second > 59:
        return day.isoformat()
    zone = _zone(tz) if tz else WARSAW
    if zone is None:  # an offset no clock has: the day stands, the time is unknown
        return day.isoformat()
    moment = datetime(day.year, day.month, day.day, hour, int(minute), second, tzinfo=zone)
    return moment.astimezone(WARSAW).isoformat(timespec="seconds")


def _twenty_four(hour: int, am_pm: str) -> int | None:
    """The hour on a 24-hour clock; "12 a.m." is midnight, "12 p.m." noon; None for no hour."""
    if not am_pm:
        return hour if hour <= 23 else None
    if not 1 <= hour <= 12:
        return None
    return hour % 12 + (12 if am_pm == "p" else 0)


def _zone(tz: str) -> tzinfo | None:
    """The zone a time is shown in: "Z", "+0200", "GMT+2", "-05:30" as the fixed offset written
    (the text's own, never replaced), a name of rules.TIME_ZONE_NAMES as its offset or its region's
    clock; None for an offset beyond the world's (±14:00) or with 60 minutes or more."""
    if tz == "Z":
        return timezone.utc
    named = ZONE_NAMES.get(tz) or ZONE_NAMES.get(" ".join(tz.lower().split()))
    return named or _fixed_offset(tz.upper().removeprefix("GMT").removeprefix("UTC").strip())


def _fixed_offset(offset: str) -> timezone | None:
    """"+0200", "+02:00", "+2", "-530" as a fixed offset; None beyond ±14:00 or past 59 minutes."""
    digits = offset[1:]
    if ":" in digits:
        hours, minutes = map(int, digits.split(":"))
    else:
        hours, minutes = (int(digits), 0) if len(digits) <= 2 else (int(digits[:-2]), int(digits[-2:]))
    if hours > rules.MAX_OFFSET_HOURS or minutes > 59:
        return None
    return timezone(timedelta(minutes=(-1 if offset[0] == "-" else 1) * (hours * 60 + minutes)))


def _zone_table() -> dict[str, tzinfo]:
    """rules.TIME_ZONE_NAMES as tzinfo: upper-case names as written, the others in lower case."""
    table = {}
    for name, value in rules.TIME_ZONE_NAMES.items():
        zone = _fixed_offset(value) if value[0] in "+-" else ZoneInfo(value)
        forms = (name,) if name.isupper() else (name.lower(), name.lower().translate(ASCII_FOLD))
        table.update(dict.fromkeys(forms, zone))
    return table


ZONE_NAMES = _zone_table()


def _relative_date(text: str, now: datetime | None) -> str | None:
    if now is None or not RELATIVE_HINT.search(text):
        return None
    local = _as_utc(now).astimezone(WARSAW)
    if JUST_NOW.search(text):
        return local.replace(second=0, microsecond=0).isoformat(timespec="seconds")
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
    return _moment_back(local, count, UNITS[ago.group("unit").lower()])


def _moment_back(local: datetime, count: float, unit: str) -> str:
    """`count` units before the local fetch time: to the minute for seconds, minutes and hours,
    to the day for longer units."""
    if unit in ("seconds", "minutes", "hours"):
        moment = (local - timedelta(**{unit: count})).replace(second=0, microsecond=0)
        return moment.isoformat(timespec="seconds")
    if unit in ("days", "weeks"):
        return (local.date() - timedelta(**{unit: count})).isoformat()
    months = round(count * (12 if unit == "years" else 1))
    return _months_back(local.date(), months).isoformat()


def _count(word: str | None) -> float | None:
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


def _yearless_date(text: str, now: datetime | None) -> str | None:
    """"14 marca", "4 stycznia o 13:50": the latest such day not after the fetch, as a news
    listing means it; "12 marca br." this year's, "12 bm." this month's. A weekday that names
    another day ("w środę 6 kwietnia" when 6 April was a Sunday) is of another year: no date."""
    if now is None:
        return None
    today = _as_utc(now).astimezone(WARSAW).date()
    for match in YEARLESS.finditer(text):
        if match.group("rest") or NUMBER_MARKER.search(text, max(match.start() - 20, 0), match.start()):
            continue  # a year the grammar did not take ("30 lutego 2020"), or an identifier
        day = _yearless_day(match, today)
        if day is None or not _weekday_agrees(text[:match.start()], day):
            continue
        return _with_time_near(day, text, match)
    return None


def _yearless_day(match: re.Match, today: date) -> date | None:
    number = int(match.group("d"))
    try:
        if match.group("this_month"):
            return date(today.year, today.month, number)
        month = MONTHS[match.group("mw").lower()]
        if match.group("this_year"):
            return date(today.year, month, number)
    except ValueError:
        return None
    for year in range(today.year, today.year - 8, -1):  # 29 February: back to a leap year
        try:
            day = date(year, month, number)
        except ValueError:
            continue
        if day <= today:
            return day
    return None


def _weekday_agrees(before: str, day: date) -> bool:
    words = WEEKDAY.findall(before[-20:])
    return not words or WEEKDAY_NUMBERS[words[-1].lower()] == day.weekday()


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
    and no month name the grammar knows (those it reads), which keeps it off the common path;
    "się" is removed first (dateparser reads it as August). A time with an offset is converted to
    Warsaw time, a time without one is Warsaw's.
    """
    if not (YEAR.search(text) and DAY_NUMBER.search(YEAR.sub(" ", text)) and WORD.search(text)):
        return None
    if MONTH_WORD.search(text):  # a month the grammar already read and found invalid
        return None
    import dateparser  # slow to import and rarely needed

    settings = {
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RELATIVE_BASE": (now or datetime(2000, 1, 1)).replace(tzinfo=None),
        "TIMEZONE": "Europe/Warsaw",
        "RETURN_AS_TIMEZONE_AWARE": True,
    }
    try:
        found = dateparser.parse(SIE.sub(" ", text), languages=["pl", "en"], settings=settings)
    except Exception:  # dateparser has raised on odd input (overflows, its own regex errors)
        return None
    if found is None or not _plausible_year(found.year):
        return None
    local = found.astimezone(WARSAW)
    if found.time() == datetime.min.time():
        return found.date().isoformat()
    return local.isoformat(timespec="seconds")


# --- page level -----------------------------------------------------------------------------


def page_dates(evidence: DateEvidence | None, now: datetime | None = None) -> PageDates:
    """A page's published/updated/created dates from the evidence the clean stage gathered.

    Labelled lines win, then machine-readable dates, then the first unlabelled date line (counted
    as published); short date-classed elements, then the furniture's labelled lines, are read only
    when all of these are silent. The
    change register's latest change, when later than its first entry and the publication, is an
    update. Page furniture (footers, menus) never reaches the evidence; a line that the furniture
    shows too and that names the fetch day is a clock's. Numeric dates are read in the order of
    the page's declared language (rules.MONTH_FIRST_LOCALES). A date in the page's address is the
    publication date only when the page names none itself.
    """
    evidence = DateEvidence.of(evidence)
    month_first = rules.MONTH_FIRST_LOCALES.get(evidence.language, "")
    machine, unreadable = _machine_dates(evidence.machine, month_first)
    furniture = {normalise(line) for line in evidence.in_furniture}
    picks = _picks(evidence.lines, "line", now, machine, furniture, month_first)
    if not picks:
        picks = _picks(evidence.elements, "page element", now, {}, furniture, month_first)
    if not picks:
        picks = _furniture_picks(evidence.furniture_lines, now, month_first)
    _add_register_update(picks, register_changes(evidence.register_rows))
    _add_address_date(picks, evidence.url, now)
    return PageDates(
        published=picks.get("published", (None,))[0],
        updated=picks.get("updated", (None,))[0],
        created=picks.get("created", (None,))[0],
        evidence=_evidence(picks),
        unreadable=unreadable,
    )


def register_changes(rows: list[str]) -> list[str]:
    """The date (ISO 8601) of each dated row of a change register, in page order."""
    changes = []
    for row in rows:
        mentions = parse_labelled(row)
        if mentions:
            changes.append(mentions[0].iso)
    return changes


def _picks(lines, source, now, machine, furniture, month_first="") -> dict[str, tuple[str, str]]:
    labelled, guesses = _line_dates(lines, source, now, furniture, month_first)
    picks = dict(labelled)
    for kind, (iso, where) in machine.items():
        picks[kind] = _more_precise(picks[kind], (iso, where)) if kind in picks else (iso, where)
    if "published" not in picks and guesses:
        picks["published"] = guesses[0]
    return picks


def _furniture_picks(lines: list[str], now: datetime | None, month_first: str = "") -> dict[str, tuple[str, str]]:
    """Labelled dates of the furniture, each kind only when the furniture names one date of it: a
    sidebar's "Data publikacji" is the page's, a list of other articles' "Dodano" dates is not."""
    found: dict[str, dict[str, str]] = {}
    for line in map(normalise, lines):
        for mention in parse_labelled(line, now, month_first):
            if mention.kind:
                found.setdefault(mention.kind, {}).setdefault(mention.iso, f"furniture line {line!r}")
    return {kind: next(iter(dates.items())) for kind, dates in found.items() if len(dates) == 1}


def _line_dates(date_lines, source, now, furniture: set[str], month_first=""):
    labelled, guesses = {}, []
    for line in map(normalise, date_lines):
        mentions = parse_labelled(line, now, month_first)
        if line in furniture and _clock_like(mentions, now):
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
    month ("Sprawozdanie za maj 2019" names the period reported on, not the day of publication).
    A date without a year ("14 marca, 12:30", "5 min temu") dates a page unlabelled only when the
    line is that date alone; a range of days never does."""
    if len(iso) < len("YYYY-MM-DD") or len(line.split()) > rules.MAX_UNLABELLED_LINE_WORDS:
        return False
    if not YEAR.search(line) and len(line.split()) > rules.MAX_YEARLESS_LINE_WORDS:
        return False  # "Spotkanie 20 marca": an event announced, not the day of publication
    if RANGE.search(line):
        return False  # "12–14.09.2024": the days of an event
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


def _add_address_date(picks: dict, url: str, now: datetime | None) -> None:
    """The date in the page's address, as its publication date when the page names none itself
    and it is neither after the fetch nor after the page's own update date."""
    if "published" in picks or not url:
        return
    found = address_date(url)
    if found is None:
        return
    iso, written = found
    latest = _as_utc(now).astimezone(WARSAW).date() + timedelta(days=rules.MAX_FUTURE_DAYS) if now else None
    if (latest and iso > latest.isoformat()) or ("updated" in picks and _is_later(iso, picks["updated"][0])):
        return
    picks["published"] = (iso, f"the page address ({written!r})")


def address_date(url: str) -> tuple[str, str] | None:
    """(ISO date or month, the part of the address it was read from) of a date written in the
    address's path (/2021/05/04/, /2021-05-04-…, /20210504/, /2021/05/) or in a query value named
    as a date (?date=2021-05-04); None for none, for an impossible one, and for a number that is
    longer than a date (an id such as /news/20210504123/) or whose year is no page's."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1/…": no address a date can be read from
        return None
    values = [unquote(parts.path)] + [value for name, value in parse_qsl(parts.query)
                                      if name.lower() in rules.URL_DATE_PARAMETERS]
    for value in values:
        for pattern in ADDRESS_DATES:
            for match in pattern.finditer(value):
                iso = _address_iso(match)
                if iso:
                    return iso, match.group(0)
    return None


def _address_iso(match: re.Match) -> str | None:
    year = int(match.group("y"))
    if not _plausible_year(year):
        return None
    if "d" not in match.re.groupindex:
        return f"{year:04d}-{int(match.group('m')):02d}" if 1 <= int(match.group("m")) <= 12 else None
    try:
        return date(year, int(match.group("m")), int(match.group("d"))).isoformat()
    except ValueError:
        return None


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


def _machine_dates(found: list[MachineDate], month_first: str = "") -> tuple[dict[str, tuple[str, str]], int]:
    """The first readable date of each kind, in the order the clean stage found them (JSON-LD,
    meta tags, itemprop/RDFa, <time datetime>, hAtom), and how many values held no date."""
    dates, unreadable = {}, 0
    for machine in found:
        iso = machine_date(machine.value, month_first)
        if iso is None:
            unreadable += 1
        elif machine.kind in dates:  # the first stays, with a later one's time for the same day
            dates[machine.kind] = _more_precise(dates[machine.kind], (iso, machine.where))
        elif machine.kind in ARTICLE_DATE_KINDS:
            dates[machine.kind] = (iso, machine.where)
    return dates, unreadable


def machine_date(value: str, month_first: str = "") -> str | None:
    """A date written for machines: ISO 8601 (extended or basic), RFC 2822, or a Unix time."""
    value = normalise(value)
    if EPOCH.fullmatch(value):
        moment = datetime.fromtimestamp(int(value[:10]), timezone.utc)
        return moment.astimezone(WARSAW).isoformat(timespec="seconds") if _plausible_year(moment.year) else None
    return _explicit_date(value, month_first)
