"""A generated municipal news portal for the crawl benchmark, rendered to static files.

Articles are spread evenly over YEARS and listed in month archives paginated by
LISTING_SIZE, so every article is at most four links from the home page:
home → year → month (page 1) → month page N → article.
Text is synthetic Polish built from phrase tables; rendering is deterministic.
"""
from __future__ import annotations

import argparse
import html
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

CITY = "Miasto Przykładowo"
YEARS = range(2010, 2026)
LISTING_SIZE = 20
NEWEST_IN_SIDEBAR = 5
PARAGRAPHS = (3, 5)
SENTENCES = (3, 6)

MONTHS_GENITIVE = (
    "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
    "lipca", "sierpnia", "września", "października", "listopada", "grudnia",
)
MONTHS_NOMINATIVE = (
    "Styczeń", "Luty", "Marzec", "Kwiecień", "Maj", "Czerwiec",
    "Lipiec", "Sierpień", "Wrzesień", "Październik", "Listopad", "Grudzień",
)

MENU = (
    ("/", "Strona główna"),
    ("/o-nas.html", "O nas"),
    ("/pomoc-spoleczna.html", "Pomoc społeczna"),
    ("/kontakt.html", "Kontakt"),
    ("/deklaracja-dostepnosci.html", "Deklaracja dostępności"),
)
STATIC_PAGES = {
    "o-nas.html": "Miejski Ośrodek Pomocy Społecznej realizuje zadania gminy z zakresu pomocy "
    "społecznej, wspierania rodziny i przeciwdziałania wykluczeniu.",
    "pomoc-spoleczna.html": "Świadczenia, pracownicy socjalni, dyżury i formularze do pobrania.",
    "kontakt.html": "ul. Główna 1, 00-001 Przykładowo, tel. 12 345 67 89, sekretariat@mops.example.pl",
    "deklaracja-dostepnosci.html": "Strona internetowa jest częściowo zgodna z ustawą o dostępności "
    "cyfrowej stron internetowych.",
}

TITLE_HEADS = (
    "Nabór wniosków", "Spotkanie informacyjne", "Bezpłatne warsztaty", "Podsumowanie programu",
    "Rusza rekrutacja", "Konsultacje społeczne", "Dyżury pracowników socjalnych",
    "Nowy punkt wsparcia", "Otwarty konkurs ofert", "Zmiana godzin pracy", "Szkolenie",
    "Wyniki głosowania", "Akcja zimowa", "Piknik rodzinny", "Debata",
)
TITLE_TOPICS = (
    "dla seniorów", "w ramach budżetu obywatelskiego", "dla osób z niepełnosprawnościami",
    "dla rodzin wielodzietnych", "w Klubie Seniora „Złota Jesień”", "o rewitalizacji śródmieścia",
    "dla osób w kryzysie bezdomności", "dla organizacji pozarządowych", "w Centrum Integracji Społecznej",
    "o przeciwdziałaniu przemocy w rodzinie", "dla opiekunów osób zależnych",
    "w sprawie mieszkań wspomaganych", "dla młodzieży", "dotyczące Karty Dużej Rodziny",
)
SUBJECTS = (
    "Miejski Ośrodek Pomocy Społecznej", "Urząd Miasta", "Prezydent Miasta", "Rada Seniorów",
    "Powiatowy Urząd Pracy", "Centrum Integracji Społecznej", "Wydział Polityki Społecznej",
    "Punkt Interwencji Kryzysowej", "Zespół Interdyscyplinarny", "Miejska Rada Działalności Pożytku Publicznego",
    "Fundacja „Razem”", "Stowarzyszenie Pomocy Wzajemnej", "Klub Integracji Społecznej",
)
VERBS = (
    "zaprasza", "informuje", "przypomina", "ogłasza", "zachęca", "przygotował", "realizuje",
    "podsumował", "rozpoczyna", "kontynuuje", "organizuje", "uruchomił",
)
OBJECTS = (
    "mieszkańców na bezpłatne konsultacje", "nabór wniosków o dofinansowanie", "cykl warsztatów",
    "program wsparcia opiekunów", "zbiórkę żywności i odzieży", "spotkanie z przedstawicielami organizacji",
    "projekt aktywizacji zawodowej", "kampanię społeczną", "szkolenie dla wolontariuszy",
    "dyżury asystentów rodziny", "bezpłatne porady prawne", "zajęcia ruchowe dla seniorów",
    "program „Opieka wytchnieniowa”", "usługi opiekuńcze w miejscu zamieszkania",
)
TAILS = (
    "w siedzibie ośrodka przy ulicy {street} {number}.", "w dniach od {day} do {day2} {month}.",
    "we współpracy z organizacjami pozarządowymi.", "w ramach środków Funduszu Solidarnościowego.",
    "do {day} {month} włącznie.", "dla {number} uczestników.", "pod numerem telefonu 12 {number} 45 {phone}.",
    "na terenie osiedla {street}.", "przy wsparciu Państwowego Funduszu Rehabilitacji Osób Niepełnosprawnych.",
    "zgodnie z uchwałą Rady Miasta nr {number}/{phone}.", "z budżetu w wysokości {number} tys. zł.",
)
STREETS = (
    "Kościuszki", "Mickiewicza", "Słowackiego", "Żeromskiego", "Piłsudskiego", "Wojska Polskiego",
    "Łąkowa", "Źródlana", "Śląska", "Grunwaldzka", "Kilińskiego", "Ogrodowa",
)
SIGNATURES = ("Anna Kowalska, MOPS", "Renata Stawiarska UM", "Biuro Prasowe", "Zespół redakcyjny", "Jan Nowak")


@dataclass(frozen=True)
class Article:
    number: int
    title: str
    published: date
    paragraphs: tuple[str, ...]
    signature: str

    @property
    def path(self) -> str:
        return f"/aktualnosci/{self.number}-{slugify(self.title.rsplit(' (', 1)[0])}.html"

    @property
    def listing_path(self) -> str:
        return month_path(self.published.year, self.published.month)


@dataclass(frozen=True)
class Portal:
    root: Path
    articles: int
    listings: int
    pages: int


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def polish_date(day: date) -> str:
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} r."


def month_path(year: int, month: int, page: int = 1) -> str:
    base = f"/archiwum/{year}/{month:02d}/"
    return base if page == 1 else f"{base}strona-{page}.html"


def sentence(rng: random.Random) -> str:
    day = rng.randint(1, 25)
    tail = rng.choice(TAILS).format(
        street=rng.choice(STREETS), number=rng.randint(2, 999), day=day, day2=day + rng.randint(1, 3),
        phone=rng.randint(10, 99), month=rng.choice(MONTHS_GENITIVE),
    )
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {tail}"


def make_article(number: int, published: date, rng: random.Random) -> Article:
    paragraphs = tuple(
        " ".join(sentence(rng) for _ in range(rng.randint(*SENTENCES)))
        for _ in range(rng.randint(*PARAGRAPHS))
    )
    title = f"{rng.choice(TITLE_HEADS)} {rng.choice(TITLE_TOPICS)} ({number})"
    return Article(number, title, published, paragraphs, rng.choice(SIGNATURES))


def make_articles(count: int, seed: int = 2020) -> list[Article]:
    """`count` articles, oldest first, dated evenly across YEARS."""
    rng = random.Random(seed)
    first, last = date(YEARS[0], 1, 1), date(YEARS[-1], 12, 31)
    step = (last - first).days / max(count, 1)
    return [make_article(n + 1, first + timedelta(days=int(n * step)), rng) for n in range(count)]


def link(path: str, text: str) -> str:
    return f'<a href="{path}">{html.escape(text)}</a>'


def page(title: str, main: str, sidebar: str) -> str:
    menu = "".join(f"<li>{link(path, text)}</li>" for path, text in MENU)
    return f"""<!DOCTYPE html>
<html lang="pl"><head><meta charset="utf-8"><title>{html.escape(title)} - {CITY}</title>
<link rel="stylesheet" href="/style.css"></head>
<body><div id="cookies">Ta strona używa plików cookies. <a href="/o-nas.html">Więcej</a></div>
<header><div class="logo">{CITY} — Miejski Ośrodek Pomocy Społecznej</div>
<nav class="menu"><ul>{menu}</ul></nav><div class="font-size">A A A</div></header>
<div class="container"><main>{main}</main>
<aside class="sidebar">{sidebar}</aside></div>
<footer><p>Miejski Ośrodek Pomocy Społecznej, ul. Główna 1, 00-001 Przykładowo</p>
<p>tel. 12 345 67 89 · <a href="/kontakt.html">Kontakt</a> · <a href="/deklaracja-dostepnosci.html">Deklaracja dostępności</a></p>
<p>© 2025 {CITY}. Wszelkie prawa zastrzeżone.</p></footer></body></html>
"""


def sidebar(newest: list[Article]) -> str:
    latest = "".join(f"<li>{link(a.path, a.title)}</li>" for a in newest)
    years = "".join(f"<li>{link(f'/archiwum/{y}/', str(y))}</li>" for y in reversed(YEARS))
    return f"<h3>Najnowsze</h3><ul>{latest}</ul><h3>Archiwum</h3><ul>{years}</ul>"


def article_html(article: Article, side: str) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    main = (
        f'<div class="breadcrumbs">{link("/", "Strona główna")} » {link(article.listing_path, "Aktualności")}</div>'
        f"<article><h1>{html.escape(article.title)}</h1>"
        f'<p class="date">{polish_date(article.published)}</p>'
        f'<div class="content">{body}<p class="signature">{html.escape(article.signature)}</p></div>'
        f'</article><p>{link(article.listing_path, "« Powrót do listy")} · '
        f'<a href="javascript:window.print()">Drukuj</a></p>'
    )
    return page(article.title, main, side)


def teaser(article: Article) -> str:
    return (
        f'<div class="news"><h2>{link(article.path, article.title)}</h2>'
        f'<span class="date">{polish_date(article.published)}</span>'
        f"<p>{html.escape(article.paragraphs[0][:160])}…</p></div>"
    )


def pagination(year: int, month: int, current: int, last: int) -> str:
    links = [
        f"<li>{link(month_path(year, month, n), str(n))}</li>" if n != current else f"<li>{n}</li>"
        for n in range(1, last + 1)
    ]
    return f'<ul class="pagination">{"".join(links)}</ul>'


def listing_pages(year: int, month: int, articles: list[Article], side: str) -> dict[str, str]:
    chunks = [articles[i:i + LISTING_SIZE] for i in range(0, len(articles), LISTING_SIZE)] or [[]]
    heading = f"Aktualności — {MONTHS_NOMINATIVE[month - 1]} {year}"
    return {
        month_path(year, month, n): page(
            heading,
            f"<h1>{heading}</h1>{''.join(teaser(a) for a in chunk)}{pagination(year, month, n, len(chunks))}",
            side,
        )
        for n, chunk in enumerate(chunks, start=1)
    }


def year_page(year: int, side: str) -> str:
    months = "".join(
        f"<li>{link(month_path(year, m), f'{MONTHS_NOMINATIVE[m - 1]} {year}')}</li>" for m in range(1, 13)
    )
    return page(f"Archiwum {year}", f"<h1>Archiwum {year}</h1><ul>{months}</ul>", side)


def site_files(articles: list[Article]) -> dict[str, str]:
    """Every page of the portal: URL path → HTML."""
    newest = articles[-NEWEST_IN_SIDEBAR:][::-1]
    side = sidebar(newest)
    files = {a.path: article_html(a, side) for a in articles}
    by_month: dict[tuple[int, int], list[Article]] = {(y, m): [] for y in YEARS for m in range(1, 13)}
    for article in reversed(articles):
        by_month[(article.published.year, article.published.month)].append(article)
    for (year, month), listed in by_month.items():
        files.update(listing_pages(year, month, listed, side))
    files.update({f"/archiwum/{y}/": year_page(y, side) for y in YEARS})
    home = f"<h1>Aktualności</h1>{''.join(teaser(a) for a in articles[-LISTING_SIZE:][::-1])}"
    files["/"] = page("Strona główna", home, side)
    files.update({f"/{name}": page(name, f"<p>{text}</p>", side) for name, text in STATIC_PAGES.items()})
    return files


def write_portal(root: Path, article_count: int) -> Portal:
    """Render the portal under `root` (directory URLs become index.html)."""
    files = site_files(make_articles(article_count))
    for path, text in files.items():
        target = root / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    listings = sum(1 for path in files if path.startswith("/archiwum/"))
    return Portal(root, article_count, listings, len(files))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    portal = write_portal(args.root, args.articles)
    print(f"{portal.pages} pages ({portal.articles} articles, {portal.listings} listings) in {portal.root}")


if __name__ == "__main__":
    main()
