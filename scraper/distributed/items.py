"""Items between workers and the writer: the Page dataclass as JSON, without the page source."""
from __future__ import annotations

import json
from dataclasses import asdict

from scraper.items import Page

NOT_SENT = ("html", "date_evidence")  # the writer's store stage reads neither; Redis holds less


def item_json(page: Page) -> str:
    fields = {k: v for k, v in asdict(page).items() if k not in NOT_SENT}
    return json.dumps(fields, ensure_ascii=False)


def item_from_json(data: bytes) -> Page:
    return Page(**{"html": ""} | json.loads(data.decode("utf-8")))
