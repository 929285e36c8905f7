#!/usr/bin/env bash
# The e2e `live` project's server (playwright.config.ts): the production standalone build reading the REAL dev
# cluster (scripts/dev-cluster: etcd + kube-apiserver on 127.0.0.1) under the read-only viewer identity.
#
#   1. dev-cluster `up` (idempotent: reuses a cluster the integration tests left running, else starts one);
#   2. dev-cluster `seed lib/demo/snapshot` (create, or server-side apply over what exists: restores demo objects
#      an earlier test changed or deleted);
#   3. writes <state>/e2e-live.json (when this server started, for the spec's audit-log window);
#   4. execs scripts/start-standalone.sh with POSTURE_SOURCE=live and KUBECONFIG=<state>/viewer.kubeconfig.
#
# The cluster is left running (like the integration tests do); `npm test` stops it in its exit trap, or run
# `npm run dev-cluster -- down`.
# Env: PORT (default 3102), DEV_CLUSTER_PORT / DEV_CLUSTER_ETCD_PORT / DEV_CLUSTER_STATE as for dev-cluster.sh,
#      POSTURE_POLICY (default lib/demo/policy.yaml: scored like the demo, so the demo's e2e path applies).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state="${DEV_CLUSTER_STATE:-$root/.dev-cluster}"
dc() { bash scripts/dev-cluster/dev-cluster.sh "$@"; }

t0=$SECONDS
dc up >&2
dc seed lib/demo/snapshot >&2
[ -f "$state/viewer.kubeconfig" ] || { echo "e2e-live-server: $state/viewer.kubeconfig is missing after 'up'" >&2; exit 1; }
echo "e2e-live-server: cluster up and seeded in $((SECONDS - t0)) s" >&2

# Everything the viewer does from here on is this server's: the spec reads the audit log from this instant.
# node, not date: the spec compares with the apiserver's RFC 3339 timestamps via Date.parse.
node -e 'process.stdout.write(JSON.stringify({ startedAt: new Date().toISOString() }) + "\n")' >"$state/e2e-live.json"

# Only the viewer identity: no other kubeconfig, context or namespace filter may leak in from the caller's env.
unset POSTURE_KUBECONFIG POSTURE_CONTEXT POSTURE_NAMESPACES POSTURE_FILES
export POSTURE_SOURCE=live KUBECONFIG="$state/viewer.kubeconfig"
export POSTURE_POLICY="${POSTURE_POLICY:-lib/demo/policy.yaml}"
export PORT="${PORT:-3102}" HOSTNAME_BIND=127.0.0.1 NEXT_TELEMETRY_DISABLED=1
exec bash scripts/start-standalone.sh
