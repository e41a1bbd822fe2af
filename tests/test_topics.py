"""Topics of an article (scraper/archive/topics.py): lexicon phrases counted in the indexed words."""
from __future__ import annotations

from scraper.archive.topics import assign


def test_inflected_words_and_phrases_give_their_topics():
    body = ("Ośrodek pomocy społecznej zaprasza seniorów. Seniorzy z klubu seniora spotkają się "
            "z asystentem rodziny, a pracownik socjalny przyjmie wnioski o zasiłek.")
    assert assign("Spotkanie", body) == ["seniorzy", "wsparcie rodziny", "pomoc społeczna"]


def test_a_phrase_said_twice_in_a_row_counts_twice_and_once_falls_short():
    assert assign("", "Pomoc społeczna, pomoc społeczna.") == ["pomoc społeczna"]
    assert assign("", "Pomoc społeczna w mieście.") == []
    assert assign("Pomoc społeczna", "Tekst bez słów z leksykonu.") == ["pomoc społeczna"]  # the title weighs 3


def test_a_phrase_that_starts_with_a_number_is_found():
    assert assign("", "Wnioski o 800 plus przyjmujemy od dziś; 800 plus wypłacamy co miesiąc.") == ["wsparcie rodziny"]
    assert assign("", "Wnioski o 800 zł przyjmujemy od dziś; 800 osób już złożyło.") == []


def test_phrases_after_a_register_of_numbers_still_count():
    register = " ".join(f"{i} {i * 7 % 1000} 800" for i in range(100_000))  # a number that starts "800 plus"
    assert assign("Rejestr", f"{register} Dzienny dom pomocy i klub seniora dla mieszkańców.") == ["seniorzy"]
