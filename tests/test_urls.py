from scraper.urls import canonicalize, identity, is_print_variant, looks_like_trap


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
