"""The web UI: Archiwum's Datasette plugin, a package so that Datasette finds its templates/.

Datasette loads this package through the `datasette` entry point in pyproject.toml and calls the
hooks it finds here: the search in plugin.py, the facets in facets.py, the researcher's pages in
pages.py (template variables), routes.py (timeline, archived copy, downloads) and feed.py (Atom).
"""
from scraper.web.dated import read_dates_early
from scraper.web.facets import register_facet_classes
from scraper.web.feed import register_output_renderer
from scraper.web.pages import date_filters, page_vars, prepare_jinja2_environment
from scraper.web.plugin import (asgi_wrapper, extra_template_vars, filters_from_request,
                                prepare_connection, render_cell, startup)
from scraper.web.routes import register_routes

__all__ = ["asgi_wrapper", "date_filters", "read_dates_early", "extra_template_vars", "filters_from_request",
           "page_vars", "prepare_connection", "prepare_jinja2_environment",
           "register_facet_classes", "register_output_renderer", "register_routes",
           "render_cell", "startup"]
