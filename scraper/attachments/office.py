"""Text of office documents: DOCX, ODT (paragraphs, page breaks as pages), XLSX, ODS (a sheet
per page, a row per line, cells tab-separated) and RTF.

They are zip archives of XML: members are read only up to `max_bytes` uncompressed in all, and
a member claiming more (or inflating past what it claims) stops the reading, so a zip bomb costs
one error. XML is parsed without entities or network access.
"""
from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from scraper.attachments.result import DocumentError, PageText
from scraper.attachments.text import normalise

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
PAGE_BREAK = "\f"
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             remove_comments=True)


class BoundedZip:
    """Members of a zip, read with a budget of uncompressed bytes for the whole document."""

    def __init__(self, data: bytes, max_bytes: int):
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError) as error:
            raise DocumentError(f"broken zip container ({error})") from None
        self.left = max_bytes
        self.max_bytes = max_bytes
        declared = sum(info.file_size for info in self.archive.infolist())
        if declared > max_bytes:
            raise DocumentError(f"unpacks to {declared // 2**20} MB, more than the limit of "
                                f"{max_bytes // 2**20} MB (a zip bomb?)")

    def names(self) -> list[str]:
        return self.archive.namelist()

    def read(self, name: str) -> bytes:
        try:
            with self.archive.open(name) as member:
                data = member.read(self.left + 1)
        except KeyError:
            raise DocumentError(f"{name} missing from the document") from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise DocumentError(f"broken zip member {name} ({error})") from None
        if len(data) > self.left:
            raise DocumentError(f"unpacks to more than the limit of {self.max_bytes // 2**20} MB "
                                "(a zip bomb?)")
        self.left -= len(data)
        return data

    def xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(self.read(name), XML_PARSER)
        except etree.XMLSyntaxError as error:
            raise DocumentError(f"broken XML in {name} ({error})") from None


def pages_of(text: str) -> list[PageText]:
    pages = [normalise(part) for part in text.split(PAGE_BREAK)]
    return [PageText(n, page, "text") for n, page in enumerate(pages, 1) if page]


# ---------------------------------------------------------------- DOCX

def docx_text(data: bytes, max_bytes: int) -> list[PageText]:
    root = BoundedZip(data, max_bytes).xml("word/document.xml")
    paragraphs = []
    for paragraph in root.iter(f"{W}p"):
        pieces = []
        for el in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}lastRenderedPageBreak"):
            if el.tag == f"{W}t":
                pieces.append(el.text or "")
            elif el.tag == f"{W}tab":
                pieces.append(" ")
            elif el.tag == f"{W}br" and el.get(f"{W}type") != "page":
                pieces.append("\n")
            else:
                pieces.append(PAGE_BREAK)
        paragraphs.append("".join(pieces))
    return pages_of("\n\n".join(paragraphs))


# ---------------------------------------------------------------- ODT

def odf_inline(el) -> str:
    """Text of an ODF paragraph: spaces (text:s), tabs and line breaks spelled out."""
    pieces = [el.text or ""]
    for child in el:
        if child.tag == f"{TEXT}s":
            pieces.append(" " * int(child.get(f"{TEXT}c", "1") or 1))
        elif child.tag in (f"{TEXT}tab",):
            pieces.append(" ")
        elif child.tag == f"{TEXT}line-break":
            pieces.append("\n")
        elif child.tag == f"{TEXT}soft-page-break":
            pieces.append(PAGE_BREAK)
        elif child.tag not in (f"{TEXT}note",):
            pieces.append(odf_inline(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def odt_text(data: bytes, max_bytes: int) -> list[PageText]:
    root = BoundedZip(data, max_bytes).xml("content.xml")
    blocks = []
    for el in root.iter(f"{TEXT}p", f"{TEXT}h", f"{TEXT}soft-page-break"):
        if el.tag == f"{TEXT}soft-page-break":
            blocks.append(PAGE_BREAK)
        elif not any(a.tag in (f"{TEXT}p", f"{TEXT}h") for a in el.iterancestors()):
            blocks.append(odf_inline(el))
    return pages_of("\n\n".join(blocks))


# ---------------------------------------------------------------- spreadsheets

def xlsx_text(data: bytes, max_bytes: int) -> list[PageText]:
    book = BoundedZip(data, max_bytes)
    shared = []
    if "xl/sharedStrings.xml" in book.names():
        shared = ["".join(si.itertext()) for si in book.xml("xl/sharedStrings.xml").iter(f"{SHEET}si")]
    sheets = sorted((n for n in book.names() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
                    key=lambda n: int(re.search(r"\d+", n.rsplit("/", 1)[1]).group()))
    texts = []
    for name in sheets:
        rows = []
        for row in book.xml(name).iter(f"{SHEET}row"):
            cells = [xlsx_cell(cell, shared) for cell in row.iter(f"{SHEET}c")]
            rows.append("\t".join(c for c in cells if c))
        texts.append("\n".join(r for r in rows if r))
    return [PageText(n, normalise_rows(text), "text") for n, text in enumerate(texts, 1) if text]


def xlsx_cell(cell, shared: list[str]) -> str:
    if cell.get("t") == "inlineStr":
        return "".join(cell.itertext())
    value = cell.findtext(f"{SHEET}v") or ""
    if cell.get("t") == "s" and value.isdigit() and int(value) < len(shared):
        return shared[int(value)]
    return value


def ods_text(data: bytes, max_bytes: int) -> list[PageText]:
    root = BoundedZip(data, max_bytes).xml("content.xml")
    texts = []
    for table in root.iter(f"{TABLE}table"):
        rows = []
        for row in table.iter(f"{TABLE}table-row"):
            # a repeated cell is written once: repeating it could be a bomb of its own
            cells = [" ".join(odf_inline(p) for p in cell.iter(f"{TEXT}p"))
                     for cell in row.iter(f"{TABLE}table-cell")]
            rows.append("\t".join(c for c in cells if c.strip()))
        texts.append("\n".join(r for r in rows if r))
    return [PageText(n, normalise_rows(text), "text") for n, text in enumerate(texts, 1) if text]


def normalise_rows(text: str) -> str:
    """A sheet keeps a paragraph per row, its cells separated by " | "."""
    rows = (normalise(row.replace("\t", " | ")) for row in text.split("\n"))
    return "\n\n".join(row for row in rows if row)


# ---------------------------------------------------------------- RTF

RTF_TOKEN = re.compile(r"\\([a-z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-z])|([{}])|[\r\n]+|([^\\{}\r\n]+)")
RTF_SKIPPED = {"fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "header", "footer",
               "listtable", "listoverridetable", "revtbl", "rsidtbl", "generator", "themedata",
               "latentstyles", "datastore", "xmlnstbl", "mmathPr"}
RTF_BREAKS = {"par": "\n\n", "line": "\n", "tab": " ", "cell": " ", "row": "\n\n", "page": PAGE_BREAK,
              "sect": "\n\n"}


def rtf_text(data: bytes, max_bytes: int) -> list[PageText]:
    """The text of an RTF document: \\'hh bytes in its code page (\\ansicpg), \\u escapes."""
    source = data[:max_bytes].decode("latin-1")
    codepage = re.search(r"\\ansicpg(\d+)", source[:2000])
    encoding = f"cp{codepage.group(1)}" if codepage else "cp1250"
    out, pending, stack, skip, skip_next = [], bytearray(), [], False, 0

    def flush():
        if pending:
            out.append(pending.decode(encoding, "replace"))
            pending.clear()

    for word, number, hex_byte, symbol, brace, text in RTF_TOKEN.findall(source):
        if hex_byte:
            if skip_next:
                skip_next -= 1
            elif not skip:
                pending.append(int(hex_byte, 16))
            continue
        flush()
        if brace == "{":
            stack.append(skip)
        elif brace == "}":
            skip = stack.pop() if stack else False
        elif symbol == "*":
            skip = True
        elif word in RTF_SKIPPED:
            skip = True
        elif skip:
            continue
        elif word == "u" and number:
            out.append(chr(int(number) % 65536))
            skip_next = 1
        elif word in RTF_BREAKS:
            out.append(RTF_BREAKS[word])
        elif symbol in ("\\", "{", "}"):
            out.append(symbol)
        elif symbol == "~":
            out.append(" ")
        elif text:
            if skip_next:
                text, skip_next = text[1:], 0
            out.append(text)
    flush()
    return pages_of("".join(out))
