"""The web UI: Archiwum's Datasette plugin, a package so that Datasette finds its templates/.

Datasette loads this package through the `datasette` entry point in pyproject.toml and calls the
hooks it finds here; they live in plugin.py.
"""
from scraper.web.plugin import (asgi_wrapper, extra_template_vars, filters_from_request,
                                prepare_connection, register_facet_classes, register_routes,
                                render_cell, startup)

__all__ = ["asgi_wrapper", "extra_template_vars", "filters_from_request", "prepare_connection",
           "register_facet_classes", "register_routes", "render_cell", "startup"]
