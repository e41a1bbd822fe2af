"""The source registry: portals as data (scraper/registry/sources.toml), validated on load."""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_REGISTRY = Path(__file__).with_name("sources.toml")

KINDS = {"city_hall", "welfare_centre", "regional_centre", "bip", "good_practice", "ngo", "adhoc"}
VOIVODESHIPS = {
    "dolnośląskie", "kujawsko-pomorskie", "lubelskie", "lubuskie", "łódzkie", "małopolskie",
    "mazowieckie", "opolskie", "podkarpackie", "podlaskie", "pomorskie", "śląskie",
    "świętokrzyskie", "warmińsko-mazurskie", "wielkopolskie", "zachodniopomorskie",
}
PATTERN_FIELDS = ("article_pattern", "deny_pattern", "id_pattern")
# The bounds of the whole-number fields: a budget of pages, a depth of links.
LIMITS = {"max_pages": (1, 10_000_000), "max_depth": (1, 1_000)}


class RegistryError(Exception):
    """The registry, or a source asked for, is not usable; the message says why."""


@dataclass
class Source:
    id: str
    name: str
    kind: str
    city: str
    voivodeship: str
    start_urls: list[str]
    gmina: str = ""
    teryt: str = ""
    allowed_hosts: list[str] = field(default_factory=list)
    attachment_hosts: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    article_pattern: str = ""
    deny_pattern: str = ""
    id_pattern: str = ""
    max_pages: int = 5000
    max_depth: int = 30

    def __post_init__(self):
        if not self.allowed_hosts:
            self.allowed_hosts = sorted({urlsplit(u).netloc for u in self.start_urls})
        self.attachment_hosts = [host.lower() for host in self.attachment_hosts]
        self.rules = {name: re.compile(getattr(self, name)) for name in PATTERN_FIELDS
                      if getattr(self, name)}

    def matches(self, rule: str, url: str) -> bool:
        pattern = self.rules.get(rule)
        return bool(pattern and pattern.search(path_and_query(url)))

    def article_id(self, url: str) -> str | None:
        pattern = self.rules.get("id_pattern")
        match = pattern.search(path_and_query(url)) if pattern else None
        return match.group(1) if match else None

    def row(self) -> dict:
        """The source as a row of the `sources` table."""
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "city": self.city,
            "gmina": self.gmina, "voivodeship": self.voivodeship, "teryt": self.teryt,
            "home": self.start_urls[0], "start_urls": self.start_urls,
            "allowed_hosts": self.allowed_hosts,
        }


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def load_registry(path: str | Path = DEFAULT_REGISTRY) -> dict[str, Source]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise RegistryError(f"cannot read registry {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise RegistryError(f"registry {path} is not valid TOML: {error}") from None
    return {source_id: build_source(source_id, fields) for source_id, fields in data.items()}


def build_source(source_id: str, fields: dict) -> Source:
    where = f"source [{source_id}]"
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", source_id):
        raise RegistryError(f"{where}: ids are lower-case letters, digits, '-' and '_'")
    if not isinstance(fields, dict):
        raise RegistryError(f"{where}: a source is a table of fields ([{source_id}] then name = ...), not {fields!r}")
    for name, value in fields.items():
        check_field(where, name, value)
    try:
        source = Source(id=source_id, **fields)
    except TypeError as error:
        raise RegistryError(f"{where}: {error}".replace("__init__() ", "")) from None
    except re.error as error:
        raise RegistryError(f"{where}: bad regular expression: {error}") from None
    if source.kind not in KINDS:
        raise RegistryError(f"{where}: unknown kind {source.kind!r} (one of {', '.join(sorted(KINDS))})")
    if source.voivodeship and source.voivodeship not in VOIVODESHIPS:
        raise RegistryError(f"{where}: unknown voivodeship {source.voivodeship!r}")
    for url in [*source.start_urls, *source.feeds, *source.sitemaps]:
        check_url(url, where)
    for host in source.attachment_hosts:
        check_host(host, where)
    if not source.start_urls:
        raise RegistryError(f"{where}: start_urls is empty")
    return source


def check_field(where: str, name: str, value) -> None:
    """Each field of its type (and range): a wrong one is named here, not met by a crawl stage later."""
    kind = Source.__dataclass_fields__.get(name)
    if kind is None or name == "id":
        return  # an unknown field: Source() names it
    if kind.type == "str" and not isinstance(value, str):
        raise RegistryError(f"{where}: {name} must be text in quotes, not {value!r}")
    if kind.type == "list[str]" and not (isinstance(value, list) and all(isinstance(v, str) and v for v in value)):
        raise RegistryError(f"{where}: {name} must be a list of texts, like [\"...\"], not {value!r}")
    if kind.type == "int":
        low, high = LIMITS.get(name, (0, 10**9))
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise RegistryError(f"{where}: {name} must be a whole number from {low} to {high:,}, not {value!r}")


def check_url(url: str, where: str = "URL") -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RegistryError(f"{where}: {url!r} is not an http(s) URL")
    return url


HOST = re.compile(r"(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?")


def check_host(host: str, where: str) -> str:
    """An `attachment_hosts` entry: host[:port] as `allowed_hosts` writes them, or `*.domain`
    for every host under a domain (a files CDN with numbered hosts)."""
    if not HOST.fullmatch(host):
        raise RegistryError(f"{where}: attachment_hosts: {host!r} is not a host name like "
                            "\"bip.gmina.pl\", \"bip.gmina.pl:8080\" or \"*.gmina.pl\" (no scheme, no path)")
    return host


def adhoc_source(url: str, name: str | None = None) -> Source:
    """A source for `archiwum crawl --url`: any portal, zero configuration."""
    check_url(url, "--url")
    host = urlsplit(url).netloc
    bare = host.removeprefix("www.")
    return Source(
        id=name or host, name=name or host, kind="adhoc", city="", voivodeship="",
        start_urls=[url], allowed_hosts=sorted({host, bare, "www." + bare}),
    )


def select(registry: dict[str, Source], ids: list[str]) -> list[Source]:
    unknown = [i for i in ids if i not in registry]
    if unknown:
        raise RegistryError(
            f"unknown source {', '.join(unknown)}; `archiwum sources` lists the registry"
        )
    return [registry[i] for i in ids] if ids else list(registry.values())


def to_toml(sources: list[Source]) -> str:
    """The registry text for these sources (the inverse of load_registry)."""
    defaults = Source(id="x", name="", kind="adhoc", city="", voivodeship="", start_urls=["http://x/"])
    blocks = []
    for source in sources:
        lines = [f"[{source.id}]"]
        for name in source.__dataclass_fields__:
            value = getattr(source, name)
            if name != "id" and (name in ("name", "kind", "city", "voivodeship", "start_urls")
                                 or value != getattr(defaults, name)):
                lines.append(f"{name} = {toml_value(value)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def toml_value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return "'" + value + "'" if "'" not in value and "\\" in value else json.dumps(value, ensure_ascii=False)
