"""One module per CMS. Each renders ANY list of article dicts (see scraper.demo.content), so a
generator may feed synthetic articles, and exposes the same interface:

- `HOSTS`                              host ids, in the order of the replica's hosts
- `render(articles, base_urls)`        -> {host id: HostTree}; base_urls: host id -> base URL
- `locate(article)`                    -> (host, canonical path)
- `duplicates(article)`                -> [(host, path)] other URLs serving the same article
- `article_key(article)`               -> the portal's stable id of the article
- `date_text(article)`                 -> the publication date as the page prints it, or None
- `non_article_paths(articles)`        -> paths that are listings, tags, print views, ...

Paragraphs starting with "## " are rendered as sub-headings (`body_paragraphs` strips the mark).
"""
