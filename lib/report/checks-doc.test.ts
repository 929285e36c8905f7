import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/registry';
import { checksDoc } from './checks-doc';
import { checkAnchor } from './formats/sarif';

describe('docs/CHECKS.md', () => {
  const doc = readFileSync(new URL('../../docs/CHECKS.md', import.meta.url), 'utf8');
  it('is up to date with the registry (npx tsx scripts/render-checks-doc.ts)', () => {
    expect(doc).toBe(checksDoc(CHECKS));
  });
  it('has the heading every SARIF helpUri anchor points at', () => {
    const anchors = new Set([...doc.matchAll(/^### (.+)$/gm)].map((m) => m[1].toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    for (const c of CHECKS) expect(anchors.has(checkAnchor(c)), c.id).toBe(true);
  });
});
