"""Datasette plugin: Polish search (filled in by the search issue)."""
