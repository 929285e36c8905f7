/**
 * The /metrics exposition checked by Prometheus's own text parser and promtool's lint rules (scripts/promcheck,
 * built from Go modules and cached like helm), on the demo cluster and the whole shared corpus. The live source's
 * /metrics is checked the same way by the e2e `live` project.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadDemo } from '../../server/sources/demo';
import { loadFromPaths } from '../../server/sources/files';
import { corpusDir } from '../engine/corpus-dir';
import { scan } from '../engine/scan';
import { defaultPolicy } from '../policy/defaults';
import { countByKind, processMetrics, renderMetrics } from './metrics';

const promcheck = execFileSync('bash', ['scripts/promcheck.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

function check(text: string): string {
  try {
    return execFileSync(promcheck, { input: text, encoding: 'utf8' });
  } catch (e) {
    throw new Error(`promcheck rejected the exposition:\n${(e as { stdout?: string }).stdout ?? String(e)}`);
  }
}

async function exposition(objects: Parameters<typeof scan>[0]['objects'], kind: 'demo' | 'files'): Promise<string> {
  const { model, report } = scan({ objects, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind } });
  const proc = processMetrics();
  proc.observeScan(1.5);
  proc.observeHttp({ route: '/', method: 'GET', code: 200, seconds: 0.02 });
  return renderMetrics({ report, ready: true, stale: false, objectsByKind: countByKind(model.objects), now: Date.now() }, proc);
}

describe('the exposition passes Prometheus’s parser and promtool’s lint', () => {
  it('on the demo cluster', async () => {
    const out = check(await exposition(loadDemo().objects, 'demo'));
    expect(out).toMatch(/^ok: \d+ families, \d+ series/);
    console.log(`promcheck (demo): ${out.trim()}`);
  });

  const dir = corpusDir();
  it.skipIf(!dir)('on the whole shared corpus (pipelines sharing names included)', async () => {
    const out = check(await exposition(loadFromPaths([dir!], dir!).objects, 'files'));
    expect(out).toMatch(/^ok: /);
    console.log(`promcheck (corpus): ${out.trim()}`);
  });

  it('and the checker itself refuses duplicates and a malformed line', () => {
    expect(() => check('# HELP a_total x\n# TYPE a_total counter\na_total{x="1"} 1\na_total{x="1"} 2\n')).toThrow(/duplicate series/);
    expect(() => check('# TYPE a gauge\na{x="1} 1\n')).toThrow(/parse error/);
  });
});
