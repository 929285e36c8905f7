#!/usr/bin/env bash
# `npm test`: everything, from a fresh machine. Installs what it needs (scripts/setup.sh), then runs
# lint → typecheck → unit tests (engine, checks, corpus, property tests, chart) → integration tests against a real
# kube-apiserver + etcd (started by scripts/dev-cluster) → fault injection (its own dev cluster, through a TCP proxy)
# → production build → e2e in Debian's Chromium (demo data,
# hostile strings, and the live cluster under the read-only viewer identity).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
mkdir -p .cache

bash scripts/setup.sh

passed=0
failed=0
failed_steps=()
run_step() {
  local name=$1
  shift
  local t0=$SECONDS
  echo ""
  echo "=== $name: $*"
  if "$@"; then
    passed=$((passed + 1))
    echo "=== $name: ok ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1))
    failed_steps+=("$name")
    echo "=== $name: FAILED ($((SECONDS - t0)) s)"
  fi
}

# The integration step starts the dev cluster and leaves it running; the e2e `live` project reuses it (or starts it,
# scripts/e2e-live-server.sh) and leaves it running too: stop it however the run ends.
cleanup() {
  bash scripts/dev-cluster/dev-cluster.sh down >/dev/null 2>&1 || true
  # The fault-injection suite runs its own cluster (vitest.faults.config.ts) and stops it; in case it could not:
  DEV_CLUSTER_STATE="$PWD/.dev-cluster-faults" DEV_CLUSTER_PORT=27443 DEV_CLUSTER_ETCD_PORT=27379 bash scripts/dev-cluster/dev-cluster.sh down >/dev/null 2>&1 || true
}
trap cleanup EXIT

run_step lint npx eslint .
run_step typecheck npx tsc --noEmit
run_step unit npx vitest run
run_step integration npx vitest run --config vitest.integration.config.ts
run_step faults npx vitest run --config vitest.faults.config.ts
run_step build npx next build
run_step e2e npx playwright test

echo ""
if [ ${#failed_steps[@]} -gt 0 ]; then echo "failed steps: ${failed_steps[*]}"; fi
echo "test steps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
