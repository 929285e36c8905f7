import type { Evidence } from '../../model/types';
import type { PipelineCheck } from '../types';
import { capEvidence, evidenceAt, fail, gapMessage, gapsFor, pass, unknown, warn } from '../util';
import { located, pipelineServiceAccounts, runSaEvidence } from './rbac-findings';

/** Total pipelines (this one included) using one SA from which the check warns, and fails. */
export const SHARED_WARN_AT = 2;
export const SHARED_FAIL_AT = 5;

export const IDN_002: PipelineCheck = {
  id: 'IDN-002',
  title: 'Service account not shared',
  category: 'identity',
  severity: 'medium',
  scope: 'pipeline',
  rationale:
    'A service account shared by several pipelines must hold the union of the permissions they all need, so each of them ' +
    'can do what any of the others may. A compromised step in the least trusted pipeline inherits the power of the most ' +
    'privileged one, and audit logs can no longer tell which pipeline acted.',
  remediation: [
    'Give each pipeline its own service account, bound only to the role that pipeline needs, and name it on its runs:',
    '```yaml',
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: build-and-push-sa',
    '  namespace: ci',
    '---',
    'apiVersion: tekton.dev/v1',
    'kind: PipelineRun',
    'spec:',
    '  pipelineRef: {name: build-and-push}',
    '  taskRunTemplate:',
    '    serviceAccountName: build-and-push-sa',
    '```',
  ].join('\n'),
  source: 'tekton-security-guide (service-account isolation; audit: track which service accounts run which tasks); tekton-isolation-workspaces-rbac step 1 (one service account per pipeline)',
  needs: ['PipelineRun'],
  evaluate(ctx) {
    const gate = pipelineServiceAccounts(ctx);
    if ('result' in gate) return gate.result;
    const { pipeline, cluster } = ctx;
    let worst = 0;
    const parts: string[] = [];
    const evidence: Evidence[] = [];
    for (const sa of gate.sas) {
      const users = cluster.pipelinesBySa.get(sa.key) ?? [pipeline.id];
      const total = new Set([...users, pipeline.id]).size;
      worst = Math.max(worst, total);
      if (total < SHARED_WARN_AT) continue;
      const others = [...new Set(users)].filter((id) => id !== pipeline.id).sort();
      const shown = others.slice(0, 10).join(', ');
      parts.push(`"${sa.namespace}/${sa.name}" also runs ${others.length} other pipeline${others.length === 1 ? '' : 's'} (${shown}${others.length > 10 ? ', …' : ''})`);
      evidence.push(...runSaEvidence(pipeline, sa.name));
      if (sa.model?.object) evidence.push(evidenceAt(located(cluster, { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name, file: sa.model.object.source.file, line: sa.model.object.source.line }), 'metadata.name', `used by ${total} pipelines`));
    }
    const gaps = gapsFor(cluster, ['PipelineRun'], pipeline.namespace);
    if (worst >= SHARED_FAIL_AT) {
      return fail(`Shared service account: ${parts.join('; ')}. ${SHARED_FAIL_AT} or more pipelines on one service account fails.`, capEvidence(evidence));
    }
    if (gaps.length > 0) return unknown(`Not every PipelineRun could be read, so other pipelines may use the same service account: ${gapMessage(gaps)}.`);
    if (worst >= SHARED_WARN_AT) {
      return warn(`Shared service account: ${parts.join('; ')}. Give each pipeline its own.`, capEvidence(evidence));
    }
    const names = gate.sas.map((s) => `"${s.namespace}/${s.name}"`).join(', ');
    return pass(`${gate.sas.length === 1 ? 'Service account' : 'Service accounts'} ${names} run${gate.sas.length === 1 ? 's' : ''} only this pipeline.`);
  },
};
