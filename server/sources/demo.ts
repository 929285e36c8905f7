import 'server-only';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from '../../lib/model/load';
import { loadFromPaths } from './files';

/** The built-in demo cluster snapshot (lib/demo/snapshot), used when no cluster is configured. */
export function demoSnapshotDir(): string {
  const candidates = [join(process.cwd(), 'lib', 'demo', 'snapshot'), join(process.cwd(), '..', 'lib', 'demo', 'snapshot')];
  return candidates.find((d) => existsSync(d)) ?? candidates[0];
}

export function loadDemo(): LoadResult {
  const dir = demoSnapshotDir();
  return loadFromPaths([dir], dir);
}
