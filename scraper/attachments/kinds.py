"""What a file is, from its first bytes: servers send PDFs as application/octet-stream and
name Word files .pdf, so neither the declared type nor the name decides."""
from __future__ import annotations

import io
import zipfile

ZIP_KINDS = {  # a zip's telltale member (or its ODF mimetype) → kind
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An OLE file's streams are named in its directory, in UTF-16: Word's text is in "WordDocument",
# a workbook in "Workbook" (Excel 97-2003) or "Book" (Excel 5). Word first: a document may embed a workbook.
OLE_STREAMS = (("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"))


def sniff(data: bytes) -> str:
    """pdf, docx, odt, xlsx, ods, rtf, image, doc, xls (Word/Excel 97-2003), ole (another OLE
    file: PowerPoint, Outlook) or unknown."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(IMAGE_MAGIC):
        return "image"
    if head.startswith(OLE_MAGIC):
        return ole_kind(data)
    if head.startswith(b"PK"):
        return zip_kind(data)
    return "unknown"


def zip_kind(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
            if mimetype in ZIP_KINDS:
                return ZIP_KINDS[mimetype]
    except (zipfile.BadZipFile, OSError, ValueError):
        return "unknown"
    return next((kind for member, kind in ZIP_KINDS.items() if member in names), "unknown")


def ole_kind(data: bytes) -> str:
    return next((kind for stream, kind in OLE_STREAMS if stream.encode("utf-16-le") + b"\0\0" in data), "ole")
