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
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from scraper.cli.demo import LOCAL_CRAWL_SETTINGS, demo_sources
from scraper.registry.sources import to_toml
from tests.conftest import REPO

UNIT = REPO / "deploy" / "archiwum-crawl.service"
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


def test_the_crawl_service_runs_its_first_night_in_its_sandbox(replicas, tmp_path):
    unit = unit_settings(UNIT)
    [exec_start] = unit["ExecStart"]
    env = dict(value.split("=", 1) for values in unit.get("Environment", []) for value in values.split())
    env |= {"ARCHIWUM_CONTACT": CONTACT, "PATH": "/usr/bin:/bin", "HOME": CHECKOUT}  # EnvironmentFile, systemd
    command = shlex.split(re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], exec_start))
    assert command[0] == f"{CHECKOUT}/.venv/bin/archiwum" and f"ARCHIWUM_CONTACT={CONTACT}" in command
    writable = {path: tmp_path / Path(path).name / Path(path).parent.name for path in writable_paths(unit)}
    for source in writable.values():
        source.mkdir(parents=True)
    state = writable["/var/lib/archiwum"]
    (state / "sources.toml").write_text(to_toml(demo_sources(replicas, ["gdansk", "bdp"])), encoding="utf-8")
    command += ["--registry", "/var/lib/archiwum/sources.toml", *LOCAL]

    done = subprocess.run([*unshare(), sandbox_script(writable, command, env)],
                          capture_output=True, text=True, timeout=600)

    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert done.stdout.startswith("crawl finished:") and len(done.stdout.splitlines()) == 1  # -q: the summary
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
