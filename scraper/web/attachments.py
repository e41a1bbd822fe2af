"""The articles' attachments in the UI: search hits in them, their text on the article page,
and the archived files (scraper/attachments/, scraper/archive/attachment_index.py).

- A search finds articles by their attachments' text too (`_attachments=0` leaves them out):
  `widened()` adds those articles to the plugin's where clauses, `RANKED_HITS` gives them a
  score beside the articles' own (half a hit in the article's text: `ATTACHMENT_WEIGHT`).
- A hit in an attachment shows under the article's snippet: "znaleziono w załączniku: <title>,
  strona N" and the matching passage (`hit_note`).
- The article page lists its attachments with what was read from them (`article_context`,
  template `archiwum_attachments.html`), links to the file as archived and, for pages read by
  OCR, to the page image rendered from the archived file.
"""
from __future__ import annotations

import asyncio
import contextvars
import io
import re
import resource
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from datasette.utils import tilde_decode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape
from PIL import Image

from scraper.archive import attachment_index, search_index
from scraper.attachments.backlog import payload
from scraper.attachments.kinds import sniff

SEARCH_PARAM = "archiwum_search"
ARTICLE_HITS = attachment_index.article_hits_sql(SEARCH_PARAM)
ARTICLE_ROWIDS = attachment_index.article_rowids_sql(SEARCH_PARAM)
HITS_SHOWN = 2
PAGE_IMAGE_DPI = 100
PAGE_IMAGE_SECONDS = 30
PAGE_IMAGE_MEMORY = 1 << 30
PAGE_IMAGE_BYTES = 64 << 20
FILE_SQL = """select f.url, f.media_type, f.warc_file, f.warc_offset from attachment_files f
  where f.sha256 = :sha256 and f.warc_file is not null limit 1"""

included = contextvars.ContextVar("archiwum_attachments_included", default=True)


def wanted(args: dict[str, list[str]]) -> bool:
    """Does the request search attachments too? (`_attachments=0`: the articles' text only)"""
    return args.get("_attachments", ["1"])[0] != "0"


def widened(where: str) -> str:
    """A where clause on the search's hits, widened to the articles its attachments match."""
    return f"({where} or rowid in ({ARTICLE_ROWIDS}))" if included.get() else where


def hits_sql(articles_hits: str) -> str:
    """Count the articles' own hits as the plugin does (`articles_hits`, up to :most), plus the
    articles only their attachments match: each attachment hit probes the articles' index by
    rowid, so an archive without attachments pays nothing and a broad word's 100,000 own hits
    are never collected to be told apart."""
    if not included.get():
        return articles_hits
    return (f"select ({articles_hits}) + (select count(distinct hit.rowid) from ({ARTICLE_ROWIDS}) as hit "
            f"where not exists (select 1 from articles_fts where articles_fts.rowid = hit.rowid "
            f"and articles_fts match {search_index.MATCH_FUNCTION}(:{SEARCH_PARAM})))")


def ranked_hits(own_hits: str) -> str:
    """(rowid, score) of every hit, the best score of an article's own text and attachments."""
    if not included.get():
        return own_hits
    return (f"select rowid, min(score) as score from ({own_hits} union all {ARTICLE_HITS}) "
            f"group by rowid")


# ---------------------------------------------------------------- a hit in an attachment

async def hit_note(datasette, database: str, article_id: str, query: str, snippet: Markup) -> Markup:
    """The article's snippet, and under it where its attachments match the search."""
    db = datasette.get_database(database)
    rows = await db.execute(attachment_index.HITS_SQL, {
        "query": query, "article_id": article_id, "limit": HITS_SHOWN})
    notes = [Markup('<p class="archiwum-attachment-hit">znaleziono w załączniku: '
                    '<a href="{link}">{title}</a>, strona {page}: {passage}</p>').format(
        link=f"/-/archiwum/attachment/{row['sha256']}", title=row["title"] or row["url"],
        page=row["page"], passage=marked(search_index.snippet(row["text"], query)))
        for row in rows]
    return snippet + Markup("").join(notes)


def marked(text: str) -> Markup:
    return Markup(str(escape(text)).replace(search_index.MARK_START, "<mark>")
                  .replace(search_index.MARK_END, "</mark>"))


# ---------------------------------------------------------------- the article page

async def article_context(datasette, database: str, request) -> dict:
    """`archiwum_attachments`: the article's attachments, each with its pages' text."""
    article_id = tilde_decode(request.url_vars.get("pks", ""))
    db = datasette.get_database(database)
    try:
        found = await db.execute(attachment_index.ARTICLE_ATTACHMENTS_SQL, {"article_id": article_id})
    except Exception:  # noqa: BLE001 — an archive from before attachments: nothing to list
        return {}
    attachments = []
    for row in found:
        item = dict(row)
        item["how"] = how_read(row["method"], row["ocr_confidence"])
        pages = await db.execute(attachment_index.PAGES_SQL, {"sha256": row["sha256"]}) if row["sha256"] else []
        item["page_texts"] = [dict(page) for page in pages]
        attachments.append(item)
    return {"archiwum_attachments": attachments}


METHODS = {"text": "warstwa tekstu", "ocr": "OCR", "ocr+text": "warstwa tekstu i OCR"}


def how_read(method: str | None, confidence: float | None) -> str:
    label = METHODS.get(method or "", method or "")
    return f"{label} (pewność OCR {confidence:.0f}%)" if confidence is not None else label


# ---------------------------------------------------------------- the archived file

async def archived_file(datasette, request):
    """The attachment as the crawl received it, read from the WARC file: a download, never
    rendered in the archive's origin."""
    found = await _file_row(datasette, request.url_vars["sha256"])
    if isinstance(found, Response):
        return found
    row, data = found
    return Response(data, content_type=row["media_type"] or "application/octet-stream", headers={
        "Content-Disposition": download_disposition(row["url"]),
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"})


def download_disposition(url: str) -> str:
    """A download named like the original file: "Załącznik nr 1.pdf" in the RFC 5987 form,
    an ASCII fallback for old clients (header values are Latin-1)."""
    name = unquote(Path(urlsplit(url).path).name) or "attachment"
    fallback = re.sub(r'[^A-Za-z0-9._ -]', "_", name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


async def page_image(datasette, request):
    """One page of an archived PDF or scan as a PNG (the image OCR read)."""
    found = await _file_row(datasette, request.url_vars["sha256"])
    if isinstance(found, Response):
        return found
    _, data = found
    image = await asyncio.to_thread(render_page, data, int(request.url_vars["page"]))
    if image is None:
        return Response.text("This page cannot be shown as an image.", status=404)
    return Response(image, content_type="image/png", headers={"X-Content-Type-Options": "nosniff"})


async def _file_row(datasette, sha256: str):
    database = datasette.get_database()
    rows = await database.execute(FILE_SQL, {"sha256": sha256})
    row = rows.first()
    if not row:
        return Response.text("No archived file has this hash.", status=404)
    try:
        data = await asyncio.to_thread(payload, database.path, row["warc_file"], row["warc_offset"])
    except (OSError, StopIteration, ValueError):
        return Response.text(f"The capture file {Path(row['warc_file']).name} is not on this server.",
                             status=404)
    return row, data


def limit_renderer() -> None:
    """In the pdftoppm child: a hostile page cannot take the server's memory or disk."""
    resource.setrlimit(resource.RLIMIT_AS, (PAGE_IMAGE_MEMORY, PAGE_IMAGE_MEMORY))
    resource.setrlimit(resource.RLIMIT_FSIZE, (PAGE_IMAGE_BYTES, PAGE_IMAGE_BYTES))


def render_page(data: bytes, page: int) -> bytes | None:
    """A PNG of one page: a PDF's rendered by pdftoppm, a scanned image's (TIFF pages) by Pillow."""
    if sniff(data) == "image":
        return image_page(data, page)
    return pdf_page(data, page)


def image_page(data: bytes, page: int) -> bytes | None:
    try:
        with Image.open(io.BytesIO(data)) as image:  # Pillow refuses decompression bombs itself
            image.seek(page - 1)
            shown = image.convert("L")
        shown.thumbnail((PAGE_IMAGE_DPI * 12, PAGE_IMAGE_DPI * 12))
        out = io.BytesIO()
        shown.save(out, "PNG")
        return out.getvalue()
    except (OSError, EOFError, ValueError, Image.DecompressionBombError):
        return None


def pdf_page(data: bytes, page: int) -> bytes | None:
    with tempfile.TemporaryDirectory(prefix="archiwum-page-") as work:
        source = Path(work) / "document.pdf"
        source.write_bytes(data)
        try:
            subprocess.run(["pdftoppm", "-png", "-r", str(PAGE_IMAGE_DPI), "-f", str(page), "-l", str(page),
                            "-singlefile", str(source), str(Path(work) / "page")],
                           capture_output=True, timeout=PAGE_IMAGE_SECONDS, check=True,
                           preexec_fn=limit_renderer)
        except (subprocess.SubprocessError, OSError):
            return None
        image = Path(work) / "page.png"
        return image.read_bytes() if image.is_file() else None


ROUTES = [(r"^/-/archiwum/attachment/(?P<sha256>[0-9a-f]{64})$", archived_file),
          (r"^/-/archiwum/attachment/(?P<sha256>[0-9a-f]{64})/page/(?P<page>\d{1,5})\.png$", page_image)]
