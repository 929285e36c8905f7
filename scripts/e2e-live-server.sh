#!/usr/bin/env bash
# The e2e `live` project's server: a fresh dev cluster (real kube-apiserver + etcd) seeded with the demo snapshot
# by the admin identity, and the production build reading it under the read-only viewer identity — bound to the
# ClusterRole rendered from the kinds table, the one the Helm chart ships. Env as for dev-cluster.sh and
# start-standalone.sh (PORT, DEV_CLUSTER_PORT, DEV_CLUSTER_STATE…).
set -euo pipefail
cd "$(dirname "$0")/.."
state="${DEV_CLUSTER_STATE:-$(pwd)/.dev-cluster}"
# Fresh data: earlier integration tests changed the seeded objects; the e2e walk expects the demo as written.
bash scripts/dev-cluster/dev-cluster.sh down >&2
# The e2e's audit trail starts empty: the live spec proves from it that this server only read.
if [ -f "$state/audit.log" ]; then mv "$state/audit.log" "$state/audit.log.before-e2e"; fi
bash scripts/dev-cluster/dev-cluster.sh up >&2
bash scripts/dev-cluster/dev-cluster.sh seed lib/demo/snapshot >&2
export POSTURE_SOURCE=live KUBECONFIG="$state/viewer.kubeconfig" POSTURE_POLICY=lib/demo/policy.yaml
exec bash scripts/start-standalone.sh
