import type { PlatformCheck } from '../types';
import { fail, pass, plural, unknown } from '../util';

/** More completed runs than this, with the oldest older than MAX_AGE_DAYS, means nothing prunes them. */
export const MAX_RUNS = 5_000;
export const MAX_AGE_DAYS = 30;
const DAY_MS = 86_400_000;

export const PLT_009: PlatformCheck = {
  id: 'PLT-009',
  title: 'Run history bounded',
  category: 'platform',
  severity: 'low',
  scope: 'platform',
  rationale:
    'Completed PipelineRuns and TaskRuns stay in etcd until something deletes them. Thousands of them slow the API server, the controller and every dashboard, ' +
    'and keep old params, results and logs (sometimes with leaked values) around long after anyone needs them.',
  remediation: [
    'Prune completed runs on a schedule — with the Tekton Operator\'s pruner:',
    '```yaml',
    'apiVersion: operator.tekton.dev/v1alpha1',
    'kind: TektonConfig',
    'metadata: {name: config}',
    'spec:',
    '  pruner:',
    '    resources: [pipelinerun, taskrun]',
    '    keep: 100',
    '    schedule: "0 3 * * *"',
    '```',
    'or a CronJob running `tkn pipelinerun delete --keep 50 --all -n <ns>`. Export what you must keep (Tekton Results) first.',
  ].join('\n'),
  source: 'tekton-chains-provenance section 8 (completed runs accumulate in etcd: prune them)',
  needs: ['PipelineRun', 'TaskRun'],
  evaluate({ cluster, policy }) {
    const p = cluster.platform;
    const total = p.totalPipelineRuns + p.totalTaskRuns;
    const counts = `${plural(p.totalPipelineRuns, 'PipelineRun')} and ${plural(p.totalTaskRuns, 'TaskRun')}`;
    if (total <= MAX_RUNS) return pass(`${counts} are kept: no more than the ${MAX_RUNS} runs above which unpruned history is flagged.`);
    if (!p.oldestCompletedRun) return pass(`${counts} are kept, none of them completed yet.`);
    const oldest = Date.parse(p.oldestCompletedRun);
    const now = policy.now ? Date.parse(policy.now) : NaN;
    if (Number.isNaN(oldest) || Number.isNaN(now)) {
      return unknown(`${counts} are kept; the age of the oldest completed run (${p.oldestCompletedRun}) cannot be compared with the report time.`);
    }
    const days = Math.floor((now - oldest) / DAY_MS);
    if (days > MAX_AGE_DAYS) {
      return fail(`${counts} are kept and the oldest completed ${days} days ago: completed runs pile up without pruning (more than ${MAX_RUNS}, older than ${MAX_AGE_DAYS} days).`, [
        { kind: 'TaskRun', namespace: null, name: '(oldest completed run, any namespace)', path: 'status.completionTime', value: `${p.oldestCompletedRun}; ${total} runs in all` },
      ]);
    }
    return pass(`${counts} are kept, but the oldest completed only ${days} days ago: history is being pruned.`);
  },
};
