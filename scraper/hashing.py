"""Hashing of texts shared by the layers above: cheap shingle hashes and one-permutation MinHash.

The signature is one-permutation MinHash (Li, Owen & Zhang 2012): each shingle is hashed once and
the hash picks one of `slots` slots, which keeps its smallest value; an empty slot takes the value
of a filled one, looked for in a fixed random order of the slots (optimal densification,
Shrivastava 2017). Two shingle sets agree in a slot with probability their Jaccard similarity, as
with `slots` separate permutations. Used for near-duplicate articles (scraper/archive/near_duplicates.py).
"""
from __future__ import annotations

import hashlib
import random
import zlib
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
