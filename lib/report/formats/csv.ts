import { neutralizeBidi } from '../../model/bidi';
import type { Report } from '../types';

// Control characters (ESC sequences, NUL) survive into spreadsheets and terminals that `cat` the file.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * Quotes a CSV field; cells that a spreadsheet would run as a formula are prefixed with a quote, control
 * characters become U+FFFD and bidi controls a visible marker.
 */
export function csvField(v: unknown): string {
  let s = neutralizeBidi((v === null || v === undefined ? '' : String(v)).replace(CONTROL, '\uFFFD'));
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = ['subject', 'namespace', 'team', 'score', 'grade', 'checkId', 'title', 'category', 'severity', 'outcome', 'message', 'evidence'];

/** One row per finding (every check, every pipeline, and the platform card). */
export function toCsv(report: Report): string {
  const rows = [CSV_COLUMNS.join(',')];
  const subjects = [
    ...report.pipelines.map((p) => ({ subject: p.id, namespace: p.namespace, team: p.team, score: p.score, grade: p.grade, findings: p.findings })),
    { subject: 'platform', namespace: '', team: '', score: report.platform.score, grade: report.platform.grade, findings: report.platform.findings },
  ];
  for (const s of subjects) {
    for (const f of s.findings) {
      const evidence = f.evidence.map((e) => `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name} · ${e.path}${e.value ? ` = ${e.value}` : ''}`).join(' | ');
      rows.push([s.subject, s.namespace, s.team ?? '', s.score ?? '', s.grade ?? '', f.checkId, f.title, f.category, f.severity, f.outcome, f.message, evidence].map(csvField).join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}
