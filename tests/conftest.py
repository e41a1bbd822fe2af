"""Shared fixtures: the replica portals on 127.0.0.1, the archiwum command, a running Datasette."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from scraper import settings as project_settings
from scraper.demo.server import ReplicaServer
from scraper.demo.sites import REPLICAS

REPO = Path(__file__).resolve().parent.parent


def archiwum_settings(**overrides) -> dict:
    """Archiwum's own settings as scraper/settings.py declares them, for a component built with
    Scrapy's get_crawler (which knows only Scrapy's defaults)."""
    return {name: getattr(project_settings, name) for name in dir(project_settings)
            if name.startswith("ARCHIWUM_")} | overrides


def archiwum(*args: str, timeout: float = 240, check: bool = False) -> subprocess.CompletedProcess:
    """Run the real `archiwum` command in its own process."""
    result = subprocess.run(
        [sys.executable, "-m", "scraper.cli.main", *args],
        cwd=REPO, capture_output=True, text=True, timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"archiwum {' '.join(args)} exited {result.returncode}:\n"
                             f"{result.stdout}\n{result.stderr[-4000:]}")
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early: {process.stderr.read()}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="session")
def replicas():
    """Every replica portal (demo and held-out) served on 127.0.0.1."""
    with ReplicaServer(REPLICAS) as server:
        yield server


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory) -> Path:
    """archive.db as `archiwum demo` leaves it: the four seed portals crawled over HTTP."""
    db = tmp_path_factory.mktemp("demo") / "archive.db"
    archiwum("demo", "--no-serve", "--db", str(db), check=True)
    return db


@pytest.fixture(scope="session")
def serve_archive():
    """Start `archiwum serve` on a database; yields a function returning the base URL."""
    processes = []

    def start(db: Path) -> str:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "scraper.cli.main", "serve", "--db", str(db), "--port", str(port)],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/-/versions.json", process)
        return base

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


# Headless Chromium as the machine has it (Debian's package); no connection leaves 127.0.0.1.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """A real headless Chromium for the UI tests of a module."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()
