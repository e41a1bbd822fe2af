"""A per-client limit on the web UI: no one client can take the server's threads or flood it.

scraper/web/bounds.py bounds what one request may cost; this bounds how many one client may
have in progress at once (ARCHIWUM_WEB_CLIENT_CONCURRENCY: Datasette runs queries on six
threads, so one client cannot hold them all) and how many it may send a minute
(ARCHIWUM_WEB_CLIENT_RATE, a token bucket holding a sixth of it: a researcher's clicks never
reach it, a script looping over pages does). Past either, the answer is 429 with a line in
Polish and Retry-After. The client is the connection's peer address; behind a reverse proxy
(ARCHIWUM_WEB_TRUSTED_PROXY) the address the proxy appended to X-Forwarded-For, and only for
connections from that proxy, so no one else can choose their address by sending the header.
Static files (CSS, JS) are not counted: a page loads them alongside itself.

The counters live in the one Datasette process (its event loop: no locks needed).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from scraper import settings as defaults
import scraper.web.bounds as bounds  # not `from scraper.web`: that package imports this module

SETTINGS = ("ARCHIWUM_WEB_CLIENT_CONCURRENCY", "ARCHIWUM_WEB_CLIENT_RATE",
            "ARCHIWUM_WEB_TRUSTED_PROXY")
UNCOUNTED_PATHS = ("/-/static/", "/-/static-plugins/")
# For the benchmarks, whose one address stands for many clients and must not be held back.
UNLIMITED = {"ARCHIWUM_WEB_CLIENT_CONCURRENCY": 0, "ARCHIWUM_WEB_CLIENT_RATE": 0}
BURST_SHARE = 6  # the bucket holds a sixth of a minute's requests: ten seconds' worth
MAX_TRACKED = 10_000  # past this many clients, the idle ones are forgotten
BUSY = "Za dużo zapytań naraz z tego adresu: najwyżej {n} jednocześnie. Spróbuj za chwilę."
TOO_FAST = "Za dużo zapytań z tego adresu: najwyżej {n} na minutę. Spróbuj za {s} s."


def checked_settings(overrides: dict[str, str]) -> dict:
    """The web settings `archiwum serve -s NAME=VALUE` gives, over scraper/settings.py's;
    ValueError names a wrong one."""
    unknown = sorted(set(overrides) - set(SETTINGS))
    if unknown:
        raise ValueError(f"serve takes -s {', '.join(SETTINGS)}; not {', '.join(unknown)}")
    chosen = {name: overrides.get(name, getattr(defaults, name)) for name in SETTINGS}
    for name in SETTINGS[:2]:
        try:
            chosen[name] = int(chosen[name])
        except ValueError:
            raise ValueError(f"{name} takes a whole number, not {chosen[name]!r}") from None
        if chosen[name] < 0:
            raise ValueError(f"{name} takes a whole number, not {chosen[name]!r}")
    return chosen


@dataclass
class Client:
    tokens: float
    updated: float
    in_progress: int = 0


@dataclass
class ClientLimits:
    concurrency: int
    per_minute: int
    trusted_proxies: frozenset[str] = frozenset()
    clients: dict[str, Client] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: dict) -> "ClientLimits":
        """From the plugin's configuration (`archiwum serve -s`), else scraper/settings.py."""
        value = {name: config.get(name, getattr(defaults, name)) for name in SETTINGS}
        proxies = str(value["ARCHIWUM_WEB_TRUSTED_PROXY"] or "")
        return cls(int(value["ARCHIWUM_WEB_CLIENT_CONCURRENCY"]), int(value["ARCHIWUM_WEB_CLIENT_RATE"]),
                   frozenset(p.strip() for p in proxies.split(",") if p.strip()))

    def client_of(self, scope: dict) -> str:
        peer = (scope.get("client") or ("", 0))[0]
        if peer not in self.trusted_proxies:
            return peer
        forwarded = [value.decode("latin-1") for name, value in scope.get("headers", [])
                     if name.lower() == b"x-forwarded-for"]
        # The proxy appends the address it saw: the last one, not what the client wrote before it.
        hops = [hop.strip() for hop in ",".join(forwarded).split(",") if hop.strip()]
        return hops[-1] if hops else peer

    def admit(self, scope: dict) -> tuple[str | None, tuple[int, str, dict] | None]:
        """(the client now counted as in progress, or None) and a refusal, or None."""
        if scope["path"].startswith(UNCOUNTED_PATHS):
            return None, None
        key, now = self.client_of(scope), time.monotonic()
        client = self.clients.get(key) or self._new(key, now)
        if self.concurrency and client.in_progress >= self.concurrency:
            return None, (429, BUSY.format(n=self.concurrency), {"retry-after": "1"})
        if self.per_minute:
            client.tokens = min(self._burst(), client.tokens + (now - client.updated) * self.per_minute / 60)
            client.updated = now
            if client.tokens < 1:
                wait = math.ceil((1 - client.tokens) * 60 / self.per_minute)
                return None, (429, TOO_FAST.format(n=self.per_minute, s=wait), {"retry-after": str(wait)})
            client.tokens -= 1
        client.in_progress += 1
        return key, None

    def release(self, key: str | None) -> None:
        if key is not None and key in self.clients:
            self.clients[key].in_progress -= 1

    def _burst(self) -> float:
        return max(1.0, self.per_minute / BURST_SHARE)

    def _new(self, key: str, now: float) -> Client:
        if len(self.clients) >= MAX_TRACKED:
            self._forget_idle(now)
        client = self.clients[key] = Client(tokens=self._burst(), updated=now)
        return client

    def _forget_idle(self, now: float) -> None:
        """Clients with nothing in progress whose bucket has refilled are as good as new."""
        refill = self._burst() * 60 / self.per_minute if self.per_minute else 0
        for key in [key for key, client in self.clients.items()
                    if not client.in_progress and now - client.updated >= refill]:
            del self.clients[key]


def limited(app, limits: ClientLimits):
    """The ASGI app, answering 429 to a client past its limits."""
    async def limited_app(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        key, refused = limits.admit(scope)
        if refused:
            return await bounds.refuse(send, *refused)
        try:
            return await app(scope, receive, send)
        finally:
            limits.release(key)
    return limited_app
