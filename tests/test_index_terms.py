"""The index tokens of words: a crawl's ever-new word forms and numbers keep the cache bounded."""
import tracemalloc

from scraper.archive.search_index import index_term, index_text


def held_after(step) -> int:
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()


def test_a_crawl_of_ever_new_word_forms_keeps_the_cache_to_about_15_mb():
    words = [f"mieszkańców{n}a" for n in range(160_000)]  # no dictionary word: each one a look-up
    first_token = index_term(words[0])
    held = held_after(lambda: [index_term(word) for word in words])
    assert held < 18_000_000  # 160,000 entries of ~150 bytes: 24 MB; the cache keeps 100,000
    assert index_term(words[0]) == first_token  # a forgotten word is looked up again, the same


def test_numbers_take_no_place_in_the_cache():
    numbers = [str(n) for n in range(1_000_000, 1_100_000)]
    assert held_after(lambda: [index_term(number) for number in numbers]) < 100_000
    assert index_text("Rejestr 1000001 wniosków") == f"{index_term('Rejestr')} 1000001 {index_term('wniosków')}"
