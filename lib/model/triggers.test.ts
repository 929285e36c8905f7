import { describe, expect, it } from 'vitest';
import { buildClusterModel } from './build';
import { loadYamlText, mergeLoadResults } from './load';
import { pathsReaching } from './triggers';
import { defaultPolicy } from '../policy/defaults';

function model(...files: [string, string][]) {
  const loaded = mergeLoadResults(files.map(([name, text]) => loadYamlText(text, name)));
  return buildClusterModel(loaded.objects, { sourceKind: 'files', policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }) });
}

const TEMPLATE = (ns: string, name = 'tpl', pipeline = 'build') => `
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata: {name: ${name}, namespace: ${ns}}
spec:
  params: [{name: rev}, {name: title, default: none}]
  resourcetemplates:
  - apiVersion: tekton.dev/v1
    kind: PipelineRun
    metadata: {generateName: ${pipeline}-run-}
    spec:
      pipelineRef: {name: ${pipeline}}
      taskRunTemplate: {serviceAccountName: pr-bot}
      params:
      - {name: revision, value: $(tt.params.rev)}
      - {name: title, value: "$(tt.params.title)"}
      workspaces:
      - {name: creds, secret: {secretName: registry}}
`;
const PIPELINE = (ns: string, name = 'build') => `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: ${name}, namespace: ${ns}}
spec:
  tasks: [{name: t, taskSpec: {steps: [{name: s, image: alpine, script: echo}]}}]
`;

describe('Triggers wiring', () => {
  it('follows triggerRef, cluster bindings by kind, legacy name refs and embedded binding specs', () => {
    const m = model(['a.yaml', `${PIPELINE('ci')}---${TEMPLATE('ci')}---
apiVersion: triggers.tekton.dev/v1beta1
kind: ClusterTriggerBinding
metadata: {name: github-pr}
spec: {params: [{name: rev, value: $(body.pull_request.head.sha)}]}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata: {name: titles, namespace: ci}
spec: {params: [{name: title, value: $(body.pull_request.title)}]}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata: {name: pr, namespace: ci}
spec:
  bindings: [{ref: github-pr, kind: ClusterTriggerBinding}, {name: titles}, {spec: {params: [{name: x, value: y}]}}]
  template: {ref: tpl}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata: {name: el, namespace: ci}
spec:
  triggers: [{triggerRef: pr}]
`]);
    const [p] = pathsReaching(m.triggers, { namespace: 'ci', name: 'build' });
    expect(p.label).toBe('Trigger ci/pr (EventListener ci/el)');
    expect(p.bindings.map((b) => [b.name, b.shape])).toEqual([['rev', 'fixed-shape'], ['title', 'free-text'], ['x', 'constant']]);
    expect(p.pullRequest).toBe(true); // the binding fields exist only in pull request events
    expect(p.runParams.map((r) => [r.param, r.ttParams])).toEqual([['revision', ['rev']], ['title', ['title']]]);
    expect(p.serviceAccountName).toBe('pr-bot');
    expect(p.secretWorkspaces.map((w) => w.secretName)).toEqual(['registry']);
    expect(m.triggers.unresolved).toEqual([]);
  });

  it('serves Triggers of other namespaces through namespaceSelector, labelSelector and triggerGroups', () => {
    const trigger = (ns: string, labels: string) => `
apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata: {name: t, namespace: ${ns}, labels: {${labels}}}
spec:
  bindings: [{name: rev, value: $(body.after)}]
  template: {ref: tpl}
`;
    const m = model(
      ['team-a/all.yaml', `${PIPELINE('team-a')}---${TEMPLATE('team-a')}---${trigger('team-a', 'team: a')}`],
      ['team-b/all.yaml', `${PIPELINE('team-b')}---${TEMPLATE('team-b')}---${trigger('team-b', 'team: b')}`],
      ['ops/el.yaml', `
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata: {name: shared, namespace: ops}
spec:
  namespaceSelector: {matchNames: ["*"]}
  labelSelector: {matchExpressions: [{key: team, operator: In, values: [a]}]}
  triggerGroups:
  - name: gh
    interceptors:
    - github: {eventTypes: [pull_request]}
    triggerSelector:
      namespaceSelector: {matchNames: [team-b]}
`],
    );
    const a = pathsReaching(m.triggers, { namespace: 'team-a', name: 'build' });
    expect(a.map((p) => [p.label, p.events])).toEqual([['Trigger team-a/t (EventListener ops/shared)', null]]);
    const b = pathsReaching(m.triggers, { namespace: 'team-b', name: 'build' });
    expect(b.map((p) => [p.label, p.events, p.pullRequest])).toEqual([['Trigger team-b/t (EventListener ops/shared)', ['pull_request'], true]]);
  });

  it('keeps CEL overlays, inline templates and unserved Triggers; records what it cannot follow', () => {
    const m = model(['x.yaml', `${PIPELINE('ci')}---${TEMPLATE('ci', 'orphan', 'other')}---
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata: {name: el, namespace: ci}
spec:
  triggers:
  - name: push
    interceptors:
    - ref: {name: cel}
      params:
      - {name: filter, value: "header.match('X-GitHub-Event', 'push')"}
      - {name: overlays, value: [{key: branch, expression: "body.ref.split('/')[2]"}]}
    bindings: [{name: rev, value: $(extensions.branch)}, {ref: gone}]
    template:
      spec:
        resourcetemplates:
        - {apiVersion: tekton.dev/v1, kind: PipelineRun, metadata: {generateName: build-}, spec: {pipelineRef: {name: build}}}
  - {triggerRef: missing}
  - {name: no-template, template: {ref: nowhere}}
`]);
    const [p] = pathsReaching(m.triggers, { namespace: 'ci', name: 'build' });
    expect(p.events).toEqual(['push']);
    expect(p.bindings[0]).toMatchObject({ shape: 'free-text', freeText: ['body.ref via extensions.branch'] });
    expect(p.missingBindings[0]).toContain('TriggerBinding "gone" in ci');
    expect(m.triggers.unresolved.map((u) => u.reason)).toEqual([
      'EventListener ci/el refers to Trigger "missing", which is not in sight',
      'EventListener ci/el · trigger "no-template" uses TriggerTemplate "nowhere", which is not in sight in ci',
    ]);
    expect(m.triggers.unusedTemplates.map((u) => u.target)).toEqual([{ namespace: 'ci', pipeline: 'other' }]);
  });

  it('resolves a shared name to the nearest file', () => {
    const binding = (value: string) => `
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata: {name: b}
spec: {params: [{name: rev, value: "${value}"}]}
`;
    const trigger = `
apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata: {name: t}
spec: {bindings: [{ref: b}], template: {ref: tpl}}
`;
    const m = model(
      ['repo/one/binding.yaml', binding('$(body.pull_request.title)')],
      ['repo/two/binding.yaml', binding('$(body.after)')],
      // every document namespace-less: the unspecified namespace (''), as files leave it
      ['repo/two/trigger.yaml', `${trigger}---${TEMPLATE('')}---${PIPELINE('')}`],
    );
    const [p] = pathsReaching(m.triggers, { namespace: '', name: 'build' });
    expect(p.bindings[0].value).toBe('$(body.after)');
  });

  it('never throws on malformed Triggers objects', () => {
    const m = model(['bad.yaml', `
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata: {name: el, namespace: ci}
spec: {triggers: [null, 3, {bindings: "x", template: [], interceptors: {a: 1}}, {triggerRef: {}}], namespaceSelector: "all", triggerGroups: [1]}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata: {name: t, namespace: ci}
spec: {bindings: [{ref: 7, value: {a: 1}}], template: {spec: {resourcetemplates: [{kind: PipelineRun, spec: {params: "no"}}]}}}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata: {name: tt, namespace: ci}
spec: {resourcetemplates: "nope", params: {}}
`]);
    expect(m.triggers.paths.length + m.triggers.unresolved.length).toBeGreaterThan(0);
  });
});

describe('Triggers wiring live', () => {
  it('drops Triggers no EventListener serves (every listener is in sight)', () => {
    const yaml = `${PIPELINE('ci')}---${TEMPLATE('ci')}---
apiVersion: triggers.tekton.dev/v1beta1
kind: Trigger
metadata: {name: leftover, namespace: ci}
spec: {bindings: [{name: rev, value: $(body.after)}], template: {ref: tpl}}
`;
    const live = buildClusterModel(loadYamlText(yaml).objects, { sourceKind: 'live', policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }) });
    expect(pathsReaching(live.triggers, { namespace: 'ci', name: 'build' })).toEqual([]);
    expect(live.triggers.unusedTemplates).toEqual([]);
    expect(pathsReaching(model(['f.yaml', yaml]).triggers, { namespace: 'ci', name: 'build' })).toHaveLength(1);
  });
});

describe('template run identity', () => {
  it('groups `name: x-$(uid)` templates like `generateName: x-` runs', () => {
    const m = model(['t.yaml', `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: lint-abc12, generateName: lint-, namespace: ci}
spec: {pipelineSpec: {tasks: [{name: t, taskSpec: {steps: [{name: s, image: alpine, script: echo}]}}]}}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata: {name: tpl, namespace: ci}
spec:
  resourcetemplates:
  - apiVersion: tekton.dev/v1
    kind: PipelineRun
    metadata: {name: lint-$(uid)}
    spec: {pipelineSpec: {tasks: []}}
`]);
    expect(m.pipelines.map((p) => p.name)).toEqual(['lint']);
    expect(m.triggers.unusedTemplates.map((u) => u.target.pipeline)).toEqual(['lint']);
  });
});
