"""Text as Archiwum keeps it: Unicode NFC, no control characters, every run of white space one space.

The one normalisation that the extraction, the dates grammar, the registry import and the
content fingerprint apply to what they read, so that the same words always compare equal.
"""
from __future__ import annotations

import re
import unicodedata

CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_text(text: str | None) -> str:
    """NFC, no control characters, one space between words (no-break spaces included), trimmed."""
    return " ".join(CONTROLS.sub("", unicodedata.normalize("NFC", text or "")).split())
