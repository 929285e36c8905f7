/**
 * Shared machinery of the RBAC checks (IDN-002 … IDN-010): which service accounts a pipeline's runs use, the
 * binding → role → rule path of an effective rule as evidence, and the common pass/fail/unknown decision.
 */
import { arr, obj, str } from '../../model/access';
import type { ClusterModel, EffectiveRule, Evidence, K8sObject, ObjectRef, PipelineModel, PolicyRuleModel, ServiceAccountModel } from '../../model/types';
import { refLabel, saKey } from '../../model/types';
import { BUILTIN_CLUSTER_ADMIN } from '../../model/rbac';
import type { CheckResult, PipelineCheckContext } from '../types';
import { capEvidence, evidenceAt, fail, gapMessage, gapsFor, pass, plural, unknown } from '../util';

export const RBAC_KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];
export const RBAC_NEEDS = ['PipelineRun', ...RBAC_KINDS];

export interface PipelineSa {
  namespace: string;
  name: string;
  key: string;
  model: ServiceAccountModel | null;
}

/**
 * The service accounts the pipeline's recent runs use, or the result to return when there are none: no runs is
 * `unknown` (CHECKS.md: "no recent runs" is a reason for unknown, never a pass; the SA is chosen by each run).
 */
export function pipelineServiceAccounts(ctx: PipelineCheckContext): { result: CheckResult } | { sas: PipelineSa[] } {
  const { pipeline, cluster } = ctx;
  if (pipeline.runs.length === 0 || pipeline.serviceAccounts.length === 0) {
    const gaps = gapsFor(cluster, ['PipelineRun'], pipeline.namespace);
    if (gaps.length > 0) return { result: unknown(`PipelineRuns could not be read, so the service account is not known: ${gapMessage(gaps)}.`) };
    return { result: unknown('No recent runs: the service account is chosen by each run, so which one (and what it may do) is not known yet.') };
  }
  return {
    sas: pipeline.serviceAccounts.map((name) => {
      const key = saKey(pipeline.namespace, name);
      return { namespace: pipeline.namespace, name, key, model: cluster.serviceAccounts.get(key) ?? null };
    }),
  };
}

// ------------------------------------------------------------------ object lookup (for file/line and subject paths)

// Keyed by the object list, not the model: every subject of a files scan has its own view of the model, and an
// index per view made each subject pay a pass over every object.
const objectIndexes = new WeakMap<readonly K8sObject[], Map<string, K8sObject>>();
const placedIndexes = new WeakMap<readonly K8sObject[], Map<string, K8sObject>>();

function objKey(kind: string, namespace: string | null, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/** Kind, name, file and line (namespace aside): what names one document among same-named ones. */
function placedKey(kind: string, name: string, file: unknown, line: unknown): string {
  return `${kind}\u0000${name}\u0000${String(file)}\u0000${String(line)}`;
}

const INDEXED_KINDS = new Set([...RBAC_KINDS, 'ServiceAccount']);

function placedObjects(objects: readonly K8sObject[]): Map<string, K8sObject> {
  let idx = placedIndexes.get(objects);
  if (!idx) {
    idx = new Map();
    for (const o of objects) {
      const k = placedKey(o.kind, o.name, o.source.file, o.source.line);
      if (!idx.has(k)) idx.set(k, o);
    }
    placedIndexes.set(objects, idx);
  }
  return idx;
}

export function findObject(cluster: ClusterModel, ref: ObjectRef & { file?: string; line?: number }): K8sObject | null {
  // Files may hold several same-named objects: a ref that carries its file (RBAC refs do) names exactly one.
  if (ref.file) {
    const exact = placedObjects(cluster.objects).get(placedKey(ref.kind, ref.name, ref.file, ref.line));
    if (exact) return exact;
  }
  let idx = objectIndexes.get(cluster.objects);
  if (!idx) {
    idx = new Map();
    for (const o of cluster.objects) {
      if (!INDEXED_KINDS.has(o.kind)) continue;
      const k = objKey(o.kind, o.namespace, o.name);
      if (!idx.has(k)) idx.set(k, o);
    }
    objectIndexes.set(cluster.objects, idx);
  }
  return idx.get(objKey(ref.kind, ref.namespace, ref.name)) ?? null;
}

/** An object ref with the file/line of the object, when it is in sight. */
export function located(cluster: ClusterModel, ref: ObjectRef & { file?: string; line?: number }): ObjectRef & { file?: string; line?: number } {
  const o = findObject(cluster, ref);
  return { kind: ref.kind, namespace: ref.namespace, name: ref.name, ...(o?.source.file ? { file: o.source.file } : {}), ...(o?.source.line ? { line: o.source.line } : {}) };
}

/** Path of the binding subject that matched, e.g. `subjects[1]`. */
function subjectPath(cluster: ClusterModel, er: EffectiveRule): string {
  const o = findObject(cluster, er.binding);
  if (!o) return 'subjects';
  const subjects = arr(obj(o.raw).subjects);
  for (let i = 0; i < subjects.length; i++) {
    const s = obj(subjects[i]);
    const kind = str(s.kind);
    const name = str(s.name);
    const label = kind === 'ServiceAccount' ? `ServiceAccount ${str(s.namespace) || (er.binding.namespace ?? '')}/${name}` : `${kind} ${name}`;
    if (label === er.matchedSubject) return `subjects[${i}]`;
  }
  return 'subjects';
}

// ------------------------------------------------------------------ describing rules

function list(v: string[]): string {
  return v.map((x) => (x === '' ? '""' : x)).join(',');
}

/** `verbs=[get,list] resources=[secrets] apiGroups=[""]`: a rule as a reviewer reads it. */
export function ruleSummary(r: PolicyRuleModel): string {
  const parts = [`verbs=[${list(r.verbs)}]`];
  if (r.resources.length > 0 || r.nonResourceURLs.length === 0) parts.push(`resources=[${list(r.resources)}]`, `apiGroups=[${list(r.apiGroups)}]`);
  if (r.resourceNames.length > 0) parts.push(`resourceNames=[${list(r.resourceNames)}]`);
  if (r.nonResourceURLs.length > 0) parts.push(`nonResourceURLs=[${list(r.nonResourceURLs)}]`);
  return parts.join(' ');
}

/** `ClusterRoleBinding ci-admin → ClusterRole cluster-admin → rules[0] (verbs=[*] …), cluster-wide` */
export function rulePath(er: EffectiveRule): string {
  const role = er.aggregatedFrom
    ? `${refLabel(er.role)} → aggregated ${refLabel(er.aggregatedFrom)}`
    : refLabel(er.role);
  const scope = er.scope === null ? 'cluster-wide' : `in namespace ${er.scope}`;
  return `${refLabel(er.binding)} (${er.matchedSubject}) → ${role} → rules[${er.ruleIndex}] (${ruleSummary(er.rule)}), ${scope}`;
}

/** Evidence on the binding (the matching subject) and on the rule of the role that holds it. */
export function ruleEvidence(cluster: ClusterModel, er: EffectiveRule): Evidence[] {
  const holder = er.aggregatedFrom ?? er.role;
  return [
    evidenceAt(located(cluster, er.binding), subjectPath(cluster, er), `${er.matchedSubject} → ${refLabel(er.role)}`),
    evidenceAt(located(cluster, holder), `rules[${er.ruleIndex}]`, ruleSummary(er.rule)),
  ];
}

export function isClusterAdmin(role: ObjectRef): boolean {
  return role.kind === 'ClusterRole' && (role.name === 'cluster-admin' || role.name === BUILTIN_CLUSTER_ADMIN);
}

/** `system:basic-user`-style self reviews every authenticated identity has: not API use, not power. */
const SELF_REVIEWS = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']);
const SELF_REVIEW_GROUPS = new Set(['authorization.k8s.io', 'authentication.k8s.io']);

export function isSelfReviewRule(r: PolicyRuleModel): boolean {
  return (
    r.resources.length > 0 &&
    r.resources.every((x) => SELF_REVIEWS.has(x)) &&
    r.apiGroups.every((g) => SELF_REVIEW_GROUPS.has(g)) &&
    r.verbs.every((v) => v === 'create')
  );
}

/** A rule that only reads non-resource URLs (`/healthz`, `/version`, discovery): granted to every identity by default. */
export function isNonResourceReadRule(r: PolicyRuleModel): boolean {
  return r.resources.length === 0 && r.nonResourceURLs.length > 0 && r.verbs.every((v) => v === 'get' || v === 'head' || v === 'options');
}

/** A rule that grants nothing a step would need a token for (self reviews, discovery, empty rules). */
export function isTrivialRule(r: PolicyRuleModel): boolean {
  if (r.verbs.length === 0) return true;
  if (r.resources.length === 0 && r.nonResourceURLs.length === 0) return true;
  return isSelfReviewRule(r) || isNonResourceReadRule(r);
}

// ------------------------------------------------------------------ the common decision

export interface RuleCheckSpec {
  /** Kinds whose gap makes the check unknown (when nothing fails). */
  kinds: string[];
  /** Why this effective rule is a finding (`can list secrets`), or null. */
  scan(er: EffectiveRule): string | null;
  /** Report a binding → role pair once (its first offending rule): the built-in cluster-admin has two rules. */
  onePerRole?: boolean;
  /** What passing means, after "Service account ci/x": e.g. `is not bound to cluster-admin`. */
  passPhrase: string;
}

interface Finding {
  sa: PipelineSa;
  er: EffectiveRule;
  reason: string;
}

function saLabel(sa: PipelineSa): string {
  return `${sa.namespace}/${sa.name}`;
}

/** The decision every rule-scanning check makes: fail on any finding, else unknown on gaps or missing roles, else pass. */
export function evaluateRuleCheck(ctx: PipelineCheckContext, spec: RuleCheckSpec): CheckResult {
  const gate = pipelineServiceAccounts(ctx);
  if ('result' in gate) return gate.result;
  const { cluster, pipeline } = ctx;
  const findings: Finding[] = [];
  const notResolved: PipelineSa[] = [];
  for (const sa of gate.sas) {
    if (!sa.model) {
      notResolved.push(sa);
      continue;
    }
    const seenRoles = new Set<string>();
    for (const er of sa.model.rules) {
      const reason = spec.scan(er);
      if (!reason) continue;
      if (spec.onePerRole) {
        const k = `${refLabel(er.binding)}|${refLabel(er.role)}`;
        if (seenRoles.has(k)) continue;
        seenRoles.add(k);
      }
      findings.push({ sa, er, reason });
    }
  }
  if (findings.length > 0) return failFromFindings(cluster, findings);

  const gaps = gapsFor(cluster, spec.kinds, pipeline.namespace);
  if (gaps.length > 0) return unknown(`RBAC objects could not be read, so the service account's permissions are not fully known: ${gapMessage(gaps)}.`);
  if (notResolved.length > 0) {
    return unknown(`The permissions of ${notResolved.map((s) => `"${saLabel(s)}"`).join(', ')} were not resolved.`);
  }
  const missing = gate.sas.flatMap((sa) => (sa.model?.missingRoles ?? []).map((m) => ({ sa, m })));
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).map(({ sa, m }) => `${refLabel(m)} (bound to ${saLabel(sa)})`);
    return unknown(
      `The rules in sight are fine, but a binding references ${shown.join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}, which is not in sight: its rules are unknown.`,
      capEvidence(missing.map(({ m }) => evidenceAt(m, 'rules', 'role not in sight'))),
    );
  }
  const names = gate.sas.map((s) => `"${saLabel(s)}"`).join(', ');
  const ruleCount = gate.sas.reduce((n, s) => n + (s.model?.rules.length ?? 0), 0);
  return pass(`${gate.sas.length === 1 ? 'Service account' : 'Service accounts'} ${names} ${spec.passPhrase} (${plural(ruleCount, 'effective rule')} checked).`);
}

function failFromFindings(cluster: ClusterModel, findings: Finding[]): CheckResult {
  const bySa = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = saLabel(f.sa);
    bySa.set(k, [...(bySa.get(k) ?? []), f]);
  }
  const parts: string[] = [];
  for (const [sa, fs] of bySa) {
    const shown = fs.slice(0, 3).map((f) => `${f.reason} via ${rulePath(f.er)}`);
    parts.push(`Service account ${sa} ${shown.join('; ')}${fs.length > 3 ? `; and ${fs.length - 3} more` : ''}.`);
  }
  const evidence = capEvidence(findings.flatMap((f) => ruleEvidence(cluster, f.er)));
  return fail(parts.join(' '), evidence);
}

/** Runs of this pipeline that use the SA, newest first, with the path where the SA is named. */
export function runsUsingSa(pipeline: PipelineModel, saName: string): { run: PipelineModel['runs'][number]; path: string; task: string | null }[] {
  const out: { run: PipelineModel['runs'][number]; path: string; task: string | null }[] = [];
  for (const run of pipeline.runs) {
    if (run.serviceAccountName === saName) out.push({ run, path: run.serviceAccountExplicit ? 'spec.taskRunTemplate.serviceAccountName' : 'spec.taskRunTemplate', task: null });
    run.taskRunSpecs.forEach((s, i) => {
      if (s.serviceAccountName === saName) out.push({ run, path: `spec.taskRunSpecs[${i}].serviceAccountName`, task: s.pipelineTaskName });
    });
  }
  return out;
}

/** Evidence on a run where the SA is named. */
export function runSaEvidence(pipeline: PipelineModel, saName: string): Evidence[] {
  const first = runsUsingSa(pipeline, saName)[0];
  if (!first) return [];
  const o = first.run.object;
  return [evidenceAt({ kind: o.kind, namespace: o.namespace, name: o.name, ...o.source }, first.path, first.task ? `task ${first.task}: ${saName}` : saName)];
}

