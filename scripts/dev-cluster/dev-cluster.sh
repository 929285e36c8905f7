#!/usr/bin/env bash
# Tekton Posture dev cluster: a real etcd + kube-apiserver on 127.0.0.1 (no controller-manager, no kubelet).
#
#   npm run dev-cluster -- up            build-or-reuse binaries, start, install CRDs + read-only RBAC (idempotent)
#   npm run dev-cluster -- seed DIR      create every object of every YAML/JSON file under DIR (admin identity)
#   npm run dev-cluster -- status        print whether it runs (exit 0 running, 3 not running)
#   npm run dev-cluster -- down          stop apiserver then etcd, remove the etcd data dir (binaries stay cached)
#   npm run dev-cluster -- build         only build/reuse the binaries, print their paths
#
# Env: KUBE_APISERVER, ETCD (binary paths; else built once via the Go module proxy into the cache),
#      TEKTON_POSTURE_CACHE (default ~/.cache/tekton-posture), K8S_VERSION (default v1.36.3),
#      DEV_CLUSTER_PORT (apiserver, default 16443), DEV_CLUSTER_ETCD_PORT (default 16379; peer = +1),
#      DEV_CLUSTER_STATE (default <repo>/.dev-cluster), DEV_CLUSTER_START_TIMEOUT (seconds, default 120),
#      DEV_CLUSTER_APISERVER_ARGS (extra kube-apiserver flags, e.g. "--min-request-timeout=20").
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
STATE="${DEV_CLUSTER_STATE:-$REPO/.dev-cluster}"
API_PORT="${DEV_CLUSTER_PORT:-16443}"
ETCD_PORT="${DEV_CLUSTER_ETCD_PORT:-16379}"
PEER_PORT="$((ETCD_PORT + 1))"
START_TIMEOUT="${DEV_CLUSTER_START_TIMEOUT:-120}"
P="$STATE/pki"
STARTED_ETCD=0
ETCD_DATA="$STATE/etcd-data"
TSX="$REPO/node_modules/.bin/tsx"

log() { echo "[dev-cluster] $*" >&2; }
die() { echo "[dev-cluster] ERROR: $*" >&2; exit 1; }

need() { # need CMD DEBIAN-PACKAGE: install through apt only when missing
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2 via apt-get"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >&2
}

# ---------------------------------------------------------------- processes
pid_alive() { # pid_alive NAME -> 0 if NAME.pid names a live process running our binary
  local f="$STATE/$1.pid" pid
  [ -f "$f" ] || return 1
  pid="$(cat "$f" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || { rm -f "$f"; return 1; }
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$1"; then return 0; fi
  log "removing stale PID file $f (pid $pid is gone)"; rm -f "$f"; return 1
}
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
check_port_free() { # check_port_free PORT WHAT
  if port_busy "$1"; then
    die "port 127.0.0.1:$1 ($2) is already in use by another process. Stop it, or pick other ports with DEV_CLUSTER_PORT / DEV_CLUSTER_ETCD_PORT."
  fi
}
stop_proc() { # stop_proc NAME: SIGTERM, wait up to 15 s, then SIGKILL
  pid_alive "$1" || return 0
  local pid; pid="$(cat "$STATE/$1.pid")"
  log "stopping $1 (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "$1 did not stop, killing"; kill -9 "$pid" 2>/dev/null || true; sleep 0.2; fi
  rm -f "$STATE/$1.pid"
}
wait_for() { # wait_for SECONDS CMD...
  local end=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do [ "$SECONDS" -ge "$end" ] && return 1; sleep 0.2; done
}

admin_token() { cut -d, -f1 "$STATE/tokens.csv" | head -1; }
api_get() { curl -sf --max-time 5 --cacert "$P/ca.crt" -H "Authorization: Bearer $(admin_token)" "https://127.0.0.1:$API_PORT$1"; }
healthy() { [ -f "$P/ca.crt" ] && [ -f "$STATE/tokens.csv" ] && pid_alive etcd && pid_alive kube-apiserver && api_get /readyz >/dev/null 2>&1; }

# ---------------------------------------------------------------- binaries
resolve_bins() {
  if [ -n "${KUBE_APISERVER:-}" ] && [ -n "${ETCD:-}" ]; then
    [ -x "$KUBE_APISERVER" ] || die "KUBE_APISERVER=$KUBE_APISERVER is not an executable"
    [ -x "$ETCD" ] || die "ETCD=$ETCD is not an executable"
    return 0
  fi
  local out k e
  out="$(bash "$HERE/build-bins.sh")" || die "building kube-apiserver/etcd failed (see above)"
  k="$(sed -n 's/^KUBE_APISERVER=//p' <<<"$out")"; e="$(sed -n 's/^ETCD=//p' <<<"$out")"
  KUBE_APISERVER="${KUBE_APISERVER:-$k}"; ETCD="${ETCD:-$e}"
  [ -x "$KUBE_APISERVER" ] && [ -x "$ETCD" ] || die "binaries missing after build: $KUBE_APISERVER $ETCD"
}

# ---------------------------------------------------------------- PKI, tokens, policy
ensure_pki() {
  mkdir -p "$P"; chmod 700 "$STATE" "$P"
  if [ ! -f "$P/ca.crt" ] || [ ! -f "$P/apiserver.crt" ] || [ ! -f "$P/sa.key" ]; then
    need openssl openssl
    log "generating PKI in $P"
    (
      cd "$P"
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -keyout ca.key -out ca.crt \
        -subj "/CN=tekton-posture-dev-ca" -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout apiserver.key -out apiserver.csr \
        -subj "/CN=kube-apiserver" 2>/dev/null
      printf "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n" >serving.ext
      openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out apiserver.crt \
        -extfile serving.ext 2>/dev/null
      openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key 2>/dev/null
      openssl pkey -in sa.key -pubout -out sa.pub 2>/dev/null
      rm -f apiserver.csr serving.ext
    )
  fi
  if [ ! -f "$STATE/tokens.csv" ]; then
    need openssl openssl
    # token,user,uid,"groups". posture-probe shares posture-viewer's RBAC; tests use it for forbidden-write probes
    # so that the audit log of posture-viewer itself stays strictly read-only.
    {
      printf '%s,posture-admin,1000,"system:masters"\n' "$(openssl rand -hex 24)"
      printf '%s,posture-viewer,1001\n' "$(openssl rand -hex 24)"
      printf '%s,posture-probe,1002\n' "$(openssl rand -hex 24)"
    } >"$STATE/tokens.csv"
    chmod 600 "$STATE/tokens.csv"
  fi
  cat >"$STATE/audit-policy.yaml" <<'EOF'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: Metadata
EOF
}

write_kubeconfigs() {
  local ca_b64 line tok user
  ca_b64="$(base64 -w0 <"$P/ca.crt")"
  while IFS=, read -r tok user _; do
    local name="${user#posture-}"
    cat >"$STATE/$name.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: dev-cluster
    cluster:
      server: https://127.0.0.1:$API_PORT
      certificate-authority-data: $ca_b64
users:
  - name: $user
    user:
      token: $tok
contexts:
  - name: $user@dev-cluster
    context: {cluster: dev-cluster, user: $user}
current-context: $user@dev-cluster
EOF
    chmod 600 "$STATE/$name.kubeconfig"
  done <"$STATE/tokens.csv"
  cat >"$STATE/cluster.json" <<EOF
{
  "server": "https://127.0.0.1:$API_PORT",
  "stateDir": "$STATE",
  "caFile": "$P/ca.crt",
  "adminKubeconfig": "$STATE/admin.kubeconfig",
  "viewerKubeconfig": "$STATE/viewer.kubeconfig",
  "probeKubeconfig": "$STATE/probe.kubeconfig",
  "auditLog": "$STATE/audit.log",
  "etcdEndpoint": "http://127.0.0.1:$ETCD_PORT"
}
EOF
}

# ---------------------------------------------------------------- start
start_etcd() {
  pid_alive etcd && return 0
  check_port_free "$ETCD_PORT" "etcd client"; check_port_free "$PEER_PORT" "etcd peer"
  mkdir -p "$ETCD_DATA"; chmod 700 "$ETCD_DATA"
  log "starting etcd on 127.0.0.1:$ETCD_PORT"
  setsid "$ETCD" --name dev-cluster --data-dir "$ETCD_DATA" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
    --initial-cluster "dev-cluster=http://127.0.0.1:$PEER_PORT" --listen-metrics-urls "" \
    --unsafe-no-fsync --quota-backend-bytes=8589934592 \
    >>"$STATE/etcd.log" 2>&1 </dev/null &
  echo $! >"$STATE/etcd.pid"
  STARTED_ETCD=1
  if ! wait_for 30 curl -sf --max-time 2 "http://127.0.0.1:$ETCD_PORT/health"; then
    log "etcd did not become healthy in 30 s; last 40 lines of $STATE/etcd.log:"
    tail -40 "$STATE/etcd.log" >&2 || true
    stop_proc etcd; exit 1
  fi
}

start_apiserver() {
  pid_alive kube-apiserver && return 0
  check_port_free "$API_PORT" "kube-apiserver"
  local extra=()
  # Without a default route kube-apiserver cannot pick an advertise address; fall back to loopback.
  if ! awk 'NR>1 && $2=="00000000" {found=1} END {exit !found}' /proc/net/route 2>/dev/null; then
    extra+=(--advertise-address=127.0.0.1 --endpoint-reconciler-type=none)
  fi
  # shellcheck disable=SC2206
  [ -n "${DEV_CLUSTER_APISERVER_ARGS:-}" ] && extra+=($DEV_CLUSTER_APISERVER_ARGS)
  log "starting kube-apiserver on https://127.0.0.1:$API_PORT"
  : >"$STATE/kube-apiserver.log"
  # The audit log describes this apiserver's life: keep the previous one as audit.log.1.
  if [ -s "$STATE/audit.log" ]; then mv -f "$STATE/audit.log" "$STATE/audit.log.1"; fi
  setsid "$KUBE_APISERVER" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --secure-port="$API_PORT" \
    --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" \
    --client-ca-file="$P/ca.crt" --token-auth-file="$STATE/tokens.csv" \
    --anonymous-auth=false --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
    --service-cluster-ip-range=10.0.0.0/24 --allow-privileged=true \
    --disable-admission-plugins=ServiceAccount \
    --audit-policy-file="$STATE/audit-policy.yaml" --audit-log-path="$STATE/audit.log" \
    --audit-log-format=json --audit-log-mode=blocking \
    --profiling=false --v=1 "${extra[@]}" \
    >>"$STATE/kube-apiserver.log" 2>&1 </dev/null &
  local apid=$!
  echo "$apid" >"$STATE/kube-apiserver.pid"
  local end=$((SECONDS + START_TIMEOUT))
  until api_get /readyz >/dev/null 2>&1; do
    if ! kill -0 "$apid" 2>/dev/null || [ "$SECONDS" -ge "$end" ]; then
      log "kube-apiserver failed to become ready (timeout ${START_TIMEOUT}s or exited)."
      api_get '/readyz?verbose' >&2 2>/dev/null || true
      log "last 40 lines of $STATE/kube-apiserver.log:"
      tail -40 "$STATE/kube-apiserver.log" >&2 || true
      stop_proc kube-apiserver 2>/dev/null; rm -f "$STATE/kube-apiserver.pid"
      if [ "$STARTED_ETCD" = 1 ]; then stop_proc etcd; fi
      exit 1
    fi
    sleep 0.3
  done
  wait_for 30 api_get /api/v1/namespaces/default || die "namespace default did not appear"
}

cmd_up() {
  mkdir -p "$STATE"
  if healthy && [ -f "$STATE/installed" ]; then
    log "already running and healthy at https://127.0.0.1:$API_PORT (state: $STATE)"
    return 0
  fi
  need curl curl
  local t0=$SECONDS
  resolve_bins
  ensure_pki
  write_kubeconfigs
  local tstart=$SECONDS
  rm -f "$STATE/installed"
  # Check every port we will need before starting anything.
  pid_alive etcd || { check_port_free "$ETCD_PORT" "etcd client"; check_port_free "$PEER_PORT" "etcd peer"; }
  pid_alive kube-apiserver || check_port_free "$API_PORT" "kube-apiserver"
  start_etcd
  start_apiserver
  log "apiserver ready in $((SECONDS - tstart)) s"
  "$TSX" "$HERE/kube-cli.ts" install "$STATE/admin.kubeconfig" "$REPO/deploy/crds" || die "installing CRDs/RBAC failed"
  date -u +%FT%TZ >"$STATE/installed"
  log "up in $((SECONDS - t0)) s: server https://127.0.0.1:$API_PORT"
  log "  admin:  $STATE/admin.kubeconfig   viewer: $STATE/viewer.kubeconfig   audit: $STATE/audit.log"
}

cmd_down() {
  stop_proc kube-apiserver
  stop_proc etcd
  rm -rf "$ETCD_DATA" "$STATE/installed"
  log "stopped; etcd data removed (binaries stay in ${TEKTON_POSTURE_CACHE:-$HOME/.cache/tekton-posture})"
}

cmd_status() {
  local e=stopped a=stopped
  pid_alive etcd && e="running (pid $(cat "$STATE/etcd.pid"))"
  pid_alive kube-apiserver && a="running (pid $(cat "$STATE/kube-apiserver.pid"))"
  echo "etcd:           $e"
  echo "kube-apiserver: $a"
  if healthy; then
    local rss; rss="$(awk '/VmRSS/ {print $2}' "/proc/$(cat "$STATE/kube-apiserver.pid")/status")"
    echo "ready:          yes, https://127.0.0.1:$API_PORT (apiserver RSS $((rss / 1024)) MiB)"
    echo "kubeconfigs:    $STATE/admin.kubeconfig $STATE/viewer.kubeconfig"
    return 0
  fi
  echo "ready:          no"
  return 3
}

cmd_seed() {
  local dir="${1:?usage: dev-cluster seed DIR}"
  [ -d "$dir" ] || [ -f "$dir" ] || die "no such file or directory: $dir"
  healthy || die "dev cluster is not running: run 'npm run dev-cluster -- up' first"
  "$TSX" "$HERE/kube-cli.ts" seed "$STATE/admin.kubeconfig" "$dir"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  seed) shift; cmd_seed "$@" ;;
  build) resolve_bins; echo "KUBE_APISERVER=$KUBE_APISERVER"; echo "ETCD=$ETCD" ;;
  *) echo "usage: npm run dev-cluster -- up|seed DIR|status|down|build" >&2; exit 2 ;;
esac
