"""The first night on a fresh host: the crawl service's own command line, in the sandbox its unit declares.

The unit (deploy/archiwum-crawl.service) says ProtectSystem=strict, ProtectHome=yes and
PrivateTmp=yes, with only its State/Cache/LogsDirectory writable. Without systemd, a mount
namespace does the same: every mount read-only but those directories (bind-mounted from
tmp_path), a private /tmp, and the home directory (the checkout, as deploy/README.md's useradd
makes it) read-only. The crawl goes to the replica portals on 127.0.0.1: the one change to the
command line is a --registry of replicas and the speed settings of the demo.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

import pytest

from scraper.archive.db import connect
from scraper.cli.demo import LOCAL_CRAWL_SETTINGS, demo_sources
from scraper.registry.sources import to_toml
from tests.conftest import REPO, free_port, wait_for_http

UNIT = REPO / "deploy" / "archiwum-crawl.service"
WEB_UNIT = REPO / "deploy" / "archiwum-web.service"
CHECKOUT = "/srv/archiwum"  # where the units expect the project
CONTACT = "mailto:archiwum-ops@example.org"
LOCAL = [arg for name, value in LOCAL_CRAWL_SETTINGS.items() if name != "LOG_LEVEL" for arg in ("-s", f"{name}={value}")]


def unit_settings(path: Path) -> dict[str, list[str]]:
    """The [Service] section: name -> values, in order (Environment= may repeat)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            name, value = line.split("=", 1)
            settings.setdefault(name, []).append(value)
    return settings


def writable_paths(unit: dict[str, list[str]]) -> list[str]:
    """What the unit may write: ReadWritePaths and the directories systemd makes for it."""
    paths = [p for value in unit.get("ReadWritePaths", []) for p in value.split()]
    for setting, root in (("StateDirectory", "/var/lib"), ("CacheDirectory", "/var/cache"),
                          ("LogsDirectory", "/var/log")):
        paths += [f"{root}/{name}" for value in unit.get(setting, []) for name in value.split()]
    return paths


def sandbox_script(writable: dict[str, Path], command: list[str], env: dict[str, str]) -> str:
    """Shell lines for `unshare --mount`: the checkout at /srv/archiwum, the writable paths bound
    from tmp_path, then every other mount read-only, then a private /tmp."""
    binds = "\n".join(f"mkdir -p {target} && mount --bind {shlex.quote(str(source))} {target}"
                      for target, source in writable.items())
    keep = "|".join(["/proc*", "/sys*", "/dev*", *writable])
    return f"""set -e
mount -t tmpfs tmpfs /srv && mkdir {CHECKOUT} && mount --bind {shlex.quote(str(REPO))} {CHECKOUT}
mount -t tmpfs tmpfs /var && mkdir /var/tmp
{binds}
for mount_point in $(awk '{{print $5}}' /proc/self/mountinfo); do
    case "$mount_point" in {keep}) ;; *) mount -o remount,bind,ro "$mount_point" ;; esac
done
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /var/tmp
# A checkout under /tmp or /var (a CI clone): its virtualenv's scripts name their interpreter by
# that path, so it is shown there again, read-only, as a real installation's would be.
if [ ! -e {shlex.quote(str(REPO / "pyproject.toml"))} ]; then
    mkdir -p {shlex.quote(str(REPO))} && mount --bind {CHECKOUT} {shlex.quote(str(REPO))}
    mount -o remount,bind,ro {shlex.quote(str(REPO))}
fi
if touch /srv/archiwum/.write-test 2>/dev/null || touch /etc/.write-test 2>/dev/null; then
    echo "the sandbox is not read-only" >&2; exit 99
fi
cd {CHECKOUT}
exec env -i {shlex.join(f'{k}={v}' for k, v in env.items())} {shlex.join(command)}
"""


def unshare() -> list[str]:
    if not shutil.which("unshare"):
        pytest.skip("unshare (util-linux) is needed to build the service's sandbox")
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    return ["unshare", *user, "--mount", "--propagation", "private", "sh", "-c"]


class ServiceRun:
    """A unit's ExecStart as systemd would run it: its Environment=, the contact of the
    EnvironmentFile, ${VAR} expanded, and its writable directories made in tmp_path."""

    def __init__(self, unit_path: Path, tmp_path: Path):
        unit = unit_settings(unit_path)
        [exec_start] = unit["ExecStart"]
        self.env = dict(value.split("=", 1) for values in unit.get("Environment", []) for value in values.split())
        self.env |= {"ARCHIWUM_CONTACT": CONTACT, "PATH": "/usr/bin:/bin", "HOME": CHECKOUT}
        self.command = shlex.split(re.sub(r"\$\{(\w+)\}", lambda m: self.env[m.group(1)], exec_start))
        self.writable = {path: tmp_path / Path(path).name / Path(path).parent.name for path in writable_paths(unit)}
        for source in self.writable.values():
            source.mkdir(parents=True)

    def argv(self, *extra: str) -> list[str]:
        return [*unshare(), sandbox_script(self.writable, [*self.command, *extra], self.env)]


def test_the_crawl_service_runs_its_first_night_in_its_sandbox(replicas, tmp_path):
    service = ServiceRun(UNIT, tmp_path)
    command, writable = service.command, service.writable
    assert command[0] == f"{CHECKOUT}/.venv/bin/archiwum" and f"ARCHIWUM_CONTACT={CONTACT}" in command
    state = writable["/var/lib/archiwum"]
    (state / "sources.toml").write_text(to_toml(demo_sources(replicas, ["gdansk", "bdp"])), encoding="utf-8")

    done = subprocess.run(service.argv("--registry", "/var/lib/archiwum/sources.toml", *LOCAL),
                          capture_output=True, text=True, timeout=600)

    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert done.stdout.startswith("crawl finished:")  # -q: the summary lines (crawl, attachments), no log
    assert all(line.startswith(("crawl ", "attachments: ")) for line in done.stdout.splitlines())
    assert "Traceback" not in done.stderr
    conn = sqlite3.connect(state / "archive.db")
    [(articles,)] = conn.execute("select count(*) from articles")
    [(status,)] = conn.execute("select status from crawls")
    conn.close()
    assert articles > 10 and status == "finished"
    [warc] = (state / "warc").glob("*.warc.gz")
    assert f"User-Agent: Archiwum/0.1 (+{CONTACT})" in gzip.open(warc).read().decode("utf-8", "replace")
    log = (writable["/var/log/archiwum"] / "crawl.log").read_text()
    assert "Spider closed (finished)" in log and "Traceback" not in log
    assert list(writable["/var/cache/archiwum"].glob("lemmas-pl-*.db"))  # built where the unit said


def test_the_web_service_serves_and_searches_in_its_sandbox(tmp_path):
    service = ServiceRun(WEB_UNIT, tmp_path)
    db = connect(service.writable["/var/lib/archiwum"] / "archive.db")
    with db.conn:
        db["articles"].insert({"id": "a1", "url": "http://mops.example.pl/1", "source": "mops",
                               "title": "Klub seniora", "body": "Spotkania seniorów w środy."})
    db.conn.close()
    port = free_port()  # the unit's 8001 is the demo's: a test never takes a fixed port
    command = [value if value != "8001" else str(port) for value in service.command]
    assert command != service.command
    service.command = command
    server = subprocess.Popen(service.argv(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/-/versions.json", server, seconds=120)
        answer = urllib.request.urlopen(f"http://127.0.0.1:{port}/archive/articles.json?_search=senior&_shape=array",
                                        timeout=120)
        assert [row["id"] for row in json.load(answer)] == ["a1"]  # the lemma table built in its cache
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert list(service.writable["/var/cache/archiwum"].glob("lemmas-pl-*.db"))


def test_install_writes_the_units_and_the_contact(tmp_path):
    root = tmp_path / "root"
    done = subprocess.run([str(REPO / "deploy" / "install.sh"), "--contact", CONTACT],
                          env=os.environ | {"DESTDIR": str(root)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    units = sorted(p.name for p in (root / "etc" / "systemd" / "system").iterdir())
    assert units == ["archiwum-crawl.service", "archiwum-crawl.timer", "archiwum-web.service"]
    assert f"ARCHIWUM_CONTACT={CONTACT}" in (root / "etc" / "archiwum" / "archiwum.env").read_text()
    refused = subprocess.run([str(REPO / "deploy" / "install.sh")], env=os.environ | {"DESTDIR": str(root)},
                             capture_output=True, text=True)
    assert refused.returncode == 2 and "--contact is required" in refused.stderr


def test_every_unit_runs_sandboxed_with_a_writable_cache():
    for unit_file in sorted((REPO / "deploy").glob("*.service")):
        unit = unit_settings(unit_file)
        assert unit["ProtectSystem"] == ["strict"] and unit["ProtectHome"] == ["yes"], unit_file.name
        assert any(v.startswith("ARCHIWUM_CACHE=/var/cache/") for v in unit["Environment"]), unit_file.name
        assert "/var/cache/archiwum" in writable_paths(unit), unit_file.name


def test_systemd_accepts_the_units():
    """systemd's own reading of the units: every setting understood, the command found (the
    checkout bound at /srv/archiwum, as on a host)."""
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    units = " ".join(f"{CHECKOUT}/deploy/{name}" for name in
                     ("archiwum-crawl.service", "archiwum-crawl.timer", "archiwum-web.service"))
    script = (f"mount -t tmpfs tmpfs /srv && mkdir {CHECKOUT} && mount --bind {shlex.quote(str(REPO))} {CHECKOUT} "
              f"&& systemd-analyze verify {units}")
    done = subprocess.run([*unshare(), script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr
