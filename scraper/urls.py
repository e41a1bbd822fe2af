"""URL forms: one canonical form per page, and the only addresses Archiwum stores or links.

What a crawler must not follow is scraper/traps.py's."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable
from urllib.parse import SplitResult, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that never change what a page says: tracking, sessions, accessibility switches.
NOISE_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|phpsessid|sid|sessionid|jsessionid|"
    r"czcionka|fontsize|font|kontrast|contrast|wersja|share|replytocom)$",
    re.IGNORECASE,
)
# A session id kept in the path: `;jsessionid=...` (Java servlets), `/(S(...))/` (cookieless ASP.NET).
PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid|sessionid)=[^/]*|/\([A-Z]\([A-Za-z0-9]+\)\)(?=/)",
                          re.IGNORECASE)
# The only schemes Archiwum fetches, stores or links: a scraped `javascript:` or `data:` address
# shown as a link would run in the archive's origin when a reader clicks it.
WEB_SCHEMES = ("http", "https")
ADDRESS_FIELDS = {"url", "secure_url", "image", "video", "audio"}  # last part of og:image:url etc.
DEFAULT_PORTS = {"http": 80, "https": 443}
REPEATED_SLASHES = re.compile(r"/{2,}")
# A link urljoin writes after its page's origin as it stands: an absolute path ("/...") without what
# urlsplit drops or rewrites (a tab or line break, ";params", a "." or ".." segment, an empty
# query or fragment).
VERBATIM_PATH = re.compile(r"(?!.*(?:[\t\r\n;]|/\.|\?#|[?#]$))/(?!/)", re.DOTALL)


# An address's hostname and port, as its urlsplit parts' `.hostname` and `.port` say them, worked
# out once per netloc, not once per link: a page of 20,000 links paid ~10 µs a link for them.
# A page's links name a handful of hosts.
@lru_cache(maxsize=1024)
def netloc_hostname(netloc: str) -> str | None:
    return SplitResult("", netloc, "", "", "").hostname


@lru_cache(maxsize=1024)
def netloc_port(netloc: str) -> int | None:
    """ValueError on a port that is no number or out of range."""
    return SplitResult("", netloc, "", "", "").port


@lru_cache(maxsize=16_384)  # menus and pagers link the same URLs from every page
def canonicalize(url: str) -> str:
    """The form a page is requested and stored under."""
    parts = urlsplit(url.strip())
    host = (netloc_hostname(parts.netloc) or "").lower()
    port = netloc_port(parts.netloc)
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = REPEATED_SLASHES.sub("/", PATH_SESSION.sub("", parts.path)) or "/"
    return urlunsplit((parts.scheme.lower(), host, path, without_noise(parts.query), ""))


def without_noise(query: str) -> str:
    """The query without the parameters that never change what a page says (NOISE_PARAMS)."""
    if not query:  # most links have none
        return ""
    return urlencode([(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not NOISE_PARAMS.match(k)])


def joiner(base: str) -> Callable[[str], str]:
    """`urljoin(base, link)` for the links of one page. A link that is a plain absolute path is
    written after the base's origin (worked out once): urljoin parsed the base and the link for each
    of a page's 20,000 links, ~6 µs a link."""
    origin = web_origin(base)

    def join(link: str) -> str:
        return origin + link if origin and VERBATIM_PATH.match(link) else urljoin(base, link)
    return join


def web_origin(url: str) -> str | None:
    """scheme://netloc of an http(s) address as urljoin writes it, None for any other string."""
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed IPv6 literal: urljoin says so for each link
        return None
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in WEB_SCHEMES and parts.netloc else None


def identity(url: str) -> str:
    """What stays the same for one page of a portal across http/https, www. and its other hosts.

    Paired with the source id: a portal that moves to a new domain keeps its paths."""
    parts = urlsplit(canonicalize(url))
    return parts.path + ("?" + parts.query if parts.query else "")


def web_parts(url: str | None) -> SplitResult | None:
    """The parts of an absolute http(s) address with a host, None for any other string."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:  # a malformed IPv6 literal
        return None
    return parts if site_of(parts.scheme, parts.netloc) else None


def is_web_url(url: str | None) -> bool:
    """An absolute http(s) address with a host: the only kind stored or linked."""
    return web_parts(url) is not None


def web_url(url: str | None) -> str | None:
    return url if is_web_url(url) else None


def addresses_on_the_web(meta: dict) -> dict:
    """The page's metadata without `javascript:`, `data:` or other non-web addresses in its
    address fields (og:url, og:image, ...): a consumer of the archive's JSON may link them."""
    return {key: value for key, value in meta.items()
            if key.rsplit(":", 1)[-1] not in ADDRESS_FIELDS or not has_other_scheme(value)}


def has_other_scheme(value) -> bool:
    try:
        return urlsplit(str(value).strip()).scheme.lower() not in ("", *WEB_SCHEMES)
    except ValueError:
        return True


def site(url: str) -> str | None:
    """host[:port] of an http(s) URL, the port written only when it is not its scheme's default:
    what the registry's `allowed_hosts` hold. None for any other URL."""
    parts = web_parts(url)
    return site_of(parts.scheme, parts.netloc) if parts else None


@lru_cache(maxsize=1024)  # a page's links name a handful of hosts: each worked out once, not per link
def site_of(scheme: str, netloc: str) -> str | None:
    """`site()` of an address's scheme and netloc; None where it names no http(s) host, or its
    port is no number or out of range."""
    parts = SplitResult(scheme.lower(), netloc, "", "", "")
    try:
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in WEB_SCHEMES or not parts.hostname:
        return None
    default = DEFAULT_PORTS[parts.scheme]
    host = parts.hostname.lower()
    return host if (port or default) == default else f"{host}:{port}"
