import { CATEGORY_LABELS, type Category, type Check } from '../checks/types';

/**
 * docs/CHECKS.md: the catalog as users read it (SARIF rules link each check's entry through `helpUri`), generated
 * from the registry so it cannot drift: `npx tsx scripts/render-checks-doc.ts`, checked by checks-doc.test.ts.
 */
export function checksDoc(checks: readonly Check[]): string {
  const out = [
    '# The Tekton Posture checks',
    '',
    '<!-- GENERATED from lib/checks by `npx tsx scripts/render-checks-doc.ts`; do not edit. -->',
    '',
    `${checks.length} checks. IDs are stable: reports, waivers, SARIF rules and metrics key on them. Outcomes, scoring and`,
    'the catalog\'s rules are in [ARCHITECTURE.md](../ARCHITECTURE.md) and `lib/score/score.ts`.',
    '',
  ];
  const categories = [...new Set(checks.map((c) => c.category))] as Category[];
  for (const cat of categories) {
    out.push(`## ${CATEGORY_LABELS[cat]}`, '');
    for (const c of checks.filter((x) => x.category === cat)) {
      out.push(`### ${c.id} ${c.title}`, '', `**Severity:** ${c.severity} · **Scope:** ${c.scope} · **Source:** ${c.source}`, '', c.rationale, '', '**Remediation**', '', c.remediation, '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
