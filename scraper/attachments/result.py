"""What reading a document gives: its pages' text, how each was obtained, and at most one error."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


class DocumentError(Exception):
    """A document that cannot be read (broken, password-protected, over a limit): one line why."""


@dataclass
class PageText:
    page: int            # 1-based; sheets of a spreadsheet count as pages
    text: str
    method: str          # "text": the document's own text; "ocr": read from the page image
    confidence: float | None = None  # OCR: mean word confidence, 0-100


@dataclass
class Reading:
    kind: str
    page_count: int = 0
    pages: list[PageText] = field(default_factory=list)
    error: str | None = None  # set when the reading stopped early (pages read so far are kept)

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Reading":
        return cls(data["kind"], data["page_count"], [PageText(**p) for p in data["pages"]],
                   data.get("error"))
