import type { Report } from '../types';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Terminal text: control characters and bidi overrides from cluster strings are neutralised. */
export function termSafe(s: string): string {
  return s.replace(CONTROL, '?');
}

function pad(s: string, n: number): string {
  const t = termSafe(s);
  return t.length > n ? `${t.slice(0, n - 1)}…` : t.padEnd(n);
}

function pct(n: number): string {
  return `${Math.round(n * 100)}%`;
}

/** A readable table for terminals: summary, platform card, one row per pipeline, then the failed checks. */
export function toTable(report: Report, opts: { details?: boolean } = {}): string {
  const lines: string[] = [];
  const s = report.summary;
  lines.push(`Tekton Posture — ${report.source.kind}${report.source.detail ? ` (${termSafe(report.source.detail)})` : ''}`);
  lines.push(`Cluster: ${s.grade ?? '—'} ${s.score ?? '—'}/100, coverage ${pct(s.coverage)}${s.incomplete ? ' (incomplete)' : ''}, ${s.pipelines} pipelines`);
  const p = report.platform;
  lines.push(`Platform card: ${p.grade ?? '—'} ${p.score ?? '—'}/100, coverage ${pct(p.coverage)}${p.cap ? ` (${p.cap})` : ''}`);
  for (const f of p.findings.filter((x) => x.outcome !== 'pass')) lines.push(`  ${pad(f.outcome.toUpperCase(), 8)} ${f.checkId} ${termSafe(f.title)}: ${termSafe(f.message)}`);
  lines.push('');
  lines.push(`${pad('PIPELINE', 48)} ${pad('TEAM', 12)} GRADE SCORE  COVER  CRIT HIGH MED LOW`);
  for (const r of report.pipelines) {
    const fs = r.failsBySeverity;
    lines.push(
      `${pad(r.subjectKind ? `[${r.subjectKind === 'stepaction' ? 'StepAction' : 'Task'}] ${r.id}` : r.id, 48)} ${pad(r.team ?? '-', 12)} ${pad(r.grade ?? '—', 5)} ${pad(r.score === null ? '—' : String(r.score), 6)} ${pad(pct(r.coverage) + (r.incomplete ? '*' : ''), 6)} ${pad(String(fs.critical), 4)} ${pad(String(fs.high), 4)} ${pad(String(fs.medium), 3)} ${fs.low}`,
    );
  }
  if (report.pipelines.some((r) => r.incomplete)) lines.push('* coverage under 80%: the score is incomplete');
  if (opts.details !== false) {
    for (const r of report.pipelines) {
      const failed = r.findings.filter((f) => f.outcome === 'fail');
      if (failed.length === 0) continue;
      lines.push('', `${termSafe(r.id)}:`);
      for (const f of failed) {
        lines.push(`  FAIL ${f.checkId} [${f.severity}] ${termSafe(f.title)}: ${termSafe(f.message)}`);
        const at = f.evidence.find((e) => e.file);
        if (at) lines.push(`       at ${termSafe(at.file ?? '')}${at.line ? `:${at.line}` : ''} ${termSafe(at.path)}${f.evidence.length > 1 ? ` (+${f.evidence.length - 1} more)` : ''}`);
      }
    }
  }
  if (report.loadIssues.length) {
    lines.push('', `${report.loadIssues.length} load issue(s) (documents skipped, ambiguous references):`);
    for (const i of report.loadIssues.slice(0, 50)) lines.push(`  ${i.file ? `${termSafe(i.file)}${i.line ? `:${i.line}` : ''}: ` : ''}${termSafe(i.message)}`);
  }
  if (report.gaps.length) {
    lines.push('', 'Data gaps (checks fed by these are unknown):');
    for (const g of report.gaps) lines.push(`  ${g.kind}${g.namespace ? ` in ${g.namespace}` : ''}: ${g.reason} ${termSafe(g.message)}`);
  }
  return `${lines.join('\n')}\n`;
}
