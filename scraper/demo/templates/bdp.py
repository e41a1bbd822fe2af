"""Bank Dobrych Praktyk (archiwum.dobrepraktyki.pl): one PHP entry point, views by query string.

`index.php?p1=<section>&p2=<sub>&art=<id>&s=<view>`: s=2 is the article ("Pełna prezentacja"),
s=1 the summary with the "Metryka praktyki" table, s=3 the attachments. Article fields besides
the common ones: `p1`, `p2`, `summary`, `metryka` (table keys below). The visitor counter differs
on every page.
"""
from __future__ import annotations

import zlib

from ..page import (HostTree, attachment_resources, chunks, esc, html_resource, newest_first,
                    paragraphs_html)

HOSTS = ("archiwum.dobrepraktyki.pl",)
PER_PAGE = 5
DOWNLOADS = "/pliki/"
VIEWS = {1: "Skrót i Metryka", 2: "Pełna prezentacja", 3: "Załączniki"}
ARTICLE_VIEW = 2
SECTIONS = {
    "uslugi_spoleczne": ("Usługi społeczne", {
        "kultura": "Kultura", "pomoc_spoleczna": "Pomoc społeczna", "oswiata": "Oświata",
        "ochrona_zdrowia": "Ochrona zdrowia", "sport": "Sport i rekreacja"}),
    "uslugi_techniczne": ("Usługi techniczne", {}),
    "rozwoj": ("Rozwój instytucjonalny", {}),
    "energia": ("Efektywność energetyczna", {}),
    "jst_ngo": ("Współpraca JST-NGO", {"wspolpraca": "Współpraca"}),
    "jst_jst": ("Współpraca między JST", {}),
    "dialog": ("Dialog społeczny", {"konsultacje": "Konsultacje społeczne"}),
}
OTHER_PAGES = {"smup": "SMUP", "mapa": "Mapa Praktyk", "bazy": "Inne bazy danych",
               "publikacje": "Publikacje i dokumenty"}
METRYKA_LABELS = (
    ("typ_jednostki", "Typ jednostki"), ("miejscowosc", "Miejscowość"),
    ("wojewodztwo", "Województwo"), ("kod", "Kod pocztowy i Poczta"),
    ("jednostka", "Jednostka wdrażająca"), ("ulica", "Ulica"), ("www", "Wirtyna internetowa"),
    ("mieszkancy", "Liczba mieszkańców"), ("kontakt", "Osoby kontaktowe"))
COUNTER_BASE = 1_756_820
COUNTER_SPREAD = 9_973
SPONSORS = ("Wsparcie udzielone przez Norwegię poprzez dofinansowanie ze środków Norweskiego "
            "Mechanizmu Finansowego", "Związek Miast Polskich", "Związek Gmin Wiejskich RP",
            "Związek Powiatów Polskich", "Norweski Związek Władz Lokalnych i Regionalnych")


def render(articles: list[dict], base_urls: dict[str, str]) -> dict[str, HostTree]:
    ordered = newest_first(articles)
    pages = {view_path(a, view): _view_page(a, view) for a in articles for view in VIEWS}
    for p1 in SECTIONS:
        members = [a for a in ordered if a["p1"] == p1]
        page_chunks = chunks(members, PER_PAGE)
        for i, chunk in enumerate(page_chunks):
            path = _section_path(p1, i)
            pages[path] = _page(path, _listing(p1, None, chunk, i, len(page_chunks)))
        for p2 in SECTIONS[p1][1]:
            path = f"/index.php?p1={p1}&p2={p2}"
            subset = [a for a in members if a["p2"] == p2]
            pages[path] = _page(path, _listing(p1, p2, subset, 0, 1))
    home = _listing(None, None, ordered[:5], 0, 1)
    pages |= {"/": _page("/", home), "/index.php": _page("/index.php", home)}
    pages |= {f"/index.php?p1={key}": _page(f"/index.php?p1={key}", f"<h2>{label}</h2><p>Strona w przebudowie.</p>")
              for key, label in OTHER_PAGES.items()}
    pages |= attachment_resources(articles, DOWNLOADS)
    return {HOSTS[0]: HostTree(pages)}


def article_path(article: dict) -> str:
    return view_path(article, ARTICLE_VIEW)


def date_text(article: dict) -> str:
    return article["published"].isoformat()


def non_article_paths(articles: list[dict]) -> list[str]:
    other_views = [view_path(a, v) for a in articles for v in VIEWS if v != ARTICLE_VIEW]
    listings = [_section_path(p1, i) for p1 in SECTIONS
                for i in range(len(chunks([a for a in articles if a["p1"] == p1], PER_PAGE)))]
    return ["/", "/index.php"] + listings + [f"/index.php?p1={k}" for k in OTHER_PAGES] + other_views


def view_path(article: dict, view: int) -> str:
    return f"/index.php?p1={article['p1']}&p2={article['p2']}&art={article['key']}&s={view}"


def _section_path(p1: str, index: int) -> str:
    return f"/index.php?p1={p1}" + (f"&strona={index + 1}" if index else "")


def _counter(path: str) -> str:
    return f"{COUNTER_BASE + zlib.crc32(path.encode()) % COUNTER_SPREAD:,}".replace(",", ".")


def _view_nav(article: dict) -> str:
    links = " -&gt; ".join(f'<a href="{esc(view_path(article, v)[1:])}">{label}</a>' for v, label in VIEWS.items())
    return f'<p class="nawigacja">.:   {links}   :.</p>'


def _metryka(article: dict) -> str:
    metryka = article.get("metryka", {})
    rows = [("Data wprowadzenia do BDP", article["published"].isoformat()),
            ("Data aktualizacji", article["updated"].isoformat() if article.get("updated") else "")]
    rows += [(label, "<br />".join(esc(v) for v in metryka[key]) if isinstance(metryka[key], list)
              else esc(metryka[key])) for key, label in METRYKA_LABELS if key in metryka]
    cells = "".join(f'<tr><td class="etykieta">{label}:</td><td>{value}</td></tr>' for label, value in rows)
    return f'<h3>Metryka praktyki</h3><table class="metryka">{cells}</table>'


def _view_page(article: dict, view: int):
    section, subsections = SECTIONS[article["p1"]]
    heading = (f'<p class="sekcja">{section} : {subsections.get(article["p2"], "")}</p>'
               f'<h2>{esc(article["title"])}</h2>{_view_nav(article)}')
    if view == 1:
        content = f'<p>{esc(article.get("summary", article["paragraphs"][0]))}</p>{_metryka(article)}'
    elif view == 2:
        content = f'<div class="prezentacja">{paragraphs_html(article["paragraphs"])}</div>{_metryka(article)}'
    else:
        files = "".join(f'<li><a href="{DOWNLOADS}{esc(a["file"])}">{esc(a["title"])}</a> ({esc(a["size"])})</li>'
                        for a in article.get("attachments", []))
        content = f"<ul>{files}</ul>" if files else "<p>Brak załączników.</p>"
    path = view_path(article, view)
    return _page(path, heading + content + _view_nav(article))


def _listing(p1: str | None, p2: str | None, articles: list[dict], index: int, total: int) -> str:
    title = (SECTIONS[p1][0] + (f" : {SECTIONS[p1][1][p2]}" if p2 else "")) if p1 else "Najnowsze praktyki"
    items = "".join(f'<li><a href="{esc(view_path(a, 1)[1:])}">{esc(a["title"])}</a> '
                    f'- {esc(a.get("metryka", {}).get("miejscowosc", ""))} '
                    f'<a href="{esc(view_path(a, ARTICLE_VIEW)[1:])}">pełna prezentacja &raquo;</a></li>'
                    for a in articles)
    pager = "".join(f' <a href="{esc(_section_path(p1, i)[1:])}">[{i + 1}]</a>' for i in range(total)
                    if i != index) if p1 and total > 1 else ""
    return f'<h2>{title}</h2><ul class="praktyki">{items}</ul>' + (f"<p>Strony:{pager}</p>" if pager else "")


def _menu() -> str:
    items = []
    for p1, (label, subsections) in SECTIONS.items():
        subs = "".join(f'<li><a href="index.php?p1={p1}&amp;p2={p2}">&raquo; {sub}</a></li>'
                       for p2, sub in subsections.items() if p1 == "uslugi_spoleczne")
        items.append(f'<li><a href="index.php?p1={p1}">{label}</a>' + (f"<ul>{subs}</ul>" if subs else "") + "</li>")
    items += [f'<li><a href="index.php?p1={key}">{label}</a></li>' for key, label in OTHER_PAGES.items()]
    return f'<ul id="menu"><li><a href="index.php">Strona główna</a></li>{"".join(items)}</ul>'


def _page(path: str, content: str):
    sponsors = "".join(f"<td>{s}</td>" for s in SPONSORS)
    return html_resource(f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Bank Dobrych Praktyk</title>
<script type="text/javascript">function pokaz(id){{document.getElementById(id).style.display='block';}}</script>
</head>
<body>
<table id="uklad"><tr><td id="lewa">{_menu()}
<div id="licznik"><b>{_counter(path)}</b><br>gości odwiedziło nas<br>od 1 kwietnia 2008 r.</div>
<p><a href="http://www.jst.org.pl/">Portal jst.org.pl</a></p></td>
<td id="tresc">{content}</td></tr></table>
<table id="stopka"><tr>{sponsors}</tr></table>
</body>
</html>
""")
