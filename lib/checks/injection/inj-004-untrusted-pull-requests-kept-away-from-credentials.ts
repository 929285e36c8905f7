import { pathsReaching, type TriggerPath } from '../../model/triggers';
import type { ClusterModel, CredentialReach, Evidence, K8sObject, PipelineModel, PipelineTaskModel, StepModel } from '../../model/types';
import { saKey } from '../../model/types';
import { pacPullRequestTrigger } from '../../model/webhook-fields';
import { isSelfReviewRule, RBAC_KINDS, ruleEvidence, rulePath } from '../identity/rbac-findings';
import type { PipelineCheck } from '../types';
import { allTasks, capEvidence, containerEvidence, evidenceAt, fail, gapMessage, gapsFor, notApplicable, pass, plural, unknown } from '../util';
import { reachOf } from '../workspaces/bindings';
import { taskRunsUserCode } from '../workspaces/usercode';

const TRIGGER_KINDS = ['TriggerBinding', 'ClusterTriggerBinding', 'TriggerTemplate', 'EventListener', 'Trigger'];
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection', '*']);

type Owner = Parameters<typeof evidenceAt>[0];

function ownerOf(o: K8sObject): Owner {
  return { kind: o.kind, namespace: o.namespace, name: o.name, ...o.source };
}

/** Pipelines-as-Code annotations (or the event-type label PaC puts on the runs it creates) on the Pipeline or its runs. */
function pacTrigger(pipeline: PipelineModel): { evidence: Evidence; label: string } | null {
  for (const o of [pipeline.object, ...pipeline.runs.map((r) => r.object)]) {
    if (!o) continue;
    const t = pacPullRequestTrigger(o.annotations, o.labels);
    if (!t) continue;
    const where = o.annotations[t.key] !== undefined ? 'annotations' : 'labels';
    return { evidence: evidenceAt(ownerOf(o), `metadata.${where}["${t.key}"]`, t.value), label: `Pipelines-as-Code ${t.key.split('/')[1]}: ${t.value}` };
  }
  return null;
}

/** The first container of the task that runs the checked-out code: WSP-001's definition (StepActions followed). */
function userCodeRunner(task: PipelineTaskModel, ns: string, cluster: ClusterModel): { step: StepModel; tool: string; stepAction: K8sObject | null } | 'unresolved' | null {
  if (!task.taskSpec) return 'unresolved';
  const r = taskRunsUserCode(task.taskSpec, cluster, ns, task.params);
  if (r.kind === 'unresolved') return 'unresolved';
  return r.kind === 'user-code' ? { step: r.container, tool: r.tool, stepAction: r.stepAction } : null;
}

function credentialEvidence(pipeline: PipelineModel, task: PipelineTaskModel, sa: string, cred: CredentialReach['credentials'][number]): Evidence {
  if (cred.via === 'creds-init') return { kind: 'ServiceAccount', namespace: pipeline.namespace, name: sa, path: cred.path, value: cred.secretName };
  if (cred.via === 'workspace' || cred.via === 'projected') return evidenceAt(pipeline.spec!.owner, cred.path, `${cred.via}: ${cred.secretName}`);
  return evidenceAt(task.taskSpec!.owner, cred.path, `${cred.via}: ${cred.secretName}`);
}

export const INJ_004: PipelineCheck = {
  id: 'INJ-004',
  title: 'Untrusted pull requests kept away from credentials',
  category: 'injection',
  severity: 'critical',
  scope: 'pipeline',
  rationale:
    'A pipeline started by pull requests builds code that anyone who can open one (from a fork, too) wrote: its build files, tests and install ' +
    'scripts run inside the task. When that task can also read a credential (a Secret workspace, a `secretKeyRef`, the git or registry secrets ' +
    'creds-init mounts, the `{{ git_auth_secret }}` basic-auth workspace Pipelines-as-Code injects) or runs as a service account that may change the ' +
    'cluster, the pull request steals the credential or writes to the cluster: the Tekton form of a GitHub Actions "pwn request".',
  remediation: [
    'Keep credentials in tasks that run no repository code (clone, push of an already built artifact, sign), give the build/test task only the source',
    'workspace, and run pull-request pipelines under a service account that can write nothing:',
    '```yaml',
    'metadata:',
    '  annotations:',
    '    pipelinesascode.tekton.dev/on-event: "[pull_request]"',
    'spec:',
    '  taskRunTemplate:',
    '    serviceAccountName: pr-readonly      # no create/update/patch/delete anywhere',
    '  pipelineSpec:',
    '    tasks:',
    '    - name: fetch',
    '      workspaces: [{name: output, workspace: source}, {name: basic-auth, workspace: git-auth}]',
    '    - name: test                         # runs the PR\'s code: source only, no secrets',
    '      runAfter: [fetch]',
    '      workspaces: [{name: source, workspace: source}]',
    '```',
    'Publish, sign and deploy from push (or merge) pipelines only.',
  ].join('\n'),
  source: 'poutine untrusted_checkout_exec; GitHub Security Lab "Keeping your GitHub Actions and workflows secure: preventing pwn requests"',
  // Trigger kinds are optional CRDs and RBAC gaps only hide the write half: both are weighed inside.
  needs: [],
  evaluate({ pipeline, cluster }) {
    const ns = pipeline.namespace;
    const pac = pacTrigger(pipeline);
    const paths = pathsReaching(cluster.triggers, pipeline);
    const prPaths = paths.filter((p) => p.pullRequest === true);
    const openPaths = paths.filter((p) => p.pullRequest === null);
    // PipelineRuns carry the Pipelines-as-Code annotations: unread runs hide a pull request trigger too.
    const triggerGaps = gapsFor(cluster, [...TRIGGER_KINDS, 'PipelineRun'], ns).filter((g) => g.reason !== 'not-installed');
    const lost = cluster.triggers.unresolved.filter((u) => u.namespace === ns);
    const definite = pac !== null || prPaths.length > 0;
    // Incomplete wiring: no trigger seen, but one out of sight may let pull requests in. Judged as if it did.
    const hidden = !definite && openPaths.length === 0;
    const hiddenWhy = [...new Set([...triggerGaps.map(() => `Trigger objects or runs could not all be read (${gapMessage(triggerGaps)})`), ...lost.map((u) => u.reason)])];
    if (hidden && hiddenWhy.length === 0) {
      return notApplicable('No pull request event starts this pipeline (no Pipelines-as-Code pull_request annotation, no Triggers path that lets pull request events through).');
    }
    const triggerEvidence: Evidence[] = pac ? [pac.evidence] : hidden ? lost.map((u) => u.evidence).slice(0, 3) : [];
    for (const p of definite ? prPaths : openPaths) triggerEvidence.push(p.trigger, ...p.eventEvidence.slice(0, 2));
    const trigger = pac ? pac.label : hidden ? '' : (definite ? prPaths : openPaths)[0].label;
    const started = definite
      ? `Started by pull requests (${trigger})`
      : hidden
        ? `No pull request trigger seen, but the trigger wiring is incomplete (${hiddenWhy.slice(0, 2).join('; ')})`
        : `Pull requests may start it (nothing filters the events of ${trigger})`;

    if (!pipeline.spec) return unknown(`${started}, but the pipeline spec is not in sight.`, triggerEvidence.slice(0, 5));
    const reach = reachOf(pipeline, cluster);
    const rbacGaps = gapsFor(cluster, RBAC_KINDS, ns);
    const templateWorkspaces = (definite ? prPaths : openPaths).flatMap((p: TriggerPath) => p.secretWorkspaces);
    const templateSa = (definite ? prPaths : openPaths)[0]?.serviceAccountName ?? '';
    const disableCredsInit = cluster.platform.featureFlags.data['disable-creds-init'] === 'true';

    const problems: string[] = [];
    const evidence: Evidence[] = [];
    const unsure: string[] = [];
    for (const task of allTasks(pipeline)) {
      if (task.isCustomTask) continue;
      const runner = userCodeRunner(task, ns, cluster);
      if (runner === 'unresolved') {
        unsure.push(`whether task "${task.name}" runs the pull request's code (its spec or a StepAction is not in sight)`);
        continue;
      }
      if (!runner) continue;
      const r = reach.find((x) => x.task === task.name);
      const sa = r?.serviceAccountName || (pipeline.runs.length === 0 ? templateSa : '');
      const creds = r?.credentials ?? [];
      const found: Evidence[] = creds.map((c) => credentialEvidence(pipeline, task, r?.serviceAccountName ?? sa, c));
      const labels = creds.map((c) => `${c.via} ${c.secretName}`);
      if (pipeline.runs.length === 0) {
        for (const tw of task.workspaces) {
          const ws = templateWorkspaces.find((w) => w.workspace === tw.workspace);
          if (ws) {
            found.push(ws.evidence);
            labels.push(`workspace ${ws.secretName ?? ws.workspace}`);
          }
        }
      }
      const saModel = sa ? cluster.serviceAccounts.get(saKey(ns, sa)) : undefined;
      const writes = (saModel?.rules ?? []).filter((er) => er.rule.verbs.some((v) => WRITE_VERBS.has(v)) && !isSelfReviewRule(er.rule));
      const field = runner.stepAction ? undefined : runner.step.script ? 'script' : runner.step.command.length > 0 ? 'command' : 'image';
      const runnerEvidence = containerEvidence(task.taskSpec!, runner.step, field, runner.tool);
      if (found.length > 0 || writes.length > 0) {
        const what = [
          ...(labels.length ? [`reaches ${[...new Set(labels)].join(', ')}`] : []),
          ...(writes.length ? [`runs as "${sa}", which may write (${rulePath(writes[0])})`] : []),
        ];
        problems.push(`task "${task.name}" runs the PR's code (${runner.tool} in step "${runner.step.name}") and ${what.join(' and ')}`);
        evidence.push(runnerEvidence, ...found, ...writes.slice(0, 2).flatMap((er) => ruleEvidence(cluster, er)));
        continue;
      }
      if (!sa) unsure.push(`which service account task "${task.name}" runs as, and which credentials its workspaces bind (no recent run)`);
      else if (rbacGaps.length) unsure.push(`what "${sa}" may write (${gapMessage(rbacGaps)})`);
      else if (cluster.sourceKind === 'live' && !disableCredsInit && (saModel?.secrets ?? []).some((s) => !cluster.secretsMeta.has(saKey(ns, s)))) {
        unsure.push(`whether creds-init mounts the secrets of "${sa}" into task "${task.name}" (Secrets are never read live)`);
      }
    }
    if (problems.length > 0) {
      const message = `${started} and ${problems.slice(0, 3).join('; ')}.`;
      if (!definite) return unknown(`${started}; if pull requests start it: ${problems.slice(0, 2).join('; ')}.`, capEvidence([...triggerEvidence, ...evidence]));
      return fail(message, capEvidence([...triggerEvidence.slice(0, 3), ...evidence]));
    }
    if (unsure.length > 0) return unknown(`${started}; not known: ${unsure.slice(0, 3).join('; ')}.`, triggerEvidence.slice(0, 5));
    if (hidden) return notApplicable(`${started}; even if pull requests started it, no task running repository code could reach a credential or write.`);
    const runners = allTasks(pipeline).filter((t) => !t.isCustomTask && userCodeRunner(t, ns, cluster) !== null).length;
    return pass(
      runners === 0
        ? `${started}, but no task runs the pull request's code.`
        : runners === 1
          ? `${started}; the one task running its code reaches no credential and runs as a service account that cannot write.`
          : `${started}; the ${plural(runners, 'task')} running its code reach no credential and run as service accounts that cannot write.`,
    );
  },
};
