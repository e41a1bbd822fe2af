"""A document's change register (BIP "Rejestr zmian"): its latest change is the document's update.

Unit checks on the link and the register rows, then real crawls of a small BIP on 127.0.0.1
with the `archiwum crawl` command: the register is fetched with its document, never stored, and
a register that cannot be fetched, or that an earlier crawl remembered as a leaf page, costs no
document.
"""
from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from scrapy.http import HtmlResponse

from scraper.dates.change_register import RegisterOwners, register_links
from scraper.archive.db import connect
from scraper.cli.demo import LOCAL_CRAWL_SETTINGS
from scraper.dates.grammar import page_dates, register_changes
from scraper.extract.evidence import register_rows
from scraper.items import DateEvidence
from tests.conftest import archiwum

LOCAL = [arg for name, value in LOCAL_CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]


def response(html: str) -> HtmlResponse:
    return HtmlResponse("http://bip.example/?dok_id=7", body=html.encode("utf-8"), encoding="utf-8")


def test_the_register_link_is_found_by_its_text_in_any_case_and_spacing():
    page = '<table class="metryczka"><tr><td><a href="/historia/7">REJESTR&nbsp;ZMIAN</a></td></tr></table>'
    assert register_links(response(page)) == ["/historia/7"]
    assert register_links(response('<p><a href="/h/7"> Pokaż  historię zmian </a></p>')) == ["/h/7"]


def test_a_news_link_that_merely_starts_like_a_register_is_not_one():
    page = '<ul><li><a href="/aktualnosci/12">Historia zmian w ustawie o pomocy społecznej</a></li></ul>'
    assert register_links(response(page)) == []
    assert register_links(response("<p>Rejestr zmian prowadzi sekretariat.</p>")) == []


def test_a_register_linked_from_two_documents_is_the_bulletins_change_log():
    owners = RegisterOwners()
    assert owners.claim("/rejestr", "bip:1") and owners.claim("/rejestr", "bip:1")  # one document, twice
    assert not owners.claim("/rejestr", "bip:2")
    assert not owners.owns("/rejestr")  # not even the first document's


REGISTER = """<html><body><header><div class="zegar">Dziś jest wtorek, 10 czerwca 2025</div></header>
<h2>Rejestr zmian</h2><table class="rejestr"><tr><th>Data</th><th>Kto</th><th>Opis zmiany</th></tr>
<tr><td>26 lip 2021 10:51</td><td>Anna Nowak</td><td>Utworzenie dokumentu</td></tr>
<tr><td>02 sie 2021 08:05</td><td>Anna Nowak</td><td>Dodanie załącznika z 1 lipca 2021 r.</td></tr>
</table><footer><ul><li>© 2025 Miejski Ośrodek Pomocy Społecznej</li></ul></footer></body></html>"""


def test_register_rows_give_their_dates_in_page_order_without_furniture():
    assert register_changes(register_rows(REGISTER)) == ["2021-07-26T10:51:00+02:00", "2021-08-02T08:05:00+02:00"]
    assert register_rows("") == register_rows(None) == []


PUBLISHED = ["Data publikacji: 26 lip 2021, godz. 10:51"]


def with_register(lines: list[str], rows: list[str]):
    return page_dates(DateEvidence(lines=lines, register_rows=rows))


def test_the_latest_change_after_the_first_entry_is_the_update():
    changes = ["2021-08-02T08:05:00+02:00", "2021-07-26T10:51:00+02:00", "2021-09-10T14:12:00+02:00"]
    dates = with_register(PUBLISHED, changes)
    assert (dates.published, dates.updated) == ("2021-07-26T10:51:00+02:00", "2021-09-10T14:12:00+02:00")
    assert "change register" in dates.evidence


def test_a_register_with_only_the_creation_or_the_publication_gives_no_update():
    assert with_register(PUBLISHED, ["2021-07-26T10:51:00+02:00"]).updated is None
    assert with_register(PUBLISHED, ["2021-07-20", "2021-07-26T10:51:00+02:00"]).updated is None
    assert with_register(PUBLISHED, ["2021-07-20", "2021-07-26"]).updated is None  # same day, no time


def test_the_page_own_later_modification_date_is_kept():
    lines = PUBLISHED + ["Data modyfikacji: 05 wrz 2021"]
    assert with_register(lines, ["2021-07-26T10:51:00+02:00", "2021-08-02"]).updated == "2021-09-05"
    assert with_register(lines, ["2021-07-26", "2021-10-01T09:00:00+02:00"]).updated == (
        "2021-10-01T09:00:00+02:00")


# --- crawls ---------------------------------------------------------------------------------

PARAGRAPHS = (  # each names the document: texts shared by all documents would be learned as chrome
    "Miejski Ośrodek Pomocy Społecznej informuje: {title}. Dotyczy to gospodarstw domowych z terenu gminy.",
    "Wnioski w sprawie „{title}” można składać w siedzibie ośrodka przy ulicy Piastowskiej od poniedziałku.",
    "Szczegółowe informacje o sprawie „{title}” udzielane są pod numerem telefonu podanym w zakładce kontakt.",
)
DOCUMENTS = {  # number -> (title, register rows or None for a register that answers 404)
    1: ("Nabór wniosków o dodatek osłonowy", ["26 lip 2021 10:51", "10 wrz 2021 14:12"]),
    2: ("Informacja o godzinach pracy ośrodka", None),
    3: ("Ogłoszenie o konsultacjach społecznych", ["3 sie 2021 09:00"]),
    4: ("Zarządzenie w sprawie regulaminu ośrodka", ["4 sie 2021 09:00"]),  # linked from the change log only
}
# The bulletin's own change log, linked from the menu of every page with the same words.
CHANGE_LOG = ("<h2>Rejestr zmian</h2><table><tr><td>1 gru 2021 12:00</td><td><a href='/dokument/4'>"
              f"{DOCUMENTS[4][0]}</a></td></tr><tr><td>30 lis 2021 08:00</td><td><a href='/dokument/1'>"
              f"{DOCUMENTS[1][0]}</a></td></tr></table>")


def document_page(number: int, title: str) -> str:
    paragraphs = "".join(f"<p>{text.format(title=title)}</p>" for text in PARAGRAPHS)
    return (f"<h2>{title}</h2><div class='tresc'>{paragraphs}</div><table class='metryczka'>"
            f"<tr><th>Data wytworzenia:</th><td>25 lip 2021</td></tr>"
            f"<tr><th>Data publikacji:</th><td>{number + 25} lip 2021, godz. 10:51</td></tr>"
            f"<tr><td colspan='2'><a href='/historia/{number}'>Rejestr zmian</a></td></tr></table>")


def register_page(rows: list[str]) -> str:
    cells = "".join(f"<tr><td>{moment}</td><td>Anna Nowak</td><td>zmiana</td></tr>" for moment in rows)
    header = "<tr><th>Data</th><th>Kto</th><th>Opis</th></tr>"
    return f"<h2>Rejestr zmian</h2><table class='rejestr'>{header}{cells}</table>"


def site_pages() -> dict[str, str]:
    listing = "".join(f"<li><a href='/dokument/{n}'>{DOCUMENTS[n][0]}</a></li>" for n in (1, 2, 3))
    pages = {"/": f"<h2>Ogłoszenia</h2><ul>{listing}</ul>", "/rejestr-zmian": CHANGE_LOG}
    pages |= {f"/dokument/{n}": document_page(n, title) for n, (title, _) in DOCUMENTS.items()}
    pages |= {f"/historia/{n}": register_page(rows) for n, (_, rows) in DOCUMENTS.items() if rows}
    return {path: f"<!DOCTYPE html><html lang='pl'><head><meta charset='utf-8'><title>BIP</title></head>"
                  f"<body><div id='menu'><a href='/'>Ogłoszenia</a> <a href='/rejestr-zmian'>Rejestr zmian</a>"
                  f"</div>{body}</body></html>"
            for path, body in pages.items()}


@pytest.fixture(scope="module")
def bip_site():
    pages, hits = site_pages(), Counter()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits[self.path] += 1
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "<h1>Nie znaleziono</h1>").encode("utf-8"))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits, pages
    server.shutdown()


def crawl(base: str, db, *options: str) -> dict[str, dict]:
    archiwum("crawl", "--url", base + "/", "--db", str(db), *options, *LOCAL, check=True)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = {row["url"].removeprefix(base): dict(row) for row in conn.execute("select * from articles")}
    conn.close()
    return rows


def test_a_crawl_takes_updates_from_registers_and_stores_no_register(bip_site, tmp_path):
    base, hits, _ = bip_site
    hits.clear()
    rows = crawl(base, tmp_path / "archive.db")
    assert set(rows) == {f"/dokument/{n}" for n in DOCUMENTS}  # 4 through the change log's link
    assert (rows["/dokument/1"]["published"], rows["/dokument/1"]["updated"]) == (
        "2021-07-26T10:51:00+02:00", "2021-09-10T14:12:00+02:00")
    assert rows["/dokument/2"]["published"] == "2021-07-27T10:51:00+02:00"  # its register is missing
    assert rows["/dokument/2"]["updated"] is None
    assert rows["/dokument/3"]["updated"] is None  # one entry: the creation
    assert rows["/dokument/4"]["updated"] is None  # the bulletin's change log is not its register
    assert all(hits[f"/historia/{n}"] == 1 for n in DOCUMENTS) and hits["/rejestr-zmian"] == 1


def test_a_register_remembered_as_a_leaf_page_still_brings_its_document(bip_site, tmp_path):
    base, _, _ = bip_site
    db = connect(tmp_path / "archive.db")  # as an earlier version of Archiwum left it
    with db.conn:
        db["leaf_pages"].insert_all({"url": f"{base}/historia/{n}", "source": "127.0.0.1",
                                     "kind": "version history", "last_seen": "2099-01-01T00:00:00+00:00"}
                                    for n in DOCUMENTS)
    db.conn.close()
    rows = crawl(base, tmp_path / "archive.db")
    assert rows["/dokument/1"]["updated"] == "2021-09-10T14:12:00+02:00"
    assert len(rows) == len(DOCUMENTS)


def test_a_recrawl_takes_a_new_register_entry_and_keeps_an_update_it_could_not_read(bip_site, tmp_path):
    base, _, pages = bip_site
    crawl(base, tmp_path / "archive.db")
    saved = dict(pages)
    pages["/historia/3"] = pages["/historia/3"].replace(
        "</table>", "<tr><td>2 paź 2021 12:30</td><td>Anna Nowak</td><td>Dodanie załącznika</td></tr></table>")
    del pages["/historia/1"]
    try:
        rows = crawl(base, tmp_path / "archive.db", "--full")
    finally:
        pages.update(saved)
    assert rows["/dokument/3"]["updated"] == "2021-10-02T12:30:00+02:00"  # its text did not change
    assert rows["/dokument/1"]["updated"] == "2021-09-10T14:12:00+02:00"  # its register answered 404
