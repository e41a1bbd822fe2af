"""Rules of the clean stage as data: tags, class words, label words, thresholds.

Read by scraper/extract/main_text.py and scraper/extract/template.py. Nothing here names a site: the rules must
generalise (the real pages of shared/realworld-pl measure that).
"""
from __future__ import annotations

import re

from scraper import traps, vocabulary


def _words(words) -> str:
    """An alternation of words and their forms without diacritics, longest first."""
    forms = {form for word in words for form in (word, word.translate(vocabulary.ASCII_FOLD))}
    return "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))

# Elements whose content is never text a reader reads as the article.
JUNK_TAGS = (
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed",
    "button", "select", "input", "textarea", "label", "dialog", "map", "video", "audio",
)
# A form is junk unless it holds this much text once its controls are gone (a page-wide WebForms form).
FORM_PROSE_MIN_CHARS = 400
# A <label> wrapping a checkbox is an item of a checklist (ingredients, steps): its text stays.
CHECKLIST_ITEM = ".//input[@type='checkbox']"
# Elements that are page chrome by their nature (kept only when they hold the page's h1).
CHROME_TAGS = ("nav", "footer", "aside", "header", "menu")

# Block-level elements: a boundary between words, and the unit of template fingerprints.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption", "br",
    "time",  # adjacent <time>s ("published", "updated") are separate dates, never glued
})
ITEM_TAGS = frozenset({"li", "tr", "dd", "dt"})  # a block owned by (or just under) one is an item of a list or table
CELL_TAGS = frozenset({"td", "th"})  # a table row reads as one line: "Data publikacji: 26 lip 2021"
# a run of more rows than this of one tag is judged by its first ones and kept whole (runs.py); real
# articles have runs of up to ~130 (the development set), registers and statistics of tens of thousands
RUN_JUDGED_ROWS = 1_000
RUN_TAGS = BLOCK_TAGS - CELL_TAGS - {"br", "hr"}  # rows that hold their own text (a <br>'s line is its parent's)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# class/id words that mark chrome; matched against the words of class and id (split on - _).
CHROME_WORDS = frozenset({
    "menu", "menus", "nav", "navbar", "navigation", "sidebar", "footer", "stopka", "cookie",
    "cookies", "rodo", "share", "sharing", "social", "socials", "breadcrumb", "breadcrumbs",
    "okruszki", "related", "powiazane", "podobne", "comment", "comments", "komentarze",
    "advert", "adverts", "advertisement", "reklama", "ads", "ad", "banner", "banners",
    "newsletter", "widget", "widgets", "promo", "sponsored", "popup", "modal", "skip",
    "pagination", "pager", "tags", "tagcloud", "author-box", "authorbox", "subscribe",
    "login", "search", "szukaj", "wyszukiwarka", "toolbar", "print", "drukuj", "rating",
    "masthead", "topbar", "recommended", "polecamy", "most", "popular", "trending", "gallery-nav",
    "sr-only", "visually-hidden", "wcag", "accessibility",
    "fontsize", "contrast", "partners", "partnerzy", "logos", "loga", "offcanvas",
    "calendar", "kalendarz", "imieniny", "weather", "pogoda", "clock", "zegar", "counter",
    "licznik", "visitors", "infobar", "gdpr", "consent", "dfp", "adslot", "sidebox",
    "copyright", "readmore", "more-articles", "see-also", "zobacz", "seo",
})
# Chrome words that name navigation: such an element without a link is no navigation.
NAVIGATION_WORDS = frozenset({"menu", "menus", "nav", "navbar", "navigation", "breadcrumb", "breadcrumbs",
                              "okruszki", "pagination", "pager"})
# class/id words that mark the article itself: a container named so scores higher.
CONTENT_WORDS = frozenset({
    "article", "artykul", "entry", "post", "content", "tresc", "body", "text", "story",
    "main", "item-page", "news", "aktualnosc", "wpis",
})
# class/id words of photos, captions and bylines.
CREDIT_WORDS = frozenset({"author", "autor", "byline", "caption", "photo", "foto", "credit", "credits"})
# class/id words of photo captions and credits: never body text.
CAPTION_WORDS = frozenset({"caption", "captions", "credit", "credits", "podpis-zdjecia"})
# class/id words of a lead paragraph that stands apart from the body container.
LEAD_WORDS = frozenset({"lead", "intro", "zajawka", "excerpt", "summary", "wstep", "standfirst", "abstract", "lid"})
# Classes naming the article body (best first); itemprop="articleBody" comes before them all.
BODY_CLASSES = ("entry-content", "post-content", "article-body")

# Lines that are page furniture wherever they stand (whole block matches, case-insensitive).
FURNITURE_LINE = re.compile(
    r"^(?:drukuj|wydrukuj|drukuj stronę|wersja do druku|pdf|e-?mail|wyślij|powrót|wróć"
    r"|\(?(?:a[+-]?\s*){1,3}\)?|zwiększ czcionkę|zmniejsz czcionkę|kontrast"
    r"|czytaj (?:więcej|dalej)|więcej|rozwiń|zwiń|udostępnij|podziel się|tweet|facebook"
    r"|twitter|linkedin|pinterest|skomentuj|komentarze(?: \(\d+\))?|reklama|advert|advertisement"
    r"|rejestr zmian|metryczka|szczegóły|poprzedni|następny|« ?poprzedni|następny ?»|\d+ komentarz\w*"
    r"|zobacz galerię|galeria|ikona|skip to content|przejdź do treści"
    r"|(?:zdjęcie|zdj\.|foto|slajd|image|photo|slide)?\s*\d+\s*(?:/|z|of)\s*\d+"  # a gallery's counter: "Zdjęcie 2 z 8", "1 / 8"
    r"|\d+ (?:interakcj\w*|komentarz\w*|odpowied\w*|udostępnie\w*|polubie\w*))[\s.:!»›>]*$",
    re.I,
)
# A photo caption or credit line: "Eurocash rusza z Platformą Handlu, fot. shutterstock".
CAPTION = re.compile(r"(?:^|[\s,(])(?:fot\.|fot:|foto:|zdj\.|zdjęcie:|il\.|źródło zdjęcia:)\s*[^.]{1,60}\)?$", re.I)
CAPTION_MAX_CHARS = 200
CAPTION_MARKS = ("fot", "zdj", "il.", "źródło")  # one of them is in every caption (lower case)
# Blocks starting with these phrases are chrome whatever their length (legal notes, cookie banners).
CHROME_PHRASES = re.compile(
    r"^(?:materiał chroniony|licencja na publikację|© |copyright|\(c\) |wszelkie prawa zastrzeżone"
    r"|korzystamy z (?:plików )?cookies|używamy (?:plików cookies|informacji zapisanych)"
    r"|ta strona (?:używa|korzysta)|strona (?:używa|korzysta) z (?:plików )?cookies"
    r"|ten tekst przeczytasz|ten artykuł (?:także|również|też) w|czekamy na wasze|twój (?:e-?mail|adres)"
    r"|do wysłuchania w serwisie)",
    re.I,
)
# Blocks starting so are pointers elsewhere or credits ("Czytaj też …", "fot. …").
CHROME_LEADS = re.compile(
    r"^(?:czytaj (?:też|także|również|więcej w)|zobacz (?:też|także|również|więcej)"
    r"|przeczytaj (?:też|także|również)|najczęściej czytane|podobne artykuły|inne artykuły"
    r"|dodaj komentarz|fot\.|foto:|zdjęcie:|ilustracja:"
    r"|\w+/pap$|[a-ząćęłńóśźż]{2,4}/[A-ZŁŚŻŹ]?[a-ząćęłńóśźż]*$)",
    re.I,
)
CHROME_LEAD_MAX_CHARS = 200
# Box labels that also begin sentences ("Najnowsze dane GUS…"): chrome only when the block is
# the label alone or a "Label: …" line.
CHROME_LABELS = re.compile(
    r"^(?:polecamy|polecane|najnowsze|popularne|powiązane|tagi|tags|źródło|dowiedz się więcej"
    r"|zapisz się|skomentuj|komentarze|udostępnij|podziel się)",
    re.I,
)
CHROME_LABEL_MAX_CHARS = 30
# The label of a related-posts box: the label and the rest of its box are chrome.
RELATED_LABEL = re.compile(
    r"^(?:podobne(?: wpisy| artykuły| wiadomości| posty| tematy)?|zobacz (?:też|także|również)|czytaj (?:też|także|również)"
    r"|przeczytaj (?:też|także|również)|polecamy|polecane(?: artykuły| wpisy)?|powiązane(?: artykuły| wpisy| treści)?"
    r"|inne (?:artykuły|wiadomości|aktualności|wpisy)|więcej (?:artykułów|wiadomości|aktualności)"
    r"|related(?: posts| articles| stories)?|you may also like|read (?:also|more)|see also)[\s:.!…»›]*$",
    re.I,
)

# Trailing "read more" markers inside a paragraph.
TRAILING_FURNITURE = re.compile(
    r"\s*(?:\[(?:czytaj )?więcej\]|\((?:czytaj )?więcej\)|czytaj (?:więcej|dalej)\s*[»›…]*|więcej\s*[»›]+)$", re.I
)
TRAILING_FURNITURE_ENDS = ("]", ")", "»", "›", "…", "więcej", "dalej")  # how a block it matches ends (lower case)
# Appeals for money or subscriptions, wherever they stand in a block.
APPEAL = re.compile(
    r"wesprzyj nas|przekaż (?:nam )?1(?:,5)? ?%|wpłać darowiznę|subskrybuj|zapraszamy (?:też |także )?do subskrypcji",
    re.I)
APPEAL_WORDS = ("wesprzyj", "przekaż", "wpłać", "subskryb", "subskrypc")  # one of them is in every appeal (lower case)
# Long link-heavy prose paragraphs are body text; short link-heavy blocks are navigation.
REFERENCE_MIN_ITEMS = 2  # a list of links to other sites this long is a reading list, part of the article
PROSE_MIN_CHARS = 100
PROSE_MAX_LINK_DENSITY = 0.9
SENTENCE_MIN_CHARS = 40  # a shorter block ending with a full stop is rarely prose ("Zobacz więcej.")
PROSE_END = tuple('.!?…"”»)。！？」』')  # the last character of a sentence
# A short emphasised line with a link ("Były dowódca …: <a>Rosja jest groźna</a>") is a teaser.
TEASER_MAX_CHARS = 120
TEASER_MIN_LINK_DENSITY = 0.25
EMPHASIS_TAGS = frozenset({"em", "strong", "i", "b"})

# Metadata labels: a short block starting with one is a field, never body text.
VIEWS_LINE = re.compile(
    r"^(?:ods?[łlśt]?[łlśt]?ony|odsłon|wyświetle[ńn]\w*|wyświetlono|liczba (?:odsłon|wyświetleń)"
    r"|dokument oglądany razy|oglądano|czytano|przeczytano|hits|views)\s*:?\s*([\d\s.\u00a0]+)"
    r"(?:\s*razy)?\s*$",
    re.I,
)
class Opening:
    """A pattern anchored at the start of a text, tried only on texts whose first letter (lower
    case) is one of `initials`: a long alternation costs a microsecond a try, and most blocks of
    a page open with another letter."""

    def __init__(self, pattern: re.Pattern, initials: set[str]):
        self.pattern, self.initials = pattern, frozenset(initials)

    def match(self, text: str) -> re.Match | None:
        return self.pattern.match(text) if text[:1].lower() in self.initials else None


_ARTICLE_DATE_LABELS = [w for kind in vocabulary.ARTICLE_DATE_KINDS for w in vocabulary.DATE_LABELS[kind]]
DATE_LABEL = Opening(re.compile(  # the date labels of scraper/vocabulary.py, and a bare "Data:" / "Data 12.03.2021"
    r"^(?:" + _words(_ARTICLE_DATE_LABELS) + r"|data(?:\s+i\s+godzina)?(?=\s*:|\s+\d))(?!\w)", re.I),
    {form[0].lower() for w in _ARTICLE_DATE_LABELS for form in (w, w.translate(vocabulary.ASCII_FOLD))} | {"d"})
# Labels of metadata lines dropped from the body (no date needed).
META_LABEL = re.compile(
    r"^(?:wytworzył\w*|wytworzone przez|opublikował\w*|udostępnił\w*|zmodyfikował\w*"
    r"|autor(?:\s+informacji)?|opracowa\w*|oprac\.|odpowiedzialny za treść|podmiot udostępniający"
    r"|osoba (?:odpowiedzialna|publikująca)|wprowadził\w*|redakcja|kategoria|tagi|rejestr zmian"
    r"|informację wytworzył\w*|informację (?:wprowadził|opublikował)\w*)\s*:",
    re.I,
)
AUTHOR_LINE = re.compile(
    r"^(?:autor(?:ka)?|tekst|oprac(?:owanie|owała?|\.)|wytworzył[a]?|informację wytworzył[a]?|sporządził[a]?)\s*:\s*(.+)$"
    r"|^(?:opublikowa\w*|dodan\w*|napisan\w*|wprowadzi\w*) przez:?\s+(.+?)(?:\s+dnia\b|,|$)",
    re.I,
)
NOT_AUTHOR = re.compile(r"^(?:źródło|source|fot\.|foto)|www\.|https?:|@|^\W*$", re.I)
AUTHOR_MIN_CHARS = 3
AUTHOR_MAX_CHARS = 80
METRYKA_ROW = re.compile(r"^([^:]{2,40}):\s+(.{1,200})$")  # "Typ jednostki: powiat grodzki"
AUTHOR_LABEL = re.compile(r"^(?:autor(?:ka)?|tekst|oprac(?:owanie|\.)?|opracował[a]?|wytworzył\w*|informację wytworzył\w*)\s*:?\s*(.+)$", re.I)

_MONTHS = _words([*(w for words in vocabulary.MONTH_NAMES.values() for w in words),
                  *(w for words in vocabulary.MONTH_ABBREVIATIONS.values() for w in words),
                  *(w for words in vocabulary.FOREIGN_MONTH_NAMES.values() for w in words)])
_GENITIVE_MONTHS = _words(words[1] for words in vocabulary.MONTH_NAMES.values())
# Dates without a year and relative ones are date lines only in the forms of date lines ("14 marca,
# 12:30", "12 marca br.", "wczoraj, 14:30", "5 min temu", a line that is the date alone), never in
# prose ("Dzisiaj zapraszamy na koncert", "Spotkanie 14 marca").
_TIME = r",?\s*(?:o\s+|godz\.?\s*)?\d{1,2}[:.]\d{2}"
_YEARLESS = (r"\d{1,2}\s+(?:" + _GENITIVE_MONTHS + r")(?:" + _TIME + r"|\s+b\.?\s?r\.)"
             r"|^(?:(?:" + _words(w for words in vocabulary.WEEKDAYS.values() for w in words) + r")\.?,?\s+)?"
             r"\d{1,2}\s+(?:" + _GENITIVE_MONTHS + r")$")
_RELATIVE = (r"\d{1,3}\s*(?:min|godz|g|h|sek|s|dni|dzie[nń]|tyg|tydz|mies|lat|rok|roku)\w*\.?\s+temu"
             r"|(?:minut\w*|godzin\w*|tydzie[nń]|miesi[aą]c|rok) temu|przed chwil[aą]"
             r"|(?:dzisiaj|dziś|wczoraj|przedwczoraj)(?:" + _TIME + r"|$)")
DATE_IN_TEXT = re.compile(  # a date with a year, a relative one ("5 min temu") or a day of a month ("14 marca")
    r"\b\d{1,2}[.\-/]\d{1,2}[.\-/](?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2}(?:\.|st|nd|rd|th)?,?\s+(?:" + _MONTHS + r")\.?,?\s+\d{4}\b"
    r"|\b(?:" + _MONTHS + r")\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4}\b|\b\d{1,2}\s+[IVX]{1,4}\s+\d{4}\b"
    r"|(?<!\w)(?:" + _YEARLESS + "|" + _RELATIVE + r")(?!\w)",
    re.I,
)
# Every DATE_IN_TEXT match holds a digit or one of these words: searched for first, in a fraction
# of the time, since most blocks of a page hold no date.
DATE_HINT = re.compile(r"\d|temu|chwil|dzisiaj|dziś|wczoraj", re.I)


def has_date(text: str) -> bool:
    return bool(DATE_HINT.search(text) and DATE_IN_TEXT.search(text))


# The attribution line of an embedded post ("— Jan Kowalski (@jkowalski) March 3, 2024") is quoted
# content, not a date line.
EMBED_ATTRIBUTION = re.compile(r"\(@\w+\)")
# Date-bearing lines that are not the article's dates: the furniture labels of scraper/vocabulary.py.
NOT_ARTICLE_DATE = re.compile("|".join(map(re.escape, vocabulary.DATE_LABELS["chrome"])), re.I)
MAX_DATE_LINE = 120
UNLABELLED_DATE_LINE_MAX = 60  # a date line without a label is short...
DATE_LINE_MAX_LETTERS = 22     # ...and has few letters besides the date (a weekday, "r.", "godz.")
LABELLED_DATE_LINE_MAX_LETTERS = 30  # "Opublikowane przez admin dnia czw., 18.05.2017 - 10:33"
DATE_LINES_ABOVE_HEADLINE = 2  # a date may stand just above the headline

# A closing signature: "Renata Stawiarska UM", "Jan Kowalski (MOPS)", "oprac. A. Nowak".
SIGNATURE = re.compile(
    r"^(?:(?:tekst|oprac\.?|opracowanie|autor|fot\.?)\s*:?\s*)?"
    r"((?:[A-ZŁŚŻŹĆŃÓĘĄ][a-ząćęłńóśźż]+|[A-ZŁŚŻŹĆŃÓ]\.)(?:[\s-][A-ZŁŚŻŹĆŃÓĘĄ][a-ząćęłńóśźż]+){1,2}"
    r"(?:\s*[,(]?\s*[A-ZŁŚŻŹĆŃÓ]{2,6}\)?)?|[A-ZŁŚŻŹĆŃÓ]{2,6}|\w{2,5}/[A-Z]{2,5})$"
)

# Attachments: links to files.
ATTACHMENT_EXT = re.compile(r"\.(pdf|docx?|xlsx?|odt|ods|odp|pptx?|rtf|zip|rar|7z|txt|csv|xml|jpg|jpeg|png)(?:$|[?#])", re.I)
FILE_SIZE = re.compile(r"(\d+(?:[.,]\d+)?\s*(?:[kKMG]i?B|bajtów|kb|mb))", re.I)

# Article detection.
# Kinds of pages that are not articles: (reason, URL pattern, title pattern).
NOT_ARTICLE_KINDS = (
    ("print variant", traps.PRINT_VIEW.pattern, None),  # the spider's own rule: one list of print addresses
    ("search results", r"[?&](?:s|q|search|query|szukaj|searchword|phrase)=(?!\d*(?:&|$))"
                       r"|/(?:search|szukaj|wyszukiwarka|wyniki-wyszukiwania)(?:/|$|\?|\.)",
     r"^(?:wyniki wyszukiwania|szukaj|search)\b"),
    ("category or tag page", r"/(?:tag|tagi|tags|category|kategoria|kategorie|autor|author)/", None),
    ("calendar", r"/(?:kalendarz|calendar|kalendarium|events?)(?:/|$|\?|\.)", r"^(?:kalendarz|kalendarium)\b"),
    ("gallery", r"/(?:galeria|galerie|gallery|fotogaleria|zdjecia)(?:/|$|\?|\.)", r"^(?:galeria|fotogaleria)\b"),
    ("contact", r"/(?:kontakt|contact|dane-kontaktowe)(?:/|$|\?|\.|-)", r"^(?:kontakt|dane kontaktowe|contact)\b"),
    ("sitemap", r"/(?:mapa-strony|sitemap)(?:/|$|\.)", r"^mapa strony\b"),
    ("version history", r"/(?:historia|history)/\d+(?:/|$)|/(?:wersje|versions|contentsversions|revisions?)/",
     r"^(?:rejestr zmian|historia zmian|wersje dokumentu)\b"),
)
# Non-articles that lead to no new articles: a nightly crawl need not read them again for a while.
# Listings, category and tag pages lead to new articles, and a page without a date or much text
# may be a listing of bare links: those are always read again.
# (A part of an article, a summary tab or a later page, is read again with its article: no leaf.)
LEAF_PAGE_REASONS = ("print variant", "search results", "calendar", "gallery", "contact", "sitemap",
                     "version history")
NOT_ARTICLE_URL = tuple((re.compile(url, re.I), reason) for reason, url, _ in NOT_ARTICLE_KINDS)
NOT_ARTICLE_TITLE = tuple((re.compile(title, re.I), reason) for reason, _, title in NOT_ARTICLE_KINDS if title)
LISTING_MIN_LINK_CHARS = 12    # anchor text of an article link
TEASER_UNIT_MAX_CHARS = 1500   # a teaser (linked heading, date, lead) is never longer
TEASER_MAX_CHARS_BEFORE = 150  # nor has more text than a date or a label before its heading
SINGLE_TEASER_OWN_SHARE = 0.3  # one teaser and less own prose than this share of it: a listing
# Teasers without headings: most prose paragraphs of the content come right after a link.
LISTING_MIN_TEASERS = 3
LISTING_LED_SHARE = 0.6
LISTING_LEAD_MIN_CHARS = 60
LISTING_LEAD_REACH = 2         # a lead follows its title link within this many blocks
BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
TITLE_LINK_MIN_DENSITY = 0.6   # "Title of the news 03.03.2020": mostly link
STATIC_PAGE_MAX_CHARS = 600    # a page with no date anywhere and less text than this is a static page...
STATIC_NO_HEADLINE_MAX_CHARS = 1200  # ...or this, without a headline; more own prose makes it an article
DATE_IN_URL = re.compile(r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])/|(?:19|20)\d\d-[01]\d-[0-3]\d")  # /2019/11/, 2019-11-18
MIN_ARTICLE_CHARS = 40         # a short article still has a sentence or two
# A link to the fuller version of this page: the page is a summary view, not the article.
FULL_VERSION_LINK = re.compile(
    r"^(?:pełna (?:prezentacja|wersja|treść)|cały (?:artykuł|tekst)|czytaj całość|zobacz całość"
    r"|pełny tekst|full (?:text|version))$", re.I)
PARTS_REMEMBERED = 5_000       # articles whose parts (summary views, later pages) are kept for the chain's close
MENU_MIN_LINKS = 5             # a list of this many links is a menu: the site's chrome, which a print view lacks
ARTICLES_COMPARED_WITH_PRINT_VIEWS = 5_000  # recent articles whose first sentences a print view is compared with
# A later page of a paginated text is a part of it even when it alone reads as a short static page.
LATER_PAGE_REASONS = ("no date and little text", "too little text")
GALLERY_MIN_IMAGES = 8         # many images and little text
GALLERY_MAX_CHARS = 200

# Scoring of content containers (Readability-like: a paragraph's points go to its ancestors).
MIN_PARAGRAPH_CHARS = 25
# Clause marks of every script (paragraph points): Latin and Cyrillic commas, the ideographic
# comma and enumeration mark, full-width, Arabic and Greek ones, semicolons.
CLAUSE_MARKS = re.compile("[,，、،;；]")
# Characters of scripts without spaces between words (Han, kana, Hangul) weigh this many Latin ones.
WIDE_CHARS = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
WIDE_CHAR_WEIGHT = 3
MAX_LINK_DENSITY = 0.5
LENGTH_POINTS_MAX = 3            # one point per 100 characters, at most this many
ANCESTOR_DIVISORS = (1, 1, 2, 3)  # the block, its parent, grandparent, great-grandparent
CONTENT_CLASS_WEIGHT = 1.25      # class/id with a CONTENT_WORDS word
CHROME_CLASS_WEIGHT = 0.5        # class/id with a CHROME_WORDS word that survived cleaning
TEASER_ITEM_WEIGHT = 0.1        # a list item opening with another page's title link (a ticker, "more news")
BODY_WEIGHT = 0.3                # <body> itself is the container of last resort
HINTED_MIN_SCORE_SHARE = 0.5     # a BODY_CLASSES / itemprop match wins when it scores this share of the best
HEADLINE_SECTION_SCORE_SHARE = 0.5  # the best container by the headline wins when it scores this share of the best
SIBLING_SCORE_RATIO = 0.2        # siblings of the best container scoring this share join it
SIBLING_MIN_SCORE = 10
COUSIN_SCORE_RATIO = 0.3         # containers of the best one's kind elsewhere join it from this share of its score
LEAD_SCOPE_LEVELS = 3            # a lead is looked for this many levels above the container
LEAD_MIN_CHARS = 40
LEAD_MAX_LINK_DENSITY = 0.3
LEAD_PARAGRAPH_MIN_CHARS = 80    # a paragraph box before the body container joins it from this length
LEAD_PARAGRAPH_MAX_BLOCKS = 2
LINKED_HEADING_SHARE = 0.8       # a heading whose text is this much link is a link, not a headline
# Generic chrome that still holds the article is kept (a wrapper named "content-with-sidebar").
HOLDS_ARTICLE_PROSE_SHARE = 0.5  # with this share of the page's prose
HOLDS_ARTICLE_TEXT_SHARE = 0.3   # or with the h1 and this share of it
PROSE_RUN_MIN_CHARS = 30         # a run of text outside links this long counts as prose
# Chrome named so is never the article, however much prose it holds (readers' comments, consent).
NEVER_CONTENT_WORDS = frozenset({"comment", "comments", "komentarze", "cookie", "cookies", "rodo", "gdpr", "consent"})
NEAR_DUPLICATE_RATIO = 0.85    # intra-page repeats: "Odsłony" ~ "Odśtony"
NEAR_DUPLICATE_LENGTH_DIFF = 0.2  # blocks whose lengths differ more are never near-identical
NEAR_DUPLICATE_MAX_CHARS = 200  # longer blocks repeat only exactly (a listing's leads are not variants)
REPEAT_KEPT_MIN_DISTANCE = 3  # a repeat alone between new lines, further than this from its first place, stays
TYPO_MIN_WORD_CHARS = 4        # near-identical lines differ only within words this long (typos, not labels)
TRIGRAM_PREFILTER = 0.3        # near-identical lines are compared by edit ratio when their trigrams overlap this much
REPEAT_SLOTS = 16              # smallest trigram hashes kept of a short line: lines sharing one are candidates
REPEAT_MAX_ALIGNMENTS = 1_000   # lines aligned to tell a near repeat, per page (real pages: a few dozen)
REPEAT_SKETCH_BYTES = 64       # of the line's opening: a typo leaves most of its trigrams as they were
REPEAT_CANDIDATES = 4          # at most this many candidates (most shared slots first) are compared
REPEAT_BUCKET_MAX = 8          # lines kept per slot value

# Site templates.
TEMPLATE_MIN_PAGES = 3         # a block seen on this many distinct pages of a source is chrome
TEMPLATE_HEADING_FACTOR = 2    # headings must recur on twice as many pages to be chrome
TEMPLATE_PROSE_CHARS = 200     # blocks this long are prose...
TEMPLATE_PROSE_FACTOR = 4      # ...and must recur on four times as many pages (blogs repeat posts in full)
TEMPLATE_SAME_PLACE_SHARE = 0.6  # ...in the same place (index from either end among its siblings) this often
TEMPLATE_MAX_ENTRIES = 60_000  # fingerprints kept per source (three per block: text, and at its place from each end)
TEMPLATE_RECENT_PAGES = 5_000  # page identities kept to count a page fetched twice once
TEMPLATE_MAX_BLOCK_CHARS = 6_000
TEMPLATE_MAX_PLACE = 100       # chrome stands among the first or last this many of its siblings, never deeper in a run
