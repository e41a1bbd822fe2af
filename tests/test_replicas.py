"""The offline replicas as their users see them: over HTTP from the running servers."""
from __future__ import annotations

import http.client
import re
import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections import deque
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from scraper.demo.build import build_site
from scraper.demo.gold import gold_articles, non_articles
from scraper.demo.server import serve_sites
from scraper.demo.sites import DEMO_SITES, HELD_OUT_SITES, REPLICAS

ALL_SITES = tuple(REPLICAS)
CRAWL_LIMIT = 400
META_CHARSET = re.compile(rb'<meta[^>]+charset=["\']?([\w-]+)', re.I)


def url_of(replicas, host: str, path: str) -> str:
    return replicas.base_urls[host] + path.lstrip("/")


def fetch(url: str) -> tuple[int, dict, bytes]:
    """GET without following redirects."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return result


def decode(headers: dict, body: bytes) -> str:
    """What a browser would do: header charset, else <meta>, else UTF-8, else windows-1250."""
    header = re.search(r"charset=([\w-]+)", headers.get("Content-Type", ""))
    meta = META_CHARSET.search(body)
    charset = header.group(1) if header else meta.group(1).decode() if meta else None
    if charset:
        return body.decode(charset)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("windows-1250")


def page_text(html: str) -> str:
    return " ".join(lxml.html.fromstring(html).text_content().split())


def crawl(replicas, site_id: str) -> set[tuple[str, str]]:
    """Breadth-first over same-replica links from every host's home page: {(host, path)}."""
    hosts = {base: host for host, base in replicas.site_urls(site_id).items()}
    queue = deque(replicas.site_urls(site_id).values())
    seen: set[str] = set(queue)
    found: set[tuple[str, str]] = set()
    while queue and len(found) < CRAWL_LIMIT:
        url = queue.popleft()
        status, headers, body = fetch(url)
        base = next(b for b in hosts if url.startswith(b))
        parts = urlsplit(url)
        found.add((hosts[base], parts.path + (f"?{parts.query}" if parts.query else "")))
        if status in (301, 302):
            links = [headers["Location"]]
        elif status == 200 and headers["Content-Type"].startswith("text/html"):
            links = lxml.html.fromstring(decode(headers, body)).xpath("//a/@href")
        else:
            links = []
        for link in links:
            target = urljoin(url, link).split("#")[0]
            if target not in seen and any(target.startswith(b) for b in hosts):
                seen.add(target)
                queue.append(target)
    return found


@pytest.mark.parametrize("site_id", ALL_SITES)
def test_every_gold_article_is_reachable_by_following_links(replicas, site_id):
    reached = crawl(replicas, site_id)
    missing = [(g["host"], g["path"]) for g in gold_articles(site_id)
               if (g["host"], g["path"]) not in reached]
    assert not missing


@pytest.mark.parametrize("site_id", ALL_SITES)
def test_gold_article_pages_show_their_title_and_every_paragraph(replicas, site_id):
    for gold in gold_articles(site_id):
        status, headers, body = fetch(url_of(replicas, gold["host"], gold["path"]))
        assert status == 200, gold["path"]
        text = page_text(decode(headers, body))
        assert gold["title"] in text
        for paragraph in gold["body"]:
            assert " ".join(paragraph.split()) in text, (gold["path"], paragraph[:60])
        if gold["published_text"]:
            assert gold["published_text"] in text


@pytest.mark.parametrize("site_id", ALL_SITES)
def test_non_article_pages_exist_and_are_not_gold_articles(replicas, site_id):
    host = REPLICAS[site_id].hosts[0]
    gold_paths = {g["path"] for g in gold_articles(site_id)}
    for path in non_articles(site_id):
        assert path not in gold_paths
        assert fetch(url_of(replicas, host, path))[0] == 200, path


def test_gold_is_a_labelled_set_of_at_least_sixty_articles():
    golds = [g for site in ALL_SITES for g in gold_articles(site)]
    assert len(golds) >= 60
    assert all(len(g["body"]) >= 3 for g in golds)
    for site in ALL_SITES:
        keys = [g["key"] for g in gold_articles(site)]
        assert len(keys) == len(set(keys)), site


def test_iso_8859_2_page_declares_its_charset_only_in_meta_and_decodes_to_polish(replicas):
    status, headers, body = fetch(url_of(replicas, "integracjaipraca.info", "/2017aintegracji.html"))
    assert headers["Content-Type"] == "text/html"
    assert b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2" />' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = page_text(body.decode("iso-8859-2"))
    assert "Źródłem finansowania działań są środki Funduszu Pracy" in text
    assert "Kampanie społeczneValid XHTML 1.0 Strict" in text


def test_page_without_any_charset_is_windows_1250(replicas):
    status, headers, body = fetch(url_of(replicas, "integracjaipraca.info", "/kartaseniora.html"))
    assert headers["Content-Type"] == "text/html"
    assert b"charset" not in body.lower()
    assert "blisko 9 tysięcy sądeczan" in body.decode("windows-1250")
    assert "sądeczan" not in body.decode("iso-8859-2")


def test_unknown_paths_are_404(replicas):
    for site_id in ALL_SITES:
        base = replicas.base_urls[REPLICAS[site_id].hosts[0]]
        assert fetch(base + "nie-ma-takiej-strony.html")[0] == 404
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(replicas.base_urls["www.gdansk.pl"] + "wiadomosci/Brak,a,999")
    assert error.value.code == 404


def test_gdansk_differently_cased_slug_redirects_to_the_canonical_url(replicas):
    gold = next(g for g in gold_articles("gdansk") if g["key"] == "187412")
    status, headers, _ = fetch(url_of(replicas, "www.gdansk.pl", gold["path"].lower()))
    assert (status, headers["Location"]) == (301, gold["path"])
    final = urllib.request.urlopen(url_of(replicas, "www.gdansk.pl", gold["path"].lower()))
    assert final.url.endswith(gold["path"])


def test_gdansk_robots_disallows_search_and_names_the_sitemap(replicas):
    base = replicas.base_urls["www.gdansk.pl"]
    robots = urllib.robotparser.RobotFileParser(base + "robots.txt")
    robots.read()
    assert not robots.can_fetch("archiwum", base + "szukaj")
    assert robots.can_fetch("archiwum", base + "wiadomosci")
    sitemap = fetch(base + "sitemap.xml")[2].decode()
    rss = fetch(base + "rss/aktualnosci.xml")[2].decode()
    for gold in gold_articles("gdansk"):
        assert base + gold["path"][1:] in sitemap
        if gold["published"]:
            assert base + gold["path"][1:] in rss


def test_bdp_visitor_counter_differs_between_pages(replicas):
    counter = re.compile(r"([\d.]+)\s*gości odwiedziło nas")
    first, second = gold_articles("bdp")[:2]
    counts = [counter.search(page_text(fetch(url_of(replicas, g["host"], g["path"]))[2].decode()))
              .group(1) for g in (first, second)]
    assert counts[0] != counts[1]


def test_the_same_joomla_article_id_is_served_on_both_starachowice_hosts(replicas):
    gold = next(g for g in gold_articles("starachowice") if g["key"] == "1187")
    pages = [page_text(fetch(url_of(replicas, host, path))[2].decode())
             for host, path in [(gold["host"], gold["path"]), *gold["duplicates"]]]
    assert len(pages) == 2 and all("Opublikowano: wtorek, 03, marzec 2020 14:55" in p for p in pages)
    assert all(gold["body"][0] in p for p in pages)
    assert "Odśtony: 30562" in pages[0]


def test_starachowice_links_to_the_sibling_host_by_its_local_address(replicas):
    gold = gold_articles("starachowice")[0]
    html = fetch(url_of(replicas, gold["host"], gold["path"]))[2].decode()
    sibling = replicas.base_urls["obywatelski.starachowice.eu"] + gold["path"][1:]
    assert f'href="{sibling}"' in html


def test_payload_quoted_in_an_article_is_served_as_inert_text(replicas):
    status, headers, body = fetch(url_of(replicas, "integracjaipraca.info", "/seniorbezpieczny.html"))
    html = body.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;Wygrałeś nagrodę!&quot;)&lt;/script&gt;" in html
    assert '<script>alert("Wygrałeś nagrodę!")</script>' in page_text(html)


def test_every_site_has_an_inline_script(replicas):
    for site_id in ALL_SITES:
        host = REPLICAS[site_id].hosts[0]
        html = decode(*fetch(url_of(replicas, host, "/"))[1:])
        assert lxml.html.fromstring(html).xpath("//script[normalize-space(text())]"), site_id


def test_rendering_is_deterministic_and_fast():
    started = time.perf_counter()
    first = {site: build_site(site) for site in ALL_SITES}
    elapsed = time.perf_counter() - started
    second = {site: build_site(site) for site in ALL_SITES}
    for site in ALL_SITES:
        for host, tree in first[site].items():
            assert tree.pages == second[site][host].pages
    assert elapsed < 5  # generous: the target (< 1 s) is measured in bench/, not here


def test_registry_separates_the_demo_from_held_out_replicas():
    assert set(DEMO_SITES) == {"nowysacz-wirp", "starachowice", "gdansk", "bdp"}
    assert set(HELD_OUT_SITES) == {"mops_wp", "ops_drupal", "bip", "cus"}
    assert all(REPLICAS[s].mirrors == s for s in DEMO_SITES)


def test_wordpress_adds_the_trailing_slash_and_serves_font_size_duplicates(replicas):
    gold = gold_articles("mops_wp")[0]
    status, headers, _ = fetch(url_of(replicas, gold["host"], gold["path"].rstrip("/")))
    assert (status, headers["Location"]) == (301, gold["path"])
    original = fetch(url_of(replicas, gold["host"], gold["path"]))[2]
    for host, path in gold["duplicates"]:
        assert "?czcionka=" in path
        assert fetch(url_of(replicas, host, path))[2] == original


def test_wordpress_calendar_next_month_never_ends(replicas):
    url = url_of(replicas, "mops-wp.test", "/wydarzenia/")
    for _ in range(30):
        status, headers, body = fetch(url)
        assert status == 200
        nxt = lxml.html.fromstring(body.decode()).xpath('//a[contains(., "następny miesiąc")]/@href')
        url = urljoin(url, nxt[0])
    assert "miesiac=2027-" in url


def test_bip_document_shows_the_metryczka_and_keeps_its_earlier_version(replicas):
    gold = next(g for g in gold_articles("bip") if g["updated"])
    text = page_text(fetch(url_of(replicas, gold["host"], gold["path"]))[2].decode())
    assert re.search(r"Data publikacji:\s*" + re.escape(gold["published_text"]), text)
    assert re.search(r"Data wytworzenia:\s*\d{1,2} [a-zś]{3} \d{4}", text)
    history = page_text(fetch(url_of(replicas, gold["host"], f"/historia/{gold['key']}"))[2].decode())
    assert "wersja 1" in history and "wersja 2" in history
    first = page_text(fetch(url_of(replicas, gold["host"], f"/historia/{gold['key']}/1"))[2].decode())
    assert gold["body"][-1] not in first


def test_drupal_nodes_that_are_not_articles_are_labelled_so(replicas):
    assert {"/node/2", "/node/3"} <= set(non_articles("ops_drupal"))
    gold = gold_articles("ops_drupal")[0]
    text = page_text(fetch(url_of(replicas, gold["host"], gold["path"]))[2].decode())
    assert re.search(r"[a-zś]{2,5}\., \d\d\.\d\d\.\d{4} - \d\d:\d\d", text)


def test_a_replica_can_be_served_on_a_fixed_port():
    port = fixed_port()
    with serve_sites(["gdansk"], ports={"www.gdansk.pl": port}) as running:
        assert running.base_urls == {"www.gdansk.pl": f"http://127.0.0.1:{port}/"}
        assert fetch(f"http://127.0.0.1:{port}/wiadomosci")[0] == 200


def fixed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cus_chrome_is_written_in_sentences_named_like_content_and_repeated_on_every_article(replicas):
    from scraper.demo.templates import cus
    chrome = [cus.NOTICE, cus.QUESTIONS, *cus.ABOUT, "Inne wiadomości"]
    for gold in gold_articles("cus"):
        html = fetch(url_of(replicas, gold["host"], gold["path"]))[2].decode()
        tree = lxml.html.fromstring(html)
        assert not tree.xpath("//nav|//aside|//footer|//header|//*[contains(@class, 'menu') or contains(@id, 'menu')]")
        text = page_text(html)
        assert all(sentence in text for sentence in chrome), gold["path"]
        assert len(tree.xpath("//div[@class='zajawka']")) == cus.RELATED
