import type { PipelineCheck } from '../types';
import type { Evidence } from '../../model/types';
import { arr, isObj, num } from '../../model/access';
import { allTasks, capEvidence, evidenceAt, fail, joinPath, notApplicable, pass, plural, unknown } from '../util';
import { allPodTemplates, collectContainers, rawContainer, unresolvedNote } from './containers';

export const STP_007: PipelineCheck = {
  id: 'STP-007',
  title: 'No host access',
  category: 'steps',
  severity: 'critical',
  scope: 'pipeline',
  rationale:
    'Host networking, host PID/IPC namespaces, hostPath volumes and host ports break the wall between a build pod and the node: a step can sniff or impersonate node traffic, ' +
    'see and signal every process, or read the kubelet\'s credentials and other pods\' secrets from disk. A pipeline never needs them, and the `baseline` Pod Security profile forbids them.',
  remediation: [
    'Remove host namespaces and hostPath volumes from pod templates and task volumes; use workspaces and `emptyDir` instead:',
    '```yaml',
    'spec:',
    '  taskRunTemplate:',
    '    podTemplate:',
    '      hostNetwork: false',
    '  # a Task:',
    '  volumes:',
    '  - name: cache',
    '    emptyDir: {}   # not hostPath',
    '```',
    'Enforce it for the namespace with the label `pod-security.kubernetes.io/enforce: restricted` (or at least `baseline`).',
  ].join('\n'),
  source: 'tekton-security-guide (Pod Security)',
  // Runs supply pod templates and param values; Task/StepAction gaps leave specs unresolved (→ unknown) inside.
  needs: ['PipelineRun'],
  evaluate({ pipeline, cluster }) {
    const found: { note: string; evidence: Evidence }[] = [];
    let sources = 0;
    for (const task of allTasks(pipeline)) {
      const spec = task.taskSpec;
      if (!spec) continue;
      sources += 1;
      spec.volumes.forEach((v, i) => {
        if (v.type === 'hostPath') {
          found.push({ note: `task "${task.name}" mounts hostPath ${v.hostPath ?? '?'} (volume "${v.name}")`, evidence: evidenceAt(spec.owner, joinPath(spec.basePath, `volumes[${i}].hostPath`), v.hostPath ?? undefined) });
        }
      });
    }
    const pc = collectContainers(pipeline, cluster);
    for (const ci of pc.containers) {
      if (ci.stepAction) continue;
      const raw = rawContainer(cluster, ci);
      arr(raw?.ports).forEach((p, i) => {
        const hp = isObj(p) ? num(p.hostPort) : undefined;
        if (hp !== undefined && hp > 0) {
          found.push({ note: `${ci.label} binds host port ${hp}`, evidence: evidenceAt(ci.spec.owner, joinPath(joinPath(ci.spec.basePath, ci.container.path), `ports[${i}].hostPort`), String(hp)) });
        }
      });
    }
    const templates = allPodTemplates(pipeline, cluster);
    for (const t of templates) {
      sources += 1;
      for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
        if (t.template[f]) found.push({ note: `${t.label} sets ${f}: true`, evidence: t.evidence(f, 'true') });
      }
      t.template.volumes.forEach((v, i) => {
        if (v.type === 'hostPath') found.push({ note: `${t.label} mounts hostPath ${v.hostPath ?? '?'} (volume "${v.name}")`, evidence: t.evidence(`volumes[${i}].hostPath`, v.hostPath ?? undefined) });
      });
    }
    const unres = unresolvedNote(pc, cluster, pipeline.namespace);
    if (found.length > 0) {
      const notes = found.slice(0, 5).map((f) => f.note).join('; ');
      const more = found.length > 5 ? `; and ${found.length - 5} more` : '';
      return fail(`The pipeline's pods reach the host: ${notes}${more}.${unres ? ` Not evaluated: ${unres.note}` : ''}`, capEvidence(found.map((f) => f.evidence)));
    }
    if (unres) return unknown(`No host access in what is in sight, but ${unres.note}`, capEvidence(unres.evidence));
    if (sources === 0 && allTasks(pipeline).length === 0) return notApplicable('The pipeline has no tasks and its runs set no pod template.');
    const runs = pipeline.runs.length > 0 ? ` and the pod templates of ${plural(pipeline.runs.length, 'recent run')}` : ' (no recent runs, so no pod templates to inspect)';
    return pass(`No host namespaces, hostPath volumes or host ports in the task specs${runs}.`);
  },
};
