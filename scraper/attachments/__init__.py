"""Attachments: the documents articles link (PDF, Word, OpenDocument, spreadsheets, scans),
fetched by the crawl, kept in its WARC file, read to text (OCR in Polish for scans) and indexed.

- `fetch.py`     which links are attachments, the size budgets, the manifest the crawl writes
- `kinds.py`     what a file is, from its first bytes (not from its name or declared type)
- `text.py`      text normalised like article bodies (NFC, no mojibake, hyphenation joined)
- `office.py`    DOCX, ODT, XLSX, ODS, RTF (zip members bounded: no zip bomb gets through)
- `legacy.py`    Excel 97-2003 (.xls) with catdoc's xls2csv; Word 97-2003 (.doc) not read (why: there)
- `pdf.py`       PDF text layers (poppler's pdftotext), scanned pages to OCR (pdftoppm)
- `ocr.py`       tesseract with its Polish model: text and word confidences
- `worker.py`    one document in its own process, under time and memory limits
- `backlog.py`   what the crawl fetched into the archive, what is left to read, a pool to read it

Layering: above scraper/crawl (it reads the crawl's WARC files), below scraper/web.
"""
