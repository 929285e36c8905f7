#!/usr/bin/env bash
# `npm start`: install what the dashboard needs, build it once (again after a source change), and serve it on
# 127.0.0.1:${PORT:-3000}. The source is the cluster of KUBECONFIG / ~/.kube/config / the in-cluster account when one
# answers, else the built-in demo cluster (POSTURE_SOURCE=demo|files|live forces one).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
SKIP_CHROMIUM=1 bash scripts/setup.sh
newest_source=$(find app components lib server next.config.js package-lock.json -type f -newer .next/BUILD_ID 2>/dev/null | head -1 || true)
if [ ! -f .next/BUILD_ID ] || [ ! -f .next/standalone/server.js ] || [ -n "$newest_source" ]; then
  echo "start: building the dashboard (next build)" >&2
  npx next build >&2
fi
export HOSTNAME="${HOSTNAME_BIND:-127.0.0.1}" PORT="${PORT:-3000}"
echo "start: serving on http://$HOSTNAME:$PORT" >&2
exec bash scripts/start-standalone.sh
