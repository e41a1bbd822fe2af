"""PDF text with poppler-utils: each page's text layer (pdftotext), and for a page without one
(a scan) its image at `dpi` (pdftoppm) read by OCR. A document with both gets both."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from scraper.attachments.ocr import last_line, ocr_image
from scraper.attachments.result import DocumentError, PageText, Reading
from scraper.attachments.text import letters, normalise

# A page with fewer letters in its text layer is a scan (maybe with a stamp or a page number).
MIN_LETTERS = 40
# Text layers of fonts without a Unicode map come out as symbols: such a page is read by OCR.
MIN_LETTER_SHARE = 0.5


def page_count(path: Path) -> int:
    result = run(["pdfinfo", str(path)])
    found = re.search(r"^Pages:\s+(\d+)", result, re.MULTILINE)
    if not found:
        raise DocumentError("pdfinfo found no pages")
    return int(found.group(1))


def run(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True)
    if result.returncode != 0:
        message = last_line(result.stderr.decode("utf-8", "replace"))
        if "password" in message.lower():
            raise DocumentError("password-protected PDF")
        raise DocumentError(f"broken PDF ({command[0]}: {message})")
    return result.stdout.decode("utf-8", "replace")


def has_text_layer(text: str) -> bool:
    visible = "".join(text.split())
    return letters(visible) >= MIN_LETTERS and letters(visible) >= MIN_LETTER_SHARE * len(visible)


def pdf_reading(path: Path, max_pages: int, max_ocr_pages: int, dpi: int) -> Reading:
    pages = page_count(path)
    reading = Reading("pdf", pages)
    if pages > max_pages:
        raise DocumentError(f"{pages} pages, more than the limit of {max_pages}")
    layers = run(["pdftotext", "-enc", "UTF-8", str(path), "-"]).split("\f")
    scanned = [n for n in range(1, pages + 1) if not has_text_layer(layers[n - 1] if n <= len(layers) else "")]
    reading.pages = [PageText(n, normalise(layers[n - 1]), "text") for n in range(1, pages + 1)
                     if n not in scanned and normalise(layers[n - 1])]
    if len(scanned) > max_ocr_pages:
        reading.error = (f"{len(scanned)} scanned pages, more than the OCR limit of "
                         f"{max_ocr_pages}; only the text layer was read")
        return reading
    for number in scanned:
        reading.pages.append(ocr_page(path, number, dpi))
    reading.pages.sort(key=lambda p: p.page)
    return reading


def ocr_page(path: Path, number: int, dpi: int) -> PageText:
    image = path.with_name(f"page-{number}")
    run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(number), "-l", str(number),
         "-singlefile", str(path), str(image)])
    pgm = image.with_suffix(".pgm")
    try:
        return ocr_image(pgm, number)
    finally:
        pgm.unlink(missing_ok=True)
