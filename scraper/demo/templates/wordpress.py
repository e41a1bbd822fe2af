"""A WordPress MOPS site (held-out; in the manner of mopr.gda.pl).

Posts at `/<yyyy>/<mm>/<slug>/` with "4 czerwca 2025" in `<time datetime>`; archives
`/aktualnosci/page/N/`, `/kategoria/<slug>/`, `/tag/<slug>/`; an event calendar whose "next
month" link never ends (a crawler trap); `/?s=` search; `?czcionka=` font sizes serving every
page again; a 301 adds the missing trailing slash. Article fields besides the common ones:
`category`, `tags`.
"""
from __future__ import annotations

import re
from urllib.parse import unquote_plus

from ..feeds import rss
from ..page import (HostTree, Resource, chunks, esc, html_resource, newest_first,
                    paragraphs_html, robots_txt, slash_redirect_route)
from ..polish import MONTHS_NOMINATIVE, long_date, slugify, warsaw_iso

HOSTS = ("mops-wp.test",)
SITE_NAME = "Miejski Ośrodek Pomocy Społecznej"
PER_PAGE = 3
RELATED = 3
FONT_PARAM = "czcionka"
FONT_SIZES = ("mala", "normalna", "duza")
CALENDAR = "/wydarzenia/"
CALENDAR_URL = re.compile(r"/wydarzenia/\?miesiac=(\d{4})-(\d{2})")
SEARCH_URL = re.compile(r"/\?s=([^&]*)")
MENU = (("/", "Strona główna"), ("/aktualnosci/", "Aktualności"), ("/kontakt/", "Kontakt"),
        ("/galeria/", "Galeria"), (CALENDAR, "Wydarzenia"))
STATIC_PAGES = {
    "/kontakt/": ("Kontakt", "Miejski Ośrodek Pomocy Społecznej, ul. Kościuszki 12. Sekretariat: "
                  "tel. 43 822 11 00, czynny od poniedziałku do piątku w godz. 7.30–15.30."),
    "/galeria/": ("Galeria", "Dzień Seniora 2024 (36 zdjęć) • Zbiórka żywności (18 zdjęć) • "
                  "Piknik rodzinny (42 zdjęcia)"),
}
EVENT_MONTH = (2025, 6)
COOKIE_BANNER = ('<div id="cookie-notice">Ta strona korzysta z plików cookie. '
                 '<a href="#" onclick="document.cookie=\'zgoda=1\';return false;">Akceptuję</a></div>'
                 "<script>if(document.cookie.indexOf('zgoda=1')>-1){document.getElementById"
                 "('cookie-notice').style.display='none';}</script>")


def render(articles: list[dict], base_urls: dict[str, str]) -> dict[str, HostTree]:
    ordered = newest_first(articles)
    layout = _Layout(ordered[:5])
    pages = {article_path(a): html_resource(layout.post(a, _related(a, ordered))) for a in articles}
    page_chunks = chunks(ordered, PER_PAGE)
    pages |= {_archive_path(i): html_resource(layout.archive("Aktualności", chunk, i, len(page_chunks)))
              for i, chunk in enumerate(page_chunks)}
    pages["/"] = html_resource(layout.archive(SITE_NAME, ordered[:PER_PAGE], 0, 1))
    for path, (title, members) in _taxonomy_archives(ordered).items():
        pages[path] = html_resource(layout.archive(title, members, 0, 1))
    pages |= {path: html_resource(layout.page(title, f"<h1>{title}</h1><p>{esc(text)}</p>"))
              for path, (title, text) in STATIC_PAGES.items()}
    pages[CALENDAR] = _calendar(layout, *EVENT_MONTH)
    pages["/feed/"] = rss(SITE_NAME, base_urls[HOSTS[0]], [
        (a["title"], base_urls[HOSTS[0]] + article_path(a)[1:], a["published"], a["paragraphs"][0])
        for a in ordered])
    pages["/robots.txt"] = robots_txt(["/wp-admin/"])
    routes = [(CALENDAR_URL, lambda m, tree: _calendar(layout, int(m[1]), int(m[2]))),
              (SEARCH_URL, lambda m, tree: _search(layout, ordered, unquote_plus(m[1]))),
              slash_redirect_route()]
    return {HOSTS[0]: HostTree(pages, routes, ignored_params=(FONT_PARAM,))}


def duplicates(article: dict) -> list[tuple[str, str]]:
    return [(HOSTS[0], f"{article_path(article)}?{FONT_PARAM}={size}") for size in FONT_SIZES]


def article_key(article: dict) -> str:
    return article_path(article)


def date_text(article: dict) -> str:
    return long_date(article["published"])


def non_article_paths(articles: list[dict]) -> list[str]:
    archives = [_archive_path(i) for i in range(len(chunks(articles, PER_PAGE)))]
    months = [f"{CALENDAR}?miesiac={y}-{m:02d}" for y, m in ((2025, 7), (2025, 8), (2031, 1))]
    return (["/", "/?s=senior", CALENDAR, "/feed/"] + archives + list(_taxonomy_archives(articles))
            + list(STATIC_PAGES) + months + [f"/aktualnosci/?{FONT_PARAM}=duza"])


def article_path(article: dict) -> str:
    published = article["published"]
    return f"/{published:%Y}/{published:%m}/{article['key']}/"


def _archive_path(index: int) -> str:
    return "/aktualnosci/" if index == 0 else f"/aktualnosci/page/{index + 1}/"


def _category_path(name: str) -> str:
    return f"/kategoria/{slugify(name)}/"


def _tag_path(name: str) -> str:
    return f"/tag/{slugify(name)}/"


def _taxonomy_archives(articles: list[dict]) -> dict[str, tuple[str, list[dict]]]:
    archives: dict[str, tuple[str, list[dict]]] = {}
    for article in articles:
        terms = [(_category_path(article["category"]), f"Kategoria: {article['category']}")]
        terms += [(_tag_path(tag), f"Tag: {tag}") for tag in article.get("tags", [])]
        for path, title in terms:
            archives.setdefault(path, (title, []))[1].append(article)
    return dict(sorted(archives.items()))


def _related(article: dict, ordered: list[dict]) -> list[dict]:
    same = [a for a in ordered if a is not article and a["category"] == article["category"]]
    others = [a for a in ordered if a is not article and a not in same]
    return (same + others)[:RELATED]


def _calendar(layout: "_Layout", year: int, month: int) -> Resource | None:
    if not 1 <= month <= 12:
        return None
    prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    events = ("<li>14 czerwca – Dzień Seniora w parku miejskim</li>"
              if (year, month) == EVENT_MONTH else "<li>Brak wydarzeń w tym miesiącu.</li>")
    content = (f"<h1>Kalendarz wydarzeń – {MONTHS_NOMINATIVE[month - 1]} {year}</h1><ul>{events}</ul>"
               f'<a href="{CALENDAR}?miesiac={prev_y}-{prev_m:02d}">« poprzedni miesiąc</a> '
               f'<a href="{CALENDAR}?miesiac={next_y}-{next_m:02d}">następny miesiąc »</a>')
    return html_resource(layout.page("Wydarzenia", content))


def _search(layout: "_Layout", ordered: list[dict], query: str) -> Resource:
    found = [a for a in ordered if query.lower() in a["title"].lower()]
    return html_resource(layout.archive(f"Wyniki wyszukiwania: {query}", found, 0, 1))


def _post_meta(article: dict) -> str:
    updated = article.get("updated")
    updated_time = (f'<time class="updated" datetime="{warsaw_iso(updated)}">{long_date(updated)}</time>'
                    if updated else "")
    return (f'<div class="entry-meta"><span class="posted-on"><a href="{article_path(article)}" rel="bookmark">'
            f'<time class="entry-date published" datetime="{warsaw_iso(article["published"])}">'
            f"{date_text(article)}</time>{updated_time}</a></span>"
            f'<span class="byline"> autor: <span class="author vcard">{esc(article.get("author", ""))}'
            "</span></span></div>")


class _Layout:
    """Theme frame: header with font switch, menu, sidebar 'Najnowsze wpisy', cookie banner."""

    def __init__(self, newest: list[dict]):
        self.newest = newest

    def post(self, article: dict, related: list[dict]) -> str:
        tags = ", ".join(f'<a href="{_tag_path(t)}" rel="tag">{esc(t)}</a>' for t in article.get("tags", []))
        related_items = "".join(f'<li><a href="{article_path(a)}">{esc(a["title"])}</a></li>' for a in related)
        content = (
            f'<article class="post type-post status-publish hentry category-{slugify(article["category"])}">'
            f'<header class="entry-header"><h1 class="entry-title">{esc(article["title"])}</h1>'
            f"{_post_meta(article)}</header>"
            f'<div class="entry-content">{paragraphs_html(article["paragraphs"])}</div>'
            f'<div class="share-bar">Udostępnij: <a href="https://www.facebook.com/sharer/sharer.php">Facebook</a> '
            f'<a href="https://twitter.com/intent/tweet">X</a> <a href="mailto:?subject=MOPS">E-mail</a></div>'
            f'<footer class="entry-footer"><span class="cat-links">Kategoria: '
            f'<a href="{_category_path(article["category"])}" rel="category tag">{esc(article["category"])}</a>'
            f'</span> <span class="tags-links">Tagi: {tags}</span></footer>'
            f'</article><section class="related-posts"><h2>Zobacz także</h2><ul>{related_items}</ul></section>')
        return self.page(article["title"], content)

    def archive(self, title: str, articles: list[dict], index: int, total: int) -> str:
        items = "".join(
            f'<article class="post hentry"><h2 class="entry-title"><a href="{article_path(a)}">{esc(a["title"])}</a></h2>'
            f'{_post_meta(a)}<div class="entry-summary"><p>{esc(a["paragraphs"][0][:180])} […]</p></div>'
            f'<a class="more-link" href="{article_path(a)}">Czytaj dalej</a></article>' for a in articles)
        older = f'<a class="next" href="{_archive_path(index + 1)}">Starsze wpisy</a>' if index + 1 < total else ""
        newer = f'<a class="prev" href="{_archive_path(index - 1)}">Nowsze wpisy</a>' if index > 0 else ""
        return self.page(title, f'<h1 class="page-title">{esc(title)}</h1>{items}'
                         f'<nav class="navigation posts-navigation">{newer} {older}</nav>')

    def page(self, title: str, content: str) -> str:
        menu = "".join(f'<li class="menu-item"><a href="{href}">{label}</a></li>' for href, label in MENU)
        fonts = " ".join(f'<a href="?{FONT_PARAM}={size}">A</a>' for size in FONT_SIZES)
        newest = "".join(f'<li><a href="{article_path(a)}">{esc(a["title"])}</a>'
                         f'<span class="post-date">{date_text(a)}</span></li>' for a in self.newest)
        return f"""<!doctype html>
<html lang="pl-PL">
<head>
<meta charset="UTF-8">
<title>{esc(title)} – {SITE_NAME}</title>
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Kanał z wpisami" href="/feed/" />
<meta name="generator" content="WordPress 6.5.3" />
</head>
<body class="wp-singular">
{COOKIE_BANNER}
<header id="masthead" class="site-header"><p class="site-title"><a href="/" rel="home">{SITE_NAME}</a></p>
<div class="font-switch">Rozmiar tekstu: {fonts}</div>
<form role="search" method="get" action="/"><input type="search" name="s" placeholder="Szukaj…"></form>
<nav id="site-navigation"><ul id="primary-menu">{menu}</ul></nav></header>
<div id="content" class="site-content"><main id="main" class="site-main">
{content}
</main>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">Najnowsze wpisy</h2><ul>{newest}</ul></section>
<section class="widget"><h2 class="widget-title">Godziny pracy</h2><p>pon.–pt. 7.30–15.30</p></section></aside></div>
<footer class="site-footer"><p>&copy; 2025 {SITE_NAME}. Wszelkie prawa zastrzeżone.</p></footer>
</body>
</html>
"""
