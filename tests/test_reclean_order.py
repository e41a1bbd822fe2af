"""Issue #14 class 11: what a crawl stores does not depend on the order the portal's pages arrive in.

A box that a few articles of a portal show in the same place ("Dyżur radnych") becomes chrome
once the template has seen it on enough pages. Met late in a crawl, the articles that showed it
first were read while it still counted as their text; met early, they were read again at the
end. The same pages fed to the stage chain (clean -> dates -> dedupe -> store, a real archive.db)
in two orders must leave the same stored text.
"""
from __future__ import annotations

import random

from scrapy.settings import Settings

from scraper import settings as project_settings
from scraper.archive.db import connect
from scraper.crawl.stages import StageChain, StageContext
from scraper.items import Page

BASE = "https://gmina.example.pl/aktualnosci/"
BOX = "Dyżur radnych odbywa się w każdy czwartek w ratuszu, pokój numer dwanaście."
WORDS = ("mieszkańcy seniorzy ośrodek pomoc rodzina gmina zajęcia spotkanie program świetlica dzieci "
         "wolontariusze stypendium wniosek projekt warsztaty opiekunowie koło świadczenie dofinansowanie").split()
PLAIN, BOXED = 14, 3


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "."


def article(n: int, boxed: bool) -> str:
    rng = random.Random(n)
    paragraphs = "".join(f"<p>{sentence(rng)} {sentence(rng)}</p>" for _ in range(3))
    box = f"<div class='ramka'><p>{BOX}</p></div>" if boxed else ""
    return (f"<html><head><title>Wiadomość {n} - Gmina</title></head><body>"
            f"<nav><a href='/'>Start</a> <a href='/aktualnosci/'>Aktualności</a> <a href='/kontakt'>Kontakt</a></nav>"
            f"<main><article><h1>Wiadomość numer {n} z życia gminy</h1><p class='data'>Opublikowano: {n} marca 2024</p>"
            f"{paragraphs}{box}</article></main><footer><p>Urząd Gminy, ul. Rynek 1</p></footer></body></html>")


def pages() -> list[Page]:
    return [Page(url=f"{BASE}{n}", canonical_url=f"{BASE}{n}", source="gmina", html=article(n, n >= PLAIN),
                 fetched_at="2024-04-01T00:00:00+00:00") for n in range(PLAIN + BOXED)]


def stored_after(order: list[Page], db_path) -> list[tuple]:
    settings = Settings({name: getattr(project_settings, name) for name in dir(project_settings)
                         if name.startswith("ARCHIWUM_")} | {"ARCHIWUM_DB": str(db_path)})
    chain = StageChain.build(StageContext(settings)).open()
    for page in order:
        chain.process(page)
    chain.close()
    db = connect(str(db_path))
    try:
        return [tuple(row) for row in db.execute("select url, title, body, published from articles order by url")]
    finally:
        db.conn.close()


def test_two_orders_of_the_same_pages_store_the_same_text(tmp_path):
    boxed_first = stored_after(pages()[PLAIN:] + pages()[:PLAIN], tmp_path / "boxed-first.db")
    boxed_last = stored_after(pages(), tmp_path / "boxed-last.db")
    assert len(boxed_last) == PLAIN + BOXED
    assert boxed_last == boxed_first
    assert not any(BOX in body for _, _, body, _ in boxed_last)  # three articles, same place: chrome
    assert db_notes(tmp_path / "boxed-last.db") == 0


def db_notes(db_path) -> int:
    db = connect(str(db_path))
    try:
        return db.execute("select count(*) from early_pages").fetchone()[0]
    finally:
        db.conn.close()
