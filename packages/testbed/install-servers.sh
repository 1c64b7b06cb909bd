#!/usr/bin/env bash
# Installs the real FTP servers the integration tests start on 127.0.0.1.
#
# vsftpd, proftpd and pure-ftpd conflict as Debian packages (all provide ftp-server), so
# their libraries come from apt and the servers themselves are unpacked side by side with
# `dpkg -x`; nothing is registered as a service and nothing listens until a test starts it.
#
#   sudo bash packages/testbed/install-servers.sh
#
# Idempotent: a server already unpacked at the candidate version is left alone.
# Does not run `apt-get update` (.ci/run does it once); run it yourself on a fresh machine.
set -euo pipefail

servers_dir="${FTPSCTL_SERVERS_DIR:-/opt/ftpsctl-servers}"
# The system account every test login maps to (files the servers write belong to it).
# It has no password and no shell: logins check per-test password files, never /etc/shadow.
service_user="ftpsctl"

if [[ "$(id -u)" != 0 ]]; then
  echo "install-servers.sh: run as root (apt-get and useradd need it)" >&2
  exit 1
fi

# Libraries the unpacked binaries link against (see `dpkg-deb -f <deb> Depends`), plus
# pam_pwdfile, which lets vsftpd check a password file the test writes instead of /etc/shadow.
libraries=(
  libwrap0 libcap2 libssl3 libpam0g libpam-modules libsodium23 libcrypt1 libpam-pwdfile
  libhiredis0.14 libmemcached11 libmemcachedutil2 libpcre2-posix3 libpcre2-8-0 libacl1 libidn2-0
  openssl
)
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${libraries[@]}"

# unpack <folder> <package>...: downloads the packages and unpacks them into one folder,
# replacing the folder only when a version changed.
unpack() {
  local name="$1"
  shift
  local target="${servers_dir}/${name}"
  local wanted=""
  local package
  for package in "$@"; do
    wanted+="${package}=$(apt-cache policy "$package" | awk '/Candidate:/ { print $2 }')"$'\n'
  done
  if [[ -f "${target}/.versions" && "$(cat "${target}/.versions")" == "${wanted%$'\n'}" ]]; then
    echo "${name}: already unpacked (${target})"
    return
  fi

  local work
  work="$(mktemp -d)"
  # apt downloads as the unprivileged _apt user when it can write the folder.
  chown _apt "$work" 2>/dev/null || true
  (cd "$work" && apt-get download "$@")
  mkdir -p "${work}/tree"
  local deb
  for deb in "$work"/*.deb; do
    dpkg -x "$deb" "${work}/tree"
  done
  printf '%s' "${wanted%$'\n'}" >"${work}/tree/.versions"

  mkdir -p "$servers_dir"
  rm -rf "${target}.old"
  if [[ -e "$target" ]]; then mv "$target" "${target}.old"; fi
  mv "${work}/tree" "$target"
  rm -rf "${target}.old" "$work"
  echo "${name}: unpacked into ${target}"
}

unpack vsftpd vsftpd
# mod_tls lives in proftpd-mod-crypto; the launcher points ModulePath at usr/lib/proftpd.
unpack proftpd proftpd-core proftpd-mod-crypto
unpack pure-ftpd pure-ftpd

# vsftpd changes into the guest account's home before its local_root, so the home must exist.
service_home="/var/lib/${service_user}"
mkdir -p "$service_home"
chmod 755 "$service_home"
if ! getent passwd "$service_user" >/dev/null; then
  useradd --system --user-group --no-create-home --home-dir "$service_home" \
    --shell /usr/sbin/nologin "$service_user"
  echo "created system user ${service_user}"
fi
if [[ "$(getent passwd "$service_user" | cut -d: -f6)" != "$service_home" ]]; then
  usermod --home "$service_home" "$service_user"
fi
# Locked password: nothing can log in to the machine as this user.
passwd --lock "$service_user" >/dev/null

echo "real FTP servers installed in ${servers_dir}"
