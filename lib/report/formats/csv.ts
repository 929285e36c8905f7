import type { Evidence } from '../../model/types';
import type { Report } from '../types';

/** Quotes a CSV field; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = ['subject', 'namespace', 'team', 'score', 'grade', 'checkId', 'title', 'category', 'severity', 'outcome', 'message', 'evidence'];

/** ` (file:line)` when the evidence was read from a file. */
function where(e: Evidence): string {
  if (!e.file) return '';
  return ` (${e.file}${e.line ? `:${e.line}` : ''})`;
}

/** One row per finding (every check, every pipeline, and the platform card). */
export function toCsv(report: Report): string {
  const rows = [CSV_COLUMNS.join(',')];
  const subjects = [
    ...report.pipelines.map((p) => ({ subject: p.id, namespace: p.namespace, team: p.team, score: p.score, grade: p.grade, findings: p.findings })),
    { subject: 'platform', namespace: '', team: '', score: report.platform.score, grade: report.platform.grade, findings: report.platform.findings },
  ];
  for (const s of subjects) {
    for (const f of s.findings) {
      const evidence = f.evidence.map((e) => `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name} · ${e.path}${e.value ? ` = ${e.value}` : ''}${where(e)}`).join(' | ');
      rows.push([s.subject, s.namespace, s.team ?? '', s.score ?? '', s.grade ?? '', f.checkId, f.title, f.category, f.severity, f.outcome, f.message, evidence].map(csvField).join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}
