import { join } from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadYamlText, toObjects, type LoadResult } from '../model/load';
import { defaultPolicy } from '../policy/defaults';
import { loadFromPaths } from '../../server/sources/files';
import { corpusDir } from './corpus-dir';
import { scan } from './scan';

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '\u202eevil\u202c',
  '$(params.x)$(tasks.a.results.b)',
  '💥'.repeat(50),
  'a'.repeat(100_000),
  '__proto__',
  'constructor',
  '-----BEGIN RSA PRIVATE KEY-----',
  '*',
];

const replacement = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom(...HOSTILE),
  fc.constant([]),
  fc.constant({}),
  fc.string(),
  fc.array(fc.constantFrom(...HOSTILE), { maxLength: 3 }),
);

type Mutation = { steps: number[]; value: unknown; remove: boolean };

/** Walks `steps` (indices into the keys of each nested value) and deletes or replaces what it lands on. */
function mutate(doc: unknown, m: Mutation): unknown {
  const root = structuredClone(doc) as Record<string, unknown>;
  let parent: unknown = root;
  let key: string | number | null = null;
  let node: unknown = root;
  for (const s of m.steps) {
    if (node === null || typeof node !== 'object') break;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    parent = node;
    key = keys[s % keys.length];
    node = (node as Record<string | number, unknown>)[key];
  }
  if (key === null || parent === null || typeof parent !== 'object') return m.remove ? undefined : m.value;
  if (m.remove) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, unknown>)[key as string];
  } else {
    (parent as Record<string | number, unknown>)[key] = m.value;
  }
  return root;
}

function scanDocs(docs: unknown[]): void {
  const out: LoadResult = { objects: [], issues: [], ignored: 0 };
  for (const d of docs) toObjects(d, { file: 'mutated.yaml' }, out);
  const { report } = scan({ objects: out.objects, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind: 'files' } });
  for (const p of report.pipelines) {
    for (const f of p.findings) expect(f.message).not.toMatch(/^The check could not be evaluated/);
  }
}

const CORPUS_DIR = corpusDir() ?? '';

describe.skipIf(!CORPUS_DIR)('robustness over mutated corpus documents', () => {
  const sample = (() => {
    const loaded = loadFromPaths([join(CORPUS_DIR, 'tektoncd__pipeline'), join(CORPUS_DIR, 'openshift-pipelines__pipelines-as-code')], CORPUS_DIR);
    const pipelines = loaded.objects.filter((o) => ['Pipeline', 'PipelineRun', 'Task', 'TaskRun'].includes(o.kind));
    return pipelines.filter((_, i) => i % 7 === 0).slice(0, 60).map((o) => o.raw);
  })();

  it('random deletions, type swaps and hostile strings never crash the engine', () => {
    expect(sample.length).toBeGreaterThan(20);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sample.length - 1 }),
        fc.array(fc.record({ steps: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), value: replacement, remove: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        (i, mutations) => {
          let doc: unknown = sample[i];
          for (const m of mutations) doc = mutate(doc, m);
          scanDocs([doc, sample[(i + 1) % sample.length]]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('arbitrary JSON documents never crash the loader or engine', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom('Pipeline', 'PipelineRun', 'TaskRun', 'Task', 'RoleBinding', 'ClusterRole', 'Namespace', 'List'), (value, kind) => {
        const group = ['RoleBinding', 'ClusterRole'].includes(kind) ? 'rbac.authorization.k8s.io/v1' : ['Namespace', 'List'].includes(kind) ? 'v1' : 'tekton.dev/v1';
        scanDocs([{ apiVersion: group, kind, metadata: { name: 'x', namespace: 'n' }, spec: value, status: value, items: value }]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('malformed text', () => {
  it('reports a YAML syntax error with file and line and keeps the other documents', () => {
    const text = ['apiVersion: tekton.dev/v1', 'kind: Pipeline', 'metadata: {name: ok, namespace: a}', '---', 'kind: [unclosed', '---', 'apiVersion: v1', 'kind: Namespace', 'metadata: {name: a}'].join('\n');
    const r = loadYamlText(text, 'x.yaml');
    expect(r.objects.map((o) => o.kind)).toEqual(['Pipeline', 'Namespace']);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ file: 'x.yaml' });
    expect(r.issues[0].line).toBeGreaterThanOrEqual(5);
  });

  it('never keeps Secret data', () => {
    const r = loadYamlText('apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}\ntype: Opaque\ndata: {password: c2VjcmV0}\nstringData: {token: abc}\n');
    expect(JSON.stringify(r.objects)).not.toMatch(/c2VjcmV0|abc/);
    expect(r.objects[0]).toMatchObject({ kind: 'Secret', name: 's' });
  });

  it('flattens Lists and loads JSON', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }, { apiVersion: 'tekton.dev/v1beta1', kind: 'Task', metadata: { name: 't' } }] };
    const r = loadYamlText(JSON.stringify(list), 'list.json');
    expect(r.objects.map((o) => `${o.kind}/${o.name}`)).toEqual(['Namespace/a', 'Task/t']);
    expect(yaml.dump(list)).toContain('List');
  });
});

