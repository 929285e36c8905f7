#!/usr/bin/env bash
# The e2e `big` server (playwright.config.ts): generates a small cluster whose pipeline-0 has 150 tasks
# (e2e/generate-big.ts) into .cache/e2e-big and serves it with the production standalone build (files source).
# Env: PORT (default 3103).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/e2e-big
rm -rf "$dir"
npx tsx e2e/generate-big.ts "$dir" >&2
unset POSTURE_KUBECONFIG POSTURE_CONTEXT POSTURE_NAMESPACES POSTURE_POLICY
export POSTURE_SOURCE=files POSTURE_FILES="$(pwd)/$dir" PORT="${PORT:-3103}" HOSTNAME_BIND=127.0.0.1 NEXT_TELEMETRY_DISABLED=1
exec bash scripts/start-standalone.sh
