"""One module per CMS. Each renders ANY list of article dicts (see scraper.demo.content), so a
generator may feed synthetic articles. A template module defines:

- `HOSTS`                              host ids, in the order of the replica's hosts
- `render(articles, base_urls)`        -> {host id: HostTree}; base_urls: host id -> base URL
- `article_path(article)`              -> the canonical path of an article
- `date_text(article)`                 -> the publication date as the page prints it, or None
- `non_article_paths(articles)`        -> paths that are listings, tags, print views, ...

and, where the defaults below do not fit, `locate(article)` -> (host, canonical path),
`duplicates(article)` -> [(host, path)] serving the same article, `article_key(article)` -> the
portal's stable id. Paragraphs starting with "## " are rendered as sub-headings.
"""
from __future__ import annotations

from types import ModuleType


def locate(template: ModuleType, article: dict) -> tuple[str, str]:
    if hasattr(template, "locate"):
        return template.locate(article)
    return template.HOSTS[0], template.article_path(article)


def duplicates(template: ModuleType, article: dict) -> list[tuple[str, str]]:
    return template.duplicates(article) if hasattr(template, "duplicates") else []


def article_key(template: ModuleType, article: dict) -> str:
    return template.article_key(article) if hasattr(template, "article_key") else str(article["key"])
