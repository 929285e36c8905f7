import fc from 'fast-check';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, stringify } from 'yaml';
import { loadYamlText } from './load';
import { lineOf, pathSegments } from './positions';
import { indexYaml, keyAt } from './positions-yaml';

/** The 1-based line of the text that carries `marker` (a trailing comment in the fixtures below). */
function lineWith(text: string, marker: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`no line with ${marker}`);
  return i + 1;
}

function only(text: string, kind?: string) {
  const loaded = loadYamlText(text, 'f.yaml');
  expect(loaded.issues).toEqual([]);
  const o = kind ? loaded.objects.find((x) => x.kind === kind) : loaded.objects[0];
  if (!o) throw new Error('no object');
  return o;
}

describe('pathSegments', () => {
  const raw = {
    data: { 'artifacts.taskrun.format': 'slsa/v1', artifacts: { x: 1 } },
    metadata: { labels: { 'tekton.dev/pipeline': 'p' } },
    status: { conditions: [{ type: 'Succeeded' }] },
    spec: { steps: [{ image: 'a' }] },
  };
  it('matches keys that contain dots against the real keys, longest first', () => {
    expect(pathSegments(raw, 'data.artifacts.taskrun.format')).toEqual(['data', 'artifacts.taskrun.format']);
    expect(pathSegments(raw, 'data.artifacts.x')).toEqual(['data', 'artifacts', 'x']);
  });
  it('reads quoted keys and indices, and stops at what it does not understand', () => {
    expect(pathSegments(raw, 'metadata.labels["tekton.dev/pipeline"]')).toEqual(['metadata', 'labels', 'tekton.dev/pipeline']);
    expect(pathSegments(raw, 'spec.steps[0].image')).toEqual(['spec', 'steps', 0, 'image']);
    expect(pathSegments(raw, 'status.conditions[type=Succeeded]')).toEqual(['status', 'conditions']);
    expect(pathSegments(raw, 'spec.steps[].image')).toEqual(['spec', 'steps']);
    expect(pathSegments(raw, 'spec.steps[7].image')).toEqual(['spec', 'steps']);
    expect(pathSegments(raw, 'spec.nope.x')).toEqual(['spec']);
    expect(pathSegments(raw, 'data.default-pod-template (runAsUser)')).toEqual(['data']);
    expect(pathSegments(null, 'spec')).toEqual([]);
  });
});

describe('keyAt', () => {
  it('reads plain and quoted keys, not values that only contain a colon', () => {
    expect(keyAt('  image: alpine', 2)).toEqual({ key: 'image', after: 8 });
    expect(keyAt('"on-event": "[push]"', 0)?.key).toBe('on-event');
    expect(keyAt("'it''s': x", 0)?.key).toBe("it's");
    expect(keyAt('a:b: c', 0)?.key).toBe('a:b');
    expect(keyAt('https://example.com', 0)).toBeNull();
    expect(keyAt('echo hi # note: x', 0)).toBeNull();
    expect(keyAt('- a: b', 0)).toBeNull();
    expect(keyAt('? complex', 0)).toBeNull();
  });
});

describe('lineOf', () => {
  it('points at the field, skipping look-alike lines inside block scalars and comments', () => {
    const text = [
      'apiVersion: tekton.dev/v1',
      'kind: Task',
      'metadata: {name: t, namespace: ci}',
      'spec:',
      '  steps:',
      '    - name: one',
      '      script: |',
      '        securityContext:',
      '          privileged: true',
      '        - name: two',
      '        image: evil',
      '    # image: commented-out',
      '    - name: two # L:step1',
      '      image: alpine # L:image',
      '      securityContext:',
      '        privileged: true # L:privileged',
    ].join('\n');
    const o = only(text);
    expect(lineOf(o.raw, 'spec.steps[1].securityContext.privileged')).toBe(lineWith(text, 'L:privileged'));
    expect(lineOf(o.raw, 'spec.steps[1].image')).toBe(lineWith(text, 'L:image'));
    expect(lineOf(o.raw, 'spec.steps[1]')).toBe(lineWith(text, 'L:step1'));
    // a field the step does not set: the nearest ancestor that is written
    expect(lineOf(o.raw, 'spec.steps[1].securityContext.runAsNonRoot')).toBe(lineWith(text, 'L:privileged') - 1);
    expect(lineOf(o.raw, 'spec.steps[1].computeResources.limits')).toBe(lineWith(text, 'L:step1'));
  });

  it('handles compact sequences, quoted and multi-line values, anchors and flow collections', () => {
    const text = [
      'apiVersion: tekton.dev/v1',
      'kind: Pipeline',
      'metadata:',
      '  name: p',
      '  annotations:',
      '    "pipelinesascode.tekton.dev/on-event": "[pull_request]" # L:event',
      'spec:',
      '  description: "a quoted value',
      '    spanning: lines"',
      '  tasks:',
      '  - name: a # L:task0',
      '    params:',
      '    - name: x',
      '      value: >-',
      '        folded: text',
      '    - name: y # L:param1',
      '      value: &shared plain',
      '        continued',
      '  - name: b # L:task1',
      '    taskSpec: {steps: [{name: s, image: alpine}]} # L:flow',
      '    runAfter: [a] # L:runAfter',
    ].join('\n');
    const o = only(text);
    expect(lineOf(o.raw, 'metadata.annotations["pipelinesascode.tekton.dev/on-event"]')).toBe(lineWith(text, 'L:event'));
    expect(lineOf(o.raw, 'spec.tasks[0]')).toBe(lineWith(text, 'L:task0'));
    expect(lineOf(o.raw, 'spec.tasks[0].params[1]')).toBe(lineWith(text, 'L:param1'));
    expect(lineOf(o.raw, 'spec.tasks[1]')).toBe(lineWith(text, 'L:task1'));
    // inside a flow collection: the line of the collection
    expect(lineOf(o.raw, 'spec.tasks[1].taskSpec.steps[0].image')).toBe(lineWith(text, 'L:flow'));
    expect(lineOf(o.raw, 'spec.tasks[1].runAfter[0]')).toBe(lineWith(text, 'L:runAfter'));
  });

  it('places items of a List and documents that are not first in their file', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: other}',
      '---',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: tekton.dev/v1',
      '  kind: Task',
      '  metadata: {name: first}',
      '  spec: {steps: [{name: s, image: a}]}',
      '- apiVersion: tekton.dev/v1 # L:item1',
      '  kind: Task',
      '  metadata: {name: second}',
      '  spec:',
      '    steps:',
      '    - name: s',
      '      image: busybox # L:image',
    ].join('\n');
    const loaded = loadYamlText(text, 'f.yaml');
    const second = loaded.objects.find((o) => o.name === 'second')!;
    expect(lineOf(second.raw, 'spec.steps[0].image')).toBe(lineWith(text, 'L:image'));
    expect(lineOf(second.raw, 'no.such.path')).toBe(lineWith(text, 'L:item1'));
  });

  it('places JSON fields, in arrays of objects too', () => {
    const json = JSON.stringify(
      [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
        { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec: { steps: [{ name: 's', image: 'alpine', securityContext: { privileged: true } }] } },
      ],
      null,
      2,
    );
    const o = only(json, 'Task');
    expect(lineOf(o.raw, 'spec.steps[0].securityContext.privileged')).toBe(lineWith(json, '"privileged"'));
    expect(lineOf(o.raw, 'spec.steps[0].image')).toBe(lineWith(json, '"image"'));
  });

  it('counts lines of CRLF files and of a document starting on its `---` line', () => {
    const text = 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: a}\r\n--- {apiVersion: tekton.dev/v1, kind: Task, metadata: {name: t}}\r\n---\r\napiVersion: tekton.dev/v1\r\nkind: Task\r\nmetadata:\r\n  name: u\r\nspec:\r\n  steps:\r\n  - image: alpine\r\n';
    const loaded = loadYamlText(text, 'f.yaml');
    expect(loaded.objects.find((o) => o.name === 't')?.source.line).toBe(4);
    const u = loaded.objects.find((o) => o.name === 'u')!;
    expect(lineOf(u.raw, 'spec.steps[0].image')).toBe(12);
  });

  it('looks past a tag or anchor alone on its line', () => {
    const text = ['--- !!map', 'apiVersion: tekton.dev/v1', 'kind: Task', 'metadata: {name: t}', 'spec:', '  steps:', '  - &first', '    name: a', '    image: alpine # L:image'].join('\n');
    const o = only(text);
    expect(o.source.line).toBe(1);
    expect(lineOf(o.raw, 'spec.steps[0].image')).toBe(lineWith(text, 'L:image'));
    expect(lineOf(o.raw, 'spec.steps[0]')).toBe(lineWith(text, '&first'));
  });

  it('objects built without a text have no positions', () => {
    expect(lineOf({ spec: {} }, 'spec')).toBeUndefined();
  });
});

describe('hostile input', () => {
  it('survives deep nesting and garbage without throwing, and stays linear', () => {
    const deep = Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}- `).join('\n');
    expect(() => indexYaml(deep, 1)).not.toThrow();
    const garbage = ['a: "unterminated', '  - [', '{', '? x', ': y', '\t- tab', '- - - x', 'k: |', ''].join('\n').repeat(2000);
    const t0 = performance.now();
    expect(() => indexYaml(garbage, 1)).not.toThrow();
    const wide = `spec:\n  steps:\n${Array.from({ length: 200_000 }, (_, i) => `  - name: s${i}\n    image: a`).join('\n')}\n`;
    const node = indexYaml(wide, 1);
    expect(node?.keys?.get('spec')?.keys?.get('steps')?.items?.length).toBeGreaterThan(1000);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('refuses an alias bomb quickly and keeps the other documents of the file', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = ['apiVersion: tekton.dev/v1', 'kind: Pipeline', 'metadata: {name: bomb}', 'spec:', '  params:', ...levels.map((l, i) => `    - {name: p${i}, default: ${l.slice(3)}}`)].join('\n');
    const text = `${bomb}\n---\napiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: fine}\n`;
    const t0 = performance.now();
    const loaded = loadYamlText(text, 'bomb.yaml');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(loaded.objects.map((o) => o.name)).toEqual(['fine']);
    expect(loaded.issues).toHaveLength(1);
    expect(loaded.issues[0].message).toMatch(/alias/);
  });

  it('lets ordinary anchors and aliases through', () => {
    const text = ['apiVersion: tekton.dev/v1', 'kind: Task', 'metadata: {name: t}', 'spec:', '  stepTemplate: &tpl', '    image: alpine', '  steps:', '  - <<: *tpl', '    name: a && b', '    script: ls *.txt'].join('\n');
    const loaded = loadYamlText(text, 'f.yaml');
    expect(loaded.issues).toEqual([]);
    // a merged key has no line of its own: its step's line
    expect(lineOf(loaded.objects[0].raw, 'spec.steps[0].image')).toBe(8);
  });
});

describe('agrees with a full YAML parser', () => {
  const nasty = fc.constantFrom('a: b', '# not a comment', '- item', "it's", 'say "hi"', '|', '>-', 'x\ny: z', '  lead', 'tail  ', '{a: 1}', '[1, 2]', '*alias', '&anchor', '!tag', '', 'on', '1.5', 'null', '---', 'k:', 'url: http://x#y');
  const key = fc.oneof(fc.constantFrom('image', 'a.b', 'with space', 'x:y', '"q"', "it's", '#hash', '- dash', '1', 'true'), fc.string({ minLength: 1, maxLength: 6 }));
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, nasty, fc.string({ maxLength: 30 }), fc.integer(), fc.boolean(), tie('map'), tie('list')),
    map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    list: fc.array(tie('node'), { maxLength: 4 }),
  })).node;
  const style = fc.record({
    writer: fc.constantFrom('js-yaml', 'yaml'),
    flowLevel: fc.constantFrom(-1, 2, 3),
    lineWidth: fc.constantFrom(20, 80, -1),
    compactSeq: fc.boolean(),
    forceQuotes: fc.boolean(),
  });

  /** Expected line of every mapping key under block style; inside a flow collection, the key holding it. */
  function expected(node: unknown, path: string, holder: number | null, lc: LineCounter, out: Map<string, number>): void {
    if (isMap(node) || isSeq(node)) {
      const inFlow = holder !== null || Boolean(node.flow);
      node.items.forEach((item: unknown, i: number) => {
        if (isPair(item)) {
          if (!isScalar(item.key)) return;
          const sub = `${path}["${String(item.key.value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"]`;
          const line = inFlow ? (holder ?? lc.linePos(node.range![0]).line) : lc.linePos(item.key.range![0]).line;
          out.set(sub, line);
          expected(item.value, sub, inFlow ? line : null, lc, out);
        } else if (isMap(item) || isSeq(item)) {
          expected(item, `${path}[${i}]`, inFlow ? (holder ?? lc.linePos(node.range![0]).line) : null, lc, out);
        }
      });
    }
  }

  it('places every key where the yaml package does (block style), or at the flow collection holding it', () => {
    fc.assert(
      fc.property(value, style, (spec, s) => {
        const doc = { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec };
        const text =
          s.writer === 'js-yaml'
            ? jsyaml.dump(doc, { flowLevel: s.flowLevel, lineWidth: s.lineWidth, forceQuotes: s.forceQuotes, noRefs: true })
            : stringify(doc, { indentSeq: !s.compactSeq, lineWidth: s.lineWidth < 0 ? 0 : s.lineWidth, defaultStringType: s.forceQuotes ? 'QUOTE_DOUBLE' : 'PLAIN', collectionStyle: s.flowLevel === 2 ? 'flow' : 'any' });
        const loaded = loadYamlText(`# header\n---\n${text}`, 'p.yaml');
        if (loaded.objects.length !== 1) return;
        const lc = new LineCounter();
        const parsed = parseDocument(`# header\n---\n${text}`, { lineCounter: lc, uniqueKeys: false });
        const want = new Map<string, number>();
        expected(parsed.contents, '', null, lc, want);
        for (const [path, line] of want) expect(lineOf(loaded.objects[0].raw, path), `${path}\n${text}`).toBe(line);
      }),
      { numRuns: 300 },
    );
  });
});
