import type { Evidence, K8sObject, ObjectRef, RefModel, StepModel, TaskSpecModel } from '../../model/types';
import type { PipelineCheck } from '../types';
import { allTasks, capEvidence, evidenceAt, fail, joinPath, pass, plural, taskOwner, unknown, unresolvedTasks } from '../util';
import { detectSecret, findKeyPattern, type SecretMatch } from './secrets';

type Owner = ObjectRef & { file?: string; line?: number };

function objectOwner(o: K8sObject): Owner {
  return { kind: o.kind, namespace: o.namespace, name: o.name, file: o.source.file, line: o.source.line };
}

/**
 * The strings inside a param value: a string, an array's strings, an object's values (JSON-encoded ones decoded,
 * after the whole string: a service-account key file is recognised whole, its `private_key` by key).
 */
export function paramStrings(name: string, v: unknown): { name: string; value: string }[] {
  let value = v;
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    try {
      const whole = { name, value };
      value = JSON.parse(value);
      if (typeof value !== 'string') return [whole, ...paramStrings(name, value)];
    } catch {
      /* a plain string that starts with a bracket */
    }
  }
  if (typeof value === 'string') return [{ name, value }];
  if (typeof value === 'number' || typeof value === 'boolean') return [];
  if (Array.isArray(value)) return value.filter((x): x is string => typeof x === 'string').map((x) => ({ name, value: x }));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, x]) => (typeof x === 'string' ? [{ name: k, value: x }] : []));
  }
  return [];
}

/** A TaskRun's own `spec.params` (the model keeps only the PipelineRun's): hostile shapes yield nothing. */
export function taskRunParams(raw: unknown): { name: string; value: unknown; path: string }[] {
  const params = (raw as { spec?: { params?: unknown } } | null)?.spec?.params;
  if (!Array.isArray(params)) return [];
  return params.flatMap((p, i) =>
    p && typeof p === 'object' && typeof (p as { name?: unknown }).name === 'string'
      ? [{ name: (p as { name: string }).name, value: (p as { value?: unknown }).value, path: `spec.params[${i}].value` }]
      : [],
  );
}

export const WSP_005: PipelineCheck = {
  id: 'WSP-005',
  title: 'No plaintext secrets in specs',
  category: 'workspaces',
  severity: 'critical',
  scope: 'pipeline',
  rationale:
    'Pipeline, Task and PipelineRun specs are readable by everyone with view access to the namespace, are copied into every TaskRun\'s status, ' +
    'into Chains provenance and into git. A credential written there as a literal value is disclosed to all of them and cannot be rotated without editing the pipeline.',
  remediation: [
    'Store the value in a Secret and reference it; rotate the exposed credential:',
    '```yaml',
    'env:',
    '- name: REGISTRY_PASSWORD',
    '  valueFrom:',
    '    secretKeyRef: {name: registry-credentials, key: password}',
    '```',
    'For params, pass the Secret\'s name (or mount it as a workspace) rather than its value.',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac (step 2, mount secrets explicitly)',
  needs: ['Task', 'PipelineRun'],
  evaluate({ pipeline }) {
    const evidence: Evidence[] = [];
    const kinds = new Set<string>();
    const seen = new Set<string>();
    const specValues = new Set<string>();
    const detect = (value: string, name: string | null) => {
      const m = detectSecret(value, name);
      if (m) specValues.add(value);
      return m;
    };
    const report = (owner: Owner, path: string, label: string, m: SecretMatch | null) => {
      if (!m) return;
      const key = `${owner.kind}/${owner.namespace}/${owner.name}/${path}`;
      if (seen.has(key)) return;
      seen.add(key);
      kinds.add(m.kind);
      evidence.push(evidenceAt(owner, path, `${label}: ${m.kind}, ${m.redacted} [${m.rule}]`));
    };
    // Resolver params (git `url`, http `url`, bundle refs): a URL with a password or a token pasted there is as exposed.
    const scanRef = (owner: Owner, ref: RefModel, label: string, base = '') => {
      for (const [k, v] of Object.entries(ref.params)) {
        report(owner, joinPath(joinPath(base, ref.path), `params[name=${k}]`), `${label} resolver param ${k}`, detect(v, k));
      }
    };
    const scanContainer = (spec: TaskSpecModel, c: StepModel) => {
      const base = joinPath(spec.basePath, c.path);
      c.env.forEach((e, i) => {
        if (e.value === null) return;
        // A JSON env value (a docker config, a credentials file) is read whole and key by key, as params are.
        for (const s of paramStrings(e.name, e.value)) report(spec.owner, joinPath(base, `env[${i}].value`), `env ${e.name}`, detect(s.value, s.name));
      });
      if (c.ref) scanRef(spec.owner, c.ref, `step ${c.name}`, spec.basePath);
      if (c.script) report(spec.owner, joinPath(base, 'script'), `script of ${c.name}`, findKeyPattern(c.script));
      c.command.forEach((a, i) => report(spec.owner, joinPath(base, `command[${i}]`), `command of ${c.name}`, findKeyPattern(a)));
      c.args.forEach((a, i) => report(spec.owner, joinPath(base, `args[${i}]`), `args of ${c.name}`, findKeyPattern(a)));
    };

    const spec = pipeline.spec;
    if (spec) {
      for (const p of spec.params) {
        for (const s of paramStrings(p.name, p.default)) report(spec.owner, `${p.path}.default`, `param ${p.name} default`, detect(s.value, s.name));
      }
      for (const t of allTasks(pipeline)) {
        for (const p of t.params) for (const s of paramStrings(p.name, p.value)) report(taskOwner(pipeline, t), p.path, `task ${t.name} param ${p.name}`, detect(s.value, s.name));
        if (t.taskRef) scanRef(taskOwner(pipeline, t), t.taskRef, `task ${t.name}`);
        const ts = t.taskSpec;
        if (!ts) continue;
        for (const p of ts.params) {
          for (const s of paramStrings(p.name, p.default)) report(ts.owner, joinPath(joinPath(ts.basePath, p.path), 'default'), `param ${p.name} default`, detect(s.value, s.name));
        }
        for (const c of [...ts.steps, ...ts.sidecars, ...(ts.stepTemplate ? [ts.stepTemplate] : [])]) scanContainer(ts, c);
      }
    }
    for (const run of pipeline.runs) {
      for (const p of run.params) for (const s of paramStrings(p.name, p.value)) report(objectOwner(run.object), p.path, `run param ${p.name}`, detectSecret(s.value, s.name));
      if (run.pipelineRef) scanRef(objectOwner(run.object), run.pipelineRef, `run ${run.name}`);
      // A TaskRun's params are mostly the run's (or the spec's) values passed down: report only what no run param or
      // spec value already showed, so one leaked token is one finding line, not one per TaskRun.
      const shown = new Set(run.params.map((p) => p.value));
      for (const tr of run.taskRuns) {
        for (const p of taskRunParams(tr.object.raw)) {
          for (const s of paramStrings(p.name, p.value)) {
            if (!shown.has(s.value) && !specValues.has(s.value)) report(objectOwner(tr.object), p.path, `TaskRun param ${p.name}`, detectSecret(s.value, s.name));
          }
        }
      }
    }

    const unresolved = unresolvedTasks(pipeline);
    const note = unresolved.length ? ` Not evaluated: ${unresolved.map((t) => `"${t.name}"`).join(', ')} (spec not in sight).` : '';
    if (evidence.length > 0) {
      return fail(
        `${plural(evidence.length, 'value')} in the pipeline's specs or runs ${evidence.length === 1 ? 'looks' : 'look'} like credentials (${[...kinds].join(', ')}); shown redacted.${note}`,
        capEvidence(evidence),
      );
    }
    if (!spec) return unknown('The pipeline spec is not in sight; the run params hold no credential-like value.');
    if (unresolved.length > 0) return unknown(`No credential-like value in the specs in sight.${note}`);
    return pass('No env value, param default, param value, run or TaskRun param, script or argument in the pipeline looks like a credential.');
  },
};
