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
