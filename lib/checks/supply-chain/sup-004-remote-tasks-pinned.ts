import type { PipelineCheck } from '../types';
import type { Evidence, PipelineModel, PipelineTaskModel, RefModel, TaskSpecModel } from '../../model/types';
import { allTasks, capEvidence, evidenceAt, fail, joinPath, notApplicable, pass, plural, taskOwner, unknown, unresolvedTasks } from '../util';
import { hasSubstitution, parseImage, resolveInTask } from './images';

const COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const EXACT_VERSION = /^v?\d+(?:\.\d+){0,3}(?:[-+][0-9A-Za-z.-]+)?$/;

export interface RemoteRef {
  ref: RefModel;
  /** `pipeline`, `task "build"`, `task "build", step "x" (StepAction)` */
  label: string;
  evidence: (field?: string, value?: string) => Evidence;
  /** The scope its `$(params.…)` values resolve in. */
  task: PipelineTaskModel | null;
  spec: TaskSpecModel | null;
}

export type RefVerdict = { outcome: 'pass' | 'fail' | 'unknown' | 'in-cluster'; note: string; field?: string; value?: string };

/** Every task, pipeline and StepAction reference of the pipeline that is not a plain in-cluster name. */
export function remoteRefs(pipeline: PipelineModel): RemoteRef[] {
  const out: RemoteRef[] = [];
  const seenPipelineRefs = new Set<string>();
  for (const ref of pipeline.pipelineRefs) {
    const key = JSON.stringify([ref.resolver, ref.bundle, ref.name, ref.params]);
    if (seenPipelineRefs.has(key)) continue;
    seenPipelineRefs.add(key);
    const run = pipeline.runs.find((r) => r.pipelineRef === ref) ?? pipeline.runs[0];
    const owner = run ? run.object : pipeline.object;
    if (!owner) continue;
    out.push({ ref, label: `the pipeline (run ${run?.name ?? owner.name})`, task: null, spec: null, evidence: (f, v) => evidenceAt({ ...owner, ...owner.source }, f ? joinPath(ref.path, f) : ref.path, v) });
  }
  const seenChildRefs = new Set<string>();
  for (const task of allTasks(pipeline)) {
    // A child pipeline fetched remotely (Pipelines in Pipelines), listed once however many tasks it expands into.
    for (const via of task.includedThrough ?? []) {
      const key = `${via.task}\u0000${via.ref.path}`;
      if (seenChildRefs.has(key)) continue;
      seenChildRefs.add(key);
      out.push({ ref: via.ref, label: `child pipeline of task "${via.task}"`, task: null, spec: null, evidence: (f, v) => evidenceAt(via.owner, f ? joinPath(via.ref.path, f) : via.ref.path, v) });
    }
    const ref = task.taskRef;
    // A task expanded from a child pipeline points into the child's object (taskOwner).
    const specOwner = pipeline.spec ? taskOwner(pipeline, task) : null;
    if (ref && specOwner && (ref.resolver !== null || ref.bundle !== null)) {
      out.push({ ref, label: `task "${task.name}"`, task: null, spec: null, evidence: (f, v) => evidenceAt(specOwner, f ? joinPath(ref.path, f) : ref.path, v) });
    }
    const spec = task.taskSpec;
    if (!spec) continue;
    for (const step of spec.steps) {
      const sref = step.ref;
      if (!sref || sref.resolver === null) continue;
      out.push({
        ref: sref,
        label: `task "${task.name}", step "${step.name}" (StepAction)`,
        task,
        spec,
        evidence: (f, v) => evidenceAt(spec.owner, joinPath(joinPath(spec.basePath, sref.path), f ?? ''), v),
      });
    }
  }
  return out;
}

function paramField(name: string, ref: RefModel): string {
  const params = Object.keys(ref.params);
  const i = params.indexOf(name);
  return i >= 0 ? `params[${i}]` : 'params';
}

/** Judges one reference; `$(params.…)` values are resolved for every recent run (all must be pinned). */
export function judgeRef(r: RemoteRef, pipeline: PipelineModel): RefVerdict {
  const { ref } = r;
  const values = (name: string): { values: string[]; unresolved: string | null } | null => {
    const raw = ref.params[name];
    if (raw === undefined || raw.trim() === '') return null;
    if (!hasSubstitution(raw)) return { values: [raw.trim()], unresolved: null };
    const res = resolveInTask(raw, pipeline, r.task, r.spec);
    return { values: res.candidates.map((c) => c.value.trim()), unresolved: res.unresolved };
  };
  const judge = (name: string, ok: (v: string) => boolean, bad: (v: string) => string, missing: string, pinnedNote: string): RefVerdict => {
    const field = paramField(name, ref);
    const v = values(name);
    if (!v) return { outcome: 'fail', note: missing, field: 'params', value: '(not set)' };
    const wrong = v.values.filter((x) => !ok(x));
    if (wrong.length > 0) return { outcome: 'fail', note: bad(wrong[0]), field, value: wrong[0] };
    if (v.unresolved) return { outcome: 'unknown', note: `${name} ${ref.params[name]} cannot be resolved (${v.unresolved})`, field, value: ref.params[name] };
    return { outcome: 'pass', note: pinnedNote, field, value: v.values[0] };
  };
  if (ref.bundle !== null) {
    return parseImage(ref.bundle).pinned
      ? { outcome: 'pass', note: 'bundle pinned by digest', field: 'bundle', value: ref.bundle }
      : { outcome: 'fail', note: `bundle ${ref.bundle} has no ${parseImage(ref.bundle).digest ? 'valid ' : ''}@sha256 digest`, field: 'bundle', value: ref.bundle };
  }
  const resolver = (ref.resolver ?? '').toLowerCase();
  switch (resolver) {
    case 'git': {
      // Pipelines-as-Code fills `{{revision}}` with the event's full commit SHA before the run is created.
      const rev = (ref.params.revision ?? '').trim();
      const pac = /^\{\{\s*([A-Za-z_]+)\s*\}\}$/.exec(rev);
      if (pac && pac[1] === 'revision') return { outcome: 'pass', note: 'Pipelines-as-Code {{revision}} (the event commit SHA)', field: paramField('revision', ref), value: rev };
      if (pac && !/branch/.test(pac[1])) {
        return { outcome: 'unknown', note: `git revision is the Pipelines-as-Code template ${rev}, filled at event time`, field: paramField('revision', ref), value: rev };
      }
      return judge(
        'revision',
        (v) => COMMIT_SHA.test(v),
        (v) => `git revision "${v}" is not a full commit SHA (a branch or tag can move)`,
        'git resolver without a revision (fetches the default branch, which moves)',
        'git revision is a full commit SHA',
      );
    }
    case 'bundles':
      return judge(
        'bundle',
        (v) => parseImage(v).pinned,
        (v) => `bundle ${v} has no ${parseImage(v).digest ? 'valid ' : ''}@sha256 digest`,
        'bundles resolver without a bundle param',
        'bundle pinned by digest',
      );
    case 'hub':
      return judge(
        'version',
        (v) => EXACT_VERSION.test(v),
        (v) => `hub version "${v}" is a constraint, not an exact version`,
        'hub resolver without a version (fetches the latest version)',
        'hub version pinned',
      );
    case 'http':
      return {
        outcome: 'fail',
        note: `uses the http resolver (${ref.params.url ?? 'no url'})${ref.params.digest ? ', even with a digest param the fetch is an unauthenticated URL' : ''}`,
        field: 'resolver',
        value: 'http',
      };
    case 'cluster':
      return { outcome: 'in-cluster', note: 'cluster resolver (in-cluster, not remote)' };
    case '':
      return { outcome: 'in-cluster', note: 'in-cluster reference' };
    default:
      return { outcome: 'unknown', note: `uses the "${ref.resolver}" resolver, whose pinning cannot be judged`, field: 'resolver', value: ref.resolver ?? '' };
  }
}

export const SUP_004: PipelineCheck = {
  id: 'SUP-004',
  title: 'Remote tasks pinned',
  category: 'supply-chain',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'A task or pipeline fetched from git, an OCI bundle or the Hub runs whatever that source holds at run time: a moved branch, a re-pushed bundle tag or a new Hub version ' +
    'changes the steps (and what they can do with the pipeline\'s credentials) without any change in the cluster. A commit SHA, a bundle digest or an exact Hub version makes the fetched definition fixed and auditable; ' +
    'the http resolver fetches an arbitrary URL and should not be used.',
  remediation: [
    'Pin every remote reference:',
    '```yaml',
    'taskRef:',
    '  resolver: git',
    '  params:',
    '  - {name: url, value: https://github.com/acme/tekton-tasks.git}',
    '  - {name: revision, value: 3f1c2a9e0b7d4c5e6f8a9b0c1d2e3f4a5b6c7d8e}   # a full commit SHA, not main or v1.2',
    '  - {name: pathInRepo, value: tasks/build.yaml}',
    '---',
    'taskRef:',
    '  resolver: bundles',
    '  params:',
    '  - {name: bundle, value: ghcr.io/acme/tasks:1.4@sha256:<64 hex digits>}',
    '  - {name: name, value: build}',
    '  - {name: kind, value: task}',
    '```',
    'Hub refs need an exact `version`; replace the http resolver with git or bundles.',
  ].join('\n'),
  source: 'tekton-chains-provenance section 2 (reusable Tasks, resolvers and pinning)',
  // Runs supply pod templates and param values; Task/StepAction gaps leave specs unresolved (→ unknown) inside.
  needs: ['PipelineRun'],
  evaluate({ pipeline }) {
    const refs = remoteRefs(pipeline);
    const failed: { label: string; note: string; evidence: Evidence }[] = [];
    const unknowns: { label: string; note: string; evidence: Evidence }[] = [];
    let inCluster = 0;
    for (const r of refs) {
      const v = judgeRef(r, pipeline);
      if (v.outcome === 'in-cluster') inCluster += 1;
      else if (v.outcome !== 'pass') (v.outcome === 'fail' ? failed : unknowns).push({ label: r.label, note: v.note, evidence: r.evidence(v.field, v.value) });
    }
    const remote = refs.length - inCluster;
    const list = (xs: { label: string; note: string }[]): string =>
      xs.slice(0, 5).map((x) => `${x.label}: ${x.note}`).join('; ') + (xs.length > 5 ? `; and ${xs.length - 5} more` : '');
    const hidden = pipeline.spec === null ? "the pipeline's own spec (and so its task references) is not in sight" : null;
    if (failed.length > 0) return fail(`${failed.length} of ${plural(remote, 'remote reference')} ${failed.length === 1 ? 'is' : 'are'} not pinned — ${list(failed)}.`, capEvidence(failed.map((f) => f.evidence)));
    if (unknowns.length > 0 || (hidden && remote > 0)) {
      return unknown([unknowns.length > 0 ? `${list(unknowns)}.` : '', hidden ? `Also, ${hidden}.` : ''].filter(Boolean).join(' '), capEvidence(unknowns.map((u) => u.evidence)));
    }
    if (remote === 0) {
      if (hidden) return unknown(`No remote pipeline reference, but ${hidden}.`);
      const extra = inCluster > 0 ? ` (the cluster resolver, used ${inCluster === 1 ? 'once' : `${inCluster} times`}, is in-cluster)` : '';
      const unres = unresolvedTasks(pipeline).length;
      return notApplicable(`No remote references: every task is inline or referenced in the cluster${extra}${unres > 0 ? `; ${plural(unres, 'task')} not in sight` : ''}.`);
    }
    return pass(`${remote === 1 ? 'The one remote reference is' : `All ${remote} remote references are`} pinned (commit SHA, bundle digest or exact Hub version).`, capEvidence(refs.filter((r) => r.ref.resolver !== 'cluster').map((r) => r.evidence())));
  },
};
