"""Polish date vocabulary as data: months, labels, relative words, chrome markers.

scraper/dates/grammar.py builds its regular expressions from these tables; add a word here,
not a branch there. Words are lower case NFC; forms without diacritics are added automatically.
"""

# Month number -> every written form seen on pages: nominative, genitive, locative and
# abbreviations (abbreviations are only accepted with a day and a year around them).
MONTH_NAMES = {
    1: ("styczeń", "stycznia", "styczniu"),
    2: ("luty", "lutego", "lutym"),
    3: ("marzec", "marca", "marcu"),
    4: ("kwiecień", "kwietnia", "kwietniu"),
    5: ("maj", "maja", "maju"),
    6: ("czerwiec", "czerwca", "czerwcu"),
    7: ("lipiec", "lipca", "lipcu"),
    8: ("sierpień", "sierpnia", "sierpniu"),
    9: ("wrzesień", "września", "wrześniu"),
    10: ("październik", "października", "październiku"),
    11: ("listopad", "listopada", "listopadzie"),
    12: ("grudzień", "grudnia", "grudniu"),
}
MONTH_ABBREVIATIONS = {
    1: ("sty", "stycz"),
    2: ("lut",),
    3: ("mar",),
    4: ("kwi", "kwiet"),
    5: ("maj",),
    6: ("cze", "czerw"),
    7: ("lip",),
    8: ("sie", "sierp"),
    9: ("wrz", "wrze", "wrzes"),
    10: ("paź", "paźdz", "październ"),
    11: ("lis", "list", "listop"),
    12: ("gru", "grud"),
}
ROMAN_MONTHS = {
    "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6,
    "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12,
}

# Label -> the kind of date that follows it. "chrome" marks page furniture (clocks, name days,
# copyright) whose dates are never the article's.
LABELS = {
    "published": (
        "opublikowano", "opublikowany", "opublikowana", "opublikowane", "opublikował",
        "opublikowała", "data publikacji", "data opublikowania", "publikacja dnia",
        "publikacja", "dodano", "dodany", "dodana", "dodane", "dodał", "dodała", "data dodania", "data wprowadzenia",
        "wprowadzono", "wprowadził", "wprowadziła", "data udostępnienia", "udostępniono",
        "udostępnił", "udostępniła", "zamieszczono", "data zamieszczenia", "data umieszczenia",
    ),
    "updated": (
        "ostatnia aktualizacja", "aktualizacja", "data aktualizacji", "zaktualizowano",
        "aktualizowano", "ostatnia modyfikacja", "data modyfikacji",
        "data ostatniej modyfikacji", "modyfikacja", "zmodyfikowano", "zmodyfikował",
        "zmodyfikowała", "ostatnio zmodyfikowano", "data zmiany", "data ostatniej zmiany",
        "ostatnia zmiana", "edytowano", "data edycji", "poprawiono",
    ),
    "created": (
        "data wytworzenia", "wytworzono", "wytworzył", "wytworzyła", "informację wytworzył",
        "data utworzenia", "utworzono", "data stworzenia", "data powstania",
        "data sporządzenia", "sporządzono",
    ),
    "chrome": (
        "aktualny czas", "imieniny", "imieniny obchodzą", "dzisiaj jest", "dziś jest",
        "czas serwera", "©", "(c)", "copyright", "wszelkie prawa zastrzeżone",
        "odwiedziło nas", "licznik odwiedzin",
    ),
}

# The change register of a document (BIP "Rejestr zmian"): a separate page, linked from the
# metryczka by one of these texts, with one dated row per change; its latest change is the
# document's update date (scraper/dates/change_register.py).
CHANGE_REGISTER_LINK_TEXTS = (
    "rejestr zmian", "historia zmian", "pokaż rejestr zmian", "pokaż historię zmian",
    "zobacz rejestr zmian", "zobacz historię zmian",
)

# Relative forms, counted back from the fetch time.
RELATIVE_DAY_WORDS = {"dziś": 0, "dzisiaj": 0, "wczoraj": 1, "przedwczoraj": 2}
RELATIVE_UNITS = {
    "minutę": "minutes", "minuty": "minutes", "minut": "minutes",
    "godzinę": "hours", "godziny": "hours", "godzin": "hours",
    "dzień": "days", "dni": "days",
    "tydzień": "weeks", "tygodnie": "weeks", "tygodni": "weeks",
    "miesiąc": "months", "miesiące": "months", "miesięcy": "months",
    "rok": "years", "lata": "years", "lat": "years",
}
NUMBER_WORDS = {
    "jeden": 1, "jedną": 1, "jedna": 1, "dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4,
    "pięć": 5, "sześć": 6, "siedem": 7, "osiem": 8, "dziewięć": 9, "dziesięć": 10,
}
# "kilka dni temu": too vague to date.
VAGUE_COUNTS = ("kilka", "kilkanaście", "kilkadziesiąt", "parę", "paręnaście")

# A year outside this range is not a page date (programme codes, amounts, and 1970-01-01,
# an unset timestamp in JSON-LD).
YEAR_RANGE = (1990, 2100)
# Two-digit years: 00-68 -> 2000s, 69-99 -> 1900s (the POSIX %y pivot).
TWO_DIGIT_YEAR_PIVOT = 69

# Page level: an unlabelled date line longer than this is prose (an event in the text).
MAX_UNLABELLED_LINE_WORDS = 12
# An unlabelled date this far after the fetch is an announced event, not a publication.
MAX_FUTURE_DAYS = 1

# class/id fragments of page furniture whose dates are never the article's.
CHROME_ELEMENT_HINTS = (
    "clock", "zegar", "imienin", "nameday", "name-day", "today", "dzisiaj", "current-date",
    "copyright", "pogoda", "weather",
)
# When neither date lines nor metadata give a date: short elements whose class/id names a
# date ("data" is Polish for date) are read as date lines.
DATE_ELEMENT_HINTS = ("date", "data", "publi", "posted", "submitted", "created", "modified", "updated")
MAX_DATE_ELEMENT_CHARS = 80
# Page-level furniture tags, ignored unless they sit inside an article or main element.
CHROME_TAGS = ("header", "footer", "nav")

# Machine-readable sources: meta name/property/itemprop -> kind.
META_DATE_KEYS = {
    "article:published_time": "published",
    "og:article:published_time": "published",
    "og:published_time": "published",
    "datepublished": "published",
    "dc.date.issued": "published",
    "dcterms.issued": "published",
    "dc.date": "published",
    "pubdate": "published",
    "publishdate": "published",
    "publish-date": "published",
    "article:modified_time": "updated",
    "og:article:modified_time": "updated",
    "og:updated_time": "updated",
    "datemodified": "updated",
    "dc.date.modified": "updated",
    "dcterms.modified": "updated",
    "last-modified": "updated",
    "datecreated": "created",
    "dc.date.created": "created",
    "dcterms.created": "created",
    # RDFa (Drupal: property="dc:date dc:created" on the shown publication date)
    "dc:date": "published",
    "dc:issued": "published",
    "dcterms:issued": "published",
    "dc:modified": "updated",
    "dcterms:modified": "updated",
    "dc:created": "created",
    "dcterms:created": "created",
}
# JSON-LD nodes whose @type contains one of these are read before the others (a WebPage's
# dateModified is often the time the site was regenerated).
JSON_LD_PREFERRED_TYPES = ("Article", "Posting", "Report")
JSON_LD_DATE_KEYS = {
    "datePublished": "published",
    "dateModified": "updated",
    "dateCreated": "created",
}
# class fragments on <time> elements -> kind.
TIME_CLASS_HINTS = {
    "publish": "published", "created": "created", "update": "updated", "modif": "updated",
}
