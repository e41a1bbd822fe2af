"""Attacks on the archive: a hostile portal (tests/hostile_portal.py) crawled by the real
`archiwum crawl`, its archive served by a real Datasette and clicked through in real headless
Chromium, and requests written to exhaust the server. Every payload signals a local listener;
a case fails if the listener hears anything."""
from __future__ import annotations

import http.client
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlite_utils
from playwright.sync_api import Error as PlaywrightError

from conftest import REPO, free_port, wait_for_http
from hostile_portal import LRI, PDI, PROSE, RLO, SLOW_SECONDS, HostilePortal, Listener
from plaincrawl import archiwum_crawl, crawl_to_end
from test_search import article_row
from scraper.archive import db as archive_db
from scraper.archive import search_index
from scraper.hashing import content_hash
from scraper.crawl.runner import lock_path
from scraper.web import bounds
from scraper.web.serve import datasette_args

BIDI = set(RLO + LRI + PDI + "\u202a\u202b\u202c\u202d\u2067\u2068\u200e\u200f")
SQL_TIME_LIMIT_S = 3.0
MAX_SERVER_RSS = 500 * 1024 * 1024
LONG_ARTICLES = 300


# ------------------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def silent_listener(request):
    """Every case starts with a listener that has heard nothing."""
    if "listener" in request.fixturenames:
        request.getfixturevalue("listener").hits.clear()


@pytest.fixture(scope="module")
def portal(listener):
    server = HostilePortal(listener.url)
    yield server
    server.close()


@pytest.fixture(scope="module")
def crawled(portal, listener, tmp_path_factory):
    """The hostile portal crawled by the real command: (archive, what the listener heard)."""
    db = tmp_path_factory.mktemp("hostile") / "archive.db"
    crawl_to_end(portal.url, db, timeout=240)
    return db, list(listener.hits)


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def rows(db: Path, sql: str) -> list[dict]:
    return list(sqlite_utils.Database(db).query(sql))


def get(url: str, data: bytes | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=60) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def click_every_link(page, url: str, base: str) -> int:
    """Open `url` and click, one by one, every link of its content that leads out of the
    archive's UI (to an original page, an attachment, or a script); returns how many."""
    page.goto(url)
    hrefs = page.eval_on_selector_all("section.content a", "links => links.map(a => a.getAttribute('href'))")
    leaving = [n for n, href in enumerate(hrefs) if not (href or "").startswith((base, "/", "?", "#"))]
    for n in leaving:
        page.goto(url)
        try:
            page.locator("section.content a").nth(n).click(timeout=3000, no_wait_after=True)
        except PlaywrightError:
            pass  # a link that navigated away or was refused: what matters is what ran
        page.wait_for_timeout(200)
    return len(leaving)


# ------------------------------------------------------------------------------ 1. links

def test_a_canonical_or_og_url_with_another_scheme_is_not_stored(crawled):
    db, _ = crawled
    stored = {row["title"]: row["url"] for row in rows(db, "select title, url from articles")}
    assert stored["Zasiłki celowe na nowy rok"].endswith("/aktualnosci/kanoniczny.html")
    assert stored["Dodatki mieszkaniowe od kwietnia"].endswith("/aktualnosci/og-url.html")
    assert all(url.startswith("http://127.0.0.1:") for url in stored.values())
    metadata = " ".join(row["metadata"] or "" for row in rows(db, "select metadata from articles"))
    assert "javascript" not in metadata.lower()


def test_attachments_with_javascript_or_data_addresses_are_not_stored(crawled):
    db, _ = crawled
    attachments = rows(db, "select url, title from attachments")
    assert [a["title"] for a in attachments] == ["Harmonogram zajęć (PDF"]
    assert attachments[0]["url"].endswith("/pliki/harmonogram.pdf")


def test_clicking_every_link_of_the_crawled_articles_runs_no_script(crawled, serve_archive, page,
                                                                    listener):
    db, _ = crawled
    base = serve_archive(db)
    ids = [row["id"] for row in rows(db, "select id from articles order by id")]
    clicked = sum(click_every_link(page, f"{base}/archive/articles/{id_}{view}", base)
                  for id_ in ids for view in ("", "?_widok=tabela"))  # article, every field
    for listing in ("/archive/articles", "/archive/articles?_search=pomocy", "/archive/attachments"):
        clicked += click_every_link(page, base + listing, base)
    assert clicked >= 2 * len(ids)  # at least each article's "Original article" link and its cell
    page.wait_for_timeout(500)
    assert listener.hits == []


@pytest.fixture(scope="module")
def planted_archive(tmp_path_factory, listener) -> Path:
    """An archive holding `javascript:` and `data:` addresses, as one crawled before the stages
    refused them would."""
    db_path = tmp_path_factory.mktemp("planted") / "archive.db"
    db = archive_db.connect(db_path)
    call = f"new Image().src='{listener.url}planted'"
    row = article_row("planted", "Kraków", "krakow-mopr", "2024-01-01", "Stare zaproszenie",
                      "Zaproszenie na spotkanie seniorów.")
    with db.conn:
        db["articles"].insert(row | {"url": f"javascript://krakow-mopr.example.pl/%0a{call}"})
        db["attachments"].insert_all([
            {"article_id": "planted", "url": f"javascript:{call}//a.pdf", "title": "a"},
            {"article_id": "planted", "url": f"data:text/html,<script>{call}</script>", "title": "b"}])
    db.conn.close()
    return db_path


def test_an_archived_javascript_address_is_shown_but_never_linked(planted_archive, serve_archive,
                                                                  page, listener):
    base = serve_archive(planted_archive)
    row_page = f"{base}/archive/articles/planted"
    click_every_link(page, row_page, base)
    click_every_link(page, f"{base}/archive/attachments", base)
    page.goto(row_page)
    assert "nie jest adresem WWW, bez linku" in page.inner_text(".archiwum-original")
    assert page.locator(".archiwum-original a").count() == 0
    page.wait_for_timeout(500)
    assert listener.hits == []


def test_bidi_overrides_and_invisible_isolates_are_not_stored_in_titles_and_authors(crawled):
    db, _ = crawled
    signed = rows(db, "select title, author from articles where url like '%/podpis.html'")[0]
    assert signed == {"title": "Ogłoszenie gpj.exe", "author": "Jan Kowalski rotkerid"}
    every = rows(db, "select title, author from articles") + rows(db, "select title from attachments")
    assert not any(BIDI & set(value or "") for row in every for value in row.values())


def old_archive(path: Path, call: str) -> Path:
    """An archive as a crawl before the security fix could leave it, written with raw SQL:
    runnable addresses and bidi controls in old rows, no migration run on it."""
    archive_db.connect(path).conn.close()  # the schema (with the migration's tables)
    conn = sqlite3.connect(path)
    search_index.register_functions(conn)  # the full-text index's triggers call them
    with conn:
        conn.execute("drop table if exists migrations")
        conn.execute("drop table if exists repairs")
        insert = ("insert into articles (id, url, source, title, author, body, published, "
                  "fetched_at, content_hash, metadata) values (?, ?, 'stary', ?, ?, ?, "
                  "'2019-05-01', '2019-05-02T00:00:00Z', ?, ?)")
        conn.execute(insert, ["stary:1", f"javascript://stary.example.pl/%0a{call}",
                              f"Stare ogłoszenie {RLO}gpj.exe", f"Jan {LRI}Kowalski{PDI}",
                              "Treść starego ogłoszenia dla seniorów.", "stary-hash",
                              json.dumps({"og:url": f"vbscript:{call}",
                                          "og:image": "https://stary.example.pl/a.png"})])
        conn.execute(insert, ["stary:2", "https://stary.example.pl/2", "Zwykłe ogłoszenie",
                              None, "Tekst bez niespodzianek.", "zwykly-hash", "{}"])
        conn.executemany("insert into attachments (article_id, url, title) values (?, ?, ?)", [
            ("stary:1", f"data:text/html,<script>{call}</script>", "Plan zajęć"),
            ("stary:1", "https://stary.example.pl/plan.pdf", f"Plan {RLO}fdp.exe")])
    conn.close()
    return path


def test_old_rows_with_runnable_addresses_or_bidi_controls_are_cleaned_when_a_crawl_opens_them(
        portal, tmp_path, listener):
    db = old_archive(tmp_path / "archive.db", f"new Image().src='{listener.url}old'")
    crawl_to_end(portal.url, db, timeout=240)
    old = rows(db, "select * from articles where id = 'stary:1'")[0]
    assert old["url"] is None and old["body"] == "Treść starego ogłoszenia dla seniorów."
    assert old["title"] == "Stare ogłoszenie gpj.exe" and old["author"] == "Jan Kowalski"
    assert json.loads(old["metadata"]) == {"og:image": "https://stary.example.pl/a.png"}
    assert old["content_hash"] == content_hash(old["title"], old["body"])
    assert rows(db, "select url, title from attachments where article_id = 'stary:1'") == [
        {"url": "https://stary.example.pl/plan.pdf", "title": "Plan fdp.exe"}]
    assert rows(db, "select url, title from articles where id = 'stary:2'") == [
        {"url": "https://stary.example.pl/2", "title": "Zwykłe ogłoszenie"}]
    reasons = {(r["table_name"], r["column_name"]): r["reason"] for r in rows(db, "select * from repairs")}
    assert reasons[("articles", "url")] == "not an http(s) address (javascript:)"
    assert reasons[("articles", "metadata og:url")] == "not an http(s) address (vbscript:)"
    assert reasons[("attachments", "url")].startswith("not an http(s) address (data:)")
    assert {("articles", "title"), ("articles", "author"), ("attachments", "title")} <= reasons.keys()
    assert not any(call in json.dumps(r) for r in rows(db, "select * from repairs")
                   for call in ("Image", "script>"))  # the reason names the scheme, not the payload
    assert rows(db, "select changes from migrations") == [{"changes": len(reasons)}]
    archive_db.connect(db).conn.close()  # opened again: nothing runs twice
    assert len(rows(db, "select * from repairs")) == len(reasons)


# ------------------------------------------------------------------------------ 7. redirects

def test_redirects_and_refreshes_off_the_portal_are_not_followed(crawled, portal):
    db, heard_during_crawl = crawled
    assert heard_during_crawl == []  # not even robots.txt of the other port
    urls = {row["url"] for row in rows(db, "select url from articles")}
    assert f"{portal.url}aktualnosci/nowy-adres.html" in urls  # a redirect on the portal is followed


# ------------------------------------------------------------------------------ 4. writer lock

def test_a_second_crawl_through_a_symlink_to_the_archive_is_refused(portal, tmp_path):
    real = tmp_path / "data" / "archive.db"
    real.parent.mkdir()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    first = subprocess.Popen(archiwum_crawl(f"{portal.url}wolno/", real), cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + SLOW_SECONDS
        while not (lock_path(real).is_file() and lock_path(real).read_text().strip()):
            assert time.monotonic() < deadline and first.poll() is None, "the first crawl never locked"
            time.sleep(0.1)
        second = subprocess.run(archiwum_crawl(portal.url, link), cwd=REPO, capture_output=True,
                                text=True, timeout=120)
        assert second.returncode == 3, second.stderr[-2000:]
        assert "another crawl" in second.stderr and "Traceback" not in second.stderr
    finally:
        first.communicate(timeout=180)
    assert first.returncode == 0
    assert rows(real, "select count(*) as n from article_versions") == [{"n": 0}]


# ------------------------------------------------------------------------------ 5. serve

def test_serve_writes_its_metadata_where_no_other_user_can(planted_archive, tmp_path, listener,
                                                           browser):
    shared_tmp = tmp_path / "tmp"
    shared_tmp.mkdir(mode=0o1777)
    planted = {"extra_js_urls": [f"{listener.url}planted.js"]}
    for name in ("archiwum-metadata-archive.json", "metadata-archive.json"):
        (shared_tmp / name).write_text(json.dumps(planted))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper.cli.main", "serve", "--db", str(planted_archive),
         "--port", str(port)], cwd=REPO, env=os.environ | {"TMPDIR": str(shared_tmp)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/-/versions.json", process)
        arguments = Path(f"/proc/{process.pid}/cmdline").read_text().split("\0")
        metadata = Path(arguments[arguments.index("--metadata") + 1])
        assert shared_tmp not in metadata.parents
        assert metadata.parent.stat().st_uid == os.getuid()
        assert metadata.parent.stat().st_mode & 0o077 == 0 and metadata.stat().st_mode & 0o077 == 0
        context = browser.new_context()
        context.new_page().goto(f"{base}/archive/articles")
        context.close()
        assert listener.hits == []
    finally:
        process.terminate()
        process.wait(timeout=10)


# ------------------------------------------------------------------------------ 2, 3, 9. requests

def long_body(n: int) -> str:
    """~7,500 words: sixty paragraphs of shuffled prose."""
    shuffled = random.Random(n)
    return "\n\n".join(" ".join(shuffled.sample(PROSE, len(PROSE))) for _ in range(60))


@pytest.fixture(scope="module")
def long_archive(tmp_path_factory) -> Path:
    """LONG_ARTICLES long articles that all match "seniorzy" (the ranked search's worst case)."""
    db_path = tmp_path_factory.mktemp("long") / "archive.db"
    db = archive_db.connect(db_path)
    with db.conn:
        db["articles"].insert_all(
            article_row(f"dlugi-{n}", "Kraków", "krakow-mopr", f"20{10 + n % 14}-02-01",
                        f"Komunikat dla seniorów {n}", long_body(n)) for n in range(LONG_ARTICLES))
    db.conn.close()
    return db_path


def start_datasette(db: Path, public: bool = False, web_settings: dict | None = None):
    port = free_port()
    process = subprocess.Popen(datasette_args(db, port=port, public=public, web_settings=web_settings),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for_http(f"http://127.0.0.1:{port}/-/versions.json", process)
    return process, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def datasette(long_archive):
    process, base = start_datasette(long_archive)
    yield base, process.pid
    process.terminate()
    process.wait(timeout=10)


def sql(base: str, query: str) -> tuple[int, str, float]:
    started = time.monotonic()
    status, text = get(f"{base}/archive.json?" + urllib.parse.urlencode({"sql": query}))
    return status, text, time.monotonic() - started


def peak_rss(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) * 1024


def test_a_search_of_too_many_words_is_refused_with_a_message(datasette):
    base, _ = datasette
    words = " ".join(f"slowo{n}" for n in range(150))
    status, text = get(f"{base}/archive/articles?" + urllib.parse.urlencode({"_search": words}))
    assert status == 400
    assert "Wyszukiwanie jest za długie" in text and "The search is too long" in text


def test_an_over_long_query_string_is_refused_with_a_message(datasette):
    base, _ = datasette
    status, text = get(f"{base}/archive/articles?city=" + "x" * 60_000)
    assert status == 414 and "za długi" in text and "too long" in text


def test_the_index_functions_cannot_take_more_words_than_the_bound(datasette):
    base, _ = datasette
    words = " ".join(f"mieszkancow{n}" for n in range(150))
    status, text, _ = sql(base, f"select archiwum_match('{words}') as expression")
    expression = json.loads(text)["rows"][0][0]
    assert status == 200 and expression.count('"') // 2 == bounds.MAX_SEARCH_WORDS


def test_the_index_functions_stop_at_the_sql_time_limit(datasette):
    base, _ = datasette
    status, text, seconds = sql(base, "select count(archiwum_snippet(a.body, 'seniorzy lodz')) "
                                      "from articles a, articles b")
    assert status == 400 and "SQL query took too long" in text
    assert seconds < SQL_TIME_LIMIT_S + 1.5


def test_sql_cannot_make_a_huge_string_or_grow_the_server(datasette):
    base, pid = datasette
    for query in ("select printf('%.*c', 200000000, 'x') as x",
                  "select length(zeroblob(300000000)) as x",
                  "select length(group_concat(a.body)) as x from articles a, articles b",
                  "select count(*) from (select zeroblob(8000000) as z, random() as r "
                  "from articles order by r)"):
        status, text, _ = sql(base, query)
        answer = json.loads(text)
        assert answer.get("rows") in ([], [[None]]) or answer.get("error"), answer
    assert peak_rss(pid) < MAX_SERVER_RSS


def test_post_is_refused_with_405_and_no_traceback(datasette):
    base, _ = datasette
    status, text = get(f"{base}/archive/articles", data=b"title=x")
    assert status == 405 and "read-only" in text


def test_the_databases_page_does_not_show_the_archive_path(datasette, long_archive):
    base, _ = datasette
    status, text = get(f"{base}/-/databases.json")
    assert status == 200 and str(long_archive.parent) not in text
    assert json.loads(text)[0]["path"] == "archive.db"


def test_the_ranked_search_answers_four_readers_at_once_on_long_articles(datasette):
    base, _ = datasette
    url = f"{base}/archive/search.json?" + urllib.parse.urlencode(
        {"q": "seniorzy", "city": "", "since": "", "until": "", "_shape": "objects"})
    readers = [subprocess.Popen([sys.executable, "-c", f"import urllib.request, sys; "
                                 f"sys.stdout.write(urllib.request.urlopen({url!r}).read().decode())"],
                                stdout=subprocess.PIPE, text=True) for _ in range(4)]
    answers = [json.loads(reader.communicate(timeout=60)[0]) for reader in readers]
    assert all(answer["ok"] and len(answer["rows"]) == 100 for answer in answers)
    assert all(search_index.MARK_START in row["snippet"] for answer in answers for row in answer["rows"])


def test_a_public_server_runs_no_arbitrary_sql_but_searches(long_archive):
    process, base = start_datasette(long_archive, public=True)
    try:
        assert sql(base, "select 1")[0] == 403
        status, text = get(f"{base}/archive?sql=select+1")  # the page says why, in Polish
        assert status == 403 and "nie wykonuje własnych zapytań SQL" in text
        search = get(f"{base}/archive/search.json?q=seniorzy&city=&since=&until=")
        assert search[0] == 200 and json.loads(search[1])["rows"]
        status, text = get(f"{base}/archive/articles.json?_search=seniorzy&_shape=array")
        assert status == 200 and json.loads(text)
    finally:
        process.terminate()
        process.wait(timeout=10)


# ------------------------------------------------------------------------------ per-client limit

SLOW_SEARCH = "/archive/search.json?q=seniorzy&city=&since=&until="  # ~2.5 s on the long archive
PROXY = "127.0.0.4"


def get_from(address: str, base: str, path: str, forwarded_for: str | None = None):
    """GET over a connection from `address` (any 127.x.y.z is this machine): (status, headers, text)."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120, source_address=(address, 0))
    try:
        connection.request("GET", path, headers={"X-Forwarded-For": forwarded_for} if forwarded_for else {})
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read().decode("utf-8")
    finally:
        connection.close()


@pytest.fixture(scope="module")
def limited_datasette(long_archive):
    process, base = start_datasette(long_archive, web_settings={
        "ARCHIWUM_WEB_CLIENT_CONCURRENCY": 2, "ARCHIWUM_WEB_CLIENT_RATE": 12,  # a burst of 2, then one each 5 s
        "ARCHIWUM_WEB_TRUSTED_PROXY": PROXY})
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_a_client_flooding_the_server_gets_429_while_another_client_searches(limited_datasette):
    base = limited_datasette
    with ThreadPoolExecutor(max_workers=9) as pool:
        # 8 slow searches at once from one address, each claiming another one in X-Forwarded-For
        # (not from the trusted proxy: ignored), and a researcher's search from another address.
        flood = [pool.submit(get_from, "127.0.0.2", base, SLOW_SEARCH, f"10.0.0.{n}") for n in range(8)]
        time.sleep(0.3)
        other = pool.submit(get_from, "127.0.0.3", base, "/archive/articles.json?_search=seniorzy&_size=5")
        answers = [future.result() for future in flood]
        status, _, text = other.result()
    assert status == 200 and json.loads(text)["rows"]
    refused = [answer for answer in answers if answer[0] == 429]
    assert len(refused) == 6 and sum(answer[0] == 200 for answer in answers) == 2
    assert all(headers["retry-after"] == "1" and "Za dużo zapytań naraz" in text
               for _, headers, text in refused)


def test_a_client_past_its_rate_waits_and_a_trusted_proxy_names_its_clients(limited_datasette):
    base = limited_datasette
    quick = "/archive/articles.json?_size=1"
    statuses = [get_from("127.0.0.5", base, quick)[:2] for _ in range(10)]
    assert [status for status, _ in statuses].count(429) >= 6
    retry = next(headers["retry-after"] for status, headers in statuses if status == 429)
    assert 1 <= int(retry) <= 5
    assert get_from("127.0.0.6", base, quick)[0] == 200  # another address is not held back
    # Behind the proxy, each forwarded address has its own bucket; the last hop is the one the
    # proxy saw (an address a client wrote before it counts for nothing).
    flooded = [get_from(PROXY, base, quick, "1.2.3.4, 10.1.1.1")[0] for _ in range(10)]
    assert flooded.count(429) >= 6
    assert get_from(PROXY, base, quick, "1.2.3.4, 10.1.1.2")[0] == 200
    assert get_from(PROXY, base, quick, "10.1.1.1")[0] == 429
