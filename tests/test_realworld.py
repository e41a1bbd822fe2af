"""Generalisation: snippet precision/recall on the 19 real Polish pages of shared/realworld-pl.

No page has a rule of its own; the floors sit a little below the measured figures
(P 1.000, R 0.983, F1 0.991 — `uv run python bench/extraction.py`), so a regression fails.
"""
from __future__ import annotations

import pytest

from bench.extraction import REALWORLD, realworld_cases, snippet_scores
from scraper.extract.main_text import extract

pytestmark = pytest.mark.skipif(not REALWORLD.exists(), reason="shared/realworld-pl is not beside the repository")


@pytest.fixture(scope="module")
def cases_and_results():
    cases = realworld_cases()
    return cases, [extract(case["html"], case["url"]) for case in cases]


def test_snippets_of_real_pages_are_found_and_boilerplate_is_not(cases_and_results):
    cases, results = cases_and_results
    scores = snippet_scores([r.body for r in results], cases)
    assert scores["precision"] >= 0.98, scores
    assert scores["recall"] >= 0.97, scores
    assert scores["f1"] >= 0.975, scores


def test_every_real_news_page_is_an_article_with_its_headline(cases_and_results):
    cases, results = cases_and_results
    assert [c["file"] for c, r in zip(cases, results) if not r.is_article] == []
    titled = [(c["title"], r.title) for c, r in zip(cases, results) if c.get("title")]
    assert all(want in (got or "") for want, got in titled), titled
