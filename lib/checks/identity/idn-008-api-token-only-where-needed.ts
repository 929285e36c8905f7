import type { Evidence, PipelineRunModel, PodTemplateModel } from '../../model/types';
import type { PipelineCheck } from '../types';
import { capEvidence, evidenceAt, fail, gapMessage, gapsFor, pass, unknown } from '../util';
import { isTrivialRule, located, pipelineServiceAccounts, RBAC_KINDS, RBAC_NEEDS, rulePath, type PipelineSa } from './rbac-findings';

/**
 * `automountServiceAccountToken` of Tekton's `config-defaults` `default-pod-template` (a YAML string), merged under
 * every run's pod template; null when absent. A plain scan, no YAML parse: the key is flat in a PodTemplate.
 */
export function defaultTemplateAutomount(defaultPodTemplate: string | undefined): boolean | null {
  if (!defaultPodTemplate) return null;
  const m = /^\s*["']?automountServiceAccountToken["']?\s*:\s*["']?(true|false)["']?\s*$/m.exec(defaultPodTemplate.slice(0, 20000));
  return m ? m[1] === 'true' : null;
}

interface Use {
  run: PipelineRunModel;
  /** The pod template that decides (task-level, else run-level), for evidence. */
  template: PodTemplateModel | null;
  /** Pod-level setting after merging task → run → config-defaults; null = not set (the SA decides). */
  podSetting: boolean | null;
  task: string | null;
}

/** Every way the recent runs start pods under the SA, with the pod-level automount setting that applies. */
function usesOf(runs: PipelineRunModel[], saName: string, defaultSetting: boolean | null): Use[] {
  const out: Use[] = [];
  for (const run of runs) {
    run.taskRunSpecs.forEach((s) => {
      const sa = s.serviceAccountName ?? run.serviceAccountName;
      if (sa !== saName) return;
      if (!s.serviceAccountName && !s.podTemplate) return;
      const template = s.podTemplate?.automountServiceAccountToken != null ? s.podTemplate : run.podTemplate;
      const podSetting = s.podTemplate?.automountServiceAccountToken ?? run.podTemplate?.automountServiceAccountToken ?? defaultSetting;
      out.push({ run, template, podSetting, task: s.pipelineTaskName });
    });
    // The run-level identity covers every task without its own override (assume at least one such task).
    if (run.serviceAccountName === saName) {
      out.push({ run, template: run.podTemplate, podSetting: run.podTemplate?.automountServiceAccountToken ?? defaultSetting, task: null });
    }
  }
  return out;
}

function useEvidence(u: Use): Evidence {
  const o = u.run.object;
  const owner = { kind: o.kind, namespace: o.namespace, name: o.name, ...o.source };
  const where = u.task ? `task ${u.task}: ` : '';
  if (u.template) return evidenceAt(owner, `${u.template.path}.automountServiceAccountToken`, `${where}${u.podSetting === null ? 'not set' : String(u.podSetting)}`);
  return evidenceAt(owner, 'spec.taskRunTemplate', `${where}no podTemplate: the token is mounted unless the service account disables it`);
}

export const IDN_008: PipelineCheck = {
  id: 'IDN-008',
  title: 'API token only where needed',
  category: 'identity',
  severity: 'low',
  scope: 'pipeline',
  rationale:
    'Unless automounting is disabled, every step gets the service account\'s API token at ' +
    '`/var/run/secrets/kubernetes.io/serviceaccount/token`, and a step that runs injected or third-party code can send it anywhere. ' +
    'When the account has no Kubernetes permissions to speak of, the pipeline does not use the API and the token is pure exposure.',
  remediation: [
    'Disable the token mount on the service account (or on the runs\' pod template) when the pipeline does not call the Kubernetes API:',
    '```yaml',
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata: {name: build-pipeline-sa, namespace: ci}',
    'automountServiceAccountToken: false',
    '---',
    'apiVersion: tekton.dev/v1',
    'kind: PipelineRun',
    'spec:',
    '  taskRunTemplate:',
    '    serviceAccountName: build-pipeline-sa',
    '    podTemplate:',
    '      automountServiceAccountToken: false',
    '```',
    'Tekton\'s creds-init reads the secrets attached to the service account through the controller, not through the pod\'s token.',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac step 2 ("Mount secrets explicitly; do not rely on service account token mounts")',
  needs: [...RBAC_NEEDS, 'ServiceAccount'],
  evaluate(ctx) {
    const gate = pipelineServiceAccounts(ctx);
    if ('result' in gate) return gate.result;
    const { pipeline, cluster } = ctx;
    const defaultSetting = defaultTemplateAutomount(cluster.platform.configDefaults.data['default-pod-template']);
    const rbacGaps = gapsFor(cluster, RBAC_KINDS, pipeline.namespace);
    const saGaps = gapsFor(cluster, ['ServiceAccount'], pipeline.namespace);

    const failures: string[] = [];
    const failEvidence: Evidence[] = [];
    const unknowns: string[] = [];
    const passes: string[] = [];
    for (const sa of gate.sas) {
      const label = `Service account ${sa.namespace}/${sa.name}`;
      const model = sa.model;
      const realRules = (model?.rules ?? []).filter((er) => !isTrivialRule(er.rule));
      if (realRules.length > 0) {
        passes.push(`${label} has API permissions (e.g. ${rulePath(realRules[0])}), so its token is used`);
        continue;
      }
      const uses = usesOf(pipeline.runs, sa.name, defaultSetting);
      const saSetting = model?.automountServiceAccountToken ?? null;
      const saKnown = model?.object != null && saGaps.length === 0;
      const mounting = uses.filter((u) => u.podSetting === true || (u.podSetting === null && saKnown && saSetting !== false));
      const undecided = uses.filter((u) => u.podSetting === null && !saKnown);
      if (mounting.length === 0 && undecided.length === 0) {
        passes.push(`${label} does not get a token mounted (automountServiceAccountToken: false)`);
        continue;
      }
      if (mounting.length === 0) {
        unknowns.push(`The ServiceAccount ${sa.namespace}/${sa.name} is not in sight${saGaps.length ? ` (${gapMessage(saGaps)})` : ''}, so whether its token is mounted is not known`);
        continue;
      }
      const rulesUnsure = rbacGaps.length > 0 || (model?.missingRoles.length ?? 0) > 0 || model === null;
      if (rulesUnsure) {
        unknowns.push(
          `${label} gets a token mounted and no API permission is in sight, but its rules are not fully known` +
            (rbacGaps.length ? ` (${gapMessage(rbacGaps)})` : model?.missingRoles.length ? ` (a binding references ${model.missingRoles.map((m) => `${m.kind} ${m.name}`).join(', ')}, not in sight)` : ''),
        );
        continue;
      }
      failures.push(`${label} has no Kubernetes API permissions beyond what every identity gets, yet ${mounting.length === uses.length ? 'its' : `${mounting.length} of its ${uses.length}`} run pods mount its API token`);
      failEvidence.push(...mounting.slice(0, 3).map(useEvidence));
      if (model?.object) failEvidence.push(evidenceAt(located(cluster, saRef(sa)), 'automountServiceAccountToken', saSetting === null ? 'not set (defaults to true)' : String(saSetting)));
    }
    if (failures.length > 0) return fail(`${failures.join('; ')}. Set automountServiceAccountToken: false on the service account or the runs' pod template.`, capEvidence(failEvidence));
    if (unknowns.length > 0) return unknown(`${unknowns.join('; ')}.`);
    return pass(`${passes.join('; ')}.`);
  },
};

function saRef(sa: PipelineSa) {
  // The SA document the subject resolved to (files may hold several of that name).
  const at = sa.model?.object?.source;
  return { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name, ...(at?.file ? { file: at.file, line: at.line } : {}) };
}
