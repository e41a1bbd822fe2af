"""The one Polish date vocabulary of the project: month names and the labels of date fields.

Both stages read it: the clean stage (scraper/extract/rules.py) to know a labelled date line when
it sees one, the dates stage (scraper/dates/grammar.py) to read the date and tell published,
updated and created apart. Add a word here, never in one stage alone (tests/test_vocabulary.py
checks that the clean stage knows every label listed here). Words are lower case NFC; forms
without diacritics are added by the readers.
"""

# Month number -> every written form seen on pages: nominative, genitive, locative.
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
# Abbreviations: only read with a day and a year around them ("mar" is also a word).
MONTH_ABBREVIATIONS = {
    1: ("sty", "stycz"),
    2: ("lut",),
    3: ("mar",),
    4: ("kwi", "kwie", "kwiet"),
    5: ("maj",),
    6: ("cze", "czerw"),
    7: ("lip",),
    8: ("sie", "sierp"),
    9: ("wrz", "wrze", "wrzes"),
    10: ("paź", "paźdz", "październ"),
    11: ("lis", "list", "listop"),
    12: ("gru", "grud"),
}
# Weekday names (nominative, accusative and the abbreviations of date lines). A weekday that
# contradicts a date without a year ("w środę 6 kwietnia" when 6 April was a Sunday) means that
# the date is of another year, so it dates nothing.
WEEKDAYS = {
    0: ("poniedziałek", "pon", "pn"), 1: ("wtorek", "wt", "wto"), 2: ("środa", "środę", "śr", "śro"),
    3: ("czwartek", "czw", "cz"), 4: ("piątek", "pt", "pią"), 5: ("sobota", "sobotę", "sob", "sb"),
    6: ("niedziela", "niedzielę", "niedz", "nd"),
}
# English and German month names: WordPress sites with English defaults ("Mar 12, 2024") and the
# English and German versions of municipal sites. Read only where the form is unambiguous.
FOREIGN_MONTH_NAMES = {
    1: ("january", "jan", "januar", "jänner"),
    2: ("february", "feb", "februar"),
    3: ("march", "mar", "märz", "maerz"),
    4: ("april", "apr"),
    5: ("may", "mai"),
    6: ("june", "jun", "juni"),
    7: ("july", "jul", "juli"),
    8: ("august", "aug"),
    9: ("september", "sep", "sept"),
    10: ("october", "oct", "oktober", "okt"),
    11: ("november", "nov"),
    12: ("december", "dec", "dezember", "dez"),
}

# Label -> the kind of date that follows it. "chrome" marks page furniture (clocks, name days,
# copyright) whose dates are never the article's.
DATE_LABELS = {
    "published": (
        "opublikowano", "opublikowany", "opublikowana", "opublikowane", "opublikował",
        "opublikowała", "data publikacji", "data opublikowania", "publikacja dnia",
        "publikacja", "dodano", "dodany", "dodana", "dodane", "dodał", "dodała", "data dodania",
        "data wprowadzenia", "wprowadzono", "wprowadził", "wprowadziła", "wprowadzony",
        "wprowadzona", "data udostępnienia", "udostępniono", "udostępnił", "udostępniła",
        "udostępniony", "zamieszczono", "zamieszczony", "zamieszczone", "data zamieszczenia",
        "data umieszczenia", "umieszczono",
        "published", "posted", "posted on", "veröffentlicht", "veröffentlicht am",
    ),
    "updated": (
        "ostatnia aktualizacja", "aktualizacja", "data aktualizacji", "data ostatniej aktualizacji",
        "zaktualizowano", "zaktualizowany", "zaktualizowana", "zaktualizowane", "zaktualizował",
        "zaktualizowała", "aktualizowano", "ostatnio aktualizowano", "ostatnio aktualizowany",
        "ostatnio aktualizowana", "ostatnia modyfikacja", "data modyfikacji",
        "data ostatniej modyfikacji", "modyfikacja", "zmodyfikowano", "zmodyfikowany",
        "zmodyfikowana", "zmodyfikowane", "zmodyfikował", "zmodyfikowała", "ostatnio zmodyfikowano",
        "ostatnio modyfikowany", "ostatnio modyfikowana", "data zmiany", "data ostatniej zmiany",
        "ostatnia zmiana", "zmieniono", "ostatnio zmieniono", "ostatnio zmieniany", "ostatnio zmieniana",
        "ostatnio zmienione", "ostatnio zmieniony", "ostatnia edycja", "data edycji",
        "data ostatniej edycji", "edytowano", "ostatnio edytowano", "ostatnio edytowany",
        "ostatnio edytowana", "edytował", "edytowała", "poprawiono",
        "updated", "last updated", "last modified", "modified", "aktualisiert", "zuletzt aktualisiert",
        "geändert", "zuletzt geändert",
    ),
    "created": (
        "data wytworzenia", "wytworzono", "wytworzony", "wytworzona", "wytworzone", "wytworzył",
        "wytworzyła", "informację wytworzył", "informację wytworzyła", "data utworzenia", "utworzono",
        "utworzony", "utworzona", "utworzone", "data stworzenia", "stworzono", "data powstania",
        "data sporządzenia", "sporządzono", "created", "erstellt", "erstellt am",
    ),
    "chrome": (
        "aktualny czas", "imieniny", "imieniny obchodzą", "dzisiaj jest", "dziś jest",
        "czas serwera", "©", "(c)", "copyright", "wszelkie prawa zastrzeżone",
        "odwiedziło nas", "licznik odwiedzin",
    ),
}
ARTICLE_DATE_KINDS = ("published", "updated", "created")
# Pages write these words without diacritics too ("miesiac", "Data ostatniej modyfikacji").
ASCII_FOLD = str.maketrans("ąćęłńóśźż", "acelnoszz")

# --- where pages state dates for machines, and which elements name a date ---------------------

# When neither date lines nor metadata give a date: short elements whose class/id names a
# date ("data" is Polish for date) are read as date lines.
DATE_ELEMENT_HINTS = ("date", "data", "publi", "posted", "submitted", "created", "modified", "updated")
MAX_DATE_ELEMENT_CHARS = 80

# Machine-readable sources: meta name/property/itemprop -> kind.
META_DATE_KEYS = {
    "article:published_time": "published",
    "og:article:published_time": "published",
    "og:published_time": "published",
    "datepublished": "published",
    "date": "published",
    "dcterms.date": "published",
    "dc.date.published": "published",
    "publication_date": "published",
    "publication-date": "published",
    "article.published": "published",
    "article:published": "published",
    "parsely-pub-date": "published",
    "sailthru.date": "published",
    "citation_publication_date": "published",
    "citation_date": "published",
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
# hAtom microformat: <abbr class="published" title="2021-05-04T10:00:00+02:00">.
HATOM_CLASSES = {"published": "published", "updated": "updated"}
TIME_CLASS_HINTS = {
    "publish": "published", "created": "created", "update": "updated", "modif": "updated",
}
