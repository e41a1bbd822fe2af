"""A generated municipal news portal for the crawl benchmark, rendered to static files.

The pages are those of the Nowy Sącz replica (scraper/demo/templates/nowysacz.py: hand-written
XHTML, "O nas" / "Menu strony" / "Obszary działania" side boxes, footer, a date line such as
"3 marca 2020 r." under the title) filled with synthetic Polish articles built from the phrase
tables below, dated evenly over YEARS. Rendering is deterministic.
"""
from __future__ import annotations

import argparse
import random
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from scraper.demo.polish import MONTHS_GENITIVE
from scraper.demo.templates import nowysacz as template

YEARS = range(2010, 2026)
# The template's pager links every listing page from every listing page: at its own 5 per page,
# 20,000 articles would make 4,000 listings of 4,000 links each.
LISTING_SIZE = 100
PARAGRAPHS = (3, 5)
SENTENCES = (3, 6)

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
class Portal:
    root: Path
    articles: int
    other_pages: int  # listings, home, side-box and static pages
    pages: int


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def sentence(rng: random.Random) -> str:
    day = rng.randint(1, 25)
    tail = rng.choice(TAILS).format(
        street=rng.choice(STREETS), number=rng.randint(2, 999), day=day, day2=day + rng.randint(1, 3),
        phone=rng.randint(10, 99), month=rng.choice(MONTHS_GENITIVE),
    )
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {tail}"


def make_article(number: int, published: date, rng: random.Random) -> dict:
    """An article dict as the replica templates take it (see scraper/demo/content.py)."""
    head, topic = rng.choice(TITLE_HEADS), rng.choice(TITLE_TOPICS)
    paragraphs = [
        " ".join(sentence(rng) for _ in range(rng.randint(*SENTENCES)))
        for _ in range(rng.randint(*PARAGRAPHS))
    ]
    return {
        "key": f"{number}-{slugify(f'{head} {topic}')}",
        "title": f"{head} {topic} ({number})",
        "paragraphs": paragraphs,
        "published": published,
        "author": rng.choice(SIGNATURES),
    }


def make_articles(count: int, seed: int = 2020) -> list[dict]:
    """`count` articles, oldest first, dated evenly across YEARS."""
    rng = random.Random(seed)
    first, last = date(YEARS[0], 1, 1), date(YEARS[-1], 12, 31)
    step = (last - first).days / max(count, 1)
    return [make_article(n + 1, first + timedelta(days=int(n * step)), rng) for n in range(count)]


@contextmanager
def listing_size(size: int) -> Iterator[None]:
    saved, template.PER_PAGE = template.PER_PAGE, size
    try:
        yield
    finally:
        template.PER_PAGE = saved


def write_portal(root: Path, article_count: int) -> Portal:
    """Render the portal under `root`: one file per page (`/` becomes index.html)."""
    articles = make_articles(article_count)
    with listing_size(LISTING_SIZE):
        pages = template.render(articles, {})[template.HOSTS[0]].pages
        other_pages = len(template.non_article_paths(articles))
    for path, resource in pages.items():
        target = root / (path.lstrip("/") or "index.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(resource.payload)
    return Portal(root, article_count, other_pages, len(pages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    portal = write_portal(args.root, args.articles)
    print(f"{portal.pages} pages ({portal.articles} articles, {portal.other_pages} others) in {portal.root}")


if __name__ == "__main__":
    main()
