"""Near-duplicate articles: MinHash over word shingles, found through banded LSH.

The same news cross-posted by a city hall and its welfare centre, or copied onto another portal
under a new id, differs in a heading, a caption or a signature; MinHash finds it at a Jaccard
similarity of about 0.8 and above. Both copies are kept; the later one points at the earlier.

The signature is one-permutation MinHash over word shingles (scraper/hashing.py): on generated pairs
of 40 to 300 words, pairs become candidates as often as banded MinHash predicts,
1 - (1 - J^ROWS)^BANDS (tests/test_near_duplicates.py). It costs one hash per shingle in plain
Python; numpy, whose import (through sqlite_utils as well) cost every crawl process ~20 MB, is
not needed.
Signatures are never stored, so nothing depends on their exact values.
"""
from __future__ import annotations

import re
from itertools import islice

from scraper.hashing import MinHasher

THRESHOLD = 0.8
SLOTS = 64
# The split of the signature that best separates Jaccard >= THRESHOLD from below with equal
# weight on false positives and negatives (datasketch's _optimal_param(0.8, 64) gives the same).
BANDS, ROWS = 5, 11
SHINGLE = 3
MIN_WORDS = 30  # shorter texts are too generic to call duplicates
# A copy shows in its first words: a register of 650,000 numbers costs no more than a long article,
# and a page-long run of letters no more than its first MAX_CHARS characters (prose averages ~7 a word).
MAX_WORDS = 10_000
MAX_CHARS = 20 * MAX_WORDS
RECENT_ARTICLES = 20_000  # how many originals a crawl compares against: the latest of the archive and of the crawl
_WORD = re.compile(r"\w+")
_HASHER = MinHasher(SLOTS, seed=20261123)


def signature(text: str) -> tuple[int, ...] | None:
    words = _WORD.findall(opening(text).casefold())
    if len(words) < MIN_WORDS:
        return None
    return _HASHER.signature({" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)})


def opening(text: str) -> str:
    """The text up to the end of its MAX_WORDS-th word, or of its MAX_CHARS-th character."""
    text = text[:MAX_CHARS]
    if len(text) < 2 * MAX_WORDS:  # too short to hold that many words and the blanks between them
        return text
    last = None
    for last in islice(_WORD.finditer(text), MAX_WORDS - 1, MAX_WORDS):
        pass
    return text if last is None else text[:last.end()]


def band_keys(minhash: tuple[int, ...]) -> list[int]:
    """Each band's ROWS values as one 64-bit hash: 32 bytes of index per band."""
    return [hash(minhash[band * ROWS:(band + 1) * ROWS]) for band in range(BANDS)]


class NearDuplicateIndex:
    """Band key -> the article it came from. Only an article that matched nothing is added, so a
    key almost never has two articles; when two originals loaded from the archive share one, the
    first is kept: a later copy of either still finds its way to an original. Bounded: each band
    keeps the keys of the latest RECENT_ARTICLES originals (a crawl adds its own to the archive's)."""

    def __init__(self):
        self.bands: list[dict[int, str]] = [{} for _ in range(BANDS)]

    def load(self, db) -> None:
        """Index the most recent originals of the archive, so a crawl links to earlier articles;
        oldest first, so that they are the first forgotten."""
        rows = db.query(
            "select id, body from (select id, body, last_seen from articles where duplicate_of is null "
            "order by last_seen desc limit ?) order by last_seen", [RECENT_ARTICLES])
        for row in rows:
            self.add(row["id"], signature(row["body"] or ""))

    def add(self, article_id: str, minhash: tuple[int, ...] | None) -> None:
        if minhash is None:
            return
        for band, key in zip(self.bands, band_keys(minhash)):
            band.setdefault(key, article_id)
            if len(band) > RECENT_ARTICLES:
                del band[next(iter(band))]  # dicts keep their order: the oldest key

    def hand_over(self, article_id: str, to: str, body: str) -> None:
        """The text indexed under `article_id` belongs to `to` now (a print view stored before its
        article, pipelines/store.py)."""
        minhash = signature(body)
        for band, key in zip(self.bands, band_keys(minhash) if minhash else ()):
            if band.get(key) == article_id:
                band[key] = to

    def candidates(self, minhash: tuple[int, ...]) -> set[str]:
        """Articles whose signature agrees with this one on at least one whole band."""
        return {band[key] for band, key in zip(self.bands, band_keys(minhash)) if key in band}

    def original_of(self, article_id: str, body: str) -> str | None:
        """The id of an earlier article with (nearly) the same text, if there is one."""
        minhash = signature(body)
        if minhash is None:
            return None
        matches = sorted(m for m in self.candidates(minhash) if m != article_id)
        if not matches:
            self.add(article_id, minhash)
        return matches[0] if matches else None
