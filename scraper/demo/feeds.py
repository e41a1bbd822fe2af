"""RSS 2.0 and sitemap documents for replicas that publish them."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .page import Resource, esc, xml_resource
from .polish import rfc822

RSS_TYPE = "application/rss+xml; charset=utf-8"


def rss(title: str, link: str, items: Iterable[tuple[str, str, date, str]]) -> Resource:
    """items: (title, absolute or root-relative link, publication date, description)."""
    entries = "".join(
        f"<item><title>{esc(t)}</title><link>{esc(url)}</link><guid>{esc(url)}</guid>"
        f"<pubDate>{rfc822(d)}</pubDate><description>{esc(desc)}</description></item>\n"
        for t, url, d, desc in items)
    return xml_resource(
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{esc(title)}</title><link>{esc(link)}</link><language>pl-pl</language>\n"
        f"{entries}</channel></rss>\n", RSS_TYPE)


def sitemap(entries: Iterable[tuple[str, date | None]]) -> Resource:
    """entries: (absolute URL, last modification or None)."""
    urls = "".join(f"<url><loc>{esc(url)}</loc>"
                   + (f"<lastmod>{d:%Y-%m-%d}</lastmod>" if d else "") + "</url>\n"
                   for url, d in entries)
    return xml_resource('<?xml version="1.0" encoding="UTF-8"?>\n'
                        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                        f"{urls}</urlset>\n")
