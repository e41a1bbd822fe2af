"""A BIP bulletin of a MOPS (held-out; in the manner of bip.krakow.pl).

Documents at `/?dok_id=<id>` with the "metryczka" (Wytworzył, Data wytworzenia: 26 lip 2021,
Opublikował, Data publikacji: 26 lip 2021, godz. 10:51, Rejestr zmian); print view
`&drukuj=1`; the change log `/historia/<id>` links every stored version `/historia/<id>/<n>`.
Article fields besides the common ones: `menu` (section), `created`, `publisher`,
`update_note` and `earlier_paragraphs` (the text before the update).
"""
from __future__ import annotations

from ..page import (HostTree, attachment_resources, chunks, esc, html_resource, newest_first,
                    paragraphs_html)
from ..polish import bip_date

HOSTS = ("bip-mops.test",)
UNIT = "Miejski Ośrodek Pomocy Społecznej"
PER_PAGE = 3
DOWNLOADS = "/zalaczniki/"
MENU_IDS = {"Ogłoszenia": 21, "Zamówienia publiczne": 22, "Sprawozdania": 23, "Programy": 24}
STATIC_MENU = {10: ("Dane podstawowe", f"{UNIT}, ul. Piastowska 8. NIP 749-10-22-333. "
                    "Dyrektor: Marek Zając. Skrytka ePUAP: /mops/SkrytkaESP."),
               11: ("Redakcja BIP", "Redaktor BIP: Piotr Grabowski, tel. 77 482 19 30."),
               12: ("Instrukcja obsługi BIP", "Biuletyn Informacji Publicznej jest urzędowym "
                    "publikatorem teleinformatycznym. Menu przedmiotowe znajduje się po lewej stronie.")}


def render(articles: list[dict], base_urls: dict[str, str]) -> dict[str, HostTree]:
    ordered = newest_first(articles)
    pages = {article_path(a): html_resource(_page(a["title"], _document(a))) for a in articles}
    pages |= {f"{article_path(a)}&drukuj=1": html_resource(_print_view(a)) for a in articles}
    pages |= {f"/historia/{a['key']}": html_resource(_page(f"Rejestr zmian: {a['title']}", _history(a)))
              for a in articles}
    pages |= {f"/historia/{a['key']}/{n}": html_resource(_page(a["title"], _version(a, n)))
              for a in articles for n in range(1, len(_versions(a)) + 1)}
    for menu, mmi in MENU_IDS.items():
        members = [a for a in ordered if a["menu"] == menu]
        page_chunks = chunks(members, PER_PAGE)
        pages |= {_menu_path(mmi, i): html_resource(_page(menu, _listing(menu, mmi, chunk, i, len(page_chunks))))
                  for i, chunk in enumerate(page_chunks)}
    pages |= {_menu_path(mmi, 0): html_resource(_page(title, f"<h2>{title}</h2><p>{esc(text)}</p>"))
              for mmi, (title, text) in STATIC_MENU.items()}
    pages["/"] = html_resource(_page("Strona główna", _listing("Najnowsze dokumenty", None, ordered[:5], 0, 1)))
    pages |= attachment_resources(articles, DOWNLOADS)
    return {HOSTS[0]: HostTree(pages)}


def date_text(article: dict) -> str:
    return f"{bip_date(article['published'])}, godz. {article['published']:%H:%M}"


def non_article_paths(articles: list[dict]) -> list[str]:
    per_doc = [p for a in articles for p in (f"{article_path(a)}&drukuj=1", f"/historia/{a['key']}")]
    versions = [f"/historia/{a['key']}/{n}" for a in articles for n in range(1, len(_versions(a)) + 1)]
    listings = [_menu_path(mmi, i) for menu, mmi in MENU_IDS.items()
                for i in range(len(chunks([a for a in articles if a["menu"] == menu], PER_PAGE)))]
    return ["/"] + listings + [_menu_path(m, 0) for m in STATIC_MENU] + per_doc + versions


def article_path(article: dict) -> str:
    return f"/?dok_id={article['key']}"


def _menu_path(mmi: int, index: int) -> str:
    return f"/?mmi={mmi}" + (f"&strona={index + 1}" if index else "")


def _versions(article: dict) -> list[tuple[str, str, list[str]]]:
    """(moment as shown, what changed, text) per stored version, oldest first."""
    published = f"{bip_date(article['published'])} {article['published']:%H:%M}"
    if not article.get("updated"):
        return [(published, "Utworzenie dokumentu", article["paragraphs"])]
    updated = f"{bip_date(article['updated'])} {article['updated']:%H:%M}"
    return [(published, "Utworzenie dokumentu", article["earlier_paragraphs"]),
            (updated, article["update_note"], article["paragraphs"])]


def _metryczka(article: dict) -> str:
    rows = (("Wytworzył", esc(article["author"])), ("Data wytworzenia", bip_date(article["created"])),
            ("Opublikował", esc(article["publisher"])), ("Data publikacji", date_text(article)))
    cells = "".join(f"<tr><th>{label}:</th><td>{value}</td></tr>" for label, value in rows)
    return (f'<table class="metryczka">{cells}<tr><td colspan="2"><a href="/historia/{article["key"]}">'
            f"Rejestr zmian</a></td></tr></table>")


def _attachments(article: dict) -> str:
    files = "".join(f'<li><a href="{DOWNLOADS}{esc(a["file"])}">{esc(a["title"])}</a> (PDF {esc(a["size"])})</li>'
                    for a in article.get("attachments", []))
    return f'<div class="zalaczniki"><h3>Załączniki</h3><ul>{files}</ul></div>' if files else ""


def _document(article: dict) -> str:
    return (f'<div class="dokument"><h2>{esc(article["title"])}</h2>'
            f'<div class="tresc">{paragraphs_html(article["paragraphs"])}</div>{_attachments(article)}'
            f'{_metryczka(article)}<p class="narzedzia">'
            f'<a href="{esc(article_path(article))}&amp;drukuj=1">Drukuj</a></p></div>')


def _print_view(article: dict) -> str:
    return (f'<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><title>{esc(article["title"])}</title>'
            f'<script>window.onload=function(){{window.print();}};</script></head><body>'
            f'<h1>{esc(article["title"])}</h1>{paragraphs_html(article["paragraphs"])}{_metryczka(article)}</body></html>')


def _history(article: dict) -> str:
    rows = "".join(f'<tr><td>{moment}</td><td>{esc(article["publisher"])}</td><td>{esc(what)}</td>'
                   f'<td><a href="/historia/{article["key"]}/{n}">wersja {n}</a></td></tr>'
                   for n, (moment, what, _) in enumerate(_versions(article), 1))
    return (f'<h2>Rejestr zmian</h2><p>Dokument: <a href="{esc(article_path(article))}">{esc(article["title"])}</a></p>'
            f'<table class="rejestr"><tr><th>Data</th><th>Kto</th><th>Opis zmiany</th><th></th></tr>{rows}</table>')


def _version(article: dict, number: int) -> str:
    moment, what, paragraphs = _versions(article)[number - 1]
    return (f'<p class="archiwalna">Wersja archiwalna nr {number} z dnia {moment} ({esc(what)})</p>'
            f'<h2>{esc(article["title"])}</h2>{paragraphs_html(paragraphs)}')


def _listing(title: str, mmi: int | None, articles: list[dict], index: int, total: int) -> str:
    rows = "".join(f'<li><a href="{esc(article_path(a))}">{esc(a["title"])}</a> '
                   f'<span class="data">{bip_date(a["published"])}</span></li>' for a in articles)
    pager = "".join(f' <a href="{esc(_menu_path(mmi, i))}">{i + 1}</a>' for i in range(total) if i != index)
    return f'<h2>{esc(title)}</h2><ul class="lista">{rows}</ul>' + (f"<p>Strona:{pager}</p>" if pager else "")


def _page(title: str, content: str) -> str:
    menu = "".join(f'<li><a href="{esc(_menu_path(mmi, 0))}">{esc(name)}</a></li>'
                   for name, mmi in sorted(MENU_IDS.items(), key=lambda x: x[1]))
    static = "".join(f'<li><a href="{esc(_menu_path(mmi, 0))}">{t}</a></li>' for mmi, (t, _) in STATIC_MENU.items())
    return f"""<!DOCTYPE html>
<html lang="pl">
<head>
<meta charset="utf-8">
<title>{esc(title)} - BIP {UNIT}</title>
<script>function kontrast(){{document.body.classList.toggle('kontrast');}}</script>
</head>
<body>
<div id="naglowek"><a href="/"><img src="/img/bip-logo.png" alt="Biuletyn Informacji Publicznej"></a>
<h1>{UNIT}</h1><a href="#" onclick="kontrast();return false;">Wersja kontrastowa</a></div>
<div id="menu"><h2>Menu przedmiotowe</h2><ul>{static}{menu}</ul></div>
<div id="tresc">{content}</div>
<div id="stopka"><p>Biuletyn Informacji Publicznej {UNIT}. Redaktor: Piotr Grabowski.</p></div>
</body>
</html>
"""
