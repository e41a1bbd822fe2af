"""Downloader middleware: the right charset for Polish pages, so no mojibake is ever stored.

Evidence in order: a byte order mark (final), then the declaration (HTTP header, else
`<meta charset>` / `<meta http-equiv>`), checked against the bytes: when the declaration is
missing or the text it gives reads worse than another candidate's, the candidate wins. Candidates
are utf-8, windows-1250 and iso-8859-2; the two legacy ones differ exactly in ą ś ź Ą Ś Ź, whose
bytes read as other letters (±, ¶, ¼ …) or C1 controls under the wrong one.
Switch off with `ARCHIWUM_ENCODING_ENABLED = False`; decisions are counted under `encoding/*`.
"""
from __future__ import annotations

import re

from scrapy.exceptions import NotConfigured
from scrapy.http import TextResponse
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

CANDIDATES = ("utf-8", "cp1250", "iso8859-2")  # tie order: the most common first
POLISH_LETTERS = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
# What a wrong decoding of Polish text produces: C1 controls and replacement characters; the
# lead bytes of UTF-8 read as a one-byte charset (Ã Ä Å Â â Ĺ Ă); iso-8859-2 ą ś ź Ą Ś Ź read as
# windows-1250 (± ¶ Ľ ˇ ¦ ¬); windows-1250 ą Ą read as iso-8859-2 (š Ľ; its ś ź Ś Ź become C1
# controls); CJK from UTF-8 read as GBK ("Je偶eli").
MOJIBAKE = re.compile("[\u0080-\u009f\ufffdÃÄÅÂâĹĂ±¶Ľˇ¦¬š\u3000-\u9fff]")
MOJIBAKE_WEIGHT = 3
SAMPLE_BYTES = 256 * 1024  # detection reads the head of very large pages only


def score(text: str) -> int:
    """Higher for text that reads as Polish; each sign of mojibake costs more than a letter earns."""
    polish = sum(text.count(letter) for letter in POLISH_LETTERS)
    return polish - MOJIBAKE_WEIGHT * len(MOJIBAKE.findall(text))


def decode(sample: bytes, encoding: str) -> str | None:
    """The sample decoded strictly, tolerating a multibyte character cut at its end."""
    try:
        return sample.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding == "utf-8" and error.start >= len(sample) - 3 and error.reason == "unexpected end of data":
            return sample[: error.start].decode(encoding)
        return None
    except LookupError:
        return None


def declared_encoding(response: TextResponse) -> str | None:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    name = http_content_type_encoding(content_type) or html_body_declared_encoding(response.body)
    return resolve_encoding(name) if name else None


def best_encoding(body: bytes, declared: str | None) -> str | None:
    """The encoding to read `body` with, or None when the bytes give no evidence (plain ASCII)."""
    sample = body[:SAMPLE_BYTES]
    if sample.isascii():
        return None
    candidates = ([declared] if declared else []) + [c for c in CANDIDATES if c != declared]
    scored = [(score(text), -rank, name) for rank, name in enumerate(candidates)
              if (text := decode(sample, name)) is not None]
    return max(scored)[2] if scored else None


class EncodingMiddleware:
    """Re-read each text response with the encoding that fits its bytes."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("ARCHIWUM_ENCODING_ENABLED", True):
            raise NotConfigured
        return cls(crawler.stats)

    def process_response(self, request, response):
        if not isinstance(response, TextResponse) or read_bom(response.body)[0]:
            return response
        declared = declared_encoding(response)
        chosen = best_encoding(response.body, declared)
        if chosen is None or chosen == declared:
            return response
        self.stats.inc_value("encoding/overridden" if declared else "encoding/detected")
        self.stats.inc_value(f"encoding/chosen/{chosen}")
        return response.replace(encoding=chosen)
