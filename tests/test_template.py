"""Site templates: blocks recurring across a portal's pages are chrome, the articles' own text is not."""
from __future__ import annotations

from scraper.extract.main_text import extract
from scraper.extract.template import SiteTemplate

# A portal whose chrome the generic rules cannot see: plain paragraphs in the content column.
LAYOUT = """<html><head><meta charset="utf-8"><title>{title} - MOPS Zawiercie</title></head><body>
<div id="gora"><div class="logo">Miejski Ośrodek Pomocy Społecznej w Zawierciu</div></div>
<div id="srodek"><div class="kolumna">{content}
<p>Ośrodek czynny od poniedziałku do piątku w godzinach 7:30–15:30, kasa do godziny 14:00, w czwartki dyżur pracownika socjalnego do 17:00.</p>
<p>Projekt „Aktywni razem” współfinansowany ze środków Europejskiego Funduszu Społecznego w ramach Regionalnego Programu Operacyjnego.</p>
<p>Odwiedziło nas już {visitors} osób.</p></div></div>
<div id="dol">Miejski Ośrodek Pomocy Społecznej, ul. Piastowska 8, 42-400 Zawiercie, tel. 32 672 22 01</div>
</body></html>"""

ARTICLE = """<h2>{title}</h2><p class="data">{day}.03.2021</p><p>{lead}</p><p>{text}</p>"""

LISTING = """<h2>Aktualności</h2>{teasers}"""
TEASER = """<div class="zajawka"><h3><a href="/art/{n}">{title}</a></h3><p>{lead}</p></div>"""

ARTICLES = [
    ("Dzień Seniora w Klubie pod Lipami",
     "Ponad stu seniorów spotkało się w Klubie pod Lipami na dorocznym Dniu Seniora, organizowanym przez ośrodek.",
     "Wystąpił chór Jutrzenka, a uczestnicy wysłuchali wykładu o bezpieczeństwie w sieci i metodach oszustów."),
    ("Nabór na asystenta rodziny",
     "Ośrodek poszukuje kandydatów na stanowisko asystenta rodziny w pełnym wymiarze czasu pracy od kwietnia.",
     "Dokumenty można składać w sekretariacie do końca miesiąca, a szczegóły naboru opisano w ogłoszeniu."),
    ("Pomoc żywnościowa dla potrzebujących",
     "Rusza kolejny etap programu pomocy żywnościowej, z którego skorzysta ponad czterysta rodzin z miasta.",
     "Skierowania wydają pracownicy socjalni w punktach obsługi przy ulicy Piastowskiej i Paderewskiego."),
    ("Warsztaty dla rodziców nastolatków",
     "Psycholog ośrodka zaprasza rodziców nastolatków na cykl bezpłatnych warsztatów o komunikacji w rodzinie.",
     "Zajęcia odbywać się będą w środy o godzinie 17:00 w sali konferencyjnej ośrodka, liczba miejsc ograniczona."),
]
CHROME = ("godzinach 7:30", "Aktywni razem", "Odwiedziło nas", "ul. Piastowska 8", "Miejski Ośrodek Pomocy Społecznej w Zawierciu")


def article_page(n: int) -> tuple[str, str]:
    title, lead, text = ARTICLES[n]
    html = LAYOUT.format(title=title, visitors=41_000 + n * 37,
                         content=ARTICLE.format(title=title, day=10 + n, lead=lead, text=text))
    return f"https://mops.zawiercie.example/art/{n}", html


def listing_page() -> tuple[str, str]:
    teasers = "".join(TEASER.format(n=n, title=t, lead=lead) for n, (t, lead, _) in enumerate(ARTICLES))
    return "https://mops.zawiercie.example/aktualnosci", LAYOUT.format(title="Aktualności", visitors=40_999,
                                                                          content=LISTING.format(teasers=teasers))


def learned(*pages: tuple[str, str]) -> SiteTemplate:
    template = SiteTemplate()
    for url, html in pages:
        template.observe(url, html)
    return template


def test_generic_rules_alone_let_this_portals_chrome_through():
    url, html = article_page(3)
    body = extract(html, url).body
    assert any(chrome in body for chrome in CHROME)


def test_template_learned_from_other_pages_removes_the_chrome_but_keeps_the_article():
    template = learned(listing_page(), article_page(0), article_page(1), article_page(2))
    url, html = article_page(3)
    template.observe(url, html)
    out = extract(html, url, template)
    for chrome in CHROME:
        assert chrome not in out.body
    assert out.body == "\n\n".join(ARTICLES[3][1:])  # the lead survives although listings show it
    assert out.title == ARTICLES[3][0]
    assert out.date_lines == ["13.03.2021"]


def test_visitor_counters_with_different_numbers_are_one_block():
    template = learned(article_page(0), article_page(1), article_page(2))
    url, html = article_page(3)
    assert "Odwiedziło nas" not in extract(html, url, template).body


def test_one_article_under_three_urls_does_not_turn_its_body_into_chrome():
    url, html = article_page(0)
    template = learned((url, html), (url + "?czcionka=duza", html), (url + "?print=0", html), article_page(1))
    assert template.pages_seen == 2
    out = extract(html, url, template)
    assert ARTICLES[0][1] in out.body and ARTICLES[0][2] in out.body


def test_template_survives_json_round_trip():
    template = learned(listing_page(), article_page(0), article_page(1), article_page(2))
    restored = SiteTemplate.from_json(template.to_json())
    url, html = article_page(3)
    assert extract(html, url, restored).body == extract(html, url, template).body
    assert restored.pages_seen == template.pages_seen


def spelled(number: int) -> str:
    """Digits spelled as letters: page identities ignore digits (view counters change)."""
    return "".join("abcdefghij"[int(d)] for d in str(number))


def test_memory_is_bounded():
    template = SiteTemplate(max_entries=200)
    for n in range(60):
        paragraphs = "".join(f"<p>Akapit {spelled(n * 100 + k)} tekstu strony</p>" for k in range(40))
        template.observe(f"https://x.example/{n}", f"<html><body>{paragraphs}<div id='m'><p>Menu portalu</p></div></body></html>")
    assert len(template.blocks) <= 200
    assert template.pages_seen == 60


def test_a_post_shown_in_full_on_home_archive_and_category_pages_keeps_its_body():
    title, lead, text = ARTICLES[0]
    long_text = " ".join([lead, text, lead.lower(), text.lower()])
    full_post = f"<div class='wpis'><h2>{title}</h2><p>{long_text}</p></div>"
    template = SiteTemplate()
    for n, url in enumerate(("/", "/aktualnosci", "/kategoria/seniorzy", "/2021/03")):
        template.observe(url, LAYOUT.format(title=url, visitors=n, content=full_post + f"<p>Strona {spelled(n)}</p>"))
    html = LAYOUT.format(title=title, visitors=99, content=full_post + "<p class='data'>10.03.2021</p>")
    out = extract(html, "https://mops.zawiercie.example/2021/03/dzien-seniora", template)
    assert out.body == long_text
