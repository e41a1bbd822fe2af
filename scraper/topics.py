"""Social-policy topics of an article (deepened by the search issue)."""


def assign(title: str | None, body: str) -> list[str]:
    return []
