"""The near-duplicate signature finds pairs as often as MinHash with separate permutations would.

For a pair of texts with Jaccard similarity J, banded LSH over k-permutation MinHash makes them
candidates with probability 1 - (1 - J^ROWS)^BANDS. The one-permutation signature must follow the
same curve on short texts too, where most of its slots are filled by densification.
"""
import random

import pytest

from scraper.archive import near_duplicates
from scraper.archive.near_duplicates import BANDS, ROWS, SHINGLE, band_keys, signature

VOCABULARY = [f"wyraz{i}" for i in range(3000)]


def shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def pairs(rng: random.Random, length: int, count: int):
    """Texts and their edited copies (up to 15 % of the words replaced), with their true Jaccard."""
    for _ in range(count):
        words = [rng.choice(VOCABULARY) for _ in range(length)]
        replaced = rng.uniform(0, 0.15)
        copy = [rng.choice(VOCABULARY) if rng.random() < replaced else w for w in words]
        a, b = shingles(words), shingles(copy)
        yield len(a & b) / len(a | b), " ".join(words), " ".join(copy)


def found(a: str, b: str) -> bool:
    return any(x == y for x, y in zip(band_keys(signature(a)), band_keys(signature(b))))


@pytest.mark.parametrize("length", [40, 150, 300])
def test_pairs_are_found_as_often_as_minhash_predicts(length):
    rng = random.Random(length)
    cases = list(pairs(rng, length, 600))
    observed = sum(found(a, b) for _, a, b in cases) / len(cases)
    expected = sum(1 - (1 - j ** ROWS) ** BANDS for j, _, _ in cases) / len(cases)
    assert observed == pytest.approx(expected, abs=0.04)


@pytest.mark.parametrize("length", [40, 150, 300])
def test_texts_half_alike_are_not_linked(length):
    cases = [c for c in pairs(random.Random(length), length, 600) if c[0] < 0.5]
    assert len(cases) > 50
    assert sum(found(a, b) for _, a, b in cases) <= 1


def test_the_same_text_always_matches_and_short_texts_have_no_signature():
    text = " ".join(random.Random(1).choice(VOCABULARY) for _ in range(60))
    assert signature(text) == signature(text) and found(text, text)
    assert signature("Zapraszamy na spotkanie") is None


def test_a_copy_is_told_by_its_opening_however_long_its_words():
    article = " ".join(random.Random(2).choice(VOCABULARY) for _ in range(200))
    other = " ".join(random.Random(3).choice(VOCABULARY) for _ in range(200))
    run = "x" * 3_000_000  # a page-long run of letters: one word
    assert found(f"{article} {run}a", f"{article} {run}b")
    assert not found(f"{other} {run}", f"{article} {run}")
    assert signature(run) is None  # one word is no text to compare


def test_the_index_keeps_the_latest_originals_and_forgets_the_oldest(monkeypatch):
    """A crawl adds its originals to the archive's: the index stays at RECENT_ARTICLES per band."""
    monkeypatch.setattr(near_duplicates, "RECENT_ARTICLES", 100)
    rng = random.Random(7)
    texts = [" ".join(rng.choice(VOCABULARY) for _ in range(80)) for _ in range(300)]
    index = near_duplicates.NearDuplicateIndex()
    for number, text in enumerate(texts):
        assert index.original_of(f"mops:{number}", text) is None
    assert all(len(band) <= 100 for band in index.bands)
    assert index.original_of("ops:299", texts[299]) == "mops:299"  # a copy of a recent one is linked
    assert index.original_of("ops:0", texts[0]) is None  # the first ones are forgotten
