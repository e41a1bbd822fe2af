"""What a replica host serves: resources by path, plus routes for URLs no static tree can list."""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

HTML_UTF8 = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Resource:
    body: bytes | Callable[[], bytes]  # a function: made when first asked for (a document)
    content_type: str = HTML_UTF8
    status: int = 200
    location: str | None = None

    @property
    def payload(self) -> bytes:
        return self.body() if callable(self.body) else self.body


Route = tuple[re.Pattern, Callable[[re.Match, "HostTree"], Resource | None]]


@dataclass
class HostTree:
    """One host: exact `path?query` keys, query parameters that change nothing, then routes."""

    pages: dict[str, Resource]
    routes: list[Route] = field(default_factory=list)
    ignored_params: tuple[str, ...] = ()

    def resolve(self, target: str) -> Resource | None:
        found = self.pages.get(target) or self.pages.get(self._without_ignored(target))
        if found:
            return found
        for pattern, handler in self.routes:
            match = pattern.fullmatch(target)
            if match and (resource := handler(match, self)):
                return resource
        return None

    def _without_ignored(self, target: str) -> str:
        parts = urlsplit(target)
        kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                if k not in self.ignored_params]
        return parts.path + (f"?{urlencode(kept)}" if kept else "")


def html_resource(text: str, charset: str = "utf-8", charset_in_header: bool = True) -> Resource:
    content_type = f"text/html; charset={charset}" if charset_in_header else "text/html"
    return Resource(text.encode(charset), content_type)


def redirect(location: str, status: int = 301) -> Resource:
    return Resource(b"", "text/html; charset=utf-8", status, location)


def xml_resource(text: str, content_type: str = "application/xml; charset=utf-8") -> Resource:
    return Resource(text.encode("utf-8"), content_type)


def text_resource(text: str) -> Resource:
    return Resource(text.encode("utf-8"), "text/plain; charset=utf-8")


def attachment_resources(articles: Iterable[dict], directory: str) -> dict[str, Resource]:
    """A generated document under `directory` for every attachment, made when first asked for
    (scraper/demo/documents.py; pages show the declared sizes, not the generated ones)."""
    return {directory + a["file"]: Resource(Document(article["title"], Attachment(a)), media_type(a["file"]))
            for article in articles for a in article.get("attachments", [])}


@dataclass(frozen=True)
class Document:
    """The body of an attachment: made when first asked for (equal for equal attachments)."""
    article_title: str
    attachment: "Attachment"

    def __call__(self) -> bytes:
        from .documents import attachment_document  # fpdf2 and Pillow: only when asked for

        return attachment_document(self.article_title, self.attachment)


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def extension(file: str) -> str:
    return file.rsplit(".", 1)[-1].lower()


def media_type(file: str) -> str:
    return MEDIA_TYPES.get(extension(file), "application/octet-stream")


class Attachment(dict):
    """An attachment's fields, hashable (the generated document is cached by them)."""

    def __hash__(self) -> int:
        return hash((self["file"], self.get("scan"), tuple(self.get("text", ()))))


def slash_redirect_route() -> Route:
    """WordPress-style: `/x` -> 301 `/x/` when `/x/` exists."""
    def handler(match: re.Match, tree: HostTree) -> Resource | None:
        path = match.group(1) + "/"
        return redirect(path) if path in tree.pages else None
    return re.compile(r"(/[^?]*[^/?])"), handler


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


HEADING_MARK = "## "


def paragraphs_html(paragraphs: Sequence[str], css_class: str = "", heading_tag: str = "h4") -> str:
    attr = f' class="{css_class}"' if css_class else ""
    return "".join(
        f"<{heading_tag}>{esc(p[len(HEADING_MARK):])}</{heading_tag}>" if p.startswith(HEADING_MARK)
        else f"<p{attr}>{esc(p)}</p>" for p in paragraphs)


def body_paragraphs(article: dict) -> list[str]:
    """The article text as a reader sees it: paragraphs and sub-headings, marks removed."""
    return [p.removeprefix(HEADING_MARK) for p in article["paragraphs"]]


def chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [items[:0]]


def newest_first(articles: Iterable[dict]) -> list[dict]:
    return sorted(articles, key=lambda a: (sort_moment(a), str(a["key"])), reverse=True)


def sort_moment(article: dict) -> datetime:
    moment = article.get("published") or article.get("updated") or date(1970, 1, 1)
    return moment if isinstance(moment, datetime) else datetime(moment.year, moment.month, moment.day)


def robots_txt(disallow: Sequence[str] = (), sitemap: str | None = None) -> Resource:
    lines = ["User-agent: *"] + [f"Disallow: {path}" for path in disallow or [""]]
    return text_resource("\n".join(lines + ([f"Sitemap: {sitemap}"] if sitemap else [])) + "\n")
