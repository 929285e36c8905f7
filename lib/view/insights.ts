/**
 * Aggregations for the Overview, team and check pages. Pure functions of the report and model; the ones that walk
 * every pipeline's findings or runs are memoised on the report/model object (lib/view/memo.ts), so a page served
 * many times between two engine states computes them once. Their results are shared: read-only.
 */
import { CHECKS } from '../checks/registry';
import type { Category, Finding, Severity } from '../checks/types';
import type { ChainsState, ClusterModel, PipelineRunModel } from '../model/types';
import type { PipelineReport, Report } from '../report/types';
import { scoreFindings, type Grade } from '../score/score';
import { signingLabel } from './chains';
import { CHAINS_LABELS, CHAINS_ORDER, SEVERITY_RANK } from './format';
import { memoByIdentity } from './memo';

export const gradeDistribution = memoByIdentity((pipelines: readonly PipelineReport[]): Record<Grade | 'none', number> => {
  const out: Record<Grade | 'none', number> = { A: 0, B: 0, C: 0, D: 0, F: 0, none: 0 };
  for (const p of pipelines) out[p.grade ?? 'none']++;
  return out;
});

/** The `limit` scored pipelines with the lowest scores, lowest first. */
export const lowestScores = memoByIdentity((pipelines: readonly PipelineReport[], limit: number): PipelineReport[] =>
  pipelines
    .filter((p) => p.score !== null)
    .sort((a, b) => (a.score as number) - (b.score as number))
    .slice(0, limit),
);

export interface CheckTally {
  checkId: string;
  title: string;
  category: Category;
  severity: Severity;
  fail: number;
  warn: number;
  unknown: number;
  pass: number;
  notApplicable: number;
  waived: number;
}

/** Per check: how many pipelines have each outcome (platform checks: the platform card counts as one). */
export const checkTallies = memoByIdentity((report: Report): Map<string, CheckTally> => {
  const out = new Map<string, CheckTally>();
  for (const c of CHECKS) {
    out.set(c.id, { checkId: c.id, title: c.title, category: c.category, severity: c.severity, fail: 0, warn: 0, unknown: 0, pass: 0, notApplicable: 0, waived: 0 });
  }
  const add = (f: Finding) => {
    let t = out.get(f.checkId);
    if (!t) {
      t = { checkId: f.checkId, title: f.title, category: f.category, severity: f.severity, fail: 0, warn: 0, unknown: 0, pass: 0, notApplicable: 0, waived: 0 };
      out.set(f.checkId, t);
    }
    // Severity overrides from the policy show on the findings: prefer them.
    t.severity = f.severity;
    if (f.outcome === 'not-applicable') t.notApplicable++;
    else t[f.outcome]++;
  };
  for (const p of report.pipelines) for (const f of p.findings) add(f);
  for (const f of report.platform.findings) add(f);
  return out;
});

/** Failing pipeline checks, most severe first (a critical before any medium), then by how many pipelines fail them. */
export function topFailingChecks(report: Report, limit = 8): CheckTally[] {
  return [...checkTallies(report).values()]
    .filter((t) => t.fail > 0 && !t.checkId.startsWith('PLT-'))
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.fail - a.fail || a.checkId.localeCompare(b.checkId))
    .slice(0, limit);
}

export interface RunRef {
  namespace: string;
  name: string;
  pipelineId: string;
  startTime: string | null;
  /** The state in precise words (attestation only, never seen by Chains for how long): lib/view/chains.ts. */
  label: string;
}

/** Recent PipelineRuns of every pipeline by Chains state, newest first; `reportTime` dates "never seen by Chains". */
export const signingStates = memoByIdentity((model: ClusterModel, reportTime: string | null = null): Record<ChainsState, RunRef[]> => {
  const out = Object.fromEntries(CHAINS_ORDER.map((s) => [s, [] as RunRef[]])) as Record<ChainsState, RunRef[]>;
  for (const p of model.pipelines) {
    for (const r of p.runs) {
      const label = signingLabel(r, reportTime, CHAINS_LABELS[r.chains.state]);
      out[r.chains.state].push({ namespace: r.namespace, name: r.name, pipelineId: p.id, startTime: r.startTime, label });
    }
  }
  for (const list of Object.values(out)) list.sort((a, b) => (b.startTime ?? '').localeCompare(a.startTime ?? ''));
  return out;
});

export interface RiskySa {
  key: string;
  namespace: string;
  name: string;
  pipelines: string[];
  /** Failed identity findings (pipeline × check) across the pipelines using it. */
  failedFindings: number;
  failedChecks: string[];
  worst: Severity | null;
  rules: number;
}

/** Service accounts ranked by failed IDN checks across the pipelines that use them, then worst severity. */
export const riskyServiceAccounts = memoByIdentity((report: Report, model: ClusterModel): RiskySa[] => {
  const byId = new Map(report.pipelines.map((p) => [p.id, p]));
  const out: RiskySa[] = [];
  const keys = new Set<string>([...model.pipelinesBySa.keys(), ...model.serviceAccounts.keys()]);
  for (const key of keys) {
    const pipelines = model.pipelinesBySa.get(key) ?? [];
    const [namespace, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    let failed = 0;
    const checks = new Set<string>();
    let worst: Severity | null = null;
    for (const id of pipelines) {
      const p = byId.get(id);
      if (!p) continue;
      for (const f of p.findings) {
        if (f.category !== 'identity' || f.outcome !== 'fail') continue;
        failed++;
        checks.add(f.checkId);
        if (worst === null || SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]) worst = f.severity;
      }
    }
    out.push({ key, namespace, name, pipelines, failedFindings: failed, failedChecks: [...checks].sort(), worst, rules: model.serviceAccounts.get(key)?.rules.length ?? 0 });
  }
  return out.sort(
    (a, b) =>
      (a.worst === null ? 9 : SEVERITY_RANK[a.worst]) - (b.worst === null ? 9 : SEVERITY_RANK[b.worst]) ||
      b.failedFindings - a.failedFindings ||
      a.key.localeCompare(b.key),
  );
});

export interface FixGain {
  finding: Finding;
  pipelineId: string;
  before: number | null;
  after: number | null;
  gain: number;
  gradeBefore: Grade | null;
  gradeAfter: Grade | null;
}

/** For each failed finding: the pipeline's score if that one check passed instead (scoreFindings, one flip). */
export function fixGains(p: PipelineReport): FixGain[] {
  const base = scoreFindings(p.findings);
  return p.findings
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.outcome === 'fail')
    .map(({ f, i }) => {
      const flipped = p.findings.map((g, j) => (j === i ? { ...g, outcome: 'pass' as const } : g));
      const after = scoreFindings(flipped);
      return {
        finding: f,
        pipelineId: p.id,
        before: base.score,
        after: after.score,
        gain: Math.round(((after.score ?? 0) - (base.score ?? 0)) * 10) / 10,
        gradeBefore: base.grade,
        gradeAfter: after.grade,
      };
    });
}

/** Fixes across several pipelines, grouped by check: total score gained if the check were fixed everywhere. */
export interface CheckFix {
  checkId: string;
  title: string;
  severity: Severity;
  category: Category;
  totalGain: number;
  pipelines: FixGain[];
  /** Pipelines whose score would rise from this one fix. */
  lifted: number;
  /** Pipelines whose grade would rise from this one fix. */
  gradeUps: number;
}

/**
 * "What to fix first" (CHECKS.md Scoring): by severity (a critical fail always before any medium one), then by how
 * many pipelines the fix lifts, then by grades raised and total score gained.
 */
export function rankFixes(pipelines: readonly PipelineReport[]): CheckFix[] {
  const byCheck = new Map<string, CheckFix>();
  for (const p of pipelines) {
    for (const g of fixGains(p)) {
      let c = byCheck.get(g.finding.checkId);
      if (!c) {
        c = { checkId: g.finding.checkId, title: g.finding.title, severity: g.finding.severity, category: g.finding.category, totalGain: 0, pipelines: [], lifted: 0, gradeUps: 0 };
        byCheck.set(c.checkId, c);
      }
      c.totalGain += g.gain;
      // One pipeline failing a check twice (two findings of one ID) is lifted once.
      if (g.gain > 0 && !c.pipelines.some((x) => x.pipelineId === g.pipelineId && x.gain > 0)) c.lifted++;
      c.pipelines.push(g);
      if (g.gradeAfter !== g.gradeBefore) c.gradeUps++;
    }
  }
  for (const c of byCheck.values()) {
    c.totalGain = Math.round(c.totalGain * 10) / 10;
    c.pipelines.sort((a, b) => b.gain - a.gain);
  }
  return [...byCheck.values()].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      b.lifted - a.lifted ||
      b.gradeUps - a.gradeUps ||
      b.totalGain - a.totalGain ||
      a.checkId.localeCompare(b.checkId),
  );
}

export interface SevereFinding {
  pipelineId: string;
  checkId: string;
  title: string;
  severity: Severity;
}

/**
 * Critical and high failed findings (pipeline × check) in the order of "what to fix first" (rankFixes: severity,
 * then how many pipelines the fix lifts), so the overview and the fix lists never disagree. Once per report.
 */
export const severeFindings = memoByIdentity((report: Report): SevereFinding[] => {
  const out: SevereFinding[] = [];
  for (const c of rankFixes(report.pipelines)) {
    if (c.severity !== 'critical' && c.severity !== 'high') continue;
    const seen = new Set<string>();
    for (const g of c.pipelines) {
      if (seen.has(g.pipelineId)) continue;
      seen.add(g.pipelineId);
      out.push({ pipelineId: g.pipelineId, checkId: c.checkId, title: c.title, severity: c.severity });
    }
  }
  return out;
});

/** Failed findings of every pipeline by severity (the overview's strip; platform findings are the platform card's). */
export const failsBySeverity = memoByIdentity((report: Report): Record<Severity, { findings: number; pipelines: number }> => {
  const out = { critical: { findings: 0, pipelines: 0 }, high: { findings: 0, pipelines: 0 }, medium: { findings: 0, pipelines: 0 }, low: { findings: 0, pipelines: 0 } };
  for (const p of report.pipelines) {
    const hit = new Set<Severity>();
    for (const f of p.findings) {
      if (f.outcome !== 'fail') continue;
      out[f.severity].findings++;
      hit.add(f.severity);
    }
    for (const s of hit) out[s].pipelines++;
  }
  return out;
});

/** A pipeline's findings of one category, scored alone (the team grid's mini score). */
export function categoryCard(p: PipelineReport, category: Category) {
  const findings = p.findings.filter((f) => f.category === category);
  return { ...scoreFindings(findings), total: findings.length };
}

export function teamsOf(report: Report): { team: string; pipelines: PipelineReport[] }[] {
  const m = new Map<string, PipelineReport[]>();
  for (const p of report.pipelines) {
    if (!p.team) continue;
    m.set(p.team, [...(m.get(p.team) ?? []), p]);
  }
  return [...m.entries()].map(([team, pipelines]) => ({ team, pipelines })).sort((a, b) => a.team.localeCompare(b.team));
}

/** Every run in the model that has a page: recent PipelineRuns, their TaskRuns, and direct TaskRuns. */
export function findRun(model: ClusterModel, namespace: string, name: string) {
  for (const p of model.pipelines) {
    for (const r of p.runs) {
      if (r.namespace === namespace && r.name === name) return { kind: 'PipelineRun' as const, run: r, pipeline: p };
    }
  }
  for (const p of model.pipelines) {
    for (const r of p.runs) {
      const tr = r.taskRuns.find((t) => t.namespace === namespace && t.name === name);
      if (tr) return { kind: 'TaskRun' as const, taskRun: tr, parent: r as PipelineRunModel | null, pipeline: p };
    }
  }
  const direct = model.directTaskRuns.get(namespace)?.find((t) => t.name === name);
  if (direct) return { kind: 'TaskRun' as const, taskRun: direct, parent: null, pipeline: null };
  return null;
}
