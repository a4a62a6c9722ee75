#!/usr/bin/env bash
# Installs the real peers the integration tests run against: the Debian `docker-registry`
# (distribution 2.8) and `skopeo`, plus `apache2-utils` for htpasswd (bcrypt) files and
# openssl for the token-auth registry's signing certificate. Idempotent: skips what is there.
set -euo pipefail
need=()
command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing test dependencies: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # the Debian package starts a system registry on :5000; tests start their own on random ports
  ($SUDO systemctl disable --now docker-registry >/dev/null 2>&1 || true)
fi
