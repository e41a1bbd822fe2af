"""Document text normalised like article bodies: NFC, no mojibake, words hyphenated at a line
end joined, lines of a paragraph joined, paragraphs separated by one blank line."""
from __future__ import annotations

import re
import unicodedata

from scraper.text import normalise_text

INVISIBLE = re.compile("[\u00ad\ufeff]")  # soft hyphens, byte-order marks
# "społecz-\nnej" → "społecznej"; "Bielsko-\nBiała" keeps its hyphen
HYPHENATED = re.compile(r"(\w)[-\u2010]\n[ \t]*(\w)")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# UTF-8 read as windows-1250 or Latin-1: "spoĹ‚eczna", "spoÅ‚eczna"
MOJIBAKE_HINT = re.compile("[ĹÅÄĂÃ][\u0080-\u02ff\u2018-\u203a]")
MOJIBAKE_WORD = re.compile(r"\S*[ĹÅÄĂÃ][\u0080-\u02ff\u2018-\u203a]\S*")


def _joined(match: re.Match) -> str:
    before, after = match.group(1), match.group(2)
    return before + after if after.islower() else f"{before}-{after}"


def unmojibake(text: str) -> str:
    """Undo a wrong decoding of UTF-8, word by word, where that reads as better Polish."""
    if not MOJIBAKE_HINT.search(text):
        return text
    from scraper.crawl.encoding import score  # imports Scrapy: a worker pays for it only here
    return MOJIBAKE_WORD.sub(lambda m: _redecoded(m.group(), score), text)


def _redecoded(word: str, score) -> str:
    for wrong in ("cp1250", "cp1252", "latin-1"):
        try:
            fixed = word.encode(wrong).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if score(fixed) > score(word):
            return fixed
    return word


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", unmojibake(text.replace("\r\n", "\n").replace("\r", "\n")))
    text = INVISIBLE.sub("", text.replace("\f", "\n\n").replace("\t", " "))
    text = HYPHENATED.sub(_joined, text)
    paragraphs = (normalise_text(part) for part in PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)
