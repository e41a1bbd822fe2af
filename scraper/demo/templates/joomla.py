"""Joomla 3 (protostar-like) as on the Starachowice subdomains: one article pool on every host.

Article fields besides the common ones: `alias`, `catid`, `category` (name), `views`.
Articles: `/dla-mieszkanca/<catid>-<category alias>/<id>-<alias>`; listing
`/dla-mieszkanca/aktualnosci?start=N`; print view `?tmpl=component&print=1`. Below the text the
info block repeats with OCR-like typos in the label, as in the stored copy of the real page.
"""
from __future__ import annotations

from ..feeds import rss
from ..page import (HostTree, chunks, esc, html_resource, newest_first, paragraphs_html,
                    robots_txt)
from ..polish import joomla_date, slugify, warsaw_iso

HOSTS = ("rewitalizacja.starachowice.eu", "obywatelski.starachowice.eu")
CANONICAL_HOST = HOSTS[0]
PER_PAGE = 5
LISTING = "/dla-mieszkanca/aktualnosci"
PRINT_QUERY = "?tmpl=component&print=1"
FEED_QUERY = "?format=feed&type=rss"
REPEATED_HITS_LABELS = ("Odłony", "Odśłony", "Odłony", "Odśtony")
SITE_NAMES = {HOSTS[0]: "Rewitalizacja Starachowice", HOSTS[1]: "Budżet Obywatelski Starachowice"}
MENUS = {
    HOSTS[0]: (("/", "Strona główna"), ("/program-rewitalizacji", "Program rewitalizacji"),
               (LISTING, "Dla mieszkańca"), ("/dla-mieszkanca/galeria", "Galeria"),
               ("/kontakt", "Kontakt")),
    HOSTS[1]: (("/", "Budżet obywatelski"), ("/harmonogram", "Harmonogram"),
               (LISTING, "Aktualności"), ("/dla-mieszkanca/galeria", "Galeria"),
               ("/kontakt", "Kontakt")),
}
STATIC_PAGES = {
    "/kontakt": ("Kontakt", "Urząd Miejski w Starachowicach, ul. Radomska 45, 27-200 Starachowice, "
                 "tel. 41 273 82 00, e-mail: um@starachowice.eu. Godziny pracy: poniedziałek - "
                 "piątek 7:30 - 15:30."),
    "/dla-mieszkanca/galeria": ("Galeria", "Galeria zdjęć: Spotkania konsultacyjne 2020, Festyn "
                                "rodzinny na Wzgórzu Trzech Krzyży, Dzień Seniora 2021."),
    "/program-rewitalizacji": ("Program rewitalizacji", "Gminny Program Rewitalizacji Miasta "
                               "Starachowice na lata 2016-2023 obejmuje obszar śródmieścia "
                               "i osiedla Wzgórze. Dokumenty programu dostępne są w Urzędzie Miejskim."),
    "/harmonogram": ("Harmonogram", "Zgłaszanie projektów: październik. Weryfikacja: listopad. "
                     "Głosowanie: listopad. Ogłoszenie wyników: grudzień."),
}
JOOMLA_DISALLOW = ("/administrator/", "/bin/", "/cache/", "/cli/", "/components/", "/includes/",
                   "/installation/", "/language/", "/layouts/", "/libraries/", "/logs/", "/modules/",
                   "/plugins/", "/tmp/")
TOOLTIP_SCRIPT = ("<script>jQuery(function($){ $('.hasTooltip').tooltip({\"html\": true,"
                  "\"container\": \"body\"}); });</script>")


def render(articles: list[dict], base_urls: dict[str, str]) -> dict[str, HostTree]:
    return {host: HostTree(_host_pages(host, articles, base_urls)) for host in HOSTS}


def locate(article: dict) -> tuple[str, str]:
    return CANONICAL_HOST, article_path(article)


def duplicates(article: dict) -> list[tuple[str, str]]:
    return [(host, article_path(article)) for host in HOSTS if host != CANONICAL_HOST]


def date_text(article: dict) -> str:
    return joomla_date(article["published"])


def non_article_paths(articles: list[dict]) -> list[str]:
    pages = len(chunks(articles, PER_PAGE))
    return (["/", LISTING + FEED_QUERY] + [_listing_path(n) for n in range(pages)]
            + sorted({_category_path(a) for a in articles}) + list(STATIC_PAGES)
            + [article_path(a) + PRINT_QUERY for a in articles])


def article_path(article: dict) -> str:
    return f"{_category_path(article)}/{article['key']}-{article['alias']}"


def _category_path(article: dict) -> str:
    return f"/dla-mieszkanca/{article['catid']}-{slugify(article['category'])}"


def _listing_path(page_index: int) -> str:
    return LISTING if page_index == 0 else f"{LISTING}?start={page_index * PER_PAGE}"


def _host_pages(host: str, articles: list[dict], base_urls: dict[str, str]) -> dict:
    ordered = newest_first(articles)
    layout = _Layout(host, base_urls, ordered[:5])
    pages = {article_path(a): html_resource(layout.article(a)) for a in articles}
    pages |= {article_path(a) + PRINT_QUERY: html_resource(_print_view(a)) for a in articles}
    page_chunks = chunks(ordered, PER_PAGE)
    pages |= {_listing_path(i): html_resource(layout.blog("Aktualności", chunk, i, len(page_chunks)))
              for i, chunk in enumerate(page_chunks)}
    for path in sorted({_category_path(a) for a in articles}):
        members = [a for a in ordered if _category_path(a) == path]
        pages[path] = html_resource(layout.blog(members[0]["category"], members, 0, 1))
    pages["/"] = html_resource(layout.blog(SITE_NAMES[host], ordered[:3], 0, 1))
    pages |= {path: html_resource(layout.page(title, f"<p>{esc(text)}</p>"))
              for path, (title, text) in STATIC_PAGES.items()}
    pages["/robots.txt"] = robots_txt(JOOMLA_DISALLOW)
    base = base_urls[host].rstrip("/")
    pages[LISTING + FEED_QUERY] = rss(SITE_NAMES[host], base + LISTING, [
        (a["title"], base + article_path(a), a["published"], a["paragraphs"][0]) for a in ordered])
    return pages


def _info_block(article: dict, hits_label: str = "Odsłony") -> str:
    published = article["published"]
    return (f'<dl class="article-info muted"><dt class="article-info-term">Szczegóły</dt>'
            f'<dd class="category-name"><a href="{_category_path(article)}" itemprop="genre">'
            f'{esc(article["category"])}</a></dd>'
            f'<dd class="published"><span class="icon-calendar" aria-hidden="true"></span>'
            f'<time datetime="{warsaw_iso(published)}" itemprop="datePublished">'
            f"Opublikowano: {joomla_date(published)}</time></dd>"
            f'<dd class="hits"><span class="icon-eye-open" aria-hidden="true"></span>'
            f'<meta itemprop="interactionCount" content="UserPageVisits:{article["views"]}" />'
            f"{hits_label}: {article['views']}</dd></dl>\n")


def _print_view(article: dict) -> str:
    return (f'<!DOCTYPE html><html lang="pl-pl"><head><meta charset="utf-8" />'
            f"<title>{esc(article['title'])}</title><script>window.print();</script></head>"
            f'<body class="contentpane modal"><div class="item-page"><h2>{esc(article["title"])}</h2>'
            f"{_info_block(article)}{paragraphs_html(article['paragraphs'])}</div></body></html>")


class _Layout:
    """The protostar page frame of one host: menu, 'Najnowsze' module, links to sibling hosts."""

    def __init__(self, host: str, base_urls: dict[str, str], newest: list[dict]):
        self.host, self.base_urls, self.newest = host, base_urls, newest

    def article(self, article: dict) -> str:
        path = article_path(article)
        repeats = "".join(_info_block(article, label) for label in REPEATED_HITS_LABELS)
        siblings = "".join(f'<li><a href="{self.base_urls[h]}{path[1:]}">{SITE_NAMES[h]}</a></li>'
                           for h in HOSTS if h != self.host)
        content = (
            f'<div class="item-page" itemscope itemtype="https://schema.org/Article">'
            f'<meta itemprop="inLanguage" content="pl-PL" />'
            f'<div class="page-header"><h2 itemprop="headline">{esc(article["title"])}</h2></div>'
            f'<div class="icons"><div class="btn-group pull-right"><ul class="dropdown-menu">'
            f'<li class="print-icon"><a href="{esc(path + PRINT_QUERY)}" rel="nofollow">Drukuj</a></li>'
            f"</ul></div></div>\n{_info_block(article)}"
            f'<div itemprop="articleBody">{paragraphs_html(article["paragraphs"])}</div>\n'
            f"{repeats}<p class=\"also\">Ten artykuł także w serwisie:</p><ul>{siblings}</ul></div>")
        return self.page(article["title"], content, body_class="view-article")

    def blog(self, title: str, articles: list[dict], index: int, total: int) -> str:
        items = "".join(
            f'<div class="item"><div class="page-header"><h2><a href="{article_path(a)}">'
            f'{esc(a["title"])}</a></h2></div>{_info_block(a)}<p>{esc(a["paragraphs"][0])}</p>'
            f'<p class="readmore"><a class="btn" href="{article_path(a)}">Czytaj więcej: '
            f'{esc(a["title"])}</a></p></div>\n' for a in articles)
        return self.page(title, f'<div class="blog"><h1>{esc(title)}</h1>{items}</div>'
                         + _pagination(index, total), body_class="view-category")

    def page(self, title: str, content: str, body_class: str = "view-article") -> str:
        menu = "".join(f'<li><a href="{href}">{esc(label)}</a></li>' for href, label in MENUS[self.host])
        newest = "".join(f'<li><a href="{article_path(a)}">{esc(a["title"])}</a></li>'
                         for a in self.newest)
        portals = "".join(f'<li><a href="{self.base_urls[h]}">{SITE_NAMES[h]}</a></li>' for h in HOSTS)
        return f"""<!DOCTYPE html>
<html lang="pl-pl" dir="ltr">
<head>
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
<meta charset="utf-8" />
<meta name="generator" content="Joomla! - Open Source Content Management" />
<title>{esc(title)} - {SITE_NAMES[self.host]}</title>
<link href="{LISTING}{FEED_QUERY}" rel="alternate" type="application/rss+xml" title="RSS 2.0" />
<script src="/media/jui/js/jquery.min.js?3b1a9f"></script>
{TOOLTIP_SCRIPT}
</head>
<body class="site com_content {body_class}">
<div class="body"><div class="container">
<header class="header"><a class="brand pull-left" href="/">{SITE_NAMES[self.host]}</a>
<div class="font-size">Rozmiar czcionki: <a href="#" class="small">A</a> <a href="#" class="medium">A</a> <a href="#" class="large">A</a></div>
</header>
<nav class="navigation"><ul class="nav menu">{menu}</ul></nav>
<div class="row-fluid"><main id="content" class="span9">
{content}
</main>
<div id="aside" class="span3"><div class="moduletable"><h3>Najnowsze</h3><ul class="latestnews">{newest}</ul></div>
<div class="moduletable"><h3>Serwisy miejskie</h3><ul>{portals}</ul></div></div></div>
</div></div>
<footer class="footer"><p>&copy; 2022 Urząd Miejski w Starachowicach, ul. Radomska 45, 27-200 Starachowice</p></footer>
</body>
</html>
"""


def _pagination(index: int, total: int) -> str:
    if total <= 1:
        return ""
    links = "".join(f'<li><a href="{esc(_listing_path(i))}">{i + 1}</a></li>' if i != index
                    else f'<li class="active"><span>{i + 1}</span></li>' for i in range(total))
    nxt = (f'<li><a title="Następna" href="{esc(_listing_path(index + 1))}">Następna</a></li>'
           if index + 1 < total else "")
    return (f'<div class="pagination"><p class="counter pull-right">Strona {index + 1} z {total}</p>'
            f"<ul>{links}{nxt}</ul></div>")
