import type { Check, Finding, Severity } from '../../checks/types';
import type { Evidence } from '../../model/types';
import { VERSION } from '../../version';
import type { PipelineReport, Report } from '../types';

/**
 * SARIF 2.1.0 as GitHub code scanning ingests it (and any other consumer reads it): one rule per check (ruleId =
 * the stable check ID, `helpUri` to its catalog entry, the policy-adjusted severity), one result per failing or
 * warning finding.
 *
 * - Every result of a files scan has a physical location: the file and line of the offending field, else the file
 *   that defines the subject. GitHub rejects a whole upload when one result has none, so a finding with no file in
 *   sight (a cluster object, the platform card without its ConfigMaps) is left out and counted in the run's
 *   `properties.omittedResults`. A live scan has no files at all: its results keep logical locations only (that SARIF
 *   is for archiving and other tools, not for code scanning).
 * - Namespace guardrail findings are about the namespace, not about each pipeline in it: one result per namespace
 *   and check, naming the pipelines it covers (NSG-005 once produced 477 identical results on one line).
 * - At most MAX_RESULTS results (GitHub keeps 5,000 per run), most severe first; the rest are counted.
 * - `partialFingerprints` derive from the stable subject ID and the evidence (object, path), so adding an unrelated
 *   file leaves every existing alert's fingerprint alone.
 */

export interface SarifOptions {
  /** Maps an evidence file (as the report holds it: relative to the working directory) to the artifact URI. */
  uriOf?: (file: string) => string;
  /** The policy's severity overrides (`severityOverrides`): the rules carry the severity the findings have. */
  severityOverrides?: Readonly<Record<string, Severity>>;
  version?: string;
}

export const MAX_RESULTS = 5000;
export const CHECKS_DOC_URL = 'https://github.com/tekton-posture/tekton-posture/blob/main/docs/CHECKS.md';

const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.0', high: '7.0', medium: '4.0', low: '1.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const MAX_RELATED = 9;

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function fingerprint(subject: string, f: Finding): string {
  const first = f.evidence[0];
  return hash(`${f.checkId}|${subject}|${first ? `${first.kind}/${first.namespace ?? ''}/${first.name}/${first.path}` : ''}`);
}

/** The catalog anchor GitHub-flavoured markdown gives the heading `### IDN-001 …`. */
export function checkAnchor(c: Pick<Check, 'id' | 'title'>): string {
  return `${c.id} ${c.title}`
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

const objectName = (e: Evidence) => `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}`;

interface Located {
  uri: string;
  line: number;
  evidence: Evidence | null;
}

type SarifLocation = Record<string, unknown>;

function physical(l: Located, id?: number): SarifLocation {
  return {
    ...(id !== undefined ? { id } : {}),
    physicalLocation: { artifactLocation: { uri: l.uri }, region: { startLine: Math.max(1, l.line) } },
    ...(l.evidence
      ? {
          logicalLocations: [{ name: objectName(l.evidence), fullyQualifiedName: l.evidence.path, kind: 'object' }],
          ...(id !== undefined ? { message: { text: `${objectName(l.evidence)} · ${l.evidence.path}${l.evidence.value ? ` = ${l.evidence.value}` : ''}` } } : {}),
        }
      : {}),
  };
}

interface Subject {
  id: string;
  namespace: string | null;
  source?: PipelineReport['source'];
  findings: Finding[];
}

export function toSarif(report: Report, checks: readonly Check[], opts: SarifOptions = {}): object {
  const uriOf = opts.uriOf ?? ((f: string) => f);
  const normalise = (file: string) => uriOf(file).replace(/\\/g, '/').replace(/^\.\//, '');
  const severityOf = (c: Check): Severity => opts.severityOverrides?.[c.id] ?? c.severity;
  const live = report.source.kind === 'live';
  const rules = checks.map((c) => ({
    id: c.id,
    name: c.title.replace(/[^A-Za-z0-9]+/g, ''),
    shortDescription: { text: c.title },
    fullDescription: { text: c.rationale },
    helpUri: `${CHECKS_DOC_URL}#${checkAnchor(c)}`,
    help: { text: c.remediation, markdown: `**${c.title}** (${severityOf(c)})\n\n${c.rationale}\n\n${c.remediation}\n\nSource: ${c.source}` },
    defaultConfiguration: { level: LEVEL[severityOf(c)] },
    properties: { 'security-severity': SECURITY_SEVERITY[severityOf(c)], tags: ['security', 'tekton', c.category], precision: 'high' },
  }));
  const category = new Map(checks.map((c) => [c.id, c.category]));
  const subjects: Subject[] = [
    ...report.pipelines.map((p) => ({ id: p.id, namespace: p.namespace, source: p.source, findings: p.findings })),
    { id: 'platform', namespace: null, findings: report.platform.findings },
  ];

  type Draft = { key: string; severity: Severity; result: Record<string, unknown>; subjects: string[] };
  const drafts = new Map<string, Draft>();
  const omitted = new Map<string, number>();
  for (const s of subjects) {
    for (const f of s.findings) {
      if (f.outcome !== 'fail' && f.outcome !== 'warn') continue;
      const located: Located[] = f.evidence.filter((e) => e.file).map((e) => ({ uri: normalise(e.file as string), line: e.line ?? 1, evidence: e }));
      if (located.length === 0 && s.source) located.push({ uri: normalise(s.source.file), line: s.source.line ?? 1, evidence: null });
      const perNamespace = category.get(f.checkId) === 'namespace' && !!s.namespace;
      // One alert per offending field: a shared Task's unpinned image is one finding however many pipelines use it.
      const first = located[0];
      const field = first?.evidence ? `${first.evidence.kind}/${first.evidence.namespace ?? ''}/${first.evidence.name}/${first.evidence.path}` : null;
      const key = perNamespace
        ? `${f.checkId}\u0000ns:${s.namespace}\u0000${f.message}`
        : first && field
          ? `${f.checkId}\u0000${first.uri}\u0000${field}`
          : `${f.checkId}\u0000${s.id}\u0000${f.message}`;
      const existing = drafts.get(key);
      if (existing) {
        existing.subjects.push(s.id);
        continue;
      }
      if (located.length === 0 && !live) {
        omitted.set(f.checkId, (omitted.get(f.checkId) ?? 0) + 1);
        continue;
      }
      const locations = located.length
        ? [physical(located[0])]
        : f.evidence.slice(0, 1).map((e) => ({ logicalLocations: [{ name: objectName(e), fullyQualifiedName: e.path, kind: 'object' }] }));
      const related = located.slice(1, 1 + MAX_RELATED).map((l, i) => physical(l, i + 1));
      drafts.set(key, {
        key,
        severity: f.severity,
        subjects: [s.id],
        result: {
          ruleId: f.checkId,
          level: f.outcome === 'warn' ? 'warning' : LEVEL[f.severity],
          message: { text: perNamespace ? `Namespace ${s.namespace}: ${f.message}` : `${s.id}: ${f.message}` },
          locations,
          ...(related.length ? { relatedLocations: related } : {}),
          partialFingerprints: { 'tektonPosture/v1': perNamespace || field ? hash(key) : fingerprint(s.id, f) },
          properties: { subject: s.id, outcome: f.outcome, severity: f.severity },
        },
      });
    }
  }
  const all = [...drafts.values()].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const kept = all.slice(0, MAX_RESULTS);
  const results = kept.map((d) => {
    if (d.subjects.length === 1) return d.result;
    const props = d.result.properties as Record<string, unknown>;
    const message = d.result.message as { text: string };
    const others = d.subjects.length - 1;
    const text = message.text.startsWith('Namespace ') ? `${message.text} (${d.subjects.length} pipelines)` : `${message.text} (and ${others} more subject${others === 1 ? '' : 's'} with the same finding here)`;
    return { ...d.result, message: { text }, properties: { ...props, subject: undefined, subjects: d.subjects } };
  });
  const omittedCount = [...omitted.values()].reduce((a, b) => a + b, 0);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'tekton-posture', informationUri: 'https://github.com/tekton-posture/tekton-posture', version: opts.version ?? VERSION, semanticVersion: opts.version ?? VERSION, rules } },
        automationDetails: { id: `tekton-posture/${report.source.kind}/` },
        results,
        properties: {
          ...(omittedCount ? { omittedResults: { count: omittedCount, reason: 'no file in sight for the evidence or the subject (cluster-only objects)', byRule: Object.fromEntries(omitted) } } : {}),
          ...(all.length > kept.length ? { truncatedResults: { count: all.length - kept.length, reason: `more than ${MAX_RESULTS} results: the most severe are kept` } } : {}),
        },
      },
    ],
  };
}
