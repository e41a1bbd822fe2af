"""Failure classes of the generic extraction on pages made by others (issue #14), one small page each.

Every page here is written for its test; none is copied from a real site. The development set
that measures the classes on real pages is in bench/extraction.py (`aeb`).
"""
from __future__ import annotations

from scraper.extract.main_text import extract
from scraper.extract.template import SiteTemplate

URL = "https://gmina.example.pl/aktualnosci/2024/festyn-rodzinny"
PARAGRAPHS = (
    "W sobotę na stadionie miejskim odbył się festyn rodzinny, na który przyszło ponad tysiąc mieszkańców gminy.",
    "Najmłodsi bawili się na dmuchanych zjeżdżalniach, a starsi mogli zmierzyć ciśnienie i porozmawiać z dietetykiem.",
    "Ośrodek pomocy społecznej przygotował stoisko z informacjami o programach wsparcia dla rodzin i seniorów.",
    "Wieczorem wystąpiły zespoły z trzech szkół, a festyn zakończył pokaz sztucznych ogni nad zalewem.",
)
TITLE = "Festyn rodzinny na stadionie miejskim"


def page(body: str, head: str = f"<title>{TITLE} - Gmina Przykładowo</title>") -> str:
    return f"<!DOCTYPE html><html lang='pl'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def paragraphs(items=PARAGRAPHS, tag: str = "p") -> str:
    return "".join(f"<{tag}>{text}</{tag}>" for text in items)


MENU = "<ul class='menu'>" + "".join(f"<li><a href='/d{i}'>Dział numer {i} urzędu</a></li>" for i in range(40)) + "</ul>"
DATE = "<p class='date'>Opublikowano: 12.06.2024</p>"


def assert_whole_body(out) -> None:
    assert out.is_article, out.reason
    for text in PARAGRAPHS:
        assert text in out.body, (text, out.body)


# ---------------------------------------------------------------- 1. the article inside a <form>

def test_an_article_inside_a_page_wide_form_is_kept_and_a_search_form_is_not():
    html = page(f"""<form id="mainForm" method="post" action="./festyn"><input type="hidden" name="__STATE" value="x">
        <div class="top"><form class="search-box"><label>Szukaj w serwisie</label><input name="q"><button>Szukaj</button></form></div>
        {MENU}<div class="page"><h1>{TITLE}</h1>{DATE}{paragraphs()}</div>
        <p>Urząd Gminy Przykładowo, ul. Główna 1</p></form>""")
    out = extract(html, URL)
    assert_whole_body(out)
    assert "Szukaj w serwisie" not in out.body


def test_a_comment_form_with_a_long_consent_clause_stays_out():
    consent = ("Wyrażam zgodę na przetwarzanie moich danych osobowych przez administratora serwisu w celu "
               "publikacji komentarza, zgodnie z rozporządzeniem o ochronie danych osobowych. ") * 4
    html = page(f"""<article><h1>{TITLE}</h1>{DATE}{paragraphs()}<form method="post"><h3>Dodaj opinię</h3>
        <textarea name="c"></textarea><label><input type="checkbox" name="zgoda"> {consent}</label></form></article>""")
    out = extract(html, URL)
    assert_whole_body(out)
    assert "Wyrażam zgodę" not in out.body


# ---------------------------------------------------------------- 2. a content wrapper named like chrome

def test_a_wrapper_named_like_a_widget_or_a_sidebar_layout_that_holds_the_prose_is_content():
    for wrapper in ("widget Blog", "layout has-sidebar article-segment", "elementor-widget-wrap"):
        html = page(f"""<div class="header-menu">{MENU}</div><div class="{wrapper}"><h1>{TITLE}</h1>{DATE}
            {paragraphs()}</div><div class="sidebar"><h3>Kalendarz</h3><p>Dyżur radnych w każdy wtorek.</p></div>""")
        out = extract(html, URL)
        assert_whole_body(out)
        assert "Dyżur radnych" not in out.body, wrapper


def test_a_post_of_br_separated_lines_in_a_widget_wrapper_is_content_beside_a_mega_menu():
    mega_menu = "<div class='mega-menu'>" + "".join(
        f"<div><b>Sekcja {i}</b>{''.join(f'<a href=/s{i}/{j}>Pozycja menu {j} sekcji {i}</a> ' for j in range(30))}</div>"
        for i in range(10)) + "</div>"
    html = page(f"""{mega_menu}<div class="widget post-widget"><h1>{TITLE}</h1>{DATE}
        <div class="post-body">{'<br><br>'.join(PARAGRAPHS)}</div></div>""")
    assert_whole_body(extract(html, URL))


def test_a_comment_box_is_never_rescued_as_content():
    comments = "".join(f"<p>Komentarz czytelnika numer {i}: festyn był udany, ale parking był za mały i brakowało ławek.</p>"
                       for i in range(12))
    html = page(f"""<article><h1>{TITLE}</h1>{DATE}{paragraphs()}</article><div class="comments">{comments}</div>""")
    out = extract(html, URL)
    assert_whole_body(out)
    assert "Komentarz czytelnika" not in out.body


# ---------------------------------------------------------------- 8. broken <head> markup

def test_an_unclosed_title_or_attribute_quote_in_the_head_does_not_swallow_the_page():
    body = f"<div class='content'><h1>{TITLE}</h1>{DATE}{paragraphs()}</div>"
    for head in (f"<title>{TITLE}", f'<meta name="description" content="Festyn><title>{TITLE}</title>'):
        html = f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
        out = extract(html, URL)
        assert_whole_body(out)
        assert out.title == TITLE


# ---------------------------------------------------------------- 3. the wrong headline, then everything above it cut

def test_a_permalinked_h1_is_the_headline_not_a_one_word_heading_at_the_end():
    html = page(f"""{MENU}<div class="post"><h1><a href="{URL}" rel="bookmark">{TITLE}</a></h1>{DATE}{paragraphs()}
        <h3>Festyn</h3><p>Sonda: czy festyn się podobał? Tak / Nie</p></div>""")
    out = extract(html, URL)
    assert out.title == TITLE
    assert_whole_body(out)


def test_a_sub_heading_echoing_the_title_does_not_cut_the_lead_above_it():
    first, second = PARAGRAPHS[:2], PARAGRAPHS[2:]
    html = page(f"""{MENU}<h1>{TITLE}</h1>{DATE}<div class="text">{paragraphs(first)}<h2>Festyn rodzinny</h2>
        {paragraphs(second)}</div>""")
    out = extract(html, URL)
    assert out.title == TITLE
    assert_whole_body(out)


def test_a_comments_heading_below_the_article_does_not_become_the_headline():
    html = page(f"""<div class="entry">{DATE}{paragraphs()}<h3>Komentarze</h3><p>Brak komentarzy.</p></div>""",
                head=f"<title>{TITLE} | Komentarze | Gmina Przykładowo</title>")
    out = extract(html, URL)
    assert_whole_body(out)


# ---------------------------------------------------------------- 6. real articles rejected as non-articles

RAIL = "<div class='more-news'>" + "".join(
    f"<div class='card'><h3><a href='/aktualnosci/{i}'>Inna wiadomość numer {i} z życia gminy</a></h3>"
    f"<p>Krótki wstęp do wiadomości numer {i}, który zachęca do przeczytania całości na osobnej stronie.</p></div>"
    for i in range(14)) + "</div>"


def test_a_long_article_beside_a_rail_of_linked_teasers_is_an_article():
    html = page(f"""<main><article><h1>{TITLE}</h1>{DATE}<div class="text">{paragraphs()}</div></article>{RAIL}</main>""")
    assert_whole_body(extract(html, URL))


def test_a_listing_of_the_same_teasers_is_still_a_listing():
    out = extract(page(f"<main><h1>Aktualności</h1>{RAIL}</main>"), "https://gmina.example.pl/aktualnosci")
    assert not out.is_article and out.reason.startswith("listing")


def test_an_article_with_no_date_and_its_headline_outside_h1_h3_is_an_article_by_its_prose():
    longer = PARAGRAPHS + tuple(f"{text} Więcej informacji udziela sekretariat urzędu gminy, pokój {n}."
                                for n in range(2) for text in PARAGRAPHS)
    html = page(f"""{MENU}<div class="news"><div class="news-title">{TITLE}</div>{paragraphs(longer)}</div>""")
    out = extract(html, "https://gmina.example.pl/festyn-rodzinny")
    assert_whole_body(out)


def test_a_call_to_action_heading_inside_a_short_article_does_not_make_it_a_teaser():
    html = page(f"""<h1><a href="{URL}">{TITLE}</a></h1>{DATE}<div class="post">{paragraphs()}
        <h2><a href="https://newsletter.example.com/zapisy">Kliknij i zapisz się na nasz newsletter</a></h2></div>""")
    assert_whole_body(extract(html, URL))


# ---------------------------------------------------------------- 4. a body split over several containers

def test_a_body_split_over_cousin_sections_of_one_kind_keeps_every_section():
    sections = "".join(f"<section class='grid-row'><div class='col'><div class='text-block{' text-block--first' * (i == 0)}'>"
                       f"{paragraphs([text])}</div></div></section>" for i, text in enumerate(PARAGRAPHS))
    html = page(f"{MENU}<main><h1>{TITLE}</h1>{DATE}{sections}</main>")
    assert_whole_body(extract(html, URL))


def test_a_ticker_of_title_links_with_long_leads_does_not_outscore_a_short_article():
    ticker = "<ul class='ticker'>" + "".join(
        f"<li><a href='/wiadomosci/{i}'>Wiadomość dnia numer {i} z powiatu</a> <span>Starosta, wójtowie i radni "
        f"spotkali się, by omówić budżet, inwestycje drogowe, szkoły i szpitale w roku numer {i}, a także plany...</span></li>"
        for i in range(10)) + "</ul>"
    html = page(f"<div class='top'>{ticker}</div><div class='article'><h2>{TITLE}</h2>{DATE}{paragraphs()}</div>")
    out = extract(html, URL)
    assert_whole_body(out)
    assert "Wiadomość dnia" not in out.body


# ---------------------------------------------------------------- 5. filters that delete prose

def test_an_unclosed_named_anchor_does_not_turn_the_article_into_links():
    html = page(f"""<a name="top">{MENU}<div class="content"><h1>{TITLE}</h1>{DATE}{paragraphs()}</div>""")
    assert_whole_body(extract(html, URL))


def test_a_reading_list_of_links_to_other_sites_is_part_of_the_article():
    books = ["Poradnik dla opiekunów osób starszych", "Jak rozmawiać z dzieckiem o pieniądzach"]
    reading = "<ul>" + "".join(f"<li><a href='https://biblioteka.example.org/k/{i}'>{b}</a></li>"
                               for i, b in enumerate(books)) + "</ul>"
    related = "<ul><li><a href='/aktualnosci/inny-festyn'>Inny festyn w naszej gminie</a></li></ul>"
    html = page(f"{MENU}<article><h1>{TITLE}</h1>{DATE}{paragraphs()}<p>Warto przeczytać:</p>{reading}{related}</article>")
    out = extract(html, URL)
    assert_whole_body(out)
    assert all(book in out.body for book in books)
    assert "Inny festyn" not in out.body


def test_lines_a_meal_plan_or_a_schedule_repeats_are_all_kept():
    days = ("Poniedziałek", "Wtorek", "Środa")
    plan = "".join(f"<h3>{day}</h3><ul><li>Śniadanie: owsianka z jabłkiem</li><li>Obiad: zupa pomidorowa, kasza</li></ul>"
                   for day in days)
    hours = "<table>" + "".join(f"<tr><td>{day}</td><td>8:00–16:00</td></tr>" for day in days) + "</table>"
    html = page(f"<article><h1>{TITLE}</h1>{DATE}{paragraphs()}{plan}{hours}</article>")
    out = extract(html, URL)
    assert_whole_body(out)
    assert out.body.count("Obiad: zupa pomidorowa, kasza") == 3
    assert out.body.count("8:00–16:00") == 3


# ---------------------------------------------------------------- 7. non-Polish and non-Latin text

def test_japanese_prose_outscores_a_latin_box_full_of_commas():
    japanese = ("土曜日、市の競技場で家族祭りが開かれ、千人以上の住民が集まった。",
                "子どもたちは遊具で遊び、大人は血圧を測り、栄養士と話すことができた。",
                "社会福祉センターは、家族や高齢者への支援について、案内を用意した。")
    box = "<div class='box'>" + "".join(f"<p>Urząd, pokój {i}, tel. 22 000 00 {i:02d}, wtorek, czwartek</p>" for i in range(2)) + "</div>"
    html = page(f"{box}<div class='tresc'><h1>家族祭り</h1>{DATE}{paragraphs(japanese)}</div>", head="<title>家族祭り</title>")
    out = extract(html, URL)
    assert out.is_article, out.reason
    assert all(text in out.body for text in japanese), out.body
    assert "pokój" not in out.body


def test_ukrainian_and_kashubian_articles_keep_their_letters_and_paragraphs():
    ukrainian = ("У суботу на міському стадіоні відбувся сімейний фестиваль, на який прийшло понад тисячу мешканців.",
                 "Центр соціальної допомоги підготував стенд з інформацією про програми підтримки для сімей.")
    kashubian = ("W sobòtã na gminnym stadionie bëł familijny festin, na chtëren przëszło wicy jak tësąc lëdzy.",
                 "Òstrzódk pòmòcë spòlecznéj przërëchtowôł stojiszcze z wiédzą ò programach wspiarcô.")
    for lines in (ukrainian, kashubian):
        out = extract(page(f"{MENU}<article><h1>Festyn</h1>{DATE}{paragraphs(lines)}</article>"), URL)
        assert out.is_article, out.reason
        assert out.body == "\n\n".join(lines)


# ---------------------------------------------------------------- captions (seen with classes 2-4)

def test_photo_captions_and_credits_are_not_body_text():
    html = page(f"""<article><h1>{TITLE}</h1>{DATE}<figure><img src="/f.jpg"><figcaption>Mieszkańcy na stadionie,
        sobota wieczorem</figcaption></figure>{paragraphs(PARAGRAPHS[:2])}<div class="image-caption">Pokaz ogni
        nad zalewem, widok z mostu (fot. archiwum urzędu gminy)</div>{paragraphs(PARAGRAPHS[2:])}
        <p>Zdjęcie 1 z 8</p></article>""")
    out = extract(html, URL)
    assert_whole_body(out)
    assert "Mieszkańcy na stadionie" not in out.body and "Pokaz ogni" not in out.body and "1 z 8" not in out.body


# ---------------------------------------------------------------- 9. related-post blocks

def related_box(label: str, n: int, tag: str = "h3") -> str:
    items = "".join(f"<li><a href='/aktualnosci/wpis-{n}-{i}'>Wydarzenie numer {i} w gminie</a>"
                    f"<p>Krótko o wydarzeniu numer {i}: kto przyszedł, co się działo i jak się zakończyło.</p></li>"
                    for i in range(3))
    return f"<div class='box'><{tag}>{label}</{tag}><ul>{items}</ul></div>"


def test_a_related_posts_box_with_leads_stays_out_of_every_article_even_with_a_learned_template():
    template = SiteTemplate()
    reporters = ("Anna", "Barbara", "Cecylia", "Dorota", "Ewa", "Franciszka", "Grażyna", "Halina")
    for n, (reporter, label) in enumerate(zip(reporters, ["Podobne wpisy", "Zobacz także:", "Czytaj również", "Polecamy"] * 2)):
        own = [f"{text[:-1]} ({reporter} dla gminy)." for text in PARAGRAPHS]
        html = page(f"{MENU}<article><h1>{TITLE} {n}</h1>{DATE}<div class='text'>{paragraphs(own)}"
                    f"{related_box(label, n)}</div></article>")
        out = extract(html, f"{URL}-{n}", template)
        assert out.is_article and out.body == "\n\n".join(own), (label, out.body)


def test_a_sentence_that_begins_like_a_label_stays():
    html = page(f"<article><h1>{TITLE}</h1>{DATE}{paragraphs()}<p>Polecamy też wizytę w muzeum regionalnym, "
                f"otwartym w soboty do godziny osiemnastej.</p></article>")
    assert "Polecamy też wizytę" in extract(html, URL).body


# ---------------------------------------------------------------- 11. template learning that deletes article text

TOPICS = ("remont drogi w Dębinie", "nabór do żłobka", "dyżur radnych", "zbiórka elektrośmieci", "szczepienia psów",
          "wywóz odpadów", "konkurs plastyczny", "dni seniora", "budżet obywatelski", "turniej szachowy",
          "sesja rady gminy", "zajęcia na basenie")


def portal_article(n: int, topic: str, body: str) -> str:
    return page(f"""<div class="top">{MENU}</div><div class="main"><h1>Komunikat: {topic}</h1>{DATE}
        <p>Komunikat numer {n} Referatu Promocji Urzędu Gminy Przykładowo dla mieszkańców.</p>{body}
        <p>Autor: Referat Promocji</p></div><div class="bottom"><p>Urząd Gminy Przykładowo, ul. Główna 1,
        czynny od poniedziałku do piątku w godzinach 7.30–15.30.</p></div>""", head=f"<title>Komunikat: {topic}</title>")


def test_a_lead_in_a_frame_every_article_shares_stays_with_each_article():
    template = SiteTemplate()
    for n, topic in enumerate(TOPICS):
        own = f"<p>W sprawie: {topic}. Szczegóły w sekretariacie urzędu, gdzie można też złożyć wniosek i uwagi.</p>"
        out = extract(portal_article(n, topic, own), f"https://gmina.example.pl/komunikaty/{n}", template)
        assert out.is_article, out.reason
        assert f"Komunikat numer {n} Referatu Promocji" in out.body, (n, out.body)
        assert out.author == "Referat Promocji"
        assert "czynny od poniedziałku" not in out.body or n < 3


STOCK = ("Wnioski można składać w sekretariacie urzędu od poniedziałku do piątku w godzinach pracy.",
         "Formularze są dostępne w Biuletynie Informacji Publicznej oraz w biurze obsługi mieszkańców.",
         "Informacji udziela Referat Spraw Społecznych pod numerem telefonu podanym na stronie urzędu.",
         "Decyzje wydawane są w terminie miesiąca od dnia złożenia kompletnego wniosku przez mieszkańca.")


def test_an_article_made_of_stock_sentences_is_still_an_article_after_the_template_learned_them():
    template = SiteTemplate()
    for n, topic in enumerate(TOPICS):
        sentences = [STOCK[(n + i) % len(STOCK)] for i in range(3)]
        out = extract(portal_article(n, topic, "".join(f"<p>{s}</p>" for s in sentences)),
                      f"https://gmina.example.pl/komunikaty/{n}", template)
        assert out.is_article, (n, out.reason)
        assert all(s in out.body for s in sentences), (n, out.body)


def test_a_single_link_to_a_sister_site_is_neither_body_nor_the_author():
    html = page(f"""<article><h1>{TITLE}</h1>{DATE}{paragraphs()}<p>Ten artykuł także w serwisie:</p>
        <ul><li><a href="https://seniorzy.example.pl/festyn">Portal Seniora Przykładowo</a></li></ul></article>""")
    out = extract(html, URL)
    assert_whole_body(out)
    assert out.author is None and "Portal Seniora" not in out.body


def test_a_digest_of_long_list_items_full_of_links_is_the_article():
    digest = [f"{text} Relację z wydarzenia numer {i} przygotował referat promocji gminy." for i, text in enumerate(PARAGRAPHS)]
    items = [f"<li><a href='/a/{i}'>{text[:70]}</a>{text[70:100]}<a href='/b/{i}'>{text[100:]}</a></li>"
             for i, text in enumerate(digest)]
    intro = "<p>Najważniejsze wydarzenia minionego tygodnia w gminie, zebrane w jednym miejscu dla mieszkańców.</p>"
    out = extract(page(f"{MENU}<article><h1>{TITLE}</h1>{DATE}<div class='text'>{intro}<ol>{''.join(items)}</ol></div></article>"), URL)
    assert out.is_article, out.reason
    assert all(text in out.body for text in digest), out.body
