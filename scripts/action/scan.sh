#!/usr/bin/env bash
# The GitHub Action's scan step (action.yml): builds the tekton-posture command from the action's own checkout
# (once per job; reuses $TEKTON_POSTURE_BIN when set), scans INPUT_PATH, writes SARIF to INPUT_SARIF_FILE and exits
# with the scan's code (0 ok, 2 under INPUT_FAIL_UNDER, 1 error). The SARIF is written even when the score is under
# the threshold, so the upload step (if: always()) still reports the alerts.
# Env: INPUT_PATH (.), INPUT_SARIF_FILE (tekton-posture.sarif), INPUT_FAIL_UNDER, INPUT_POLICY, INPUT_ALLOW_EMPTY
#      (false), GITHUB_WORKSPACE (the repository root the SARIF URIs are relative to), GITHUB_ACTION_PATH, RUNNER_TEMP.
set -euo pipefail
action_dir="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}"
bin="${TEKTON_POSTURE_BIN:-}"
if [ -z "$bin" ]; then
  out="${RUNNER_TEMP:-$(mktemp -d)}/tekton-posture-cli"
  if [ ! -x "$out/dist/tekton-posture.mjs" ]; then
    echo "::group::Building tekton-posture" >&2
    (cd "$action_dir" && npm ci --no-audit --no-fund --loglevel=error && node scripts/build-cli.mjs "$out") >&2
    chmod +x "$out/dist/tekton-posture.mjs"
    echo "::endgroup::" >&2
  fi
  bin="$out/dist/tekton-posture.mjs"
fi
args=(scan -f "${INPUT_PATH:-.}" -o sarif --output-file "${INPUT_SARIF_FILE:-tekton-posture.sarif}" --sarif-root "${GITHUB_WORKSPACE:-$PWD}")
[ -n "${INPUT_FAIL_UNDER:-}" ] && args+=(--fail-under "$INPUT_FAIL_UNDER")
[ -n "${INPUT_POLICY:-}" ] && args+=(--policy "$INPUT_POLICY")
[ "${INPUT_ALLOW_EMPTY:-false}" = true ] && args+=(--allow-empty)
set +e
node "$bin" "${args[@]}"
code=$?
set -e
if [ "$code" = 2 ]; then echo "::error title=Tekton Posture::the score is under ${INPUT_FAIL_UNDER} (see the code scanning alerts)"; fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "sarif-file=${INPUT_SARIF_FILE:-tekton-posture.sarif}" >>"$GITHUB_OUTPUT"; fi
exit "$code"
