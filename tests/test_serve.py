"""`archiwum serve` answers Polish searches over HTTP, as a page and as JSON."""
import html
import json
import re
import urllib.parse
import urllib.request

import pytest


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def datasette(demo_archive, serve_archive):
    return serve_archive(demo_archive)


def search(datasette, query: str, fmt: str = ".json") -> str:
    q = urllib.parse.urlencode({"_search": query, "_shape": "array"})
    return get(f"{datasette}/archive/articles{fmt}?{q}")


def test_a_polish_search_finds_the_article_as_json(datasette):
    rows = json.loads(search(datasette, "Zimą bezdomnych"))
    assert "Zimą nie bądźmy obojętni - pomoc dla osób bezdomnych" in [r["title"] for r in rows]
    assert all("bezdomn" in (r["title"] + r["body"]).lower() for r in rows)
    assert all(r["url"].startswith("http://127.0.0.1:") for r in rows)


def test_the_same_search_is_a_page_for_the_browser(datasette):
    page = search(datasette, "Zimą bezdomnych", fmt="")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "Zimą nie bądźmy obojętni - pomoc dla osób bezdomnych" in text


def test_a_word_not_in_the_archive_finds_nothing(datasette):
    assert json.loads(search(datasette, "kosmodrom")) == []


def test_an_article_links_to_its_archived_copy_shown_inert(datasette):
    [row] = json.loads(search(datasette, '"Zimą nie bądźmy obojętni"'))
    page = get(f"{datasette}/archive/articles/{urllib.parse.quote(row['id'])}")
    assert f'href="/-/archiwum/capture/{urllib.parse.quote(row["id"])}"' in page
    capture = get(f"{datasette}/-/archiwum/capture/{row['id']}")
    assert "Status HTTP</dt><dd class=\"status\">200" in capture
    assert '<iframe src="/-/archiwum/capture/' in capture and 'sandbox=""' in capture
    with urllib.request.urlopen(f"{datasette}/-/archiwum/capture/{row['id']}/strona",
                                timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Content-Security-Policy"].startswith("sandbox")
        raw = response.read().decode("utf-8")
    assert "<html" in raw and "Zimą nie bądźmy obojętni" in raw
