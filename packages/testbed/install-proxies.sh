#!/usr/bin/env bash
# Installs the real proxies the "security proxy" integration tests start on 127.0.0.1:
# squid (HTTPS CONNECT proxy: its own https_port serves TLS to the client, Basic auth through
# basic_ncsa_auth) and dante (SOCKS5 with username/password through PAM and pam_pwdfile).
#
#   sudo bash packages/testbed/install-proxies.sh
#
# Both are installed as Debian packages, but never run as services: a policy-rc.d keeps the
# packages' init scripts from starting them, and the services are stopped and disabled in case
# something started them anyway. Nothing listens until a test starts a proxy with its own
# config on 127.0.0.1.
#
# Idempotent: installed packages are left alone. Does not run `apt-get update` (.ci/run does it
# once); run it yourself on a fresh machine.
set -euo pipefail

if [[ "$(id -u)" != 0 ]]; then
  echo "install-proxies.sh: run as root (apt-get needs it)" >&2
  exit 1
fi

# squid-openssl rather than the GnuTLS `squid` (both 5.7 serve https_port, measured): OpenSSL
# is squid's main TLS library. The two conflict, so an installed `squid` is kept as it is.
squid_package=squid-openssl
if dpkg-query -W -f='${Status}' squid 2>/dev/null | grep -q 'install ok installed'; then
  squid_package=squid
fi
packages=("$squid_package" dante-server libpam-pwdfile openssl curl)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  # policy-rc.d exit 101: "action forbidden", so invoke-rc.d starts no service during the
  # install. Only ours is removed afterwards; an existing one (Docker images ship one) stays.
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\n# Written by ftpsctl install-proxies.sh for the duration of an install.\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=1
  fi
  remove_own_policy() {
    if [[ "$own_policy" == 1 ]]; then rm -f "$policy"; fi
  }
  trap remove_own_policy EXIT
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  remove_own_policy
  trap - EXIT
else
  echo "proxies: already installed (${packages[*]})"
fi

# Never as services: stop them if anything started them, and keep them from starting at boot.
for service in squid danted; do
  if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
    systemctl disable --now "$service" >/dev/null 2>&1 || true
  else
    if [[ -x "/etc/init.d/${service}" ]]; then "/etc/init.d/${service}" stop >/dev/null 2>&1 || true; fi
    update-rc.d "$service" disable >/dev/null 2>&1 || true
  fi
done
# Should an init script have started them regardless, stop them by their Debian pid files,
# checking the process name so a stale file cannot name an unrelated process.
for pid_file in /run/squid.pid /run/danted.pid; do
  if [[ -s "$pid_file" ]]; then
    pid="$(cat "$pid_file")"
    if [[ "$pid" =~ ^[0-9]+$ && "$(cat "/proc/${pid}/comm" 2>/dev/null)" =~ ^(squid|danted)$ ]]; then
      kill "$pid" || true
    fi
  fi
done

# The account squid switches to; Debian's squid-common creates it (uid 13 on Debian).
if ! getent passwd proxy >/dev/null; then
  echo "install-proxies.sh: system user proxy is missing after the squid install" >&2
  exit 1
fi

echo "proxies installed: $(squid -v | head -n 1), $(danted -v | head -n 1)"
