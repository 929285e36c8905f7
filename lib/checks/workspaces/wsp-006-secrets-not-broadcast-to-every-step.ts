import type { Evidence } from '../../model/types';
import type { PipelineCheck } from '../types';
import { allTasks, capEvidence, evidenceAt, fail, joinPath, notApplicable, pass, unknown, unresolvedTasks } from '../util';

export const WSP_006: PipelineCheck = {
  id: 'WSP-006',
  title: 'Secrets not broadcast to every step',
  category: 'workspaces',
  severity: 'medium',
  scope: 'pipeline',
  rationale:
    'Every step of a task inherits `stepTemplate.env` and `envFrom`. A secret placed there reaches the clone, build and test steps as well as the one ' +
    'step that needed it, and any of them (running third-party code) can print or send it.',
  remediation: [
    'Move the secret reference to the step that uses it:',
    '```yaml',
    'steps:',
    '- name: push',
    '  image: gcr.io/go-containerregistry/crane@sha256:…',
    '  env:',
    '  - name: REGISTRY_TOKEN',
    '    valueFrom:',
    '      secretKeyRef: {name: registry-token, key: token}',
    '```',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac (step 2, mount secrets explicitly)',
  needs: ['Task'],
  evaluate({ pipeline }) {
    if (!pipeline.spec) return unknown('The pipeline spec is not in sight.');
    const tasks = allTasks(pipeline);
    const evidence: Evidence[] = [];
    const offenders = new Set<string>();
    const seen = new Set<string>();
    for (const t of tasks) {
      const spec = t.taskSpec;
      const tpl = spec?.stepTemplate;
      if (!spec || !tpl) continue;
      const base = joinPath(spec.basePath, 'stepTemplate');
      const add = (path: string, value: string) => {
        offenders.add(t.name);
        const e = evidenceAt(spec.owner, path, `${value} → all ${spec.steps.length} steps of task "${t.name}"`);
        const key = `${e.kind}/${e.namespace}/${e.name}/${e.path}`;
        if (!seen.has(key)) evidence.push(e);
        seen.add(key);
      };
      tpl.env.forEach((e, i) => {
        if (e.secretKeyRef) add(joinPath(base, `env[${i}].valueFrom.secretKeyRef`), `${e.name} from secret ${e.secretKeyRef.name}`);
      });
      tpl.envFrom.forEach((e, i) => {
        if (e.secretRef !== null) add(joinPath(base, `envFrom[${i}].secretRef`), `all keys of secret ${e.secretRef}`);
      });
    }
    const unresolved = unresolvedTasks(pipeline);
    const note = unresolved.length ? ` Not evaluated: ${unresolved.map((t) => `"${t.name}"`).join(', ')} (spec not in sight).` : '';
    if (evidence.length > 0) {
      return fail(`The stepTemplate of ${[...offenders].map((n) => `"${n}"`).join(', ')} hands secrets to every step of the task.${note}`, capEvidence(evidence));
    }
    if (unresolved.length > 0) return unknown(`No stepTemplate in sight carries secrets.${note}`);
    if (tasks.length === 0) return notApplicable('The pipeline has no tasks.');
    return pass('No stepTemplate carries secret references.');
  },
};
