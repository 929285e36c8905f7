#!/usr/bin/env bash
# Print the path of the exposition-format checker (scripts/promcheck: Prometheus's own text parser, expfmt, plus
# promtool's lint rules) on stdout, building it once through the Go module proxy and caching it outside the repo,
# keyed by a hash of its source. Env: TEKTON_POSTURE_CACHE (default ~/.cache/tekton-posture). Progress on stderr.
set -euo pipefail
cd "$(dirname "$0")/promcheck"
CACHE="${TEKTON_POSTURE_CACHE:-${HOME:?set HOME or TEKTON_POSTURE_CACHE}/.cache/tekton-posture}"
key="$(cat main.go go.mod go.sum | sha256sum | cut -c1-12)"
OUT="$CACHE/bin/promcheck-$key/promcheck"
if [ -x "$OUT" ]; then echo "$OUT"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "[promcheck.sh] go not found on PATH" >&2; exit 1; }
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOWORK=off GOFLAGS=-mod=readonly CGO_ENABLED=0
export GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build"
mkdir -p "$(dirname "$OUT")"
echo "[promcheck.sh] building promcheck into $OUT" >&2
go build -trimpath -o "$OUT.tmp.$$" . >&2
mv -f "$OUT.tmp.$$" "$OUT"
echo "$OUT"
