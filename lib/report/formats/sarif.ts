import type { Check, Finding, Severity } from '../../checks/types';
import type { Report } from '../types';

const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.0', high: '7.0', medium: '4.0', low: '1.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };

function fingerprint(subject: string, f: Finding): string {
  const first = f.evidence[0];
  const s = `${f.checkId}|${subject}|${first ? `${first.kind}/${first.namespace ?? ''}/${first.name}/${first.path}` : ''}`;
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** SARIF 2.1.0: one rule per check (stable ruleId = check ID), one result per failing or warning finding. */
export function toSarif(report: Report, checks: readonly Check[], version = '0.1.0'): object {
  const rules = checks.map((c) => ({
    id: c.id,
    name: c.title.replace(/[^A-Za-z0-9]+/g, ''),
    shortDescription: { text: c.title },
    fullDescription: { text: c.rationale },
    help: { text: c.remediation, markdown: `**${c.title}** (${c.severity})\n\n${c.rationale}\n\n${c.remediation}\n\nSource: ${c.source}` },
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: { 'security-severity': SECURITY_SEVERITY[c.severity], tags: ['security', 'tekton', c.category], precision: 'high' },
  }));
  const subjects = [
    ...report.pipelines.map((p) => ({ id: p.id, findings: p.findings })),
    { id: 'platform', findings: report.platform.findings },
  ];
  const results = subjects.flatMap((s) =>
    s.findings
      .filter((f) => f.outcome === 'fail' || f.outcome === 'warn')
      .map((f) => {
        const located = f.evidence.filter((e) => e.file);
        const locations = (located.length ? located : f.evidence.slice(0, 1)).slice(0, 10).map((e) =>
          e.file
            ? {
                physicalLocation: { artifactLocation: { uri: e.file.replace(/\\/g, '/') }, region: { startLine: e.line ?? 1 } },
                logicalLocations: [{ name: `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}`, fullyQualifiedName: e.path, kind: 'object' }],
              }
            : { logicalLocations: [{ name: `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}`, fullyQualifiedName: e.path, kind: 'object' }] },
        );
        return {
          ruleId: f.checkId,
          level: f.outcome === 'warn' ? 'warning' : LEVEL[f.severity],
          message: { text: `${s.id}: ${f.message}` },
          locations,
          partialFingerprints: { 'tektonPosture/v1': fingerprint(s.id, f) },
          properties: { subject: s.id, outcome: f.outcome, severity: f.severity },
        };
      }),
  );
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'tekton-posture', informationUri: 'https://github.com/tekton-posture/tekton-posture', version, rules } },
        automationDetails: { id: `tekton-posture/${report.source.kind}/` },
        results,
      },
    ],
  };
}
