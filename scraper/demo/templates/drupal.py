"""A Drupal 7 OPS site (held-out; in the manner of ms.bielsko-biala.pl).

Articles are `/node/<id>` with "czw., 18.05.2017 - 10:33"; some nodes are not articles (contact,
about); listing `/aktualnosci?page=N` (zero-based, as Drupal pages); breadcrumbs, a sidebar
"Najnowsze", tag pages `/taxonomy/term/<tid>`. Article fields besides the common ones: `tags`.
"""
from __future__ import annotations

import re
from urllib.parse import unquote

from ..page import (HostTree, chunks, esc, html_resource, newest_first, paragraphs_html,
                    robots_txt)
from ..polish import drupal_date, warsaw_iso

HOSTS = ("ops-drupal.test",)
SITE_NAME = "Ośrodek Pomocy Społecznej"
PER_PAGE = 3
LISTING = "/aktualnosci"
FIRST_TERM_ID = 10
PAGE_NODES = {
    "/node/2": ("Kontakt", "Ośrodek Pomocy Społecznej, ul. Szkolna 4. Kierownik: Barbara Wilk. "
                "Tel. 33 810 22 40, czynne pon.–pt. 7.30–15.30."),
    "/node/3": ("O Ośrodku", "Ośrodek realizuje zadania gminy z zakresu pomocy społecznej, "
                "świadczeń rodzinnych, dodatków mieszkaniowych i wspierania rodziny."),
}
SEARCH_URL = re.compile(r"/search/node/([^?]*)")
DRUPAL_DISALLOW = ("/admin/", "/user/", "/search/", "/?q=admin/", "/?q=search/")
MENU = (("/", "Strona główna"), (LISTING, "Aktualności"), ("/node/3", "O Ośrodku"),
        ("/node/2", "Kontakt"))


def render(articles: list[dict], base_urls: dict[str, str]) -> dict[str, HostTree]:
    ordered = newest_first(articles)
    terms = _term_ids(articles)
    layout = _Layout(ordered[:5], terms)
    pages = {article_path(a): html_resource(layout.node(a)) for a in articles}
    page_chunks = chunks(ordered, PER_PAGE)
    pages |= {_listing_path(i): html_resource(layout.listing("Aktualności", chunk, i, len(page_chunks)))
              for i, chunk in enumerate(page_chunks)}
    pages["/"] = html_resource(layout.listing(SITE_NAME, ordered[:PER_PAGE], 0, 1))
    for tag, tid in terms.items():
        tagged = [a for a in ordered if tag in a.get("tags", [])]
        pages[f"/taxonomy/term/{tid}"] = html_resource(layout.listing(tag, tagged, 0, 1))
    pages |= {path: html_resource(layout.page(title, f'<div class="field-body"><p>{esc(text)}</p></div>', title))
              for path, (title, text) in PAGE_NODES.items()}
    pages["/robots.txt"] = robots_txt(DRUPAL_DISALLOW)
    search = (SEARCH_URL, lambda m, tree: html_resource(layout.listing(
        f"Szukaj: {unquote(m[1])}", [a for a in ordered if unquote(m[1]).lower() in a["title"].lower()], 0, 1)))
    return {HOSTS[0]: HostTree(pages, [search])}


def date_text(article: dict) -> str:
    return drupal_date(article["published"])


def non_article_paths(articles: list[dict]) -> list[str]:
    listings = [_listing_path(i) for i in range(len(chunks(articles, PER_PAGE)))]
    terms = [f"/taxonomy/term/{tid}" for tid in _term_ids(articles).values()]
    return ["/", "/search/node/pomoc"] + listings + terms + list(PAGE_NODES)


def article_path(article: dict) -> str:
    return f"/node/{article['key']}"


def _listing_path(index: int) -> str:
    return LISTING if index == 0 else f"{LISTING}?page={index}"


def _term_ids(articles: list[dict]) -> dict[str, int]:
    tags = sorted({t for a in articles for t in a.get("tags", [])})
    return {tag: FIRST_TERM_ID + i for i, tag in enumerate(tags)}


class _Layout:
    """Bartik-like frame: header, main menu, breadcrumb, sidebar blocks, footer."""

    def __init__(self, newest: list[dict], terms: dict[str, int]):
        self.newest, self.terms = newest, terms

    def node(self, article: dict) -> str:
        tags = "".join(f'<li><a href="/taxonomy/term/{self.terms[t]}" typeof="skos:Concept">{esc(t)}</a></li>'
                       for t in article.get("tags", []))
        content = (
            f'<div id="node-{article["key"]}" class="node node-article node-full clearfix">'
            f'<div class="meta submitted">Opublikowane przez '
            f'<span class="username">{esc(article.get("author", ""))}</span> dnia '
            f'<span property="dc:date dc:created" content="{warsaw_iso(article["published"])}" '
            f'datatype="xsd:dateTime">{date_text(article)}</span></div>'
            f'<div class="content"><div class="field field-name-body">{paragraphs_html(article["paragraphs"])}</div>'
            f'<div class="field field-name-field-tags"><div class="field-label">Tagi:&nbsp;</div><ul>{tags}</ul></div></div>'
            f'<ul class="links inline"><li class="print_html">'
            f'<a href="#" onclick="window.print();return false;">Wersja do druku</a></li></ul></div>')
        return self.page(article["title"], content, "Aktualności")

    def listing(self, title: str, articles: list[dict], index: int, total: int) -> str:
        teasers = "".join(
            f'<div class="node node-article node-teaser"><h2><a href="{article_path(a)}">{esc(a["title"])}</a></h2>'
            f'<div class="meta submitted"><span>{date_text(a)}</span></div>'
            f'<div class="field-body"><p>{esc(a["paragraphs"][0])}</p></div>'
            f'<ul class="links inline"><li class="node-readmore"><a href="{article_path(a)}">Czytaj dalej</a></li></ul></div>'
            for a in articles)
        pager = "".join(f'<li class="pager-item"><a href="{esc(_listing_path(i))}">{i + 1}</a></li>' if i != index
                        else f'<li class="pager-current">{i + 1}</li>' for i in range(total))
        return self.page(title, teasers + (f'<ul class="pager">{pager}</ul>' if total > 1 else ""))

    def page(self, title: str, content: str, crumb: str | None = None) -> str:
        crumbs = '<a href="/">Strona główna</a>' + (f' » <a href="{LISTING}">{crumb}</a>' if crumb else "")
        menu = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in MENU)
        newest = "".join(f'<li><a href="{article_path(a)}">{esc(a["title"])}</a></li>' for a in self.newest)
        return f"""<!DOCTYPE html>
<html lang="pl" dir="ltr" prefix="content: http://purl.org/rss/1.0/modules/content/ dc: http://purl.org/dc/terms/">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="Generator" content="Drupal 7 (http://drupal.org)" />
<title>{esc(title)} | {SITE_NAME}</title>
<script>jQuery.extend(Drupal.settings, {{"basePath":"\\/","pathPrefix":"","ajaxPageState":{{"theme":"bartik"}}}});</script>
</head>
<body class="html not-front">
<div id="page-wrapper"><div id="header"><a href="/" title="Strona główna" rel="home" id="logo">{SITE_NAME}</a>
<div id="main-menu" class="navigation"><ul class="links">{menu}</ul></div></div>
<div id="main"><div id="breadcrumb"><h2 class="element-invisible">Jesteś tutaj</h2><div class="breadcrumb">{crumbs} » {esc(title)}</div></div>
<div id="content" class="column"><h1 class="title" id="page-title">{esc(title)}</h1>
{content}
</div>
<div id="sidebar-second" class="column sidebar"><div class="block block-views"><h2>Najnowsze</h2><ul>{newest}</ul></div>
<div class="block"><h2>Godziny pracy</h2><p>pon.–pt. 7.30–15.30, kasa: wt. i czw. 9.00–13.00</p></div></div></div>
<div id="footer"><p>{SITE_NAME} &copy; 2018 | Deklaracja dostępności</p></div></div>
</body>
</html>
"""
