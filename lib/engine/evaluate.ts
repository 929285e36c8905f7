import type { Check, CheckResult, Finding, PipelineCheck, PlatformCheck } from '../checks/types';
import { redactEvidenceValue } from '../checks/workspaces/secrets';
import { gapMessage, gapsFor } from '../checks/util';
import { KINDS } from '../kinds';
import { clusterViewFor } from '../model/scope';
import type { ClusterModel, DataGap, PipelineModel } from '../model/types';
import { namespaceSegment } from '../model/types';
import type { Policy, Waiver } from '../policy/types';
import { pinReportTime, reportTimeMs } from './clock';

const DAY_MS = 24 * 3600 * 1000;
const ANNOTATION_WAIVER_PREFIX = 'tekton-posture.dev/waive-';

function waiverMatches(w: Waiver, checkId: string, subject: string, namespace: string | null): boolean {
  if (w.checkId !== checkId) return false;
  if (w.subject === subject || w.subject === '*') return true;
  return namespace !== null && w.subject === `${namespaceSegment(namespace)}/*`;
}

/** Waivers written as annotations on the Pipeline object: `tekton-posture.dev/waive-IDN-003: "reason; owner=x; expires=2027-01-31"`. */
function annotationWaivers(p: PipelineModel): Waiver[] {
  const out: Waiver[] = [];
  for (const [key, value] of Object.entries(p.object?.annotations ?? {})) {
    if (!key.startsWith(ANNOTATION_WAIVER_PREFIX)) continue;
    const parts = value.split(';').map((s) => s.trim());
    const field = (name: string) => parts.find((s) => s.startsWith(`${name}=`))?.slice(name.length + 1) ?? '';
    const expires = field('expires');
    if (!expires) continue; // a waiver without an expiry is not honoured
    out.push({ checkId: key.slice(ANNOTATION_WAIVER_PREFIX.length), subject: p.id, reason: parts[0] ?? '', owner: field('owner') || 'pipeline annotation', expires });
  }
  return out;
}

/** Of the waivers that match, the one lasting longest: a renewed waiver added beside an expired one counts. */
function longestWaiver(waivers: Waiver[]): Waiver | undefined {
  const at = (w: Waiver) => {
    const t = Date.parse(w.expires);
    return Number.isFinite(t) ? t : -Infinity;
  };
  return waivers.reduce<Waiver | undefined>((best, w) => (best === undefined || at(w) > at(best) ? w : best), undefined);
}

function applyWaiver(f: Finding, waivers: Waiver[], now: number): Finding {
  if (f.outcome !== 'fail' && f.outcome !== 'warn') return f;
  const w = longestWaiver(waivers);
  if (!w) return f;
  const expiresAt = Date.parse(w.expires);
  const expired = !Number.isFinite(expiresAt) || !(expiresAt >= now);
  const expiresSoon = !expired && expiresAt - now < 30 * DAY_MS;
  const waiver = { reason: w.reason, owner: w.owner, expires: w.expires, expired, expiresSoon };
  if (!Number.isFinite(expiresAt)) {
    return { ...f, outcome: 'fail', waiver, message: `Waiver not honoured: its expiry "${w.expires}" is not a date (owner ${w.owner}: ${w.reason}). ${f.message}` };
  }
  if (expired) {
    return { ...f, outcome: 'fail', waiver, message: `Waiver expired on ${w.expires} (owner ${w.owner}: ${w.reason}). ${f.message}` };
  }
  const soon = expiresSoon ? ` It expires within 30 days (${w.expires}).` : '';
  return { ...f, outcome: 'waived', waiver, message: `Waived by ${w.owner} until ${w.expires}: ${w.reason}.${soon} Underlying result: ${f.message}` };
}

function toFinding(check: Check, result: CheckResult, policy: Policy): Finding {
  return {
    checkId: check.id,
    title: check.title,
    category: check.category,
    severity: policy.severityOverrides[check.id] ?? check.severity,
    outcome: result.outcome,
    message: result.message,
    // Any check may quote a value or a script line: what WSP-005 recognises as a credential never leaves redacted.
    evidence: result.evidence.map((e) => (e.value ? { ...e, value: redactEvidenceValue(e.value) } : e)),
    ...(result.blindedBy?.length ? { blindedBy: result.blindedBy } : {}),
  };
}

function safeEvaluate(run: () => CheckResult): CheckResult {
  try {
    const r = run();
    if (!r || typeof r.outcome !== 'string') return { outcome: 'unknown', message: 'The check returned no result.', evidence: [] };
    return r;
  } catch (e) {
    return { outcome: 'unknown', message: `The check could not be evaluated: ${(e as Error)?.message ?? String(e)}`, evidence: [] };
  }
}

/** The kinds lib/kinds.ts says feed each check (`feeds`; '*' feeds every check). */
function kindsFeeding(checkId: string, platformConfig: boolean): string[] {
  return KINDS.filter((k) => !!k.onlyNamespaces === platformConfig && (k.feeds.includes('*') || k.feeds.includes(checkId))).map((k) => k.kind);
}

/**
 * The gaps that leave a check blind: any gap of a kind it `needs`, and a kind that feeds it (lib/kinds.ts) but could
 * not be read — refused, or never listed because the apiserver was down or throttling. A kind that is simply not
 * installed feeds nothing, so only `needs` counts for it (a missing optional CRD must not blank whole categories).
 */
function blindingGaps(check: Check, cluster: ClusterModel, namespace: string | null): DataGap[] {
  const needed = gapsFor(cluster, check.needs, namespace);
  // Platform configuration (ConfigMaps in the Tekton namespaces) applies to every namespace's pipelines.
  const unread = [...gapsFor(cluster, kindsFeeding(check.id, false), namespace), ...gapsFor(cluster, kindsFeeding(check.id, true), null)].filter(
    (g) => g.reason !== 'not-installed' && g.reason !== 'not-collected',
  );
  return [...new Set([...needed, ...unread])];
}

function withGaps(check: Check, cluster: ClusterModel, namespace: string | null, run: () => CheckResult): CheckResult {
  const gaps = cluster.gaps.length ? blindingGaps(check, cluster, namespace) : [];
  if (gaps.length > 0) {
    return { outcome: 'unknown', message: `Not evaluated: data the check needs could not be read — ${gapMessage(gaps)}.`, evidence: [], blindedBy: [...new Set(gaps.map((g) => g.kind))] };
  }
  return safeEvaluate(run);
}

export function enabledChecks(checks: readonly Check[], policy: Policy): Check[] {
  const disabled = new Set(policy.disabledChecks);
  return checks.filter((c) => !disabled.has(c.id));
}

// The enabled pipeline checks, once per check list and set of disabled ids rather than once per subject.
const pipelineChecksMemo = new WeakMap<readonly Check[], Map<string, PipelineCheck[]>>();

function enabledPipelineChecks(checks: readonly Check[], policy: Policy): PipelineCheck[] {
  let byDisabled = pipelineChecksMemo.get(checks);
  if (!byDisabled) pipelineChecksMemo.set(checks, (byDisabled = new Map()));
  const key = policy.disabledChecks.join('\u0000');
  let list = byDisabled.get(key);
  if (!list) {
    list = enabledChecks(checks, policy).filter((c): c is PipelineCheck => c.scope === 'pipeline');
    if (byDisabled.size > 64) byDisabled.clear();
    byDisabled.set(key, list);
  }
  return list;
}

/** What a Task or StepAction subject is scored by (catalog v1.1 "Subjects and files"). */
const TASK_SUBJECT_CATEGORIES = new Set(['steps', 'supply-chain', 'injection']);
/**
 * Supply-chain checks about runs, not definitions: a catalog Task has no runs of its own, so "no recent runs" would
 * be its permanent state and would keep every Task under the coverage a letter needs.
 */
const RUN_ONLY_CHECKS = new Set(['SUP-005', 'SUP-006', 'SUP-010']);

function appliesToTaskSubject(check: PipelineCheck): boolean {
  return TASK_SUBJECT_CATEGORIES.has(check.category) && !RUN_ONLY_CHECKS.has(check.id);
}

function notForTaskSubject(pipeline: PipelineModel): CheckResult {
  const what = pipeline.subjectKind === 'stepaction' ? 'a StepAction' : 'a Task';
  return { outcome: 'not-applicable', message: `Not evaluated for ${what} on its own: this check is about pipelines and their runs.`, evidence: [] };
}

/** Every enabled pipeline check on one pipeline: exactly one finding per check, in catalog order. */
export function evaluatePipeline(pipeline: PipelineModel, fullCluster: ClusterModel, unpinned: Policy, checks: readonly Check[]): Finding[] {
  // scan() pins the report time; a direct caller that did not gets the clock, read once for the whole card.
  const policy = pinReportTime(unpinned);
  const now = reportTimeMs(policy);
  const waivers = [...policy.waivers, ...(policy.allowAnnotationWaivers ? annotationWaivers(pipeline) : [])];
  // Files: what this subject sees by proximity (lib/model/scope.ts); elsewhere the model itself.
  const cluster = clusterViewFor(fullCluster, pipeline);
  const taskSubject = pipeline.subjectKind !== undefined && pipeline.subjectKind !== 'pipeline';
  return enabledPipelineChecks(checks, policy).map((check) => {
    const result =
      taskSubject && !appliesToTaskSubject(check)
        ? notForTaskSubject(pipeline)
        : withGaps(check, cluster, pipeline.namespace, () => check.evaluate({ pipeline, cluster, policy }));
    const matching = waivers.length === 0 ? waivers : waivers.filter((w) => waiverMatches(w, check.id, pipeline.id, pipeline.namespace));
    return applyWaiver(toFinding(check, result, policy), matching, now);
  });
}

/** Every enabled platform check: the platform card. */
export function evaluatePlatform(cluster: ClusterModel, unpinned: Policy, checks: readonly Check[]): Finding[] {
  const policy = pinReportTime(unpinned);
  const now = reportTimeMs(policy);
  return enabledChecks(checks, policy)
    .filter((c): c is PlatformCheck => c.scope === 'platform')
    .map((check) => {
      const result = withGaps(check, cluster, null, () => check.evaluate({ cluster, policy }));
      const matching = policy.waivers.filter((w) => waiverMatches(w, check.id, 'platform', null));
      return applyWaiver(toFinding(check, result, policy), matching, now);
    });
}
