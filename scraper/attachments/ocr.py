"""OCR in Polish with tesseract (Debian's tesseract-ocr and tesseract-ocr-pol): the text of a
page image and the mean confidence of its words, from one run's TSV output."""
from __future__ import annotations

import subprocess
from pathlib import Path

from scraper.attachments.result import DocumentError, PageText
from scraper.attachments.text import normalise

LANGUAGE = "pol"
TSV_WORD_LEVEL = "5"


def ocr_image(image: Path, page: int) -> PageText:
    """One page image (PNG, PGM, TIFF, JPEG) read as Polish text."""
    result = subprocess.run(["tesseract", str(image), "stdout", "-l", LANGUAGE, "tsv"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise DocumentError(f"tesseract could not read page {page}: {last_line(result.stderr)}")
    text, confidence = text_of_tsv(result.stdout)
    return PageText(page, normalise(text), "ocr", confidence)


def text_of_tsv(tsv: str) -> tuple[str, float | None]:
    """Words joined into lines, lines into paragraphs; the mean confidence of the words."""
    lines: dict[tuple, list[str]] = {}
    confidences = []
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < 12 or fields[0] != TSV_WORD_LEVEL or not fields[11].strip():
            continue
        page, block, paragraph, line = fields[1:5]
        lines.setdefault((page, block, paragraph), []).append([line, fields[11]])
        if float(fields[10]) >= 0:
            confidences.append(float(fields[10]))
    paragraphs = []
    for words in lines.values():
        by_line: dict[str, list[str]] = {}
        for line, word in words:
            by_line.setdefault(line, []).append(word)
        paragraphs.append("\n".join(" ".join(ws) for ws in by_line.values()))
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return "\n\n".join(paragraphs), mean


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no message"
