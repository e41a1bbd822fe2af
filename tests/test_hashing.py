"""Fingerprint sets: what a crawl remembers of every page, in ~12 bytes a member."""
import tracemalloc

from scraper.hashing import FingerprintSet

URLS = [f"https://www.mops.przykładowo.pl/aktualności/{n}-nabór-wniosków-dla-seniorów.html" for n in range(200_000)]


def test_a_set_of_100000_urls_answers_exactly_in_about_a_megabyte():
    members, strangers = URLS[:100_000], URLS[100_000:]
    tracemalloc.start()
    try:
        urls = FingerprintSet(members)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 2_000_000  # a Python set of these URLs: ~20 MB
    assert len(urls) == len(members)
    assert all(url in urls for url in members)
    assert not any(url in urls for url in strangers)


def test_a_member_added_twice_counts_once_and_bytes_and_text_are_members_alike():
    seen = FingerprintSet()
    for _ in range(3):
        seen.add("https://mops.example/aktualności/1")
        seen.add(b"\x00\xff")
    assert len(seen) == 2
    assert "https://mops.example/aktualności/1" in seen and b"\x00\xff" in seen
    assert "https://mops.example/aktualnosci/1" not in seen  # no diacritic folded away
