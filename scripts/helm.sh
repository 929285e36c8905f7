#!/usr/bin/env bash
# Print the path of a Helm v3 binary on stdout (and nothing else).
#   - $HELM if set (must be executable);
#   - else $CACHE/bin/helm-$HELM_VERSION/helm, built once through the Go module proxy with
#     `go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION` and reused afterwards.
# Env: HELM, HELM_VERSION (default below), TEKTON_POSTURE_CACHE (default ~/.cache/tekton-posture).
# GOMODCACHE/GOCACHE live under $CACHE/go (shared with scripts/dev-cluster/build-bins.sh). Progress goes to stderr.
# Concurrent callers (parallel test files) are serialised with flock when available.
set -euo pipefail
HELM_VERSION="${HELM_VERSION:-v3.22.0}"
log() { echo "[helm.sh] $*" >&2; }

if [ -n "${HELM:-}" ]; then
  [ -x "$HELM" ] || { log "\$HELM=$HELM is not executable"; exit 1; }
  echo "$HELM"; exit 0
fi

CACHE="${TEKTON_POSTURE_CACHE:-${HOME:?set HOME or TEKTON_POSTURE_CACHE}/.cache/tekton-posture}"
DIR="$CACHE/bin/helm-${HELM_VERSION}"
OUT="$DIR/helm"
if [ -x "$OUT" ]; then echo "$OUT"; exit 0; fi

command -v go >/dev/null 2>&1 || { log "go not found on PATH (need Go >= 1.25 to build helm $HELM_VERSION), or set \$HELM"; exit 1; }
mkdir -p "$CACHE/bin"

build() {
  [ -x "$OUT" ] && return 0 # another process built it while we waited for the lock
  export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0
  export GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build"
  mkdir -p "$GOMODCACHE" "$GOCACHE"
  local tmp; tmp="$(mktemp -d "$CACHE/bin/.helm-build.XXXXXX")"
  trap 'rm -rf "$tmp"' RETURN
  log "building helm $HELM_VERSION with $(go version | cut -d' ' -f3) into $OUT"
  log "first build downloads ~200 modules and compiles them: expect a few minutes"
  local t0=$SECONDS
  GOBIN="$tmp" go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION} -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" >&2
  mkdir -p "$DIR"
  mv -f "$tmp/helm" "$OUT.tmp.$$" && mv -f "$OUT.tmp.$$" "$OUT"
  log "helm $HELM_VERSION built in $((SECONDS - t0)) s"
}

if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE/bin/.helm-${HELM_VERSION}.lock"
  flock 9
  build
  flock -u 9
else
  build
fi
"$OUT" version --short >/dev/null || { log "built helm does not run"; exit 1; }
echo "$OUT"
