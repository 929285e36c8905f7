import { describe, expect, it } from 'vitest';
import type { PipelineReport } from '../report/types';
import { versionEventStream } from './api';
import { fixGains } from './insights';
import { evidenceHref, pipelineHref, safeExternalUrl } from './links';
import { parseBlocks, parseInline } from './markdown';
import { applyScorecard, parseScorecardQuery, scorecardSearch } from './scorecard';

function pipeline(id: string, grade: PipelineReport['grade'], score: number | null, team: string | null = 't'): PipelineReport {
  const [namespace, name] = id.split('/');
  return {
    id, namespace, name, team, identitySource: 'pipeline-object', score, grade, coverage: 1, incomplete: false, cap: null,
    outcomes: { pass: 1, fail: 1, warn: 0, unknown: 0, 'not-applicable': 0, waived: 0 },
    failsBySeverity: { critical: 0, high: 1, medium: 0, low: 0 }, totalRuns: 1, lastRun: null, signingRate: null,
    serviceAccounts: ['sa'], issues: [],
    findings: [
      { checkId: 'IDN-004', title: 't', category: 'identity', severity: 'high', outcome: 'fail', message: '', evidence: [] },
      { checkId: 'IDN-001', title: 't', category: 'identity', severity: 'high', outcome: 'pass', message: '', evidence: [] },
    ],
  };
}

describe('scorecard query', () => {
  it('keeps valid params and drops invalid ones one by one', () => {
    const q = parseScorecardQuery({ grade: 'Z', sort: 'score', dir: 'sideways', check: 'IDN-004', ns: ['a', 'b'], q: ' x ' });
    expect(q).toEqual({ sort: 'score', check: 'IDN-004', ns: 'a', q: 'x' });
    expect(parseScorecardQuery(new URLSearchParams('grade=none&team=web'))).toEqual({ grade: 'none', team: 'web' });
  });
  it('filters and sorts on the server, and round-trips through the URL', () => {
    const rows = [pipeline('a/one', 'F', 40), pipeline('b/two', 'A', 95, null), pipeline('a/three', 'F', 20)];
    expect(applyScorecard(rows, { grade: 'F' }).map((p) => p.name)).toEqual(['three', 'one']);
    expect(applyScorecard(rows, { sort: 'score', dir: 'desc' }).map((p) => p.name)).toEqual(['two', 'one', 'three']);
    expect(applyScorecard(rows, { check: 'IDN-004', ns: 'b' }).map((p) => p.name)).toEqual(['two']);
    const s = scorecardSearch({ grade: 'F', q: 'a b&c' }, { sort: 'score' });
    expect(parseScorecardQuery(new URLSearchParams(s.slice(1)))).toEqual({ grade: 'F', q: 'a b&c', sort: 'score' });
  });
});

describe('links', () => {
  it('encodes cluster names into in-app paths only', () => {
    expect(pipelineHref('ns', 'a~2')).toBe('/pipelines/ns/a~2');
    expect(pipelineHref('ns', '../x?y#z')).toBe('/pipelines/ns/..%2Fx%3Fy%23z');
    const ids = new Set(['ns/p']);
    expect(evidenceHref({ kind: 'Pipeline', namespace: 'ns', name: 'p' }, ids)).toBe('/pipelines/ns/p');
    expect(evidenceHref({ kind: 'Pipeline', namespace: 'ns', name: 'q' }, ids)).toBeNull();
    expect(evidenceHref({ kind: 'NetworkPolicy', namespace: 'ns', name: 'np' }, ids)).toBe('/namespaces/ns');
    expect(evidenceHref({ kind: 'ClusterRole', namespace: null, name: 'x' }, ids)).toBeNull();
  });
  it('allows only http(s) external URLs', () => {
    expect(safeExternalUrl('https://rekor.sigstore.dev/api/v1/log/entries?logIndex=1')).toMatch(/^https:/);
    for (const bad of ['javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'data:text/html,x', '//evil', 'http://', null]) expect(safeExternalUrl(bad)).toBeNull();
  });
});

describe('markdown subset', () => {
  it('splits code fences, lists and inline code without producing HTML', () => {
    const blocks = parseBlocks('Set `x`:\n\n```yaml\na: <b>\n```\n- one\n- two');
    expect(blocks.map((b) => b.type)).toEqual(['para', 'code', 'list']);
    expect(blocks[1]).toEqual({ type: 'code', lang: 'yaml', text: 'a: <b>' });
    expect(parseInline('a `b` c `d')).toEqual([
      { code: false, text: 'a ' },
      { code: true, text: 'b' },
      { code: false, text: ' c `d' },
    ]);
  });
});

describe('fix gains', () => {
  it('scores the pipeline with one failed check flipped to pass', () => {
    const [g] = fixGains(pipeline('a/one', 'F', 50));
    expect(g.before).toBe(50);
    expect(g.after).toBe(100);
    expect(g.gain).toBe(50);
  });
});

describe('event stream', () => {
  it('sends the current version, every change, and unsubscribes on abort', async () => {
    const listeners = new Set<(s: { version: number }) => void>();
    const ac = new AbortController();
    const stream = versionEventStream({ current: () => 3, subscribe: (l) => (listeners.add(l), () => listeners.delete(l)) }, ac.signal, 10_000);
    const reader = stream.getReader();
    const dec = new TextDecoder();
    let text = '';
    text += dec.decode((await reader.read()).value);
    text += dec.decode((await reader.read()).value);
    for (const l of listeners) l({ version: 4 });
    text += dec.decode((await reader.read()).value);
    expect(text).toContain('id: 3\nevent: update\ndata: {"version":3}\n\n');
    expect(text).toContain('id: 4\nevent: update\ndata: {"version":4}\n\n');
    ac.abort();
    expect(listeners.size).toBe(0);
    expect((await reader.read()).done).toBe(true);
  });
});
