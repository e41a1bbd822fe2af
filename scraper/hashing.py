"""Hashing of texts shared by the layers above: cheap shingle hashes and one-permutation MinHash.

The signature is one-permutation MinHash (Li, Owen & Zhang 2012): each shingle is hashed once and
the hash picks one of `slots` slots, which keeps its smallest value; an empty slot takes the value
of a filled one, looked for in a fixed random order of the slots (optimal densification,
Shrivastava 2017). Two shingle sets agree in a slot with probability their Jaccard similarity, as
with `slots` separate permutations. Used for near-duplicate articles (scraper/archive/near_duplicates.py).

`FingerprintSet` keeps the sets a crawl grows by one member a page (the URLs it met, the articles
it stored) as 8-byte fingerprints.
"""
from __future__ import annotations

import hashlib
import heapq
import random
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable

from scraper.text import normalise_text

_EMPTY = 1 << 64
_MASK64 = (1 << 64) - 1


def shingle_hash(shingle: str) -> int:
    """64 well-mixed bits from CRC-32 (a C call: 5 times cheaper than a hashlib digest per shingle)."""
    mixed = (zlib.crc32(shingle.encode()) * 0x9E3779B97F4A7C15) & _MASK64  # splitmix64's finaliser
    mixed = ((mixed ^ (mixed >> 31)) * 0xBF58476D1CE4E5B9) & _MASK64
    return mixed ^ (mixed >> 29)


class MinHasher:
    """One-permutation MinHash signatures of `slots` values (a power of two), densified in an
    order drawn from `seed`: with `shingle_hash`, the same seed gives the same signatures in every
    process."""

    def __init__(self, slots: int, seed: int, hasher: Callable[[str], int] = shingle_hash):
        self.slots = slots
        self.hasher = hasher
        self.slot_bits = slots.bit_length() - 1
        order = random.Random(seed)
        self.donors = [[slot for slot in order.sample(range(slots), slots) if slot != empty] for empty in range(slots)]

    def signature(self, shingles: Iterable[str]) -> tuple[int, ...] | None:
        """The signature of a set of shingles; None when there are none."""
        values = [_EMPTY] * self.slots
        mask, hasher = self.slots - 1, self.hasher
        for shingle in shingles:
            hashed = hasher(shingle)
            slot, value = hashed & mask, hashed >> self.slot_bits
            if value < values[slot]:
                values[slot] = value
        if all(value == _EMPTY for value in values):
            return None
        return tuple(value if value != _EMPTY else next(values[donor] for donor in self.donors[slot] if values[donor] != _EMPTY)
                     for slot, value in enumerate(values))


def content_hash(title: str | None, body: str) -> str:
    """A fingerprint of what a reader sees: counters, dates and whitespace excluded."""
    # Folded as the stored hashes were made: NFC, then every run of white space one space.
    return hashlib.sha256(normalise_text(f"{title or ''}\n{body}").casefold().encode()).hexdigest()


def fingerprint64(member: str | bytes) -> int:
    data = member.encode("utf-8", "surrogatepass") if isinstance(member, str) else member
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


class FingerprintSet:
    """A set of texts that answers `in` and `add`, kept as 8-byte fingerprints in a sorted array:
    ~12 bytes a member where a Python set of URLs takes ~150-200 (a crawl of 20,000 articles
    kept ~4 MB of such sets per stage). Two different members are taken for one with probability
    2**-64 a pair: once in ~10**7 crawls of a million pages.

    New members wait in a small set, merged into the array once they are an eighth of it, so
    the merges cost O(n) amortised a member and the small set stays small."""

    MIN_RECENT = 1024

    def __init__(self, members: Iterable[str | bytes] = ()):
        self.sorted = array("Q")
        self.recent: set[int] = set()
        for member in members:
            self.add(member)

    def add(self, member: str | bytes) -> None:
        fingerprint = fingerprint64(member)
        if not self._has(fingerprint):
            self.recent.add(fingerprint)
            if len(self.recent) >= max(self.MIN_RECENT, len(self.sorted) // 8):
                self.sorted = array("Q", heapq.merge(self.sorted, sorted(self.recent)))
                self.recent = set()

    def __contains__(self, member: str | bytes) -> bool:
        return self._has(fingerprint64(member))

    def __len__(self) -> int:
        return len(self.sorted) + len(self.recent)

    def _has(self, fingerprint: int) -> bool:
        if fingerprint in self.recent:
            return True
        at = bisect_left(self.sorted, fingerprint)
        return at < len(self.sorted) and self.sorted[at] == fingerprint
