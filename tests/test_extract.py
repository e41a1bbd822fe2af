"""Main text and metadata of single pages shaped like the seed portals (shared/seeds, PORTALS.md)."""
from __future__ import annotations

import unicodedata

import pytest

from bench.extraction import labelled_pages
from scraper.extract.main_text import extract
from scraper.extract.template import SiteTemplate

LATER = ("Uczestnicy podzieleni na cztery grupy wskazywali, jakie funkcje dominują na osiedlach i jak oceniany "
         "jest stan infrastruktury technicznej oraz społecznej. ")
LOREM = ("W środę w sali reprezentacyjnej ratusza odbyło się spotkanie warsztatowe, poprowadzone przez "
         "przedstawicieli firmy doradczej, w związku z opracowaniem programu rewitalizacji miasta. ")

NOWY_SACZ = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>Wydział Integracji i Rynku Pracy - Rewitalizacja społeczna Miasta Nowego Sącza</title></head>
<body><div id="kontener"><div id="naglowek"><h1><a href="index.html">Wydział Integracji i Rynku Pracy</a></h1></div>
<div id="lewa"><div class="ramka"><h2>O nas</h2><p>Wydział Integracji i Rynku Pracy Urzędu Miasta Nowego Sącza
sprawuje nadzór nad Sądeckim Urzędem Pracy, Miejskim Ośrodkiem Pomocy Społecznej, Środowiskowym Domem Samopomocy,
miejskimi Domami Pomocy Społecznej, a także urzędnikami realizującymi zadania z obszaru PFRON.</p></div><div class="ramka"><h2>Obszary działania</h2><ul><li><a href="a.html">Lokalny Rynek Pracy</a></li><li><a href="b.html">Kampanie społeczne</a></li></ul><p class="valid"><a href="http://validator.w3.org/check?uri=referer">Valid XHTML 1.0 Strict</a></p></div></div><div id="tresc"><h2>Aktualności:</h2>
<h3>Rewitalizacja społeczna Miasta Nowego Sącza</h3>
<p class="data">10 kwietnia 2016 r.</p>
<p>W środę 6 kwietnia w sali reprezentacyjnej nowosądeckiego ratusza odbyło się spotkanie warsztatowe w związku z opracowaniem "Programu Rewitalizacji Miasta Nowego Sącza na lata 2016-2022".</p>
<p>Dzisiejsze warsztaty poprzedziło przeprowadzenie badania ankietowego, którego wyniki pozwoliły na wytyczenie granic oraz scharakteryzowanie obszarów problemowych.</p>
<p class="podpis">Renata Stawiarska UM</p></div>
<div id="stopka"><p>Urząd Miasta Nowego Sącza - Wydział Integracji i Rynku Pracy, ul. Szwedzka 2, 33-300 Nowy Sącz</p></div></div>
</body></html>"""

ARTICLE_INFO = """<dl class="article-info muted"><dt class="article-info-term">Szczegóły</dt>
<dd class="category-name"><a href="/dla-mieszkanca/12-realizowane-projekty-i-programy">Realizowane projekty i programy</a></dd>
<dd class="published"><time datetime="2020-03-03T14:55:00+01:00">Opublikowano: wtorek, 03, marzec 2020 14:55</time></dd>
<dd class="hits"><meta itemprop="interactionCount" content="UserPageVisits:30562" />{label}: 30562</dd></dl>"""

JOOMLA = f"""<!DOCTYPE html><html lang="pl-pl"><head><meta charset="utf-8" />
<title>Spotkania fokusowe z lokalnymi liderami - Rewitalizacja Starachowice</title>
<link href="/dla-mieszkanca/12-realizowane-projekty-i-programy/1187-spotkania-fokusowe" rel="canonical" /></head>
<body class="site com_content view-article"><header class="header"><a class="brand" href="/">Rewitalizacja Starachowice</a>
<div class="font-size">Rozmiar czcionki: <a href="#">A</a> <a href="#">A</a> <a href="#">A</a></div></header>
<nav class="navigation"><ul class="nav menu"><li><a href="/">Strona główna</a></li><li><a href="/kontakt">Kontakt</a></li></ul></nav>
<main id="content"><div class="item-page"><div class="page-header"><h2 itemprop="headline">Spotkania fokusowe z lokalnymi liderami</h2></div>
<div class="icons"><ul class="dropdown-menu"><li class="print-icon"><a href="?tmpl=component&amp;print=1">Drukuj</a></li></ul></div>
{ARTICLE_INFO.format(label="Odsłony")}
<div itemprop="articleBody"><p>2 marca w Urzędzie Miejskim w Starachowicach odbyły się spotkania lokalnych liderów i przedstawicieli instytucji publicznych.</p>
<p>Badania fokusowe są elementem kompleksowej diagnozy miasta, którą Urząd przeprowadza na potrzeby przygotowania dużego projektu.</p></div>
{ARTICLE_INFO.format(label="Odłony")}{ARTICLE_INFO.format(label="Odśłony")}{ARTICLE_INFO.format(label="Odśtony")}
</div></main><footer class="footer"><p>&copy; 2022 Urząd Miejski w Starachowicach</p></footer></body></html>"""

GDANSK = """<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><title>Integracja społeczna i aktywność obywatelska | Gdańsk</title>
<meta property="og:url" content="/strategia/Integracja-spoleczna,a,2011"></head><body>
<div class="top-bar"><div class="clock">Aktualny czas środa, 7 października 2015 • Imieniny: Marii, Justyny</div></div>
<main><article><h1>Integracja społeczna i aktywność obywatelska</h1><div class="font-switch">A A</div>
<p class="updated">Ostatnia aktualizacja: 01 lipca 2018 r.</p><h2>Zakres Programu Operacyjnego</h2>
<p>Sfera relacji i więzi oraz bezpieczeństwa społecznego ma bardzo istotny wpływ na jakość życia mieszkańców Gdańska.</p>
<p>Jeżeli zaiteresowała Cię powyższa problematyka pobierz:</p>
<ul class="files"><li><a href="/download/2018-07/program.pdf">Program Operacyjny Integracja Społeczna i Aktywność Obywatelska</a> <span>936.01 KB</span></li>
<li><a href="/download/2018-07/raport.pdf">Raport Integracja Społeczna i Aktywność Obywatelska 2016 12.48 MB</a></li></ul>
</article></main><footer><p>© 2023 Gdańsk</p></footer></body></html>"""

BDP = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"><html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>Bank Dobrych Praktyk</title></head>
<body><table id="uklad"><tr><td id="lewa"><ul id="menu"><li><a href="index.php">Strona główna</a></li></ul>
<div id="licznik"><b>1.756.820</b><br>gości odwiedziło nas<br>od 1 kwietnia 2008 r.</div></td>
<td id="tresc"><p class="sekcja">Usługi społeczne : Pomoc społeczna</p>
<h2>Wdrażanie projektów &quot;miękkich&quot; na rzecz integracji społecznej</h2>
<p class="nawigacja">.: <a href="index.php?art=812&amp;s=1">Skrót i Metryka</a> -&gt; <a href="index.php?art=812&amp;s=2">Pełna prezentacja</a> -&gt; <a href="index.php?art=812&amp;s=3">Załączniki</a> :.</p>
<div class="prezentacja"><p>Obszary zdegradowane objęte rewitalizacją w Bielsku-Białej są zamieszkiwane przez osoby długotrwale bezrobotne, które są zmuszone korzystać z systemu pomocy społecznej.</p>
<p>Realizowane projekty wynikają z przyjętej Strategii Rozwoju Bielska-Białej do 2020 roku i są sprzężone z programami pomocy społecznej.</p></div>
<h3>Metryka praktyki</h3><table class="metryka"><tr><td>Data wprowadzenia do BDP:</td><td>2008-01-02</td></tr>
<tr><td>Typ jednostki:</td><td>powiat grodzki</td></tr><tr><td>Miejscowość:</td><td>Bielsko-Biała</td></tr></table>
</td></tr></table></body></html>"""

BIP = """<html><head><meta charset="utf-8"><title>Ogłoszenie o naborze - BIP MOPS</title></head><body>
<div id="header"><h1>Biuletyn Informacji Publicznej</h1></div><div id="content"><h2>Ogłoszenie o naborze na stanowisko pracownika socjalnego</h2>
<p>Dyrektor Miejskiego Ośrodka Pomocy Społecznej ogłasza nabór na wolne stanowisko urzędnicze pracownika socjalnego w pełnym wymiarze czasu pracy.</p>
<p>Wymagane dokumenty należy składać w sekretariacie ośrodka do dnia 15 sierpnia 2021 roku, w zamkniętych kopertach.</p>
<table class="metryczka"><tr><td>Wytworzył:</td><td>Jan Kowalski</td></tr><tr><td>Data wytworzenia:</td><td>26 lip 2021</td></tr>
<tr><td>Data publikacji:</td><td>26 lip 2021, godz. 10:51</td></tr></table>
<p>Dokument oglądany razy: 219</p><p><a href="rejestr.html">Rejestr zmian</a></p><p><a href="#" onclick="print()">Drukuj</a></p>
</div></body></html>"""


def test_side_boxes_menus_and_footers_stay_out_and_words_are_never_glued():
    out = extract(NOWY_SACZ, "http://integracjaipraca.info/rewitalizacja2016.html")
    assert out.title == "Rewitalizacja społeczna Miasta Nowego Sącza"
    assert out.body.startswith("W środę 6 kwietnia")
    for chrome in ("O nas", "sprawuje nadzór", "Valid XHTML", "Kampanie społeczne", "Szwedzka 2", "Aktualności:"):
        assert chrome not in out.body
    assert out.date_lines == ["10 kwietnia 2016 r."]
    assert out.author == "Renata Stawiarska UM" and "Stawiarska" not in out.body
    assert out.body.count("\n\n") == 1  # two paragraphs, one blank line between
    assert out.is_article


def test_repeated_article_info_with_ocr_typos_becomes_fields_not_text():
    out = extract(JOOMLA, "http://rewitalizacja.starachowice.eu/dla-mieszkanca/12-x/1187-spotkania-fokusowe")
    assert out.title == "Spotkania fokusowe z lokalnymi liderami"
    assert out.views == 30562
    assert out.date_lines == ["Opublikowano: wtorek, 03, marzec 2020 14:55"]
    for furniture in ("Odsłony", "Odłony", "Odśłony", "Odśtony", "30562", "Drukuj", "Opublikowano", "Szczegóły",
                      "Rozmiar czcionki", "Strona główna", "2022"):
        assert furniture not in out.body
    assert out.body.count("Badania fokusowe") == 1
    assert out.canonical_url == "http://rewitalizacja.starachowice.eu/dla-mieszkanca/12-realizowane-projekty-i-programy/1187-spotkania-fokusowe"


def test_static_page_keeps_update_line_and_attachments_but_not_the_header_clock():
    out = extract(GDANSK, "https://www.gdansk.pl/strategia/Integracja-spoleczna,a,2011")
    assert out.date_lines == ["Ostatnia aktualizacja: 01 lipca 2018 r."]
    assert out.canonical_url == "https://www.gdansk.pl/strategia/Integracja-spoleczna,a,2011"
    assert [(a["url"], a["type"], a["size"]) for a in out.attachments] == [
        ("https://www.gdansk.pl/download/2018-07/program.pdf", "pdf", "936.01 KB"),
        ("https://www.gdansk.pl/download/2018-07/raport.pdf", "pdf", "12.48 MB"),
    ]
    assert out.attachments[0]["title"] == "Program Operacyjny Integracja Społeczna i Aktywność Obywatelska"
    assert "Zakres Programu Operacyjnego" in out.body
    assert "A A" not in out.body and "Imieniny" not in out.body and "Ostatnia aktualizacja" not in out.body


def test_metryka_becomes_meta_and_the_visitor_counter_is_not_text():
    out = extract(BDP, "http://archiwum.dobrepraktyki.pl/index.php?art=812&s=2")
    assert out.title == 'Wdrażanie projektów "miękkich" na rzecz integracji społecznej'
    assert out.meta["Typ jednostki"] == "powiat grodzki"
    assert out.meta["Miejscowość"] == "Bielsko-Biała"
    assert "Data wprowadzenia do BDP: 2008-01-02" in out.date_lines
    for chrome in ("gości odwiedziło", "1.756.820", "Skrót i Metryka", "Pełna prezentacja", "powiat grodzki"):
        assert chrome not in out.body
    assert out.is_article


def test_bip_metadata_lines_are_fields_and_dropped_from_the_body():
    out = extract(BIP, "https://bip.mops.example.pl/artykul/123")
    assert out.title == "Ogłoszenie o naborze na stanowisko pracownika socjalnego"
    assert out.views == 219
    assert out.date_lines == ["Data wytworzenia: 26 lip 2021", "Data publikacji: 26 lip 2021, godz. 10:51"]
    for furniture in ("Wytworzył", "Jan Kowalski", "oglądany", "Rejestr zmian", "Drukuj", "Data publikacji"):
        assert furniture not in out.body
    assert "do dnia 15 sierpnia 2021 roku" in out.body  # a date inside a sentence is text


def test_title_prefers_og_title_without_the_site_name_when_no_headline():
    html = ("<html><head><title>Dzień Seniora w MOPS - MOPS Sieradz</title>"
            "<meta property='og:title' content='Dzień Seniora w MOPS - MOPS Sieradz'>"
            "<meta property='og:site_name' content='MOPS Sieradz'></head><body><div class='tresc'>"
            f"<p>{LOREM}</p><p>{LOREM}</p><p>12.05.2021</p></div></body></html>")
    out = extract(html, "https://mops.sieradz.eu/aktualnosci/dzien-seniora")
    assert out.title == "Dzień Seniora w MOPS"
    assert out.date_lines == ["12.05.2021"]


def test_text_is_nfc_with_diacritics_kept():
    decomposed = unicodedata.normalize("NFD", "Zażółć gęślą jaźń: pomoc społeczna dla rodzin w Łodzi i Gdańsku.")
    html = f"<html><body><article><h1>Pomoc</h1><p>{decomposed} {LOREM}</p><p>04.03.2021</p></article></body></html>"
    out = extract(html, "https://example.pl/a")
    assert "Zażółć gęślą jaźń" in out.body
    assert unicodedata.is_normalized("NFC", out.body)


LISTING_ITEM = ('<div class="item"><h2><a href="/aktualnosci/{n}-wiadomosc">Wiadomość numer {n} o pomocy społecznej</a></h2>'
                '<p class="date">0{n}.03.2020</p><p>Krótki wstęp do wiadomości numer {n}, który zachęca do przeczytania '
                'całości tekstu na stronie artykułu.</p><p class="readmore"><a href="/aktualnosci/{n}-wiadomosc">Czytaj więcej</a></p></div>')


@pytest.mark.parametrize("url, html, reason", [
    ("https://mops.example.pl/aktualnosci",
     "<html><body><main><h1>Aktualności</h1>" + "".join(LISTING_ITEM.format(n=n) for n in range(1, 6)) + "</main></body></html>",
     "listing"),
    ("https://mops.example.pl/strona-glowna",
     "<html><body><div class='col'>" + "".join(
         f"<div class='box'><a href='/a/{n}'><img src='/i/{n}.jpg' alt=''></a><a href='/a/{n}'>Wiadomość numer {n} "
         f"z ośrodka</a><span>0{n}.03.2020</span><p>{n}. {LOREM}</p></div>" for n in range(1, 6)) + "</div></body></html>",
     "listing"),
    ("https://mops.example.pl/?s=pomoc", f"<html><body><h1>Wyniki</h1><p>{LOREM}</p><p>01.02.2020</p></body></html>",
     "search results"),
    ("https://mops.example.pl/tag/seniorzy/", f"<html><body><h1>Seniorzy</h1><p>{LOREM}</p><p>01.02.2020</p></body></html>",
     "category or tag page"),
    ("https://mops.example.pl/aktualnosci/1-x?tmpl=component&print=1",
     f"<html><body><h1>Wiadomość</h1><p>{LOREM}</p><p>01.02.2020</p></body></html>", "print variant"),
    ("https://mops.example.pl/kontakt", f"<html><body><h1>Kontakt</h1><p>{LOREM}</p></body></html>", "contact"),
    ("https://mops.example.pl/galeria/dzien-seniora", f"<html><body><h1>Dzień Seniora</h1><p>{LOREM}</p></body></html>",
     "gallery"),
    ("https://mops.example.pl/wydarzenia/dzien-seniora-2021",
     "<html><body><main><h1>Dzień Seniora 2021</h1><p>12.05.2021</p><p>Zdjęcia z uroczystości.</p>"
     + "".join(f"<a href='/img/{n}.jpg'><img src='/img/{n}_m.jpg' alt=''></a>" for n in range(12)) + "</main></body></html>",
     "gallery"),
    ("https://mops.example.pl/kalendarz/2021-05", "<html><body><h1>Maj 2021</h1><table><tr><td>1</td><td>2</td></tr></table></body></html>",
     "calendar"),
])
def test_pages_that_are_not_articles_say_why(url, html, reason):
    out = extract(html, url)
    assert not out.is_article
    assert out.reason.startswith(reason)


def test_a_short_article_is_still_an_article():
    html = ("<html><body><nav><a href='/'>Start</a></nav><main><h1>Zmiana godzin pracy kasy</h1>"
            "<p>14.07.2021</p><p>Informujemy, że 16 lipca kasa ośrodka będzie nieczynna z przyczyn technicznych.</p>"
            "</main></body></html>")
    out = extract(html, "https://mops.example.pl/aktualnosci/zmiana-godzin-pracy-kasy")
    assert out.is_article, out.reason
    assert out.body == "Informujemy, że 16 lipca kasa ośrodka będzie nieczynna z przyczyn technicznych."


def test_related_boxes_share_bars_and_cookie_banners_stay_out():
    html = (f"<html><body><div class='cookie-banner'>Ta strona korzysta z plików cookies. Akceptuję</div>"
            f"<article><h1>Nowe mieszkania wspomagane</h1><p>3 marca 2020</p><p>{LOREM}</p>"
            f"<p><em>Czytaj też: <a href='/x'>Mieszkania treningowe w Gdańsku</a></em></p><p>{LATER}</p>"
            "<div class='share-bar'>Udostępnij: Facebook Twitter</div>"
            "<div class='related-posts'><h3>Podobne wpisy</h3><ul><li><a href='/y'>Inny wpis o mieszkaniach</a></li></ul></div>"
            "</article></body></html>")
    out = extract(html, "https://mops.example.pl/aktualnosci/mieszkania")
    assert out.body.count("W środę") == 1 and out.body.count("Uczestnicy") == 1
    for chrome in ("cookies", "Czytaj też", "Udostępnij", "Podobne wpisy", "Inny wpis"):
        assert chrome not in out.body
    assert out.date_lines == ["3 marca 2020"]


@pytest.mark.parametrize("html", ["", "   ", "tylko tekst, bez znaczników", "\x00\x01binarne śmieci",
                                  "<frameset><frame src='a.html'></frameset>", "<html><head><title>x</title></head></html>"])
def test_empty_or_broken_pages_are_not_articles_and_do_not_crash(html):
    out = extract(html, "https://mops.example.pl/x")
    assert not out.is_article and out.reason
    assert "\x00" not in out.body and "\x01" not in out.body


def test_sentences_that_begin_like_chrome_labels_or_carry_dates_stay_in_the_body():
    sentences = [
        "Najnowsze dane GUS pokazują, że liczba rodzin korzystających z pomocy społecznej w mieście spadła o 6 procent.",
        "Komentarze mieszkańców zebrane podczas konsultacji zostaną uwzględnione w nowej wersji programu.",
        "Dnia 12 maja 2021 r. ośrodek będzie nieczynny z powodu szkolenia pracowników.",
    ]
    html = ("<html><body><article><h1>Komunikat ośrodka</h1><p>Opublikowano: 10.05.2021</p>"
            + "".join(f"<p>{s}</p>" for s in sentences) + "</article></body></html>")
    out = extract(html, "https://mops.example.pl/aktualnosci/komunikat")
    assert out.body == "\n\n".join(sentences)
    assert out.date_lines == ["Opublikowano: 10.05.2021"]


STEPS = ("Dynię obierz ze skórki, usuń pestki i pokrój miąższ w kostkę o boku mniej więcej dwóch centymetrów.",
         "Cebulę i kawałek świeżego imbiru posiekaj drobno, a czosnek przeciśnij przez praskę do małej miseczki.",
         "W dużym garnku rozgrzej masło, wrzuć cebulę z imbirem i podsmaż je na małym ogniu przez pięć minut.",
         "Dodaj dynię, zalej wszystko gorącym bulionem warzywnym i gotuj pod przykryciem do miękkości warzyw.",
         "Zmiksuj zupę blenderem na gładki krem, dopraw solą i pieprzem, a na talerzu polej odrobiną śmietanki.")
ADVICE = ("Jesienią warto sięgać po dynię, cukinię, paprykę i jabłka, bo są tanie, sycące i kolorowe, a do tego "
          "pasują do zup, sałatek i ciast, które przydadzą się całej rodzinie w chłodne wieczory po pracy i szkole.")


def test_the_body_is_the_text_beside_the_headline_not_a_higher_scored_box_elsewhere():
    steps = "".join(f"<div class='step'><div class='step-info'><h3>Krok {n}</h3><p>{text}</p></div></div>"
                    for n, text in enumerate(STEPS, 1))
    html = ("<html><head><title>Zupa dyniowa z imbirem | Przepisy</title></head><body><main>"
            f"<div class='recipe'><div class='head'><h1>Zupa dyniowa z imbirem</h1></div><div class='steps'>{steps}</div></div>"
            f"<div class='sections'><div class='box'><div class='box-inner'><p>{ADVICE}</p></div></div></div>"
            "</main></body></html>")
    out = extract(html, "https://przepisy.example.pl/przepis/zupa-dyniowa")
    assert all(step in out.body for step in STEPS)
    assert "Jesienią" not in out.body


def test_a_lead_box_by_the_headline_does_not_replace_a_longer_body_below_it():
    lead = ("Od przyszłego miesiąca mieszkańcy gminy, którzy ukończyli 65 lat, mogą korzystać z bezpłatnych przejazdów "
            "autobusami, po okazaniu dowodu osobistego, legitymacji emeryta lub karty seniora wydanej przez ośrodek.")
    html = ("<html><head><title>Darmowe przejazdy dla seniorów</title></head><body><div class='page'>"
            f"<div class='top'><h1>Darmowe przejazdy dla seniorów</h1><div class='box'><p>{lead}</p></div></div>"
            f"<div class='text'><p>{LOREM}</p><p>{LATER}</p></div></div></body></html>")
    out = extract(html, "https://mops.example.pl/aktualnosci/przejazdy")
    assert LOREM.strip() in out.body and LATER.strip() in out.body


RECIPE = """<html><head><title>Zupa dyniowa z imbirem | Przepisy</title></head><body><main><div class="recipe">
<div class="head"><h1>Zupa dyniowa z imbirem</h1></div>
<div class="content"><div class="ingredients"><h2>Składniki</h2>
<p><label for="porcje">Liczba porcji</label><input id="porcje" type="number" value="4"></p>
<p><label><input type="checkbox"><span>dynia</span></label> 1 kg</p>
<p><label><input type="checkbox"><span>imbir</span></label> 2 cm</p></div>
<div class="preparation"><div class="tabs-nav"><h2>Przygotowanie krok po kroku</h2></div>
<ul class="pagination"><li><a href="?krok=1">1</a></li><li><a href="?krok=2">2</a></li></ul>
<div class="steps-list">""" + "".join(f"<p>{step} {LOREM}</p>" for step in STEPS) + """</div></div></div></div>
</main></body></html>"""


def test_a_list_between_the_headline_and_the_body_belongs_to_the_article():
    out = extract(RECIPE, "https://przepisy.example.pl/przepis/zupa-dyniowa")
    assert out.body.startswith("Składniki")
    assert out.body.index("imbir 2 cm") < out.body.index(STEPS[0])


def test_a_text_box_between_the_headline_and_the_body_is_not_the_article():
    html = ("<html><head><title>Nowe mieszkania wspomagane - MOPS</title></head><body><div class='page'>"
            "<div class='title'><h1>Nowe mieszkania wspomagane</h1></div><div class='cols'>"
            "<div class='col-left'><h2>O nas</h2><p>Miejski Ośrodek Pomocy Społecznej wspiera rodziny i osoby samotne "
            "w trudnej sytuacji życiowej, prowadzi kluby seniora i świetlice.</p></div>"
            f"<div class='col-main'><p>3 marca 2020</p><p>{LOREM}</p><p>{LATER}</p></div></div></div></body></html>")
    out = extract(html, "https://mops.example.pl/aktualnosci/mieszkania")
    assert out.body == f"{LOREM.strip()}\n\n{LATER.strip()}"


def test_checklist_labels_are_text_and_form_labels_are_not():
    out = extract(RECIPE, "https://przepisy.example.pl/przepis/zupa-dyniowa")
    assert "dynia 1 kg" in out.body and "imbir 2 cm" in out.body
    assert "Liczba porcji" not in out.body


def test_an_element_named_nav_without_links_is_content_and_with_links_is_chrome():
    out = extract(RECIPE, "https://przepisy.example.pl/przepis/zupa-dyniowa")
    assert "Przygotowanie krok po kroku" in out.body
    assert "?krok" not in out.body and "\n\n1\n\n2" not in out.body


def test_an_opracowanie_line_is_the_author_not_body_text():
    html = ("<html><body><article><h1>Nowe godziny kasy</h1><p>Dodano: 3 marca 2020 r.</p>"
            f"<p>Opracowanie: Anna Kowalczyk</p><p>{LOREM}</p><p>{LATER}</p></article></body></html>")
    out = extract(html, "https://cus.example.pl/aktualnosci/12-nowe-godziny-kasy")
    assert out.author == "Anna Kowalczyk"
    assert out.body == f"{LOREM.strip()}\n\n{LATER.strip()}"


def test_a_learned_site_template_takes_out_chrome_written_in_sentences():
    """The held-out CUS replica: its notice, "O Centrum" box, closing "Masz pytania?" paragraph and
    related teasers read like the article page by page; across the portal they repeat."""
    pages = labelled_pages("cus")
    template = SiteTemplate()
    for page in pages:  # the first crawl teaches the template
        extract(page.html, page.url, template)
    for page in pages:  # a later crawl reuses it
        out = extract(page.html, page.url, template)
        if page.gold:
            assert out.body.split("\n\n") == page.gold["body"], page.url
            assert out.author == page.gold["author"]
        else:
            assert not out.is_article, page.url


def test_a_heading_with_nothing_left_under_it_goes_with_its_box():
    html = ("<html><body><article><h1>Nowe mieszkania wspomagane</h1><p>3 marca 2020</p>"
            f"<h2>Dla kogo</h2><h3>Seniorzy</h3><p>{LOREM}</p><h2>Z życia ośrodka</h2>"
            "<ul><li><a href='/a/1'>Dzień Seniora w klubie na Zaciszu</a></li>"
            "<li><a href='/a/2'>Warsztaty dla rodziców w świetlicy</a></li></ul></article></body></html>")
    out = extract(html, "https://mops.example.pl/aktualnosci/mieszkania")
    assert out.body == f"Dla kogo\n\nSeniorzy\n\n{LOREM.strip()}"
