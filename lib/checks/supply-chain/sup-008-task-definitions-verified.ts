import { isFinished } from '../../model/chains';
import { arr, isObj, obj, str } from '../../model/access';
import type { Evidence, K8sObject, PipelineModel, PipelineRunModel } from '../../model/types';
import type { PipelineCheck } from '../types';
import { capEvidence, evidenceAt, fail, gapMessage, gapsFor, notApplicable, pass, plural, unknown, warn } from '../util';
import { compileGoPattern, matchKind, type CompiledPattern } from './go-regex';
import { hasSubstitution, parseImage, resolveInTask } from './images';
import { remoteRefs, type RemoteRef } from './sup-004-remote-tasks-pinned';

interface PolicyPattern {
  policy: K8sObject;
  index: number;
  pattern: string;
  mode: 'enforce' | 'warn';
  compiled: CompiledPattern;
}

/** The patterns of the VerificationPolicies in a namespace (`spec.mode` defaults to `enforce`). */
export function policyPatterns(policies: K8sObject[]): PolicyPattern[] {
  const out: PolicyPattern[] = [];
  for (const policy of policies.slice(0, 200)) {
    const spec = obj(policy.raw.spec);
    const mode = str(spec.mode) === 'warn' ? 'warn' : 'enforce';
    arr(spec.resources)
      .slice(0, 100)
      .forEach((r, index) => {
        const pattern = isObj(r) ? str(r.pattern) : null;
        if (pattern === null) return;
        out.push({ policy, index, pattern, mode, compiled: compileGoPattern(pattern) });
      });
  }
  return out;
}

type SourceVerdict =
  | { kind: 'in-cluster' }
  | { kind: 'unverifiable'; note: string }
  | { kind: 'unknown'; note: string }
  | { kind: 'subjects'; subjects: string[] };

function paramValues(r: RemoteRef, pipeline: PipelineModel, name: string): { values: string[]; unresolved: string | null } | null {
  const raw = r.ref.params[name];
  if (raw === undefined || raw.trim() === '') return null;
  if (!hasSubstitution(raw)) return { values: [raw.trim()], unresolved: null };
  const res = resolveInTask(raw, pipeline, r.task, r.spec);
  return { values: res.candidates.map((c) => c.value.trim()), unresolved: res.unresolved };
}

/** The strings a VerificationPolicy pattern is matched against for this reference (Tekton matches the refSource URI). */
function sourceSubjects(r: RemoteRef, pipeline: PipelineModel): SourceVerdict {
  const { ref } = r;
  const fromBundle = (b: string) => {
    const p = parseImage(b);
    return [b, `${p.registry}/${p.repository}`, b.split('@')[0]];
  };
  if (ref.bundle !== null) return { kind: 'subjects', subjects: fromBundle(ref.bundle) };
  const resolver = (ref.resolver ?? '').toLowerCase();
  const get = (name: string) => paramValues(r, pipeline, name);
  const unresolved = (name: string, v: { unresolved: string | null } | null) =>
    v?.unresolved ? ({ kind: 'unknown', note: `its ${name} ${ref.params[name]} cannot be resolved (${v.unresolved})` } as const) : null;
  switch (resolver) {
    case '':
    case 'cluster':
      return { kind: 'in-cluster' };
    case 'http':
      return { kind: 'unverifiable', note: 'is fetched by the http resolver, which Trusted Resources cannot verify' };
    case 'git': {
      const url = get('url');
      if (url) {
        const u = unresolved('url', url);
        if (u) return u;
        return { kind: 'subjects', subjects: url.values.flatMap((v) => [v, `git+${v}`]) };
      }
      const org = get('org');
      const repo = get('repo');
      if (!org || !repo) return { kind: 'unknown', note: 'its git url (or org and repo) is not set' };
      const u = unresolved('org', org) ?? unresolved('repo', repo);
      if (u) return u;
      const server = (get('serverURL')?.values[0] ?? 'https://github.com').replace(/\/+$/, '');
      const urls = org.values.flatMap((o) => repo.values.map((rp) => `${server}/${o}/${rp}`));
      return { kind: 'subjects', subjects: urls.flatMap((v) => [v, `${v}.git`, `git+${v}`, `git+${v}.git`]) };
    }
    case 'bundles': {
      const b = get('bundle');
      if (!b) return { kind: 'unknown', note: 'its bundle is not set' };
      const u = unresolved('bundle', b);
      if (u) return u;
      return { kind: 'subjects', subjects: b.values.flatMap(fromBundle) };
    }
    case 'hub': {
      const name = get('name')?.values[0] ?? ref.name ?? '';
      const catalog = get('catalog')?.values[0] ?? 'tekton-catalog-tasks';
      const url = get('url')?.values ?? [];
      return { kind: 'subjects', subjects: [name, `${catalog}/${name}`, ...url].filter((s) => s !== '') };
    }
    default:
      return { kind: 'unknown', note: `is fetched by the "${ref.resolver}" resolver, whose source a VerificationPolicy may or may not match` };
  }
}

/** Whether a run (or one of its TaskRuns) shows the TrustedResourcesVerified condition, and its value. */
function runVerification(run: PipelineRunModel): 'True' | 'False' | null {
  const values = [run.trustedResourcesVerified, ...run.taskRuns.map((t) => t.trustedResourcesVerified)].filter((v): v is string => v !== null);
  if (values.some((v) => v !== 'True')) return 'False';
  return values.length > 0 ? 'True' : null;
}

export const SUP_008: PipelineCheck = {
  id: 'SUP-008',
  title: 'Task definitions verified',
  category: 'supply-chain',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'Tasks and pipelines fetched from git, bundles or the Hub decide what runs with the pipeline\'s credentials; whoever can change that source can change the build. ' +
    'A VerificationPolicy makes Tekton check the definition\'s signature before running it, and the run\'s `TrustedResourcesVerified` condition records that it did.',
  remediation: [
    'Sign your task and pipeline definitions (`tkn` / `tekton-chains` `sign`) and add a VerificationPolicy in the run namespace whose pattern matches each source:',
    '```yaml',
    'apiVersion: tekton.dev/v1alpha1',
    'kind: VerificationPolicy',
    'metadata: {name: trusted-tasks, namespace: ci}',
    'spec:',
    '  resources:',
    '  - pattern: "^git\\\\+https://github\\\\.com/acme/tekton-tasks(\\\\.git)?$"',
    '  authorities:',
    '  - name: acme-signer',
    '    key: {kms: "gcpkms://projects/acme/locations/global/keyRings/tekton/cryptoKeys/signer"}',
    '  mode: enforce',
    '```',
    'Then set `trusted-resources-verification-no-match-policy: fail` (PLT-005) so unmatched sources are rejected.',
  ].join('\n'),
  source: 'tekton-security-guide (Task Verification); tekton-kyverno-policies policy 4 (signed bundles)',
  needs: ['VerificationPolicy'],
  evaluate({ pipeline, cluster }) {
    const gaps = gapsFor(cluster, ['VerificationPolicy'], pipeline.namespace);
    if (gaps.length > 0) return unknown(`VerificationPolicies could not be read: ${gapMessage(gaps)}.`);
    const patterns = policyPatterns(cluster.namespaces.get(pipeline.namespace)?.verificationPolicies ?? []);
    const refs = remoteRefs(pipeline).filter((r) => r.task === null); // StepAction refs are not verified by Trusted Resources

    const failures: { note: string; evidence: Evidence[] }[] = [];
    const warnings: { note: string; evidence: Evidence[] }[] = [];
    const unknowns: { note: string; evidence: Evidence[] }[] = [];
    let remote = 0;
    for (const r of refs) {
      const v = sourceSubjects(r, pipeline);
      if (v.kind === 'in-cluster') continue;
      remote++;
      const shownRef = r.ref.bundle ?? r.ref.params.url ?? r.ref.params.bundle ?? r.ref.params.repo ?? r.ref.params.name ?? r.ref.resolver ?? '';
      const ev = [r.evidence(undefined, shownRef)];
      if (v.kind === 'unverifiable') {
        failures.push({ note: `${r.label} ${v.note}`, evidence: ev });
        continue;
      }
      if (v.kind === 'unknown') {
        unknowns.push({ note: `${r.label} ${v.note}`, evidence: ev });
        continue;
      }
      let full: PolicyPattern | null = null;
      let fullWarn: PolicyPattern | null = null;
      let substring: PolicyPattern | null = null;
      let unevaluable: PolicyPattern | null = null;
      for (const p of patterns) {
        if (!p.compiled.ok) {
          unevaluable ??= p;
          continue;
        }
        const compiled = p.compiled;
        const kinds = v.subjects.map((s) => matchKind(compiled, s));
        if (kinds.includes('full')) {
          if (p.mode === 'enforce') full ??= p;
          else fullWarn ??= p;
        } else if (kinds.includes('substring')) substring ??= p;
      }
      const source = v.subjects[0] ?? '';
      const policyEv = (p: PolicyPattern) => evidenceAt({ ...p.policy, ...p.policy.source }, `spec.resources[${p.index}].pattern`, p.pattern);
      if (full) continue;
      if (fullWarn) warnings.push({ note: `${r.label} (${source}) is matched only by VerificationPolicy ${fullWarn.policy.name} in warn mode, which lets unverified definitions run`, evidence: [...ev, policyEv(fullWarn)] });
      else if (substring) {
        warnings.push({
          note: `${r.label} (${source}) is matched by the pattern "${substring.pattern}" of VerificationPolicy ${substring.policy.name} only as a substring: Tekton v1.12+ anchors patterns, so it no longer covers this source`,
          evidence: [...ev, policyEv(substring)],
        });
      } else if (unevaluable && !unevaluable.compiled.ok) {
        unknowns.push({ note: `${r.label} (${source}): the pattern "${unevaluable.pattern.slice(0, 80)}" of VerificationPolicy ${unevaluable.policy.name} was not evaluated (it ${unevaluable.compiled.reason})`, evidence: [...ev, policyEv(unevaluable)] });
      } else {
        failures.push({ note: `${r.label} (${source}) is matched by no VerificationPolicy in namespace ${pipeline.namespace}`, evidence: ev });
      }
    }

    // What the recent runs show.
    const finished = pipeline.runs.filter((run) => isFinished(run.status));
    const shown = finished.map((run) => ({ run, v: runVerification(run) }));
    const falseRuns = shown.filter((s) => s.v === 'False');
    const trueRuns = shown.filter((s) => s.v === 'True');
    const unverifiedRuns = shown.filter((s) => s.v === null);
    const runEv = (run: PipelineRunModel, value: string) => evidenceAt(run.object, 'status.conditions[type=TrustedResourcesVerified]', value);
    for (const s of falseRuns) failures.push({ note: `run ${s.run.name} has TrustedResourcesVerified False (verification failed, or passed only in warn mode)`, evidence: [runEv(s.run, 'False')] });

    if (remote === 0 && falseRuns.length === 0) {
      if (pipeline.spec === null && pipeline.pipelineRefs.length === 0) return unknown("The pipeline's spec is not in sight, so its task sources are not known.");
      if (trueRuns.length > 0 && unverifiedRuns.length === 0) return pass(`All ${plural(trueRuns.length, 'recent finished run')} show TrustedResourcesVerified True.`);
      if (unknowns.length > 0) return unknown(unknowns.map((u) => u.note).join('; ') + '.', capEvidence(unknowns.flatMap((u) => u.evidence)));
      return notApplicable('The pipeline and its tasks are in-cluster objects; VerificationPolicies verify only definitions fetched from git, bundles or the Hub.');
    }
    if (remote > 0) {
      for (const s of unverifiedRuns) {
        failures.push({ note: `run ${s.run.name} has no TrustedResourcesVerified condition although it fetches remote definitions (nothing verified them)`, evidence: [runEv(s.run, '(absent)')] });
      }
    }
    const list = (xs: { note: string }[]) => xs.slice(0, 5).map((x) => x.note).join('; ') + (xs.length > 5 ? `; and ${xs.length - 5} more` : '');
    if (failures.length > 0) return fail(`Task definitions are not verified: ${list(failures)}.`, capEvidence(failures.flatMap((f) => f.evidence)));
    if (pipeline.spec === null) unknowns.push({ note: "the pipeline's spec is not in sight, so its tasks' sources are not known", evidence: [] });
    if (unknowns.length > 0) return unknown(`Cannot tell whether every definition is verified: ${list(unknowns)}.`, capEvidence(unknowns.flatMap((u) => u.evidence)));
    if (warnings.length > 0) return warn(`Verification is weaker than it looks: ${list(warnings)}.`, capEvidence(warnings.flatMap((w) => w.evidence)));
    const runNote =
      finished.length > 0
        ? `, and ${trueRuns.length === 1 ? 'the recent finished run shows' : `all ${trueRuns.length} recent finished runs show`} TrustedResourcesVerified True`
        : '; no recent finished run confirms it yet';
    return pass(`Every remote definition (${plural(remote, 'source')}) is matched by an enforcing VerificationPolicy${runNote}.`);
  },
};
