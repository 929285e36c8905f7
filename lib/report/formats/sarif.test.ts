import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/registry';
import { scan } from '../../engine/scan';
import { loadYamlText } from '../../model/load';
import { defaultPolicy } from '../../policy/defaults';
import { loadDemo } from '../../../server/sources/demo';
import { CHECKS_DOC_URL, MAX_RESULTS, toSarif } from './sarif';

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: { physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
  properties: { subject?: string; subjects?: string[] };
}
interface SarifLog {
  runs: { tool: { driver: { rules: { id: string; helpUri: string; properties: Record<string, string>; defaultConfiguration: { level: string } }[] } }; results: SarifResult[]; properties: Record<string, unknown> }[];
}

// The official SARIF 2.1.0 schema, as the SARIF SDK ships it.
const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('@microsoft/sarif-multitool-linux/sarif-2.1.0.json'), 'utf8'));
const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);

const demoSarif = () => {
  const { objects } = loadDemo();
  return toSarif(scan({ objects, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind: 'demo' } }).report, CHECKS) as SarifLog;
};

/** What GitHub code scanning requires of an upload (its ingestion rules), beyond the schema. */
function githubProblems(log: SarifLog): string[] {
  const problems: string[] = [];
  for (const run of log.runs) {
    if (run.results.length > MAX_RESULTS) problems.push(`${run.results.length} results (GitHub keeps ${MAX_RESULTS})`);
    for (const r of run.results) {
      const loc = r.locations[0]?.physicalLocation;
      if (!loc?.artifactLocation?.uri) problems.push(`${r.ruleId}: no physical location (${r.message.text.slice(0, 60)})`);
      else if (/^\/|^[a-z]+:/i.test(loc.artifactLocation.uri)) problems.push(`${r.ruleId}: absolute uri ${loc.artifactLocation.uri}`);
      if (!loc?.region || loc.region.startLine < 1) problems.push(`${r.ruleId}: no region`);
      if (!r.partialFingerprints?.['tektonPosture/v1']) problems.push(`${r.ruleId}: no fingerprint`);
    }
    for (const rule of run.tool.driver.rules) {
      if (!rule.helpUri?.startsWith(CHECKS_DOC_URL)) problems.push(`${rule.id}: no helpUri`);
      if (!rule.properties['security-severity']) problems.push(`${rule.id}: no security-severity`);
    }
  }
  return problems;
}

describe('SARIF', () => {
  it('the demo validates against the official SARIF 2.1.0 schema and GitHub’s ingestion rules', () => {
    const log = demoSarif();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(githubProblems(log)).toEqual([]);
    expect(log.runs[0].results.length).toBeGreaterThan(50);
  });

  it('reports a namespace guardrail once per namespace, naming the pipelines it covers', () => {
    const log = demoSarif();
    const quota = log.runs[0].results.filter((r) => r.ruleId === 'NSG-003');
    const namespaces = quota.map((r) => r.message.text.split(':')[0]);
    expect(new Set(namespaces).size).toBe(namespaces.length);
    expect(quota.some((r) => (r.properties.subjects?.length ?? 0) > 1)).toBe(true);
  });

  it('puts a finding without a file of its own at the subject’s file, and leaves out (counted) what has none', () => {
    const text = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: r1, namespace: ci}
spec:
  pipelineSpec:
    tasks:
      - name: t
        taskSpec: {steps: [{name: s, image: alpine}]}
status: {completionTime: "2026-11-20T10:00:00Z", conditions: [{type: Succeeded, status: "True"}]}
`;
    const { objects } = loadYamlText(text, 'runs/r1.yaml');
    const log = toSarif(scan({ objects, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind: 'files' } }).report, CHECKS) as SarifLog;
    expect(githubProblems(log)).toEqual([]);
    const uris = new Set(log.runs[0].results.map((r) => r.locations[0].physicalLocation!.artifactLocation.uri));
    expect([...uris]).toEqual(['runs/r1.yaml']);
    // PLT-001 (no Chains config anywhere) is about the cluster: no file to put it at.
    expect(log.runs[0].properties.omittedResults).toMatchObject({ byRule: { 'PLT-001': 1 } });
  });

  it('rules carry the policy-adjusted severity and a link to the catalog entry', () => {
    const { objects } = loadDemo();
    const report = scan({ objects, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind: 'demo' } }).report;
    const log = toSarif(report, CHECKS, { severityOverrides: { 'SUP-009': 'critical' } }) as SarifLog;
    const rule = log.runs[0].tool.driver.rules.find((r) => r.id === 'SUP-009')!;
    expect(rule.properties['security-severity']).toBe('9.0');
    expect(rule.defaultConfiguration.level).toBe('error');
    expect(rule.helpUri).toBe(`${CHECKS_DOC_URL}#sup-009-images-scanned`);
  });

  it('maps file URIs through uriOf (the CLI’s --sarif-root)', () => {
    const { objects } = loadDemo();
    const report = scan({ objects, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind: 'demo' } }).report;
    const log = toSarif(report, CHECKS, { uriOf: (f) => `deploy/snapshot/${f}` }) as SarifLog;
    expect(log.runs[0].results.every((r) => r.locations[0].physicalLocation!.artifactLocation.uri.startsWith('deploy/snapshot/'))).toBe(true);
  });
});
