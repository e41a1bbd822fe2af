"""A gminna Centrum Usług Społecznych on a home-grown CMS (held-out): chrome that reads like content.

Nothing on these pages is named like chrome (no nav/aside/footer, no "menu"/"sidebar" classes),
and the chrome is written in sentences, as on many small municipal portals: a "Komunikat" above
every page, a "Dyżury" box with opening hours, an "O Centrum" box with two paragraphs under every
article in the content column, a closing "Masz pytania?" paragraph inside every article, three
"Inne wiadomości" teasers (heading link and a lead sentence) under every article, and a long
footer of addresses and hours. Page by page they look like the article's text; across the portal
they repeat. Articles are `/aktualnosci/<key>-<slug>`; listing `/aktualnosci?strona=N`.
"""
from __future__ import annotations

from ..page import HostTree, chunks, esc, html_resource, newest_first, paragraphs_html
from ..polish import long_date, slugify

HOSTS = ("cus-borowiec.test",)
SITE_NAME = "Centrum Usług Społecznych w Borowcu"
PER_PAGE = 4
RELATED = 3
LEAD_CHARS = 140
LISTING = "/aktualnosci"
MENU = (("/", "Strona główna"), (LISTING, "Aktualności"), ("/kontakt", "Kontakt"))
NOTICE = ("W okresie wakacyjnym, od 1 lipca do 31 sierpnia, Centrum przyjmuje interesantów od poniedziałku "
          "do piątku w godzinach 7.30–14.30.")
DUTY_HOURS = ("Pracownik socjalny dyżuruje w każdy wtorek w godzinach 15.30–17.00 w świetlicy wiejskiej "
              "w Dębinie, a w każdy czwartek w remizie strażackiej w Olszynce.")
ABOUT = ("Centrum Usług Społecznych w Borowcu powstało z przekształcenia Gminnego Ośrodka Pomocy Społecznej. "
         "Pomagamy rodzinom, seniorom, osobom z niepełnosprawnościami i wszystkim mieszkańcom gminy, którzy "
         "znaleźli się w trudnej sytuacji.",
         "Organizujemy usługi opiekuńcze, wsparcie asystentów rodziny, zajęcia w świetlicach i klubach, "
         "poradnictwo prawne i psychologiczne oraz dowozy do lekarzy dla osób starszych z sołectw.")
QUESTIONS = ("Masz pytania? Zadzwoń do Punktu Informacyjnego Centrum pod numer 22 100 20 30 lub napisz na "
             "adres info@cus-borowiec.test – odpowiadamy w ciągu trzech dni roboczych.")
FOOTER = (
    ("Centrum Usług Społecznych w Borowcu", ("ul. Lipowa 12, 05-250 Borowiec",
     "Sekretariat jest czynny od poniedziałku do piątku w godzinach 7.30–15.30, tel. 22 100 20 00.")),
    ("Dział Świadczeń Rodzinnych", ("ul. Szkolna 3, 05-250 Borowiec, pokój 4 na parterze budynku Urzędu Gminy.",
     "Wnioski o świadczenia przyjmujemy w poniedziałki, środy i piątki w godzinach 8.00–15.00.")),
    ("Numer rachunku bankowego", ("Bank Spółdzielczy w Borowcu 12 3456 0000 1111 2222 3333 4444",)),
)
CONTACT = ("Centrum Usług Społecznych w Borowcu, ul. Lipowa 12, 05-250 Borowiec. Sekretariat: tel. 22 100 20 00, "
           "Punkt Informacyjny: tel. 22 100 20 30, e-mail: info@cus-borowiec.test.")
STATS_SCRIPT = "<script>window.dataLayer = window.dataLayer || []; dataLayer.push({'strona': 'cus'});</script>"


def render(articles: list[dict], base_urls: dict[str, str]) -> dict[str, HostTree]:
    ordered = newest_first(articles)
    layout = _Layout(ordered)
    pages = {article_path(a): html_resource(layout.article(a)) for a in articles}
    page_chunks = chunks(ordered, PER_PAGE)
    pages |= {_listing_path(n): html_resource(layout.listing(chunk, n, len(page_chunks)))
              for n, chunk in enumerate(page_chunks, 1)}
    pages["/"] = html_resource(layout.page(SITE_NAME, _teasers(ordered[:PER_PAGE], "h2")))
    pages["/kontakt"] = html_resource(layout.page("Kontakt", f"<h1>Kontakt</h1><p>{esc(CONTACT)}</p>"))
    return {HOSTS[0]: HostTree(pages)}


def article_path(article: dict) -> str:
    return f"{LISTING}/{article['key']}-{slugify(article['title'])}"


def date_text(article: dict) -> str:
    return f"{long_date(article['published'])} r., godz. {article['published']:%H:%M}"


def non_article_paths(articles: list[dict]) -> list[str]:
    listings = [_listing_path(n) for n in range(1, len(chunks(articles, PER_PAGE)) + 1)]
    return ["/", "/kontakt"] + listings


def _listing_path(number: int) -> str:
    return LISTING if number == 1 else f"{LISTING}?strona={number}"


def _lead(article: dict) -> str:
    first = article["paragraphs"][0]
    return first if len(first) <= LEAD_CHARS else first[:LEAD_CHARS].rsplit(" ", 1)[0] + "…"


def _teasers(articles: list[dict], heading: str) -> str:
    return "".join(f'<div class="zajawka"><{heading}><a href="{article_path(a)}">{esc(a["title"])}</a></{heading}>'
                   f'<p>{esc(_lead(a))}</p></div>' for a in articles)


class _Layout:
    """Header with the site name, left column (news titles, duty hours), content column, footer."""

    def __init__(self, ordered: list[dict]):
        self.ordered = ordered

    def article(self, article: dict) -> str:
        related = [a for a in self.ordered if a is not article][:RELATED]
        about = "".join(f"<p>{esc(p)}</p>" for p in ABOUT)
        content = (
            f'<div class="wpis"><h1>{esc(article["title"])}</h1>'
            f'<p class="data">Dodano: {date_text(article)}</p>'
            f'<p class="podpis">Opracowanie: {esc(article["author"])}</p>'
            f'{paragraphs_html(article["paragraphs"], heading_tag="h2")}'
            f'<p class="pytania">{esc(QUESTIONS)}</p>'
            f'<h3>Inne wiadomości</h3>{_teasers(related, "h4")}</div>'
            f'<div class="blok-centrum"><h3>O Centrum</h3>{about}</div>')
        return self.page(article["title"], content)

    def listing(self, articles: list[dict], number: int, total: int) -> str:
        pages = " ".join(f'<a href="{_listing_path(n)}">{n}</a>' if n != number else f"<b>{n}</b>"
                         for n in range(1, total + 1))
        return self.page("Aktualności", f"<h1>Aktualności</h1>{_teasers(articles, 'h2')}<p class=\"strony\">Strony: {pages}</p>")

    def page(self, title: str, content: str) -> str:
        menu = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in MENU)
        newest = "".join(f'<li><a href="{article_path(a)}">{esc(a["title"])}</a></li>' for a in self.ordered[:5])
        footer = "".join(f'<div class="kol"><h3>{esc(name)}</h3>{"".join(f"<p>{esc(line)}</p>" for line in lines)}</div>'
                         for name, lines in FOOTER)
        return f"""<!DOCTYPE html>
<html lang="pl"><head><meta charset="utf-8">
<title>{esc(title)} – {SITE_NAME}</title>
{STATS_SCRIPT}
</head>
<body>
<div id="gora"><a href="/" class="logo">{SITE_NAME}</a><p class="motto">Pomagamy mieszkańcom gminy Borowiec od 1991 roku.</p>
<ul id="glowne">{menu}</ul></div>
<div id="srodek">
<div id="lewa"><div class="blok"><h3>Aktualności</h3><ul>{newest}</ul></div>
<div class="blok"><h3>Dyżury</h3><p>{esc(DUTY_HOURS)}</p></div></div>
<div id="prawa"><div class="komunikat"><p><strong>Komunikat:</strong> {esc(NOTICE)}</p></div>
{content}
</div></div>
<div id="dol">{footer}<p class="prawa">{SITE_NAME} 2024. Administrator: Urząd Gminy Borowiec.</p></div>
</body></html>
"""
