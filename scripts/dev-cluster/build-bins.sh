#!/usr/bin/env bash
# Build (or reuse) kube-apiserver and etcd through the Go module proxy.
#   build-bins.sh            -> prints nothing on stdout but the two binary paths (KUBE_APISERVER=..., ETCD=...)
# Env: K8S_VERSION (default v1.36.3), ETCD_VERSION (default: the etcd client version in k8s's go.mod),
#      TEKTON_POSTURE_CACHE (default ~/.cache/tekton-posture). Binaries: $CACHE/bin/k8s-$V/kube-apiserver,
#      $CACHE/bin/etcd-$E/etcd. GOMODCACHE/GOCACHE live under $CACHE/go too.
set -euo pipefail
K8S_VERSION="${K8S_VERSION:-v1.36.3}"
CACHE="${TEKTON_POSTURE_CACHE:-$HOME/.cache/tekton-posture}"
log() { echo "[build-bins] $*" >&2; }

need() { # install a Debian package if the command is missing
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2 via apt-get"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$2" >&2
}
command -v go >/dev/null 2>&1 || { log "go not found on PATH (need Go >= 1.26)"; exit 1; }
need python3 python3

export GOTOOLCHAIN=local GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0
export GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build"
mkdir -p "$GOMODCACHE" "$GOCACHE" "$CACHE/bin"

APISERVER_OUT="$CACHE/bin/k8s-${K8S_VERSION}/kube-apiserver"
ETCD_VERSION_FILE="$CACHE/bin/k8s-${K8S_VERSION}/etcd-version"
# Fast path (works offline): both binaries cached for this version.
if [ -z "${ETCD_VERSION:-}" ] && [ -f "$ETCD_VERSION_FILE" ]; then ETCD_VERSION="$(cat "$ETCD_VERSION_FILE")"; fi
if [ -n "${ETCD_VERSION:-}" ] && [ -x "$APISERVER_OUT" ] && [ -x "$CACHE/bin/etcd-${ETCD_VERSION}/etcd" ]; then
  echo "KUBE_APISERVER=$APISERVER_OUT"
  echo "ETCD=$CACHE/bin/etcd-${ETCD_VERSION}/etcd"
  exit 0
fi
STAGING_VERSION="v0.${K8S_VERSION#v1.}"
MINOR="$(echo "$K8S_VERSION" | cut -d. -f2)"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT

KMOD="$(cd "$WORK" && go mod download -json "k8s.io/kubernetes@${K8S_VERSION}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')"
K8S_ETCD_VERSION="$(awk '$1=="go.etcd.io/etcd/client/v3"{print $2; exit}' "$KMOD")"  # v3.6.8 for k8s v1.36.3
mkdir -p "$(dirname "$ETCD_VERSION_FILE")"
echo "$K8S_ETCD_VERSION" >"$ETCD_VERSION_FILE"
ETCD_VERSION="${ETCD_VERSION:-$K8S_ETCD_VERSION}"
ETCD_OUT="$CACHE/bin/etcd-${ETCD_VERSION}/etcd"

if [ ! -x "$APISERVER_OUT" ]; then
  log "building kube-apiserver $K8S_VERSION (cold build can take many minutes)"
  t0=$SECONDS
  mkdir "$WORK/k8s"; cd "$WORK/k8s"
  go mod init example.invalid/kube-apiserver-build >&2 2>/dev/null
  for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\)[[:space:]]*=>[[:space:]]*\./staging/.*#\1#p' "$KMOD"); do
    go mod edit -replace="${m}=${m}@${STAGING_VERSION}"
  done
  go mod edit -go="$(awk '$1=="go"{print $2; exit}' "$KMOD")"
  GD="$(awk '$1=="godebug" && NF==2 {print $2; exit}' "$KMOD" || true)"
  if [ -n "$GD" ]; then go mod edit -godebug="$GD"; fi
  go mod edit -require="k8s.io/kubernetes@${K8S_VERSION}"
  BD="$(date -u +%Y-%m-%dT%H:%M:%SZ)"; LDF="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    LDF+=" -X ${p}.gitVersion=${K8S_VERSION} -X ${p}.gitMajor=1 -X ${p}.gitMinor=${MINOR} -X ${p}.gitTreeState=clean -X ${p}.buildDate=${BD}"
  done
  mkdir -p "$(dirname "$APISERVER_OUT")"
  go build -trimpath -ldflags "$LDF" -o "$APISERVER_OUT.tmp" k8s.io/kubernetes/cmd/kube-apiserver >&2
  mv "$APISERVER_OUT.tmp" "$APISERVER_OUT"
  log "kube-apiserver built in $((SECONDS - t0)) s"
fi

if [ ! -x "$ETCD_OUT" ]; then
  log "building etcd $ETCD_VERSION"
  t0=$SECONDS
  mkdir -p "$WORK/etcd"; cd "$WORK/etcd"
  go mod init example.invalid/etcd-build >&2 2>/dev/null
  go mod edit -require="go.etcd.io/etcd/server/v3@${ETCD_VERSION}"
  mkdir -p "$(dirname "$ETCD_OUT")"
  go build -trimpath -ldflags "-s -w" -o "$ETCD_OUT.tmp" go.etcd.io/etcd/server/v3 >&2
  mv "$ETCD_OUT.tmp" "$ETCD_OUT"
  log "etcd built in $((SECONDS - t0)) s"
fi
echo "KUBE_APISERVER=$APISERVER_OUT"
echo "ETCD=$ETCD_OUT"
