"""Pathological pages, generated: what BIP registers, visitor statistics and careless CMSes serve.

Each is an article-like page (a title, a date line, one sentence) around one pathological part, up
to ~5 MB (DOWNLOAD_MAXSIZE is 8 MB). bench/pathological.py times them through every stage; the
fault server (tests/faultserver.py, `/patho/`) serves them to a real crawl.
"""
from __future__ import annotations

import json
import random

BASE_URL = "http://127.0.0.1:8999/"
BIP_URL = "https://bip.example.invalid/"  # a register on a host of its own: parsed, never followed
WORDS = ("pomoc", "społeczna", "świadczenie", "rodzina", "zarządzenie", "ośrodek", "mieszkańców", "wniosek")


def page(body: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="pl"><head><title>Rejestr statystyk</title>{head}</head><body>'
            '<nav><a href="/">Start</a> <a href="/aktualnosci/">Aktualności</a></nav>'
            '<main><article><h1>Rejestr odwiedzin i statystyki</h1><p>Data publikacji: 03.02.2024</p>'
            f'<p>Miejski Ośrodek Pomocy Społecznej publikuje zestawienie za rok 2023.</p>{body}</article></main>'
            '<footer>© Urząd Miasta</footer></body></html>')


def word(i: int) -> str:
    return WORDS[i % len(WORDS)]


def jsonld(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def typo_variants(count: int) -> list[str]:
    """The same notice over and over, each copy with two typos in its longer words (a page that
    pasted one notice many times, or an OCR'd register): near-identical lines."""
    chance = random.Random(13)
    notice = "W dniu jutrzejszym punkt wydawania żywności będzie czynny od godziny ósmej do szesnastej"

    def typo(text: str) -> str:
        words = text.split()
        i = chance.choice([i for i, word in enumerate(words) if len(word) >= 6])
        at = chance.randrange(len(words[i]))
        words[i] = words[i][:at] + "x" + words[i][at + 1:]
        return " ".join(words)
    return [typo(typo(notice)) + "." for _ in range(count)]


def deep_json(levels: int) -> str:
    return '{"@context": "https://schema.org", "@type": "NewsArticle", "about": ' + '{"a": ' * levels + "1" + "}" * levels + "}"


PAGES = {
    "table_50k": lambda: page("<table>" + "".join(
        f"<tr><td>2023-{i % 12 + 1:02d}-{i % 28 + 1:02d} {i % 24:02d}:{i % 60:02d}</td><td>10.0.{i % 256}.{i % 199}</td>"
        f"<td>/bip/{word(i)}/{i}</td><td>{i * 7 % 1000}</td></tr>" for i in range(50_000)) + "</table>"),
    # the same register as most CMSes write it: every row and cell named (libxml2's XPath unions and
    # parent steps over so many elements take minutes)
    "table_50k_classed": lambda: page('<table class="rejestr">' + "".join(
        f'<tr class="{("n", "p")[i % 2]}" id="w{i}"><td class="d">2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}</td>'
        f'<td class="a">10.0.{i % 256}.{i % 199}</td><td class="s">/bip/{word(i)}/{i}</td>'
        f'<td class="l">{i * 7 % 1000}</td></tr>' for i in range(50_000)) + "</table>"),
    "microdata_list_20k": lambda: page('<ul itemscope itemtype="https://schema.org/ItemList">' + "".join(
        f'<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><meta itemprop="position" '
        f'content="{i}"><span itemprop="name">Uchwała nr {i}/2023 w sprawie {word(i)}</span> '
        f'<time itemprop="datePublished" datetime="2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}">{i % 28 + 1}.{i % 12 + 1:02d}.2023</time></li>'
        for i in range(20_000)) + "</ul>"),
    "definitions_25k": lambda: page("<dl>" + "".join(
        f"<dt>Decyzja nr {i}/2023</dt><dd>{word(i)} – {word(i + 1)}, wydana {i % 28 + 1:02d}.{i % 12 + 1:02d}.2023</dd>"
        for i in range(25_000)) + "</dl>"),
    "numbered_p_20k": lambda: page("".join(
        f"<p>Zarządzenie nr {i}/2023 Prezydenta Miasta w sprawie {word(i)} – {word(i + 1)} dla "
        f"{word(i + 2)} w roku 2023, ogłoszone w Biuletynie Informacji Publicznej dnia {i % 28 + 1}.</p>"
        for i in range(20_000))),
    "near_identical_p_20k": lambda: page("".join(f"<p>{line}</p>" for line in typo_variants(20_000))),
    "similar_p_20k": lambda: page("".join(
        f"<p>Zarządzenie Prezydenta Miasta w sprawie {word(i)} – {word(i // 8)} dla {word(i // 64)} w roku "
        f"bieżącym, ogłoszone w Biuletynie Informacji Publicznej {word(i // 512)}.</p>" for i in range(20_000))),
    "links_20k": lambda: page("<ul>" + "".join(
        f'<li><a href="{BIP_URL}dokument/{i}/{word(i)}">Dokument nr {i}: {word(i)}</a></li>' for i in range(20_000)) + "</ul>"),
    "nesting_5000": lambda: page("<div>" * 5000 + "Głęboko zagnieżdżony tekst o pomocy społecznej." + "</div>" * 5000),
    "one_line_5mb": lambda: page("<p>" + "x" * 5_000_000 + "</p>"),
    "br_lines_10k": lambda: page("<p>" + "".join(
        f"Pozycja {i}: {word(i)} {word(i + 3)} – kwota {i * 13 % 9000} zł<br>" for i in range(10_000)) + "</p>"),
    "images_5000": lambda: page("".join(
        f'<img src="/galeria/{i}.jpg" alt="Zdjęcie {i} z wydarzenia: {word(i)} i {word(i + 1)}">'
        for i in range(5_000))),
    "jsonld_5mb": lambda: page("<p>Treść artykułu o pomocy społecznej w mieście.</p>", jsonld(
        {"@context": "https://schema.org", "@graph": [
            {"@type": "WebPage", "name": f"Strona {i} {word(i)}", "url": f"{BASE_URL}s/{i}",
             "description": f"Opis {word(i)} {word(i + 1)} {i}"} for i in range(40_000)]})),
    "tiny_p_in_divs_2000": lambda: page("".join(f"<div><p>{word(i)}</p></div>" for i in range(2_000))),
    # small pages that made a stage raise (the article was lost without a word)
    "jsonld_nested_5000": lambda: page("<p>Treść artykułu o pomocy społecznej w mieście.</p>", (
        '<script type="application/ld+json">' + deep_json(5000) + "</script>")),
    "jsonld_graph_5": lambda: page("<p>Treść artykułu o pomocy społecznej w mieście.</p>",
                                   jsonld({"@context": "https://schema.org", "@graph": 5})),
    "views_2_63": lambda: page("<p>Treść artykułu o pomocy społecznej w mieście, z licznikiem.</p>"
                               f"<p>Wyświetleń: {2 ** 63}</p><p>Liczba odsłon: {2 ** 64 + 5}</p>"),
}
ORDINARY = page("<p>" + " ".join(f"{word(i)} {word(i + 3)}" for i in range(200)) + "</p>")
