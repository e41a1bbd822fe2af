"""Text as Archiwum keeps it: Unicode NFC, no control characters, every run of white space one space.

The one normalisation that the extraction, the dates grammar, the registry import and the
content fingerprint apply to what they read, so that the same words always compare equal.
"""
from __future__ import annotations

import re
import unicodedata

CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidi embeddings, overrides, isolates and marks, and zero-width characters: in a one-line field
# (title, author, attachment name) they only hide or reorder what a reader sees ("\u202egpj.exe").
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def normalise_text(text: str | None) -> str:
    """NFC, no control characters, one space between words (no-break spaces included), trimmed."""
    return " ".join(CONTROLS.sub("", unicodedata.normalize("NFC", text or "")).split())


def one_line(text: str | None) -> str | None:
    """A one-line field as stored: without bidi controls and invisible characters, so every
    reader of the archive (the UI, JSON, CSV, exports) shows its characters in their order."""
    return " ".join(INVISIBLE.sub("", text).split()) if text else text
