"""gdansk.pl: `/<section>/<Slug>,a,<id>` where only the id matters (other slugs get a 301).

Article fields besides the common ones: `section` (default "wiadomosci"; other sections are
static pages showing only "Ostatnia aktualizacja" from `updated`), `contact` (lines closing a
static page). News print the date under the lead. The header clock and the footer year are dates
that are not the article's.
"""
from __future__ import annotations

import re

from ..feeds import rss, sitemap
from ..page import (HostTree, attachment_resources, chunks, esc, html_resource, newest_first,
                    paragraphs_html, redirect, robots_txt)
from ..polish import numeric_date, padded_long_date, slugify

HOSTS = ("www.gdansk.pl",)
NEWS = "wiadomosci"
PER_PAGE = 5
DOWNLOADS = "/download/"
HEADER_CLOCK = "Aktualny czas środa, 7 października 2015 • Imieniny: Marii, Justyny, Rozalii"
MENU = (("/", "Strona główna"), (f"/{NEWS}", "Wiadomości"), ("/strategia", "Strategia"),
        ("/kontakt", "Kontakt"), ("/szukaj", "Szukaj"))
STATIC_PAGES = {
    "/kontakt": ("Kontakt", "Urząd Miejski w Gdańsku, ul. Nowe Ogrody 8/12, 80-803 Gdańsk. "
                 "Gdańskie Centrum Kontaktu: tel. 58 52 44 500, e-mail: gck@gdansk.gda.pl."),
    "/szukaj": ("Wyszukiwarka", "Wpisz szukane słowo. Brak wyników dla pustego zapytania."),
}
ARTICLE_URL = re.compile(r"/([a-z]+)/([^/?]+),a,(\d+)(?:\?.*)?")


def render(articles: list[dict], base_urls: dict[str, str]) -> dict[str, HostTree]:
    base = base_urls[HOSTS[0]]
    ordered = newest_first(articles)
    news = [a for a in ordered if _section(a) == NEWS]
    layout = _Layout(news[:5])
    pages = {article_path(a): html_resource(layout.article(a)) for a in articles}
    page_chunks = chunks(news, PER_PAGE)
    pages |= {_listing_path(i): html_resource(layout.listing(chunk, i, len(page_chunks)))
              for i, chunk in enumerate(page_chunks)}
    static = [a for a in ordered if _section(a) != NEWS]
    pages["/"] = html_resource(layout.listing(news[:4] + static, 0, 1))
    pages["/strategia"] = html_resource(layout.listing(static, 0, 1))
    pages |= {path: html_resource(layout.page(title, f"<h1>{title}</h1><p>{esc(text)}</p>"))
              for path, (title, text) in STATIC_PAGES.items()}
    pages |= attachment_resources(articles, DOWNLOADS)
    pages["/sitemap.xml"] = sitemap((base + article_path(a)[1:], a.get("updated") or a.get("published"))
                                    for a in ordered)
    pages["/rss/aktualnosci.xml"] = rss("Gdańsk - wiadomości", base + NEWS, [
        (a["title"], base + article_path(a)[1:], a["published"], a["paragraphs"][0]) for a in news])
    pages["/robots.txt"] = robots_txt(["/szukaj"], base + "sitemap.xml")
    canonical = {str(a["key"]): article_path(a) for a in articles}
    return {HOSTS[0]: HostTree(pages, routes=[(ARTICLE_URL, _slug_redirect(canonical))])}


def date_text(article: dict) -> str | None:
    return numeric_date(article["published"]) if article.get("published") else None


def non_article_paths(articles: list[dict]) -> list[str]:
    news = [a for a in articles if _section(a) == NEWS]
    listings = [_listing_path(i) for i in range(len(chunks(news, PER_PAGE)))]
    return ["/", "/strategia"] + listings + list(STATIC_PAGES)


def article_path(article: dict) -> str:
    return f"/{_section(article)}/{slugify(article['title'], lower=False)},a,{article['key']}"


def lowercase_path(article: dict) -> str:
    """The same article under a lower-cased slug, as other pages of the portal link to it."""
    return f"/{_section(article)}/{slugify(article['title'])},a,{article['key']}"


def _section(article: dict) -> str:
    return article.get("section", NEWS)


def _listing_path(index: int) -> str:
    return f"/{NEWS}" if index == 0 else f"/{NEWS}?page={index + 1}"


def _slug_redirect(canonical: dict[str, str]):
    def handler(match: re.Match, tree: HostTree):
        target = canonical.get(match.group(3))
        return redirect(target) if target else None
    return handler


def _attachments(article: dict) -> str:
    return "".join(f'<li><a href="{DOWNLOADS}{esc(a["file"])}">&gt; {esc(a["title"])}</a> '
                   f'<span class="file-size">{esc(a["size"])}</span></li>'
                   for a in article.get("attachments", []))


class _Layout:
    """The gdansk.pl frame: header clock with name days, menu, 'Najnowsze' with lower-cased links."""

    def __init__(self, newest: list[dict]):
        self.newest = newest

    def article(self, article: dict) -> str:
        if _section(article) != NEWS:
            return self.page(article["title"], self._static_body(article))
        lead, *rest = article["paragraphs"]
        author = f'<p class="author">Autor: {esc(article["author"])}</p>' if article.get("author") else ""
        attachments = _attachments(article)
        files = f'<div class="attachments"><h3>Załączniki</h3><ul>{attachments}</ul></div>' if attachments else ""
        return self.page(article["title"], (
            f'<article class="news-full"><h1>{esc(article["title"])}</h1>'
            f'<div class="lead"><p><strong>{esc(lead)}</strong></p></div>'
            f'<div class="news-date">{date_text(article)}</div>'
            f'<div class="content">{paragraphs_html(rest, heading_tag="h2")}</div>{author}{files}'
            f'<div class="share">Udostępnij: <a href="https://www.facebook.com/sharer/sharer.php">Facebook</a></div>'
            "</article>"))

    def _static_body(self, article: dict) -> str:
        contact = "<br />".join(esc(line) for line in article.get("contact", []))
        return (f'<article class="static-page"><h1>{esc(article["title"])}</h1>'
                f'<div class="font-size"><a href="#">A</a><br /><a href="#">A</a></div>'
                f'<p class="last-update">Ostatnia aktualizacja: {padded_long_date(article["updated"])} r.</p>'
                f'<div class="content">{paragraphs_html(article["paragraphs"], heading_tag="h2")}</div>'
                f"<p>Jeżeli zaiteresowała Cię powyższa problematyka pobież:</p>"
                f'<ul class="files">{_attachments(article)}</ul>'
                f'<div class="contact-box"><p>{contact}</p></div></article>')

    def listing(self, articles: list[dict], index: int, total: int) -> str:
        items = "".join(
            f'<li class="news-item"><a href="{article_path(a)}"><h2>{esc(a["title"])}</h2></a>'
            f'<span class="date">{date_text(a) or ""}</span><p>{esc(a["paragraphs"][0][:200])}</p></li>'
            for a in articles)
        pager = "".join(f'<a href="{_listing_path(i)}">{i + 1}</a> ' for i in range(total) if i != index)
        return self.page("Wiadomości", f'<ul class="news-list">{items}</ul>'
                         + (f'<div class="pager">Strona {index + 1}: {pager}</div>' if total > 1 else ""))

    def page(self, title: str, content: str) -> str:
        menu = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in MENU)
        newest = "".join(f'<li><a href="{lowercase_path(a)}">{esc(a["title"])}</a>'
                         f' <span>{date_text(a)}</span></li>' for a in self.newest)
        return f"""<!DOCTYPE html>
<html lang="pl">
<head>
<meta charset="utf-8">
<title>{esc(title)} | Gdańsk</title>
<link rel="alternate" type="application/rss+xml" href="/rss/aktualnosci.xml">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}} gtag('js', new Date());</script>
</head>
<body>
<header class="top-bar"><div class="clock">{HEADER_CLOCK}</div>
<a class="logo" href="/">Gdańsk</a><nav><ul class="main-menu">{menu}</ul></nav></header>
<main class="container"><div class="row"><div class="col-main">
{content}
</div>
<aside class="col-side"><h3>Najnowsze</h3><ul>{newest}</ul></aside></div></main>
<footer><p>Urząd Miejski w Gdańsku, ul. Nowe Ogrody 8/12, 80-803 Gdańsk</p><p>&copy; 2023 Gdańsk</p></footer>
</body>
</html>
"""
