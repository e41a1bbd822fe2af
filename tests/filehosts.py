"""Small real HTTP servers for attachment tests: a host on its own 127.x address serving fixed
files and logging what it was asked, and an article page worth reading as one."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.replies import Replies

ARTICLE = """<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav><a href="/">Strona główna</a> <a href="/a1.html">Uchwały</a> <a href="/a2.html">Programy</a></nav>
<article><h1>{title}</h1><p class="data">Opublikowano: {date}</p>
<p>Rada Miejska przyjęła na sesji uchwały dotyczące pomocy społecznej, wspierania rodziny i
programów osłonowych dla mieszkańców gminy. Poniżej publikujemy ich pełne treści wraz z
załącznikami, w tym skany podpisanych dokumentów.</p>
<p>Dokumenty są dostępne także w Biuletynie Informacji Publicznej oraz w sekretariacie urzędu,
w godzinach pracy, po wcześniejszym uzgodnieniu terminu z pracownikiem merytorycznym.</p>
<ul>{links}</ul></article></body></html>"""


class FileHost:
    """A real HTTP server on its own 127.x address, serving `files` and logging every path asked."""

    def __init__(self, address: str, files: dict[str, tuple[bytes, str]]):
        self.files, self.asked = files, []
        host = self

        class Handler(Replies, BaseHTTPRequestHandler):
            def do_GET(self):
                host.asked.append(self.path)
                body, kind = host.files.get(self.path, (b"not found", "text/plain"))
                self.send_bytes(200 if self.path in host.files else 404, body, kind)

        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.site = f"{address}:{self.server.server_address[1]}"
        self.url = f"http://{self.site}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
