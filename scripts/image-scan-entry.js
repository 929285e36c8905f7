// /app/scan.js in the container image: `docker run <image> scan --files /src` (the image's entrypoint is node, so
// `scan` resolves to this file) runs the packaged CLI (scripts/build-cli.mjs) with the arguments that follow.
await import('./cli/dist/tekton-posture.mjs');
