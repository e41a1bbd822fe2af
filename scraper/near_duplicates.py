"""Near-duplicate articles: MinHash over word shingles (datasketch LSH).

The same news cross-posted by a city hall and its welfare centre, or copied onto another portal
under a new id, differs in a heading, a caption or a signature; MinHash finds it at a Jaccard
similarity of about 0.8 and above. Both copies are kept; the later one points at the earlier.
"""
from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash, MinHashLSH

THRESHOLD = 0.8
PERMUTATIONS = 64
SHINGLE = 3
MIN_WORDS = 30  # shorter texts are too generic to call duplicates
RECENT_ARTICLES = 20_000  # how much of the archive a crawl compares against
SCHEME = "affine32"  # datasketch's default; the same for every signature of one index
# Drawn once from datasketch's seed, not again for every article (a third of its cost).
_PERMUTATION_PARAMS = MinHash(num_perm=PERMUTATIONS, scheme=SCHEME).permutations


def shingle_hashes(shingles: set[bytes]) -> list[int]:
    """datasketch's sha1_hash32 of each shingle (first 4 bytes of SHA-1, little-endian), in bulk."""
    digests = b"".join([hashlib.sha1(shingle).digest()[:4] for shingle in shingles])
    return np.frombuffer(digests, dtype="<u4").tolist()


def signature(text: str) -> MinHash | None:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}
    # the values are hashed already: datasketch only permutes them (hashfunc=int keeps them as they are)
    minhash = MinHash(num_perm=PERMUTATIONS, permutations=_PERMUTATION_PARAMS, scheme=SCHEME, hashfunc=int)
    minhash.update_batch(shingle_hashes(shingles))
    return minhash


class NearDuplicateIndex:
    def __init__(self):
        self.lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)

    def load(self, db) -> None:
        """Index the most recent originals of the archive, so a crawl links to earlier articles."""
        rows = db.query(
            "select id, body from articles where duplicate_of is null "
            "order by last_seen desc limit ?", [RECENT_ARTICLES])
        for row in rows:
            self.add(row["id"], signature(row["body"] or ""))

    def add(self, article_id: str, minhash: MinHash | None) -> None:
        if minhash is not None and article_id not in self.lsh:
            self.lsh.insert(article_id, minhash)

    def original_of(self, article_id: str, body: str) -> str | None:
        """The id of an earlier article with (nearly) the same text, if there is one."""
        minhash = signature(body)
        if minhash is None:
            return None
        matches = sorted(m for m in self.lsh.query(minhash) if m != article_id)
        if not matches:
            self.add(article_id, minhash)
        return matches[0] if matches else None
