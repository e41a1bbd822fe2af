"""The item that flows from the spider through the pipelines (see ARCHITECTURE.md)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class MachineDate:
    """A date the page's markup states for machines: JSON-LD, a meta tag, <time datetime>, hAtom."""
    kind: str    # published / updated / created
    value: str   # as written in the markup
    where: str   # the source, for the evidence log ("JSON-LD datePublished", "meta date"...)


@dataclass
class DateEvidence:
    """What the clean stage found on the page that may date it; the dates stage reads only this.

    `lines`: short date lines of the article header and metadata, labels kept, in page order, then
    the metryczka's date fields as "label: value". `machine`: the markup's dates, outside the page
    furniture. `elements`: short date-classed elements, gathered only when lines and markup are
    silent. `register_rows`: the text of each row of the document's change register (BIP "Rejestr
    zmian"), in page order, furniture left out. `in_furniture`: the unlabelled lines that the page's furniture
    (header, footer, clock and name-day widgets) shows too: one that names the fetch day is a clock.
    `furniture_lines`: labelled date lines inside the dropped furniture (a metryczka or an "about
    this article" box in a sidebar), gathered, like `elements`, only when nothing else may date the
    page. `language`: the locale the page's markup declares (<html lang>, og:locale, content-language),
    lower case with a hyphen ("en-us"), "" when it declares none or declarations disagree; it says
    in which order the page writes numeric dates. `url`: the page's address, which may hold a date.
    """
    lines: list[str] = field(default_factory=list)
    machine: list[MachineDate] = field(default_factory=list)
    elements: list[str] = field(default_factory=list)
    register_rows: list[str] = field(default_factory=list)
    in_furniture: list[str] = field(default_factory=list)
    furniture_lines: list[str] = field(default_factory=list)
    language: str = ""
    url: str = ""

    @classmethod
    def of(cls, value: DateEvidence | dict | None) -> DateEvidence:
        """From itself or its asdict() form (JSON of a re-clean note or of the distributed queue)."""
        if isinstance(value, cls):
            return value
        value = dict(value or {})
        value["machine"] = [m if isinstance(m, MachineDate) else MachineDate(**m) for m in value.get("machine", [])]
        return cls(**value)


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
    link_rule: str | None = None  # the registry's verdict on the URL: "article", "listing" or None
    change_register: str | None = None  # HTML of the document's change register page, when it links one
    # set by the clean stage
    title: str | None = None
    body: str = ""
    author: str | None = None
    views: int | None = None
    date_lines: list[str] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)  # metryczka, OpenGraph, JSON-LD fields: `metadata` column
    date_evidence: DateEvidence = field(default_factory=DateEvidence)
    alias_of: str | None = None  # this page is the print view of the article at this URL: stored as its alias
    print_views: list[str] = field(default_factory=list)  # URLs of this article's print views stored before it
    # set by the dates stage
    published: str | None = None
    updated: str | None = None
    created: str | None = None
    date_source: str | None = None  # how they were found ("published: the page address ('2021/05/04')")
    # set by the dedupe stage
    id: str = ""
    content_hash: str = ""
    duplicate_of: str | None = None
    # set by the store stage: new, changed or unchanged
    stored: str = ""

    def __post_init__(self):
        self.date_evidence = DateEvidence.of(self.date_evidence)

    def __repr__(self) -> str:  # the page's HTML would flood the logs
        return f"Page({self.url!r}, title={self.title!r})"
