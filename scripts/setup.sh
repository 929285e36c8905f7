#!/usr/bin/env bash
# Installs what the dashboard and its tests need on a fresh machine: Debian packages (Chromium for the e2e tests,
# openssl for the test cluster's certificates) and the npm dependencies from the lockfile. Idempotent and quiet
# when everything is already there. Go programs (kube-apiserver, etcd, helm) are built on first use by their own
# scripts and cached outside the repo.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || [ "${SKIP_CHROMIUM:-}" = 1 ] || need_apt+=(chromium)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${need_apt[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "setup: missing ${need_apt[*]} and not root: install them with apt-get" >&2
  fi
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NEXT_TELEMETRY_DISABLED=1
stamp=node_modules/.package-lock.stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: installing npm dependencies from package-lock.json" >&2
  # The committed lockfile is complete (every platform's optional packages): a broken one must fail loudly here.
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
