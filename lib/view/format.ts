/** Formatting helpers shared by every view. Pure: no clock, no locale surprises (times are shown in UTC). */
import type { Outcome, Severity } from '../checks/types';
import type { ChainsState, RunStatus } from '../model/types';
import type { Grade } from '../score/score';

export const GRADES: readonly Grade[] = ['A', 'B', 'C', 'D', 'F'];
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
export const OUTCOMES: readonly Outcome[] = ['fail', 'warn', 'unknown', 'pass', 'waived', 'not-applicable'];

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
export const OUTCOME_RANK: Record<Outcome, number> = { fail: 0, warn: 1, unknown: 2, waived: 3, pass: 4, 'not-applicable': 5 };

export const OUTCOME_LABELS: Record<Outcome, string> = {
  pass: 'Pass',
  fail: 'Fail',
  warn: 'Warn',
  unknown: 'Unknown',
  'not-applicable': 'N/A',
  waived: 'Waived',
};

export const CHAINS_LABELS: Record<ChainsState, string> = {
  'signed-verified': 'Signature verified',
  'signed-with-evidence': 'Signed with evidence',
  'marked-signed': 'Marked signed only',
  failed: 'Signing failed',
  retrying: 'Retrying',
  pending: 'Never seen by Chains',
  'not-finished': 'Not finished',
  'not-signable': 'Not signable',
};

export const CHAINS_ORDER: readonly ChainsState[] = [
  'signed-verified',
  'signed-with-evidence',
  'marked-signed',
  'failed',
  'retrying',
  'pending',
  'not-finished',
  'not-signable',
];

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  running: 'Running',
  pending: 'Pending',
  unknown: 'Unknown',
};

export function pct(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(digits)}%`;
}

export function scoreText(score: number | null | undefined): string {
  if (score === null || score === undefined) return 'no score';
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

/** `2026-11-22 12:00 UTC`; invalid or missing input → an em dash. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2026-11-22 12:00` (UTC, for table cells whose header says so). */
export function formatShort(iso: string | null | undefined): string {
  const t = formatTime(iso);
  return t.endsWith(' UTC') ? t.slice(0, -4) : t;
}

export function formatTimeSeconds(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * How long before the report time something happened: `3 minutes ago`, `12 days ago`. Measured against the
 * report's `generatedAt`, never the viewer's clock, so the demo (scored at its snapshot time) reads as it did the day
 * it was taken. A time after the report time reads `just now`; invalid or missing input → an em dash.
 */
export function timeAgo(iso: string | null | undefined, reportTime: string | null | undefined): string {
  if (!iso || !reportTime) return '—';
  const ms = Date.parse(reportTime) - Date.parse(iso);
  if (!Number.isFinite(ms)) return '—';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${plural(minutes, 'minute')} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${plural(hours, 'hour')} ago`;
  return `${plural(Math.floor(hours / 24), 'day')} ago`;
}

/** Duration between two times, e.g. `4m 12s`. */
export function duration(start: string | null | undefined, end: string | null | undefined): string {
  if (!start || !end) return '—';
  const ms = new Date(end).getTime() - new Date(start).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Cuts very long cluster strings for table cells (the full value stays in the title attribute). */
export function clip(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
