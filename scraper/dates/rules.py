"""Polish date vocabulary as data: relative words, weekdays, chrome markers, machine-readable keys.

scraper/dates/grammar.py builds its regular expressions from these tables; add a word here,
not a branch there. Months and field labels are shared with the clean stage and live in
scraper/vocabulary.py. Words are lower case NFC; forms without diacritics are added automatically.
"""
from scraper import vocabulary


# Months and date labels: the one vocabulary shared with the clean stage (scraper/vocabulary.py).
MONTH_NAMES = vocabulary.MONTH_NAMES
MONTH_ABBREVIATIONS = vocabulary.MONTH_ABBREVIATIONS
FOREIGN_MONTH_NAMES = vocabulary.FOREIGN_MONTH_NAMES
LABELS = vocabulary.DATE_LABELS
ROMAN_MONTHS = {
    "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6,
    "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12,
}

# The change register of a document (BIP "Rejestr zmian"): a separate page, linked from the
# metryczka by one of these texts, with one dated row per change; its latest change is the
# document's update date (scraper/dates/change_register.py).
CHANGE_REGISTER_LINK_TEXTS = (
    "rejestr zmian", "historia zmian", "pokaż rejestr zmian", "pokaż historię zmian",
    "zobacz rejestr zmian", "zobacz historię zmian",
)

# Relative forms, counted back from the fetch time.
RELATIVE_DAY_WORDS = {"dziś": 0, "dzisiaj": 0, "wczoraj": 1, "wcz": 1, "wcz.": 1, "przedwczoraj": 2, "onegdaj": 2}
# The unit of "5 min temu", full or abbreviated as "time ago" widgets write it (the abbreviations
# with and without their dot), and the CLDR fraction forms ("2 dnia temu").
RELATIVE_UNITS = {
    "sekundę": "seconds", "sekundy": "seconds", "sekund": "seconds", "sek": "seconds", "sek.": "seconds",
    "s": "seconds", "s.": "seconds",
    "minutę": "minutes", "minuty": "minutes", "minut": "minutes", "min": "minutes", "min.": "minutes",
    "godzinę": "hours", "godziny": "hours", "godzin": "hours", "godz": "hours", "godz.": "hours",
    "g": "hours", "g.": "hours", "h": "hours",
    "dzień": "days", "dni": "days", "dnia": "days", "dniu": "days",
    "tydzień": "weeks", "tygodnie": "weeks", "tygodni": "weeks", "tygodnia": "weeks",
    "tyg": "weeks", "tyg.": "weeks", "tydz": "weeks", "tydz.": "weeks",
    "miesiąc": "months", "miesiące": "months", "miesięcy": "months", "miesiąca": "months",
    "mies": "months", "mies.": "months", "mc": "months", "mc.": "months",
    "rok": "years", "lata": "years", "lat": "years", "roku": "years",
}
NUMBER_WORDS = {
    "jeden": 1, "jedną": 1, "jedna": 1, "dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4,
    "pięć": 5, "sześć": 6, "siedem": 7, "osiem": 8, "dziewięć": 9, "dziesięć": 10,
    "pół": 0.5, "półtorej": 1.5, "półtora": 1.5,
}
# "przed chwilą", "chwilę temu": the fetch time itself.
JUST_NOW = ("przed chwilą", "chwilę temu", "przed momentem", "moment temu", "właśnie teraz")
WEEKDAYS = vocabulary.WEEKDAYS
# "12 marca br." (bieżącego roku: this year), "12 bm." (bieżącego miesiąca: this month).
THIS_YEAR = ("br.", "b.r.", "br", "b. r.", "bieżącego roku")
THIS_MONTH = ("bm.", "b.m.", "bm", "b. m.", "bieżącego miesiąca")
# Words right before a number that make it an identifier, not a date ("Uchwała nr 8/II/2024").
NUMBER_MARKERS = ("nr", "nr.", "numer", "no.", "sygn.", "sygnatura", "znak", "znak sprawy", "l.dz.",
                  "l. dz.", "dz.u.", "poz.", "druk nr", "§")
# "kilka dni temu": too vague to date.
VAGUE_COUNTS = ("kilka", "kilkanaście", "kilkadziesiąt", "parę", "paręnaście")

# Numeric dates written month first (05/04/2021 is 4 May): the locales that write them so, each with
# the separators it does it with. A page's locale is the one its markup declares (<html lang>,
# og:locale, content-language; scraper/extract/evidence.py: page_language); any other page, or one
# that declares none, is read day first, as Polish and other European pages write. A bare "en" page
# is month first only with slashes: English versions of Polish pages write 05.04.2021 day first.
# Where the first number cannot be a month (13/04/2021), or the second cannot (04/13/2021), the
# order is plain whatever the page's locale.
MONTH_FIRST_LOCALES = {
    "en-us": "/-", "en-ph": "/-", "en-pr": "/-", "en-gu": "/-", "en-as": "/-", "en-vi": "/-", "en-um": "/-",
    "en": "/",
}

# Time zones named after a time ("13:30 EST", "1:30 PM Eastern Time", "12:00 czasu polskiego").
# A value is a fixed offset for a name that states one (EST is -05:00 even in July, CEST +02:00), or
# the clock of a region (an IANA zone) for a name that only names the region ("Eastern Time",
# "czasu polskiego"), so the region's summer time applies on summer days. Upper-case names are
# matched in upper case only ("pt" is Friday, "z" a preposition); the others in any case, with or
# without diacritics. Numeric offsets ("+0200", "GMT+02:00") are read as written.
TIME_ZONE_NAMES = {
    "UTC": "+00:00", "GMT": "+00:00", "UT": "+00:00",
    # Europe
    "CET": "+01:00", "CEST": "+02:00", "MEZ": "+01:00", "MESZ": "+02:00",
    "WET": "+00:00", "WEST": "+01:00", "BST": "+01:00",
    "EET": "+02:00", "EEST": "+03:00", "MSK": "+03:00",
    "czasu polskiego": "Europe/Warsaw", "czasu warszawskiego": "Europe/Warsaw",
    "czasu lokalnego": "Europe/Warsaw",
    "czasu środkowoeuropejskiego": "+01:00", "czasu środkowoeuropejskiego letniego": "+02:00",
    "Central European Time": "+01:00", "Central European Summer Time": "+02:00",
    "Polish time": "Europe/Warsaw", "Warsaw time": "Europe/Warsaw",
    # North America
    "EST": "-05:00", "EDT": "-04:00", "ET": "America/New_York",
    "CST": "-06:00", "CDT": "-05:00", "CT": "America/Chicago",
    "MST": "-07:00", "MDT": "-06:00", "MT": "America/Denver",
    "PST": "-08:00", "PDT": "-07:00", "PT": "America/Los_Angeles",
    "AKST": "-09:00", "AKDT": "-08:00", "HST": "-10:00",
    "Eastern Time": "America/New_York", "Eastern Standard Time": "-05:00", "Eastern Daylight Time": "-04:00",
    "Central Time": "America/Chicago", "Central Standard Time": "-06:00", "Central Daylight Time": "-05:00",
    "Mountain Time": "America/Denver", "Mountain Standard Time": "-07:00", "Mountain Daylight Time": "-06:00",
    "Pacific Time": "America/Los_Angeles", "Pacific Standard Time": "-08:00", "Pacific Daylight Time": "-07:00",
}

# Dates in a page's address (/2021/05/04/, /2021-05-04-…, /20210504/, ?date=2021-05-04, /2021/05/):
# weak evidence, read only when the page itself names no publication date. Query values are read
# only under these parameter names; elsewhere a number in a query is an id.
URL_DATE_PARAMETERS = ("date", "data", "day", "dzien", "published", "pubdate", "publication_date", "d")

# A year outside this range is not a page date (programme codes, amounts, and 1970-01-01,
# an unset timestamp in JSON-LD).
YEAR_RANGE = (1990, 2100)
# The widest offset from UTC any time zone has (Kiribati, +14:00); a larger one is no offset.
MAX_OFFSET_HOURS = 14
# Two-digit years: 00-68 -> 2000s, 69-99 -> 1900s (the POSIX %y pivot).
TWO_DIGIT_YEAR_PIVOT = 69

# Page level: an unlabelled date line longer than this is prose (an event in the text).
MAX_UNLABELLED_LINE_WORDS = 12
# ...and one without a year is the date alone ("wtorek, 14 marca, 12:30", "5 min temu").
MAX_YEARLESS_LINE_WORDS = 4
# An unlabelled date this far after the fetch is an announced event, not a publication.
MAX_FUTURE_DAYS = 1
