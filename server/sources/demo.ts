import 'server-only';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_SNAPSHOT_TIME } from '../../lib/demo/clock';
import { scan, type ScanResult } from '../../lib/engine/scan';
import type { LoadResult } from '../../lib/model/load';
import type { Policy } from '../../lib/policy/types';
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

/** The report time the demo is scored at: the snapshot's own time, unless the policy pins `now`. */
export function demoReportTime(policy: Policy): string {
  return policy.now ?? DEMO_SNAPSHOT_TIME;
}

/** The demo scored as the dashboard shows it: at the snapshot's time, whatever the calendar says. */
export function scanDemo(policy: Policy): ScanResult {
  const loaded = loadDemo();
  return scan({ objects: loaded.objects, loadIssues: loaded.issues, policy, now: demoReportTime(policy), source: { kind: 'demo', detail: 'built-in demo cluster' } });
}
