"""Exact labels for the replicas, derived from the same content the pages are rendered from.

`gold_articles(site)`: one dict per article — `host`, `path` (canonical URL on that host), `key`
(the portal's stable id), `title`, `published` / `updated` / `created` (as the README's schema:
`YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS+01:00`/`+02:00` in Warsaw time where the page shows a time;
None if the page shows none), `published_text`
(the date as the page prints it), `author`, `body` (paragraphs and sub-headings), `attachments`,
`views`, `topic`, `duplicates` ([host, path] pairs serving the same article).
`non_articles(site)`: paths (any host of the site) that must never be stored as articles.
"""
from __future__ import annotations

from datetime import date, datetime

from .content import load_articles
from .page import body_paragraphs
from .polish import warsaw_iso
from .sites import REPLICAS
from .templates import article_key, duplicates, locate


def gold_articles(site_id: str) -> list[dict]:
    replica = REPLICAS[site_id]
    template = replica.module
    return [_gold_record(site_id, template, a) for a in load_articles(replica.content)]


def non_articles(site_id: str) -> list[str]:
    replica = REPLICAS[site_id]
    return replica.module.non_article_paths(load_articles(replica.content))


def _gold_record(site_id: str, template, article: dict) -> dict:
    host, path = locate(template, article)
    return {
        "site": site_id,
        "host": host,
        "path": path,
        "key": article_key(template, article),
        "title": article["title"],
        "published": iso(article.get("published")),
        "updated": iso(article.get("updated")),
        "created": iso(article.get("created")),
        "published_text": template.date_text(article),
        "author": article.get("author"),
        "body": body_paragraphs(article),
        "attachments": [dict(a) for a in article.get("attachments", [])],
        "views": article.get("views"),
        "topic": article.get("topic"),
        "duplicates": [list(d) for d in duplicates(template, article)],
    }


def iso(moment: date | None) -> str | None:
    if moment is None:
        return None
    return warsaw_iso(moment) if isinstance(moment, datetime) else moment.isoformat()
