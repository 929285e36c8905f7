# syntax=docker/dockerfile:1.7
# Tekton Posture: Next.js standalone server on a distroless, shell-less, non-root runtime.
#
#   docker build -t ghcr.io/tekton-posture/tekton-posture:0.1.0 .
#   docker run --rm -p 3000:3000 --read-only --tmpfs /tmp --tmpfs /app/.next/cache:uid=65532,gid=65532 \
#     -e POSTURE_SOURCE=demo ghcr.io/tekton-posture/tekton-posture:0.1.0
#   docker run --rm -v "$PWD:/src:ro" ghcr.io/tekton-posture/tekton-posture:0.1.0 scan --files /src --format sarif
#
# Needs `output: 'standalone'` in next.config (the build stage fails early without it).
# The base images are pinned by digest (a tag can be re-pointed upstream; a digest cannot): reproducible, reviewable
# builds. To move to a newer patch release, look the digest up (`crane digest node:20-bookworm-slim`,
# `crane digest gcr.io/distroless/nodejs20-debian12:nonroot`) and change it here in a reviewed commit. Build and
# runtime are both Debian 12 (glibc), so native optional dependencies traced into the standalone output match.
ARG NODE_IMAGE=node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot@sha256:2cd820156cf039c8b54ae2d2a97e424b6729070714de8707a6b79f20d56f6a9a
# The lockfile is written by npm 11 (npm >= 11.3 keeps every platform's optional native binaries).
ARG NPM_VERSION=11.19.1

# ---- deps: install exactly the lockfile (dev dependencies included: the build needs them) ----
FROM ${NODE_IMAGE} AS deps
ARG NPM_VERSION
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    NEXT_TELEMETRY_DISABLED=1 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
RUN npm install -g "npm@${NPM_VERSION}"
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

# ---- build: next build with output: 'standalone' ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build \
 && test -f .next/standalone/server.js \
    || { echo "no .next/standalone/server.js: set output: 'standalone' in next.config" >&2; exit 1; }
# Assemble the runtime tree: standalone server + traced node_modules, static assets, public/ (may not exist).
RUN mkdir -p /out/app/.next /out/cache \
 && cp -a .next/standalone/. /out/app/ \
 && cp -a .next/static /out/app/.next/static \
 && cp server/http-hardening.cjs /out/app/http-hardening.cjs \
 && node scripts/build-cli.mjs /out/app/cli \
 && cp scripts/image-scan-entry.js /out/app/scan.js \
 && if [ -d public ]; then cp -a public /out/app/public; else mkdir /out/app/public; fi \
 && rm -rf /out/app/.next/cache \
 && chmod -R a+rX,go-w /out/app

# ---- runtime: no shell, no package manager, UID/GID 65532 ----
FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000
# Application files stay root-owned and read-only for the app user; the only writable paths are
# /app/.next/cache and /tmp (emptyDirs in the Helm chart, so the root filesystem can be read-only).
COPY --from=build --chown=0:0 /out/app /app
COPY --from=build --chown=65532:65532 /out/cache /app/.next/cache
USER 65532:65532
EXPOSE 3000
# The distroless nodejs entrypoint is the node binary itself. A larger young generation keeps per-request garbage
# out of the old generation under concurrent renders; http-hardening.cjs puts the hardening headers on the responses
# Next sends before proxy.ts runs (both as in scripts/start-standalone.sh).
CMD ["--max-semi-space-size=64", "--require", "./http-hardening.cjs", "server.js"]
