"""Downloader middleware: the right charset for Polish pages, so no mojibake is ever stored.

Evidence in order: a byte order mark (final); bytes that are valid UTF-8 (legacy Polish text
never is); else windows-1250 or iso-8859-2, told apart by the bytes of ą ś ź Ą Ś Ź, which
differ between them, whatever the declaration (HTTP header, `<meta charset>`,
`<meta http-equiv>`) says; a declared charset of another family is kept only when its text reads
as Polish at least as well.
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

LEGACY = ("cp1250", "iso8859-2")  # the more common first
# Bytes that mean a Polish letter or punctuation in one legacy charset and something no Polish
# page has in the other: windows-1250 ą Ą (iso-8859-2 š Ľ) and its 0x80-0x9F block (ś ź Ś Ź „ ” –,
# C1 controls in iso-8859-2); iso-8859-2 Ą Ś Ź ą ś ź (windows-1250 ˇ ¦ ¬ ± ¶ Ľ).
CP1250_BYTES = bytes([*range(0x80, 0xA0), 0xA5, 0xB9])
ISO_8859_2_BYTES = bytes([0xA1, 0xA6, 0xAC, 0xB1, 0xB6, 0xBC])
POLISH_LETTERS = re.compile("[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
# What a wrong decoding of Polish text produces, to weigh a declared charset of another family
# (iso-8859-1, gbk ...) against the legacy one: C1 controls, replacement characters, UTF-8 lead
# bytes read as one-byte text (Ã Ä Å Â â Ĺ Ă), iso-8859-2 letters read as windows-1250
# (± ¶ Ľ ˇ ¦ ¬) and vice versa (š), CJK from UTF-8 read as GBK ("Je偶eli").
MOJIBAKE = re.compile("[\u0080-\u009f\ufffdÃÄÅÂâĹĂ±¶Ľˇ¦¬š\u3000-\u9fff]")
MOJIBAKE_WEIGHT = 3


def score(text: str) -> int:
    """Higher for text that reads as Polish; each sign of mojibake costs more than a letter earns."""
    return len(POLISH_LETTERS.findall(text)) - MOJIBAKE_WEIGHT * len(MOJIBAKE.findall(text))


def decode(body: bytes, encoding: str) -> str | None:
    """The body decoded strictly, or None."""
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def declared_encoding(response: TextResponse) -> str | None:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    name = http_content_type_encoding(content_type) or html_body_declared_encoding(response.body)
    return resolve_encoding(name) if name else None


def legacy_encoding(body: bytes, declared: str | None) -> str:
    """windows-1250 or iso-8859-2, by the bytes only one of them uses for Polish text."""
    cp1250 = len(body) - len(body.translate(None, CP1250_BYTES))
    iso = len(body) - len(body.translate(None, ISO_8859_2_BYTES))
    if cp1250 == iso:  # no telling letter: both read the same
        return declared if declared in LEGACY else LEGACY[0]
    return LEGACY[0] if cp1250 > iso else LEGACY[1]


def mostly_utf8(body: bytes, legacy: str) -> bool:
    return score(body.decode("utf-8", "replace")) > score(body.decode(legacy, "replace"))


def best_encoding(body: bytes, declared: str | None) -> str | None:
    """The encoding to read `body` with, or None when the bytes give no evidence (plain ASCII)."""
    if body.isascii():
        return None
    if decode(body, "utf-8") is not None:
        return "utf-8"  # legacy Polish text is never valid UTF-8
    legacy = legacy_encoding(body, declared)
    if declared == "utf-8" and mostly_utf8(body, legacy):
        return "utf-8"  # a stray broken byte in a UTF-8 page is no reason to garble all of it
    if declared in (None, "utf-8", *LEGACY):
        return legacy
    declared_text = decode(body, declared)  # another charset: keep it if it reads as well
    if declared_text is not None and score(declared_text) >= score(decode(body, legacy) or ""):
        return declared
    return legacy


class EncodingMiddleware:
    """Re-read each text response with the encoding that fits its bytes."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("ARCHIWUM_ENCODING_ENABLED"):
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
