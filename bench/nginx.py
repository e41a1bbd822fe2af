"""Serve a directory with Debian's nginx on a free 127.0.0.1 port for the length of a `with` block."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from string import Template

NGINX = "/usr/sbin/nginx"
CONFIG_TEMPLATE = Path(__file__).with_name("nginx.conf.tmpl")
START_TIMEOUT_S = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, server: subprocess.Popen, error_log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"nginx exited: {error_log.read_text(errors='replace')}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on {port} within {START_TIMEOUT_S} s")


def make_traversable(root: Path) -> None:
    """Workers started by root run as `nobody`: open the site and its private temp parents to them."""
    for directory in (root, *root.parents):
        mode = directory.stat().st_mode
        if directory != root and mode & 0o001:
            return
        directory.chmod(mode | 0o005)


@contextlib.contextmanager
def serve(root: Path, prefix: Path) -> Iterator[str]:
    """Run nginx serving `root` (its pid, logs and temp files in `prefix`); yield the base URL."""
    port = free_port()
    prefix.mkdir(parents=True, exist_ok=True)
    config = prefix / "nginx.conf"
    config.write_text(
        Template(CONFIG_TEMPLATE.read_text()).substitute(prefix=prefix, root=root.resolve(), port=port)
    )
    if os.geteuid() == 0:
        make_traversable(root.resolve())
    server = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_listening(port, server, prefix / "error.log")
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)
