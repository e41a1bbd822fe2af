"""Offline replicas of Polish portals: content as data, CMS templates, a local HTTP server, gold labels.

- `content/<name>.toml`  the articles of each replica
- `templates/<cms>.py`   render a list of article dicts into host trees (any content works)
- `build.py`             site id -> host trees; `server.py` serves them on 127.0.0.1
- `gold.py`              the exact labels derived from the same content
- `sites.py`             which replica mirrors which registry source; held-out ones are tests only
"""
