"""Work per page grows with the page, not faster (issue #13): big generated pages extract in
reasonable time. The timeouts are generous bounds against a hang (the quadratic repeat check
took minutes on a 5 MB table), not speed targets: those live in bench/extraction.py."""
from __future__ import annotations

import random

import pytest

from scraper.extract.main_text import extract
from scraper.extract.template import SiteTemplate

HEAD = "<!DOCTYPE html><html lang='pl'><head><meta charset='utf-8'><title>{0}</title></head><body><h1>{0}</h1>"


def table_page(rows: int) -> str:
    """A register of decisions: one dated row per decision, a file link in each."""
    cells = "".join(f"<tr><td>{i}</td><td>Zasiłek celowy nr {i}</td><td>{i % 28 + 1:02d}.03.2024</td>"
                    f"<td><a href='/decyzje/{i}.pdf'>decyzja {i}</a></td></tr>" for i in range(rows))
    return (HEAD.format("Rejestr decyzji") + "<p>Wykaz decyzji wydanych w 2024 roku przez ośrodek pomocy społecznej, "
            f"w kolejności ich wydania.</p><table>{cells}</table></body></html>")


def near_identical_page(paragraphs: int) -> str:
    """The same notice over and over, each copy with two typos in its longer words."""
    chance = random.Random(13)
    notice = "W dniu jutrzejszym punkt wydawania żywności będzie czynny od godziny ósmej do szesnastej"

    def typo(text: str) -> str:
        words = text.split()
        long = [i for i, word in enumerate(words) if len(word) >= 6]
        i = chance.choice(long)
        at = chance.randrange(len(words[i]))
        words[i] = words[i][:at] + "x" + words[i][at + 1:]
        return " ".join(words)
    body = "".join(f"<p>{typo(typo(notice))}.</p>" for _ in range(paragraphs))
    return HEAD.format("Komunikaty") + body + "</body></html>"


@pytest.mark.timeout(120)
def test_a_table_page_of_50000_rows_extracts_every_row():
    html = table_page(50_000)
    assert len(html) > 5_000_000
    out = extract(html, "https://ops.example.pl/rejestr", SiteTemplate())
    assert "Zasiłek celowy nr 0 " in out.body and "Zasiłek celowy nr 49999 " in out.body
    assert len(out.attachments) == 50_000


@pytest.mark.timeout(120)
def test_a_page_of_20000_near_identical_paragraphs_keeps_one():
    out = extract(near_identical_page(20_000), "https://ops.example.pl/komunikaty", SiteTemplate())
    assert len(out.body.split("\n\n")) == 1, out.body[:500]
