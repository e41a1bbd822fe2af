from itertools import product
from urllib.parse import urljoin

from scraper.urls import canonicalize, identity, is_web_url, joiner, site


def test_tracking_session_and_font_switch_parameters_are_dropped():
    assert canonicalize("HTTP://WWW.Mopr.gda.pl/aktualnosci/?czcionka=2&utm_source=fb&PHPSESSID=ab#x") \
        == "http://www.mopr.gda.pl/aktualnosci/"
    assert canonicalize("https://bip.krakow.pl/?dok_id=167&sid=9") == "https://bip.krakow.pl/?dok_id=167"


def test_http_https_www_and_host_variants_share_one_identity():
    assert identity("http://gdansk.pl/wiadomosci/a,a,1") == identity("https://www.gdansk.pl/wiadomosci/a,a,1")


def test_a_session_id_in_the_path_makes_no_new_url():
    page = "https://bip.example.pl/uchwaly/rada.html"
    assert canonicalize("https://bip.example.pl/uchwaly/rada.html;jsessionid=8F2A1C0D9E") == page
    assert canonicalize("https://bip.example.pl/(S(x3fgh2kqz1))/uchwaly/rada.html") == page
    assert canonicalize("https://bip.example.pl/uchwaly;jsessionid=8F2A/rada.html?id=3") == page + "?id=3"
    assert canonicalize("https://bip.example.pl/dzialy;rok=2024/rada.html") == "https://bip.example.pl/dzialy;rok=2024/rada.html"


def test_only_http_and_https_addresses_are_web_addresses():
    assert is_web_url("https://mops.example.pl/a") and is_web_url("HTTP://mops.example.pl")
    for url in ("javascript://mops.example.pl/%0aalert(1)", "data:text/html,<script>", "//x.pl/a",
                "/relative", "mailto:a@b.pl", "http://", "http://x.pl:99999999/", "", None):
        assert not is_web_url(url), url


def test_a_site_keeps_a_port_unless_it_is_its_schemes_default():
    assert site("http://X.pl/a") == site("https://x.pl:443/b") == site("http://x.pl:80/") == "x.pl"
    assert site("http://x.pl:443/") == "x.pl:443" and site("http://127.0.0.1:8080/") == "127.0.0.1:8080"
    assert site("javascript://x.pl/%0a") is None and site("http://x.pl:bad/") is None


def test_a_pages_links_are_joined_to_its_base_as_urljoin_joins_them():
    """The joiner writes plain absolute paths after the base's origin without urljoin: each link,
    of every shape urljoin rewrites (dot segments, ";params", empty query or fragment, tabs and
    line breaks, "//host"), comes out as urljoin's."""
    bases = ["http://127.0.0.1:8999/a/b", "HTTPS://Mops.Example.PL:443/x/?y=1#z", "http://gosc:pw@x.pl",
             "https://[::1]:8080/q;p", "ftp://x.pl/a", "a/b", "", "http://[zepsuty/", "http:///p"]
    pieces = ["", "/", ".", "..", ";p", "?", "#", "?#", "\t", "\n", "x", "ą", "//y.pl", "%2F"]
    links = ["/" + "".join(p) for p in product(pieces, repeat=3)] + [
        "", "?strona=2", "#top", "x/y", "../z", "//y.pl/a", "https://y.pl/a", "mailto:a@b.pl", "/aktualności/1"]
    for base in bases:
        join = joiner(base)
        for link in links:
            assert outcome(join, link) == outcome(urljoin, base, link), (base, link)


def outcome(function, *args) -> str:
    try:
        return function(*args)
    except ValueError:  # a malformed IPv6 literal in the base: so says each link's join
        return "ValueError"
