/**
 * The scorecard's state lives in the URL: parse (zod, invalid params are dropped one by one), filter and sort on
 * the server, and build links that change one parameter. The export and /api/pipelines use the same query.
 * The page number (`page`, lib/view/pagination.ts) is the table's view only: exports, the printable report and
 * the API always cover the whole filtered set, and any change of filter or sort goes back to page 1.
 */
import { z } from 'zod';
import { namespaceSegment } from '../model/types';
import type { PipelineReport, Report } from '../report/types';
import { INCOMPLETE_BELOW, rollUp } from '../score/score';
import { memoByIdentity } from './memo';

/** Rows per scorecard page: enough to scan, few enough that the page stays fast at thousands of pipelines. */
export const SCORECARD_PAGE_SIZE = 100;

export const SORT_KEYS = ['pipeline', 'namespace', 'team', 'grade', 'score', 'coverage', 'fails', 'lastRun', 'signing'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

const nameLike = z.string().trim().min(1).max(253);
const fields = {
  q: z.string().trim().min(1).max(200),
  ns: nameLike,
  team: nameLike,
  grade: z.enum(['A', 'B', 'C', 'D', 'F', 'none']),
  check: z.string().trim().regex(/^[A-Z]{2,5}-\d{3}$/),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  sort: z.enum(SORT_KEYS),
  dir: z.enum(['asc', 'desc']),
};

export interface ScorecardQuery {
  q?: string;
  ns?: string;
  team?: string;
  grade?: string;
  check?: string;
  /** Pipelines with at least one failed finding of this severity. */
  severity?: 'critical' | 'high' | 'medium' | 'low';
  sort?: SortKey;
  dir?: 'asc' | 'desc';
}

export type RawParams = Record<string, string | string[] | undefined> | URLSearchParams;

function first(raw: RawParams, key: string): string | undefined {
  if (raw instanceof URLSearchParams) return raw.get(key) ?? undefined;
  const v = raw[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Each parameter is validated on its own: one bad value does not discard the others. */
export function parseScorecardQuery(raw: RawParams): ScorecardQuery {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(fields)) {
    const v = first(raw, key);
    if (v === undefined || v === '') continue;
    const r = (schema as z.ZodType).safeParse(v);
    if (r.success) out[key] = r.data;
  }
  return out as ScorecardQuery;
}

/** What a rejected parameter may be instead, for the message that names it. */
const VALID_VALUES: Record<string, string> = {
  q: 'text of at most 200 characters',
  ns: 'a namespace name',
  team: 'a team name',
  grade: 'A, B, C, D, F or none',
  check: 'a check ID such as SEC-001',
  severity: 'critical, high, medium or low',
  sort: SORT_KEYS.join(', '),
  dir: 'asc or desc',
};

export interface QueryProblem {
  param: string;
  value: string;
  valid: string;
}

/**
 * The parameters parseScorecardQuery drops, so the page can say so instead of silently showing everything.
 * `knownChecks` turns a well-formed but absent check ID (`XYZ-999`) into a problem too.
 */
export function scorecardQueryProblems(raw: RawParams, knownChecks?: ReadonlySet<string>): QueryProblem[] {
  const out: QueryProblem[] = [];
  for (const [key, schema] of Object.entries(fields)) {
    const v = first(raw, key);
    if (v === undefined || v === '') continue;
    const ok = (schema as z.ZodType).safeParse(v).success;
    if (!ok || (key === 'check' && knownChecks && !knownChecks.has(v.trim()))) {
      out.push({ param: key, value: v.slice(0, 80), valid: key === 'check' && ok ? 'an ID from the checks page' : VALID_VALUES[key] });
    }
  }
  return out;
}

/** Sum of fails weighted so critical dominates: sorts "worst first" sensibly. */
function failWeight(p: PipelineReport): number {
  const f = p.failsBySeverity;
  return f.critical * 1e6 + f.high * 1e4 + f.medium * 1e2 + f.low;
}

const GRADE_SORT: Record<string, number> = { A: 0, B: 1, C: 2, D: 3, F: 4 };

function compare(a: PipelineReport, b: PipelineReport, key: SortKey): number {
  switch (key) {
    case 'pipeline':
      return a.name.localeCompare(b.name) || a.namespace.localeCompare(b.namespace);
    case 'namespace':
      return a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
    case 'team':
      return (a.team ?? '\uffff').localeCompare(b.team ?? '\uffff');
    case 'grade':
      return (a.grade ? GRADE_SORT[a.grade] : 5) - (b.grade ? GRADE_SORT[b.grade] : 5);
    case 'score':
      return (a.score ?? -1) - (b.score ?? -1);
    case 'coverage':
      return a.coverage - b.coverage;
    case 'fails':
      return failWeight(a) - failWeight(b);
    case 'lastRun':
      return (a.lastRun?.startTime ?? '').localeCompare(b.lastRun?.startTime ?? '');
    case 'signing':
      return (a.signingRate ?? -1) - (b.signingRate ?? -1);
  }
}

/** Default direction per column: the "interesting" end first (worst score, most fails, newest run). */
export function defaultDir(key: SortKey): 'asc' | 'desc' {
  return key === 'fails' || key === 'lastRun' || key === 'grade' ? 'desc' : 'asc';
}

export function applyScorecard(pipelines: readonly PipelineReport[], q: ScorecardQuery): PipelineReport[] {
  const needle = q.q?.toLowerCase();
  const rows = pipelines.filter((p) => {
    if (q.ns && namespaceSegment(p.namespace) !== q.ns) return false;
    if (q.team && (p.team ?? '') !== q.team) return false;
    if (q.grade && (p.grade ?? 'none') !== q.grade) return false;
    if (q.check && !p.findings.some((f) => f.checkId === q.check && f.outcome === 'fail')) return false;
    if (q.severity && !p.findings.some((f) => f.severity === q.severity && f.outcome === 'fail')) return false;
    if (needle && !`${p.id} ${p.team ?? ''} ${p.serviceAccounts.join(' ')}`.toLowerCase().includes(needle)) return false;
    return true;
  });
  const key = q.sort ?? 'score';
  const dir = q.dir ?? (q.sort ? defaultDir(key) : 'asc');
  const sign = dir === 'asc' ? 1 : -1;
  return rows.sort((a, b) => sign * compare(a, b, key) || a.id.localeCompare(b.id));
}

/**
 * `?a=b&…` for the query with some keys changed (undefined removes a key); '' when nothing is set. `page` is
 * added only when given and past the first, so every other link of the scorecard lands on page 1.
 */
export function scorecardSearch(q: ScorecardQuery, change: Partial<Record<keyof ScorecardQuery, string | undefined>> = {}, page?: number): string {
  const merged: Record<string, string | undefined> = { ...q, ...change };
  const sp = new URLSearchParams();
  for (const key of ['q', 'ns', 'team', 'grade', 'check', 'severity', 'sort', 'dir'] as const) {
    const v = merged[key];
    if (v) sp.set(key, v);
  }
  if (page !== undefined && page > 1) sp.set('page', String(page));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** What the filter menus offer: every namespace and team that has a pipeline, sorted; once per report. */
export const scorecardFacets = memoByIdentity((pipelines: readonly PipelineReport[]): { namespaces: string[]; teams: string[] } => ({
  // As URL segments: the unspecified namespace of files is `_` (an empty value would mean "all").
  namespaces: [...new Set(pipelines.map((p) => namespaceSegment(p.namespace)))].sort(),
  teams: [...new Set(pipelines.map((p) => p.team).filter((t): t is string => Boolean(t)))].sort(),
}));

export function isFiltered(q: ScorecardQuery): boolean {
  return Boolean(q.q || q.ns || q.team || q.grade || q.check || q.severity);
}

/** The report restricted to the query's pipelines, its summary recomputed over them (exports). */
export function filteredReport(report: Report, q: ScorecardQuery): Report {
  if (!isFiltered(q) && !q.sort) return report;
  const pipelines = applyScorecard(report.pipelines, q);
  const roll = rollUp(pipelines);
  return {
    ...report,
    summary: {
      score: roll.score,
      grade: roll.grade,
      coverage: Math.round(roll.coverage * 1000) / 1000,
      incomplete: roll.coverage < INCOMPLETE_BELOW,
      pipelines: pipelines.length,
      worstPipeline: roll.worst?.id ?? null,
    },
    pipelines,
  };
}

/** The list API's row: everything but the findings. */
export function withoutFindings(p: PipelineReport): Omit<PipelineReport, 'findings'> {
  const { findings: _findings, ...rest } = p;
  return rest;
}
