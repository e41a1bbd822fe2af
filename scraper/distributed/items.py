"""Items between workers and the writer: the Page dataclass as JSON, without the page source."""
from __future__ import annotations

import json
from dataclasses import asdict

from scraper.items import Page

NOT_SENT = ("html", "date_evidence")  # the writer's store stage reads neither; Redis holds less


REREAD = "reread"  # marks the re-clean's second reading of an article sent before


def item_json(page: Page, reread: bool = False) -> str:
    fields = {k: v for k, v in asdict(page).items() if k not in NOT_SENT}
    return json.dumps(fields | ({REREAD: True} if reread else {}), ensure_ascii=False)


def item_from_json(data: bytes) -> tuple[Page, bool]:
    """The page, and whether it is a second reading (store it with the store stage's replace_reading)."""
    fields = json.loads(data.decode("utf-8"))
    reread = bool(fields.pop(REREAD, False))
    return Page(**{"html": ""} | fields), reread
