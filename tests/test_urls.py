from scraper.urls import canonicalize, identity, is_print_variant, is_web_url, looks_like_trap, site


def test_tracking_session_and_font_switch_parameters_are_dropped():
    assert canonicalize("HTTP://WWW.Mopr.gda.pl/aktualnosci/?czcionka=2&utm_source=fb&PHPSESSID=ab#x") \
        == "http://www.mopr.gda.pl/aktualnosci/"
    assert canonicalize("https://bip.krakow.pl/?dok_id=167&sid=9") == "https://bip.krakow.pl/?dok_id=167"


def test_http_https_www_and_host_variants_share_one_identity():
    assert identity("http://gdansk.pl/wiadomosci/a,a,1") == identity("https://www.gdansk.pl/wiadomosci/a,a,1")


def test_print_variants_and_traps_are_recognised():
    assert is_print_variant("https://x.pl/aktualnosci/1-a?tmpl=component&print=1")
    assert looks_like_trap("https://x.pl/kalendarz/2030/kalendarz/2031/kalendarz/2032/kalendarz/")
    assert looks_like_trap("https://x.pl/?" + "&".join(f"p{i}=1" for i in range(9)))
    assert not looks_like_trap("https://www.gdansk.pl/wiadomosci/Seniorzy,a,2011")


def test_only_http_and_https_addresses_are_web_addresses():
    assert is_web_url("https://mops.example.pl/a") and is_web_url("HTTP://mops.example.pl")
    for url in ("javascript://mops.example.pl/%0aalert(1)", "data:text/html,<script>", "//x.pl/a",
                "/relative", "mailto:a@b.pl", "http://", "http://x.pl:99999999/", "", None):
        assert not is_web_url(url), url


def test_a_site_keeps_a_port_unless_it_is_its_schemes_default():
    assert site("http://X.pl/a") == site("https://x.pl:443/b") == site("http://x.pl:80/") == "x.pl"
    assert site("http://x.pl:443/") == "x.pl:443" and site("http://127.0.0.1:8080/") == "127.0.0.1:8080"
    assert site("javascript://x.pl/%0a") is None and site("http://x.pl:bad/") is None
