"""The item that flows from the spider through the pipelines (see ARCHITECTURE.md)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Page:
    # set by the spider
    url: str
    source: str
    html: str
    fetched_at: str
    canonical_url: str = ""
    article_key: str = ""
    status: int = 200
    warc: dict | None = None  # {"file", "offset"} of the raw response in the crawl's WARC file
    # set by the clean stage
    title: str | None = None
    body: str = ""
    author: str | None = None
    views: int | None = None
    date_lines: list[str] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    # set by the dates stage
    published: str | None = None
    updated: str | None = None
    created: str | None = None
    # set by the dedupe stage
    id: str = ""
    content_hash: str = ""
    duplicate_of: str | None = None
    # set by the store stage: new, changed or unchanged
    stored: str = ""

    def __repr__(self) -> str:  # the page's HTML would flood the logs
        return f"Page({self.url!r}, title={self.title!r})"
