import type { Evidence, WorkspaceBindingType } from '../../model/types';
import type { PipelineCheck } from '../types';
import { capEvidence, containerEvidence, evidenceAt, fail, notApplicable, pass, plural, taskOwner, unknown } from '../util';
import { isCredentialBinding, isWritableBinding, recentBindings } from './bindings';
import { taskRunsUserCode } from './usercode';

export const WSP_001: PipelineCheck = {
  id: 'WSP-001',
  title: 'Credentials reach only the tasks that use them',
  category: 'workspaces',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'A Secret-bound workspace is readable by every step of every task it is passed to. Passed to several tasks, or to a task that also runs ' +
    'the repository\'s own code (its scripts, its build or test tool, its Dockerfile\'s RUN lines), it lets code the pipeline does not control ' +
    '(a dependency\'s install script, a test, a poisoned build file) read the credential and send it away. A program this check cannot vouch for counts as user code.',
  remediation: [
    'Give the credential workspace to the one trusted task that needs it (the push or deploy step), and keep it away from tasks that run the repository\'s code:',
    '```yaml',
    'tasks:',
    '- name: build            # runs user code: source only',
    '  workspaces: [{name: source, workspace: shared-data}]',
    '- name: push             # trusted: credentials, no user code',
    '  runAfter: [build]',
    '  workspaces:',
    '  - {name: source, workspace: shared-data}',
    '  - {name: dockerconfig, workspace: registry-creds}',
    '```',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac (step 3 workspace isolation, adversary 2)',
  needs: ['PipelineRun', 'Task'],
  evaluate({ pipeline, cluster }) {
    const spec = pipeline.spec;
    if (!spec) return unknown('The pipeline spec is not in sight.');
    const bindings = recentBindings(pipeline);
    if (pipeline.runs.length === 0) {
      if (spec.workspaces.length === 0) return notApplicable('The pipeline declares no workspaces.');
      return unknown('No recent runs: workspace bindings live on the runs, so whether a workspace holds a Secret is unknown.');
    }
    const secretWs = new Map<string, Evidence>();
    const typesOf = new Map<string, Set<WorkspaceBindingType>>();
    for (const { run, binding } of bindings) {
      typesOf.set(binding.name, new Set([...(typesOf.get(binding.name) ?? []), binding.type]));
      if (isCredentialBinding(binding) && !secretWs.has(binding.name)) {
        secretWs.set(binding.name, evidenceAt(run.object, binding.path, `${binding.name}: ${binding.type} ${binding.secretName ?? binding.projectedCredentials.join(', ')}`));
      }
    }
    if (secretWs.size === 0) return notApplicable('No recent run binds a workspace to a Secret.');
    const tasks = [...spec.tasks, ...spec.finally];
    const evidence: Evidence[] = [];
    const problems: string[] = [];
    const unresolved: string[] = [];
    for (const [ws, bindingEvidence] of secretWs) {
      const users = tasks.filter((t) => t.workspaces.some((w) => w.workspace === ws));
      const mountEvidence = (t: (typeof users)[number]) => {
        const i = t.workspaces.findIndex((w) => w.workspace === ws);
        return evidenceAt(taskOwner(pipeline, t), `${t.path}.workspaces[${i}]`, `${t.workspaces[i].name} ← ${ws}`);
      };
      if (users.length > 1) {
        problems.push(`Secret workspace "${ws}" is passed to ${plural(users.length, 'task')} (${users.map((t) => t.name).join(', ')})`);
        evidence.push(bindingEvidence, ...users.map(mountEvidence));
        continue;
      }
      for (const t of users) {
        // The source workspace: another workspace of this task that recent runs bind to a writable data volume.
        const source = t.workspaces.find((w) => {
          if (w.workspace === ws) return false;
          const types = typesOf.get(w.workspace);
          return types !== undefined && [...types].some((ty) => isWritableBinding(ty));
        });
        if (!source) continue;
        if (!t.taskSpec) {
          unresolved.push(`"${t.name}" (spec not in sight)`);
          continue;
        }
        const runner = taskRunsUserCode(t.taskSpec, cluster, pipeline.namespace, t.params);
        if (runner.kind === 'unresolved') unresolved.push(`"${t.name}" (${runner.steps.join(', ')})`);
        if (runner.kind !== 'user-code') continue;
        const c = runner.container;
        const field = runner.stepAction ? undefined : c.script ? 'script' : c.command.length > 0 ? 'command' : 'image';
        problems.push(`task "${t.name}" mounts Secret workspace "${ws}" and source workspace "${source.workspace}" and runs user code (${runner.tool} in ${c.role} "${c.name}")`);
        evidence.push(bindingEvidence, mountEvidence(t), containerEvidence(t.taskSpec, c, field, runner.tool));
      }
    }
    if (problems.length > 0) return fail(`Credentials reach more tasks than need them: ${problems.join('; ')}.`, capEvidence(evidence));
    if (unresolved.length > 0) {
      return unknown(`Secret workspaces go to one task each, but whether ${unresolved.join(', ')} ${unresolved.length === 1 ? 'runs' : 'run'} user code is unknown.`);
    }
    return pass(`Each of the ${plural(secretWs.size, 'Secret workspace')} reaches one task, which runs no user code beside a source workspace.`);
  },
};
