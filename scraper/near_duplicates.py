"""Near-duplicate articles: MinHash over word shingles (datasketch LSH).

The same news cross-posted by a city hall and its welfare centre, or copied onto another portal
under a new id, differs in a heading, a caption or a signature; MinHash finds it at a Jaccard
similarity of about 0.8 and above. Both copies are kept; the later one points at the earlier.
"""
from __future__ import annotations

import re

from datasketch import MinHash, MinHashLSH

THRESHOLD = 0.8
PERMUTATIONS = 64
SHINGLE = 3
MIN_WORDS = 30  # shorter texts are too generic to call duplicates
RECENT_ARTICLES = 20_000  # how much of the archive a crawl compares against


def signature(text: str) -> MinHash | None:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}
    minhash = MinHash(num_perm=PERMUTATIONS)
    minhash.update_batch(shingles)
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
