import 'server-only';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from '../../lib/model/load';
import { loadFromPaths } from './files';

/** The built-in demo cluster snapshot (lib/demo/snapshot), used when no cluster is configured. */
export function demoSnapshotDir(): string {
  // TEKTON_POSTURE_DEMO_DIR: the packaged CLI ships the snapshot beside its bundle (cli/bin.ts sets it).
  const candidates = [
    ...(process.env.TEKTON_POSTURE_DEMO_DIR ? [process.env.TEKTON_POSTURE_DEMO_DIR] : []),
    join(process.cwd(), 'lib', 'demo', 'snapshot'),
    join(process.cwd(), '..', 'lib', 'demo', 'snapshot'),
  ];
  return candidates.find((d) => existsSync(d)) ?? candidates[0];
}

/** The policy the demo is scored with (its registry allowlist and teams), unless the operator gives one. */
export function demoPolicyText(): string | null {
  const file = join(demoSnapshotDir(), '..', 'policy.yaml');
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

export function loadDemo(): LoadResult {
  const dir = demoSnapshotDir();
  return loadFromPaths([dir], dir);
}
