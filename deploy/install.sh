#!/bin/sh
# Install the nightly crawl (service + timer) and the web UI as systemd units, on a host where the
# checkout is /srv/archiwum (after `make setup` there):
#
#     sudo deploy/install.sh --contact mailto:archiwum@example.org
#
# Creates the system user `archiwum`, writes /etc/archiwum/archiwum.env (the contact portal
# operators see in the User-Agent), copies the units, enables the timer and the UI.
# DESTDIR=/some/tree installs the files only (no user, no systemctl): for images and tests.
set -eu

contact=""
while [ $# -gt 0 ]; do
    case "$1" in
        --contact) contact="${2:-}"; shift 2 ;;
        --contact=*) contact="${1#--contact=}"; shift ;;
        *) echo "usage: $0 --contact mailto:you@example.org|https://..." >&2; exit 2 ;;
    esac
done
if [ -z "$contact" ]; then
    echo "install.sh: --contact is required: portal operators must be able to reach whoever crawls them" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
root="${DESTDIR:-}"
install -d "$root/etc/systemd/system" "$root/etc/archiwum"
install -m 644 "$here/archiwum-crawl.service" "$here/archiwum-crawl.timer" "$here/archiwum-web.service" \
    "$root/etc/systemd/system/"
env_file="$root/etc/archiwum/archiwum.env"
printf '# Read by archiwum-crawl.service: who portal operators can write to.\nARCHIWUM_CONTACT=%s\n' \
    "$contact" > "$env_file"
chmod 644 "$env_file"
[ -n "$root" ] && exit 0

if [ ! -x /srv/archiwum/.venv/bin/archiwum ]; then
    echo "install.sh: /srv/archiwum/.venv/bin/archiwum is missing: clone the project there and run 'make setup'" >&2
    exit 1
fi
id archiwum >/dev/null 2>&1 || useradd --system --home-dir /srv/archiwum --shell /usr/sbin/nologin archiwum
systemctl daemon-reload
systemctl enable --now archiwum-crawl.timer archiwum-web.service
echo "installed: 'systemctl list-timers archiwum-crawl.timer' shows the next night;"
echo "           'sudo -u archiwum /srv/archiwum/.venv/bin/archiwum status --db /var/lib/archiwum/archive.db' its health"
