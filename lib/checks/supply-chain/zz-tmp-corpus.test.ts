import { it } from 'vitest';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadYamlText } from '../../model/load';
import { normalizeTaskSpec } from '../../model/normalize';
import { containerSignals, signableResults } from './build-detect';

function walk(d: string, out: string[]) { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p, out); else if (/\.ya?ml$/.test(f)) out.push(p); } return out; }
it('scan', () => {
  const lines: string[] = [];
  for (const f of walk('/work/shared/corpus', [])) {
    const { objects } = loadYamlText(readFileSync(f, 'utf8'), f);
    for (const o of objects) {
      if (o.kind !== 'Task' && o.kind !== 'StepAction') continue;
      const specs = o.kind === 'Task' ? [normalizeTaskSpec((o.raw as any).spec, { kind: o.kind, namespace: o.namespace, name: o.name }, 'spec')] : [];
      for (const s of specs) {
        const sig = [...s.steps, ...s.sidecars].flatMap((c) => containerSignals(c).map((x) => `${c.name}:${x.tool}:${x.action}`));
        const r = signableResults(s.results);
        if (sig.length) lines.push(`${f.replace('/work/shared/corpus/','')} ${o.name} | ${sig.join(',')} | signable=${r.signable.join(',')} prov=${r.provenanceOnly} half=${r.halfPairs}`);
      }
    }
  }
  writeFileSync('/tmp/corpus-scan.txt', lines.join('\n'));
});
