"""Hand-written XHTML 1.0 Strict of integracjaipraca.info (Nowy Sącz, Wydział Integracji i Rynku Pracy).

Articles live at `/<key>.html`; article fields used besides the common ones: `charset`
(default utf-8) and `declare_charset` (default true; false leaves the charset nowhere, as on one
real page). A declared non-UTF-8 charset appears only in `<meta http-equiv>`, never in the header.
The side boxes are written without whitespace between elements, so naive text extraction glues
"Kampanie społeczne" to "Valid XHTML 1.0 Strict".
"""
from __future__ import annotations

from ..page import (HostTree, chunks, esc, html_resource, newest_first, paragraphs_html)
from ..polish import long_date

HOSTS = ("integracjaipraca.info",)
PER_PAGE = 5
ABOUT = ("Wydział Integracji i Rynku Pracy Urzędu Miasta Nowego Sącza sprawuje nadzór nad Sądeckim "
         "Urzędem Pracy, Miejskim Ośrodkiem Pomocy Społecznej,\nŚrodowiskowym Domem Samopomocy, "
         "miejskimi Domami Pomocy Społecznej,\na także urzędnikami realizującymi zadania z obszaru "
         "PFRON.\nWśród kompetencji wydziału znajduje się m.in. współpraca z organizacjami "
         "pozarządowymi\ni innymi podmiotami, działającymi w obszarze polityki społecznej\nna rzecz "
         "mieszkańców Miasta Nowego Sącza.")
MENU = (("index.html", "Strona główna"), ("aktualnosci.html", "Archiwum aktualności"),
        ("galeria.html", "Galeria"), ("kontakt.html", "Kontakt"))
# (file, label, topics whose articles the area page lists)
AREAS = (
    ("rynekpracy", "Lokalny Rynek Pracy", ("rynek pracy",)),
    ("politykaspoleczna", "Polityka Społeczna",
     ("polityka społeczna", "wsparcie rodziny", "bezdomność", "uzależnienia", "rewitalizacja")),
    ("ngo", "Wspierania organizacji NGO", ("organizacje pozarządowe", "budżet obywatelski")),
    ("instytucjerp", "Instytucje Rynku Pracy", ()),
    ("instytucjeps", "Instytucje Pomocy Społecznej", ()),
    ("radarp", "Powiatowa Rada Rynku Pracy", ()),
    ("partnerstwo", "Partnerstwo na rzecz Rynku Pracy", ()),
    ("kampanie", "Kampanie społeczne", ("seniorzy", "niepełnosprawność")),
)
STATIC_PAGES = {
    "kontakt": ("Kontakt", "Urząd Miasta Nowego Sącza, Wydział Integracji i Rynku Pracy, "
                "ul. Szwedzka 2, 33-300 Nowy Sącz, tel. 18 443 53 20, pokój 214."),
    "galeria": ("Galeria", "Zdjęcia z warsztatów rewitalizacyjnych, Sądeckich Targów Pracy "
                "i spotkań Forum Seniorów. Albumy: Targi Pracy 2016 (24 zdjęcia), Warsztaty "
                "rewitalizacyjne (12 zdjęć), Dzień Seniora 2016 (31 zdjęć)."),
}
COUNTER_SCRIPT = ('<script type="text/javascript">//<![CDATA[\nvar licznik = new Image(); '
                  'licznik.src = "/licznik.php?s=" + escape(document.referrer);\n//]]></script>')


def render(articles: list[dict], base_urls: dict[str, str]) -> dict[str, HostTree]:
    ordered = newest_first(articles)
    pages = {article_path(a): _article_page(a) for a in articles}
    home = html_resource(_layout("Strona główna", _teasers(ordered[:3]) + _more_link()))
    pages |= {"/": home, "/index.html": home}
    pages |= {_listing_path(n): html_resource(_listing(chunk, n, len(chunks(ordered, PER_PAGE))))
              for n, chunk in enumerate(chunks(ordered, PER_PAGE), 1)}
    pages |= {f"/{file}.html": html_resource(_area_page(label, topics, ordered))
              for file, label, topics in AREAS}
    pages |= {f"/{file}.html": html_resource(_layout(title, f"<h3>{title}</h3><p>{esc(text)}</p>"))
              for file, (title, text) in STATIC_PAGES.items()}
    return {HOSTS[0]: HostTree(pages)}


def article_path(article: dict) -> str:
    return f"/{article['key']}.html"


def article_key(article: dict) -> str:
    return article_path(article)


def date_text(article: dict) -> str:
    return f"{long_date(article['published'])} r."


def non_article_paths(articles: list[dict]) -> list[str]:
    listings = [_listing_path(n) for n in range(1, len(chunks(articles, PER_PAGE)) + 1)]
    return (["/", "/index.html"] + listings + [f"/{f}.html" for f, _, _ in AREAS]
            + [f"/{f}.html" for f in STATIC_PAGES])


def _listing_path(number: int) -> str:
    return "/aktualnosci.html" if number == 1 else f"/aktualnosci{number}.html"


def _article_page(article: dict):
    charset = article.get("charset", "utf-8")
    declared = article.get("declare_charset", True)
    body = (f"<h3>{esc(article['title'])}</h3>\n<p class=\"data\">{date_text(article)}</p>\n\n"
            f"{paragraphs_html(article['paragraphs'])}\n\n"
            f"<p class=\"podpis\">{esc(article.get('author') or '')}</p>")
    text = _layout(article["title"], body, charset if declared else None)
    return html_resource(text, charset, charset_in_header=charset == "utf-8")


def _teasers(articles: list[dict]) -> str:
    return "".join(
        f"<div class=\"news\"><h3><a href=\"{a['key']}.html\">{esc(a['title'])}</a></h3>"
        f"<p class=\"data\">{date_text(a)}</p><p>{esc(a['paragraphs'][0][:220])}... "
        f"<a href=\"{a['key']}.html\">więcej &raquo;</a></p></div>\n" for a in articles)


def _more_link() -> str:
    return '<p><a href="aktualnosci.html">Archiwum aktualności &raquo;</a></p>'


def _listing(articles: list[dict], number: int, total: int) -> str:
    pager = " ".join(f"<a href=\"{_listing_path(n)[1:]}\">{n}</a>" if n != number else f"<b>{n}</b>"
                     for n in range(1, total + 1))
    return _layout("Archiwum aktualności", _teasers(articles) + f"<p class=\"strony\">Strony: {pager}</p>")


def _area_page(label: str, topics: tuple[str, ...], articles: list[dict]) -> str:
    related = [a for a in articles if a.get("topic") in topics]
    items = "".join(f"<li><a href=\"{a['key']}.html\">{esc(a['title'])}</a></li>" for a in related)
    listing = f"<ul>{items}</ul>" if items else "<p>Informacje w przygotowaniu.</p>"
    return _layout(label, f"<h3>{esc(label)}</h3>{listing}")


def _side_boxes() -> str:
    menu = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in MENU)
    areas = "".join(f'<li><a href="{file}.html">{label}</a></li>' for file, label, _ in AREAS)
    return (f'<div id="lewa"><div class="ramka"><h2>O nas</h2><p>{ABOUT}</p></div>'
            f'<div class="ramka"><h2>Menu strony</h2><ul>{menu}</ul></div>'
            f'<div class="ramka"><h2>Obszary działania</h2><ul>{areas}</ul>'
            '<p class="valid"><a href="http://validator.w3.org/check?uri=referer">'
            'Valid XHTML 1.0 Strict</a></p></div></div>')


def _layout(title: str, content: str, charset: str | None = "utf-8") -> str:
    meta = (f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />\n'
            if charset else "")
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="pl" lang="pl">
<head>
{meta}<title>Wydział Integracji i Rynku Pracy - {esc(title)}</title>
<link rel="stylesheet" type="text/css" href="style.css" />
{COUNTER_SCRIPT}
</head>
<body>
<div id="kontener">
<div id="naglowek"><h1><a href="index.html">Wydział Integracji i Rynku Pracy</a></h1><p>Urząd Miasta Nowego Sącza</p></div>
{_side_boxes()}<div id="tresc"><h2>Aktualności:</h2>

{content}
</div>
<div id="stopka"><p>Urząd Miasta Nowego Sącza - Wydział Integracji i Rynku Pracy, ul. Szwedzka 2, 33-300 Nowy Sącz</p></div>
</div>
</body>
</html>
"""
