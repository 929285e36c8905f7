import type { Check } from '../../checks/types';
import type { Report } from '../types';
import { toSarif, type SarifOptions } from './sarif';

/**
 * GitLab Code Quality (the `codequality` report artifact of a merge request): one issue per SARIF result, so the
 * same rules decide what is reported and where (every issue has a file and line, one per offending field, one per
 * namespace for guardrails, findings with no file left out). GitLab's severities: info, minor, major, critical,
 * blocker.
 */
const SEVERITY: Record<string, string> = { critical: 'critical', high: 'major', medium: 'minor', low: 'info' };

interface SarifResultLike {
  ruleId: string;
  message: { text: string };
  locations: { physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
  properties: { outcome: string; severity: string };
}

export function toCodeQuality(report: Report, checks: readonly Check[], opts: SarifOptions = {}): object[] {
  const log = toSarif(report, checks, opts) as { runs: { results: SarifResultLike[] }[] };
  const titles = new Map(checks.map((c) => [c.id, c.title]));
  return log.runs[0].results.flatMap((r) => {
    const loc = r.locations[0]?.physicalLocation;
    if (!loc) return [];
    return [
      {
        type: 'issue',
        check_name: r.ruleId,
        description: `${r.ruleId} ${titles.get(r.ruleId) ?? ''}: ${r.message.text}`,
        categories: ['Security'],
        severity: r.properties.outcome === 'warn' ? 'minor' : (SEVERITY[r.properties.severity] ?? 'info'),
        fingerprint: `${r.ruleId}-${r.partialFingerprints['tektonPosture/v1']}`,
        location: { path: loc.artifactLocation.uri, lines: { begin: loc.region.startLine } },
      },
    ];
  });
}
