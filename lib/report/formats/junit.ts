import type { Check } from '../../checks/types';
import type { Report } from '../types';

function xml(s: string): string {
  // Drop characters XML 1.0 cannot carry at all, then escape the markup ones.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JUnit XML: a testsuite per check, a testcase per subject, a failure per failed finding (unknown → skipped). */
export function toJunit(report: Report, checks: readonly Check[]): string {
  const subjects = [...report.pipelines.map((p) => ({ id: p.id, findings: p.findings })), { id: 'platform', findings: report.platform.findings }];
  const suites = checks.map((c) => {
    const cases = subjects.flatMap((s) => s.findings.filter((f) => f.checkId === c.id).map((f) => ({ subject: s.id, f })));
    const failures = cases.filter((x) => x.f.outcome === 'fail').length;
    const skipped = cases.filter((x) => x.f.outcome !== 'fail' && x.f.outcome !== 'pass').length;
    const body = cases
      .map(({ subject, f }) => {
        const inner =
          f.outcome === 'fail'
            ? `<failure message="${xml(f.message)}" type="${f.severity}">${xml(f.evidence.map((e) => `${e.kind} ${e.namespace ?? ''}/${e.name} ${e.path}${e.file ? ` (${e.file}${e.line ? `:${e.line}` : ''})` : ''}`).join('\n'))}</failure>`
            : f.outcome === 'pass'
              ? ''
              : `<skipped message="${xml(`${f.outcome}: ${f.message}`)}"/>`;
        return `    <testcase classname="${xml(c.id)}" name="${xml(subject)}">${inner}</testcase>`;
      })
      .join('\n');
    return `  <testsuite name="${xml(`${c.id} ${c.title}`)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n${body}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="tekton-posture">\n${suites.join('\n')}\n</testsuites>\n`;
}
