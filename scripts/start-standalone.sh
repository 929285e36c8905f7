#!/usr/bin/env bash
# Prepares .next/standalone (static assets, public/, the demo snapshot and policy) and starts its server.js from
# inside that directory, so server/sources/demo.ts finds lib/demo/snapshot under process.cwd().
# Env: PORT (3000), HOSTNAME_BIND (127.0.0.1; HOSTNAME itself is set by shells and containers, so it is not read), POSTURE_SOURCE / POSTURE_FILES / POSTURE_POLICY as for the app.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
sa=.next/standalone
if [ ! -f "$sa/server.js" ]; then
  echo "start-standalone: $sa/server.js is missing: run 'npx next build' first (output: 'standalone')" >&2
  exit 1
fi
prepare() {
  mkdir -p "$sa/.next" "$sa/lib/demo"
  # Copy once per build (two servers may start at once: the e2e demo and hostile configs).
  if [ "$(cat "$sa/.prepared" 2>/dev/null)" != "$(cat .next/BUILD_ID)" ]; then
    rm -rf "$sa/.next/static" && cp -r .next/static "$sa/.next/static"
    if [ -d public ]; then rm -rf "$sa/public" && cp -r public "$sa/public"; fi
    cat .next/BUILD_ID >"$sa/.prepared"
  fi
  rm -rf "$sa/lib/demo/snapshot.tmp" && cp -r lib/demo/snapshot "$sa/lib/demo/snapshot.tmp"
  rm -rf "$sa/lib/demo/snapshot" && mv "$sa/lib/demo/snapshot.tmp" "$sa/lib/demo/snapshot"
  if [ -f lib/demo/policy.yaml ]; then cp lib/demo/policy.yaml "$sa/lib/demo/policy.yaml"; fi
  cp server/http-hardening.cjs "$sa/http-hardening.cjs"
}
if command -v flock >/dev/null 2>&1; then
  exec 9>"$sa/.prepare.lock"
  flock 9
  prepare
  flock -u 9
  exec 9>&-
else
  prepare
fi
# Relative POSTURE_FILES / POSTURE_POLICY paths are meant relative to the repository, not to $sa.
abs_list() {
  local out=() p
  IFS=',' read -ra parts <<<"$1"
  for p in "${parts[@]}"; do
    [ -z "$p" ] && continue
    case "$p" in /*) out+=("$p") ;; *) out+=("$root/$p") ;; esac
  done
  (IFS=','; echo "${out[*]}")
}
if [ -n "${POSTURE_FILES:-}" ]; then export POSTURE_FILES="$(abs_list "$POSTURE_FILES")"; fi
if [ -n "${POSTURE_POLICY:-}" ]; then export POSTURE_POLICY="$(abs_list "$POSTURE_POLICY")"; fi
export PORT="${PORT:-3000}" HOSTNAME="${HOSTNAME_BIND:-127.0.0.1}" NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
cd "$sa"
# A larger young generation: under concurrent page renders the default (16 MB semi-spaces) promotes per-request
# garbage into the old generation, whose mark-compact pauses over a big cluster's model stall every request at
# once (at 2,000 pipelines they turned p99 under 100 connections into timeouts). V8 grows it only under load.
# http-hardening.cjs: the hardening headers on responses Next sends before proxy.ts runs (400s, TRACE, errors).
exec node --max-semi-space-size=64 --require ./http-hardening.cjs server.js
