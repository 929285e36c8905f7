/**
 * The entry of the packaged `tekton-posture` command (scripts/build-cli.mjs bundles it into one file with no runtime
 * dependencies). It points the demo source at the snapshot shipped beside the bundle, then runs the CLI.
 */
import { fileURLToPath } from 'node:url';

process.env.TEKTON_POSTURE_DEMO_DIR ??= fileURLToPath(new URL('../demo/snapshot', import.meta.url));
await import('./scan');
