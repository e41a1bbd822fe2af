"""Documents the replicas attach, generated from Polish text by code (no binary is committed):
PDFs with a text layer, scanned PDFs (the text rendered to a page image with noise and a slight
rotation, as a municipal office's scanner leaves it), PDFs mixing both, DOCX and ODT.

    text_pdf(["Uchwała nr …", "§ 1. …"])           # bytes of a PDF with a text layer
    scanned_pdf(paragraphs, dpi=300, seed=1)         # bytes of a PDF of page images, no text
    docx(paragraphs), odt(paragraphs)                # bytes of a Word / OpenDocument text

The benchmark (bench/attachments.py) and the tests read the same documents back and compare
the text with the paragraphs they were made from.
"""
from __future__ import annotations

import io
import random
import zipfile
from functools import lru_cache
from xml.sax.saxutils import escape

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .page import extension

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Debian's fonts-dejavu-core
A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 1.0
FONT_POINTS = 12
LINE_SPACING = 1.5


# ---------------------------------------------------------------- PDF

def _pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_margins(25, 25)
    pdf.set_auto_page_break(True, 25)
    pdf.set_creator("Archiwum replica")
    return pdf


def _text_page(pdf: FPDF, paragraphs: list[str]) -> None:
    pdf.add_page()
    pdf.set_font("DejaVu", size=FONT_POINTS)
    for paragraph in paragraphs:
        pdf.multi_cell(0, FONT_POINTS * 0.5, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)


def _image_page(pdf: FPDF, image: Image.Image, jpeg_quality: int = 80) -> None:
    pdf.add_page()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=jpeg_quality)
    pdf.image(buffer, x=0, y=0, w=pdf.w, h=pdf.h)


def text_pdf(paragraphs: list[str], password: str | None = None) -> bytes:
    """One or more pages with a text layer (DejaVu Sans, Unicode mapped: copy-paste works)."""
    pdf = _pdf()
    _text_page(pdf, paragraphs)
    if password:
        pdf.set_encryption(owner_password=password + "-owner", user_password=password)
    return bytes(pdf.output())


def scanned_pdf(pages: list[list[str]] | list[str], dpi: int = 300, seed: int = 0,
                rotation: float = 0.6, noise: float = 0.01, poor: bool = False) -> bytes:
    """Page images only: each page's paragraphs rendered at `dpi`, rotated and speckled.
    `poor`: a copy of a copy — greyer paper, paler ink, blurred, 1.5° skew, more dust, JPEG at 35."""
    pages = [pages] if pages and isinstance(pages[0], str) else pages
    pdf = _pdf()
    for number, paragraphs in enumerate(pages):
        image = scan_image(tuple(paragraphs), dpi, seed + number, 1.5 if poor else rotation,
                           0.04 if poor else noise, poor)
        _image_page(pdf, image, 35 if poor else 80)
    return bytes(pdf.output())


def mixed_pdf(text_paragraphs: list[str], scanned_paragraphs: list[str], dpi: int = 300,
              seed: int = 0) -> bytes:
    """A page with a text layer, then a scanned page (a resolution with its signed scan)."""
    pdf = _pdf()
    _text_page(pdf, text_paragraphs)
    _image_page(pdf, scan_image(tuple(scanned_paragraphs), dpi, seed, 0.6, 0.01))
    return bytes(pdf.output())


@lru_cache(maxsize=1)
def _blank_scan() -> bytes:
    """A tiny grey page image, so a scan of hundreds of pages costs kilobytes."""
    buffer = io.BytesIO()
    Image.new("L", (85, 120), 235).save(buffer, "JPEG")
    return buffer.getvalue()


def long_scan(pages: int) -> bytes:
    """A scan of `pages` image-only pages (one image, drawn on every page)."""
    pdf = _pdf()
    for _ in range(pages):
        pdf.add_page()
        pdf.image(io.BytesIO(_blank_scan()), x=0, y=0, w=pdf.w, h=pdf.h)
    return bytes(pdf.output())


# ---------------------------------------------------------------- page images

def _wrapped(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and font.getlength(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + ([line] if line else [])


@lru_cache(maxsize=32)
def scan_image(paragraphs: tuple[str, ...], dpi: int = 300, seed: int = 0, rotation: float = 0.6,
               noise: float = 0.01, poor: bool = False) -> Image.Image:
    """An A4 page as a scanner would give it: grey paper, black text, a slight skew, specks."""
    size = (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi))
    paper, ink = (215, 80) if poor else (250, 20)
    page = Image.new("L", size, paper)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, round(FONT_POINTS * dpi / 72))
    margin = round(MARGIN_INCHES * dpi)
    line_height = round(FONT_POINTS * dpi / 72 * LINE_SPACING)
    y = margin
    for paragraph in paragraphs:
        for line in _wrapped(paragraph, font, size[0] - 2 * margin):
            draw.text((margin, y), line, fill=ink, font=font)
            y += line_height
        y += line_height // 2
    rng = random.Random(seed)
    angle = rng.uniform(-rotation, rotation)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=paper)
    _speckle(page, rng, noise)
    return page.filter(ImageFilter.GaussianBlur(dpi / 250)) if poor else page


def _speckle(page: Image.Image, rng: random.Random, share: float) -> None:
    """Dust: dark and light dots on `share` of a sparse grid of the page."""
    pixels = page.load()
    width, height = page.size
    for _ in range(int(width * height * share / 50)):
        x, y = rng.randrange(width), rng.randrange(height)
        pixels[x, y] = rng.choice((40, 120, 255))


# ---------------------------------------------------------------- DOCX and ODT

DOCX_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
DOCX_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(paragraphs: list[str]) -> bytes:
    """A Word document; each paragraph split into two runs, as editors leave them."""
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(p[:len(p) // 2])}</w:t></w:r>'
        f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(p[len(p) // 2:])}</w:t></w:r></w:p>'
        for p in paragraphs)
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>')
    return _zip({"[Content_Types].xml": DOCX_CONTENT_TYPES, "_rels/.rels": DOCX_RELS,
                 "word/document.xml": document})


ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
ODF_NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
                  'office:version="1.2"')


def odt(paragraphs: list[str]) -> bytes:
    """An OpenDocument text: the first paragraph a heading, the others paragraphs."""
    parts = [f'<text:h text:outline-level="1">{escape(paragraphs[0])}</text:h>'] + [
        f"<text:p>{escape(p)}</text:p>" for p in paragraphs[1:]]
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NAMESPACES}>'
               f'<office:body><office:text>{"".join(parts)}</office:text></office:body>'
               f'</office:document-content>')
    return _zip({"mimetype": "application/vnd.oasis.opendocument.text",
                 "META-INF/manifest.xml": ODT_MANIFEST, "content.xml": content})


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            # ODF wants its mimetype first and stored uncompressed
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), text.encode("utf-8"),
                             compress_type=kind)
    return buffer.getvalue()


# ---------------------------------------------------------------- the replicas' attachments

def attachment_text(article_title: str, attachment: dict) -> list[str]:
    """The attachment's own `text` from the replica's content, else a cover page naming it."""
    return list(attachment.get("text") or [
        attachment["title"], f"Załącznik do informacji: {article_title}",
        "Dokument w wersji elektronicznej udostępniony w celach informacyjnych."])


@lru_cache(maxsize=64)
def attachment_document(article_title: str, attachment) -> bytes:
    """The document a replica serves for an attachment of its content: by the file's extension
    (pdf, docx, odt); `scan = true` a scanned PDF, `scan = "mixed"` a text page and a scan
    (`text` holds both pages' paragraphs, the scanned page after a "---")."""
    paragraphs = attachment_text(article_title, attachment)
    kind, scan = extension(attachment["file"]), attachment.get("scan")
    if kind == "docx":
        return docx(paragraphs)
    if kind == "odt":
        return odt(paragraphs)
    if scan == "mixed":
        cut = paragraphs.index("---")
        return mixed_pdf(paragraphs[:cut], paragraphs[cut + 1:], seed=len(paragraphs))
    if scan:
        return scanned_pdf(paragraphs, seed=len(paragraphs))
    return text_pdf(paragraphs)
