"""A test-only item stage, named in ARCHIWUM_STAGES by tests: pages that make a stage raise or stall.

The fault server marks such articles (`FaultServer(trouble={n: "raise" | "stall"})`). A page marked
`raise` makes the stage raise, as a view counter beyond 2**63 made the store stage raise; a page
marked `stall` keeps it busy for an hour, as a quadratic loop over a 5 MB page did. Setting
TROUBLE_STALL_FLAG names a file the stage creates when it starts stalling.
"""
from __future__ import annotations

import time
from pathlib import Path


class Trouble:
    def __init__(self, stall_flag: str | None):
        self.stall_flag = stall_flag

    @classmethod
    def from_context(cls, context):
        return cls(context.settings.get("TROUBLE_STALL_FLAG"))

    def process_item(self, item):
        if 'data-trouble="raise"' in item.html:
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        if 'data-trouble="stall"' in item.html:
            if self.stall_flag:
                Path(self.stall_flag).touch()
            time.sleep(3600)
        return item
