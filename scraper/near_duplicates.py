"""Near-duplicate articles: MinHash over word shingles, found through banded LSH.

The same news cross-posted by a city hall and its welfare centre, or copied onto another portal
under a new id, differs in a heading, a caption or a signature; MinHash finds it at a Jaccard
similarity of about 0.8 and above. Both copies are kept; the later one points at the earlier.

MinHash and the LSH index are a few lines of numpy rather than datasketch: datasketch's import
pulls in scipy (68 MB of memory and ~2 s of start-up in every crawl) only to work out the band
sizes, which are fixed here. Signatures are never stored, so nothing depends on their exact values.
"""
from __future__ import annotations

import hashlib
import re

import numpy as np

THRESHOLD = 0.8
PERMUTATIONS = 64
# The split of the signature that best separates Jaccard >= THRESHOLD from below with equal
# weight on false positives and negatives (datasketch's _optimal_param(0.8, 64) gives the same).
BANDS, ROWS = 5, 11
SHINGLE = 3
MIN_WORDS = 30  # shorter texts are too generic to call duplicates
RECENT_ARTICLES = 20_000  # how much of the archive a crawl compares against
_WORD = re.compile(r"\w+")
# Affine permutations h -> a*h + b mod 2^32 (an odd a makes each a bijection), drawn once.
_RANDOM = np.random.default_rng(20261123)
_A = _RANDOM.integers(0, 2**32, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_B = _RANDOM.integers(0, 2**32, size=PERMUTATIONS, dtype=np.uint64)
_LOW32 = np.uint64(0xFFFFFFFF)


def shingle_hashes(shingles: set[bytes]) -> np.ndarray:
    """A 32-bit hash of each shingle (the first 4 bytes of its SHA-1), in bulk."""
    digests = b"".join([hashlib.sha1(shingle).digest()[:4] for shingle in shingles])
    return np.frombuffer(digests, dtype="<u4").astype(np.uint64)


def signature(text: str) -> np.ndarray | None:
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}
    permuted = (np.outer(shingle_hashes(shingles), _A) + _B) & _LOW32
    return permuted.min(axis=0)


def band_keys(minhash: np.ndarray) -> list[bytes]:
    return [minhash[band * ROWS:(band + 1) * ROWS].tobytes() for band in range(BANDS)]


class NearDuplicateIndex:
    def __init__(self):
        self.bands: list[dict[bytes, list[str]]] = [{} for _ in range(BANDS)]
        self.ids: set[str] = set()

    def load(self, db) -> None:
        """Index the most recent originals of the archive, so a crawl links to earlier articles."""
        rows = db.query(
            "select id, body from articles where duplicate_of is null "
            "order by last_seen desc limit ?", [RECENT_ARTICLES])
        for row in rows:
            self.add(row["id"], signature(row["body"] or ""))

    def add(self, article_id: str, minhash: np.ndarray | None) -> None:
        if minhash is None or article_id in self.ids:
            return
        self.ids.add(article_id)
        for band, key in zip(self.bands, band_keys(minhash)):
            band.setdefault(key, []).append(article_id)

    def candidates(self, minhash: np.ndarray) -> set[str]:
        """Articles whose signature agrees with this one on at least one whole band."""
        return {found for band, key in zip(self.bands, band_keys(minhash)) for found in band.get(key, ())}

    def original_of(self, article_id: str, body: str) -> str | None:
        """The id of an earlier article with (nearly) the same text, if there is one."""
        minhash = signature(body)
        if minhash is None:
            return None
        matches = sorted(m for m in self.candidates(minhash) if m != article_id)
        if not matches:
            self.add(article_id, minhash)
        return matches[0] if matches else None
