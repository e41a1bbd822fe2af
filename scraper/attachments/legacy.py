"""Excel 97-2003 workbooks (.xls, BIFF in an OLE file) with catdoc's `xls2csv` (Debian package
`catdoc`, installed by scripts/install-system-packages), run as a child of the limited worker
process: a sheet is a page, a row a paragraph, its cells separated by " | " (as XLSX and ODS);
empty sheets, which xls2csv leaves out, are not counted.

Word 97-2003 documents (.doc) stay unread ("unsupported format"): catdoc's own `catdoc` reads
them, but no genuine .doc can be made offline to test it with (nothing here writes the format),
and the project does not read what it cannot test.
"""
from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

from scraper.attachments.ocr import last_line
from scraper.attachments.office import normalise_rows
from scraper.attachments.result import DocumentError, PageText

SHEET_BREAK = "\f"


def xls_text(path: Path) -> list[PageText]:
    result = subprocess.run(["xls2csv", "-d", "utf-8", "-f", "%Y-%m-%d", "-b", SHEET_BREAK, str(path)],
                            capture_output=True)
    text, complaint = (stream.decode("utf-8", "replace") for stream in (result.stdout, result.stderr))
    if result.returncode != 0 or (complaint.strip() and not text.strip()):  # it exits 0 on a broken file
        said = last_line(complaint.replace(f"{path}: ", "").replace(str(path), "the file"))  # no temporary path
        raise DocumentError(f"broken Excel 97-2003 file (xls2csv: {said})")
    sheets = text.split(SHEET_BREAK)
    return [PageText(n, rows, "text") for n, rows in enumerate(map(sheet_rows, sheets), 1) if rows]


def sheet_rows(sheet: str) -> str:
    rows = ("\t".join(cell for cell in row if cell.strip()) for row in csv.reader(io.StringIO(sheet)))
    return normalise_rows("\n".join(row for row in rows if row))
