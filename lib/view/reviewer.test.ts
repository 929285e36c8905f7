import { describe, expect, it } from 'vitest';
import { finding, pipeline } from './testing';
import type { ChainsInfo, K8sObject } from '../model/types';
import type { Report } from '../report/types';
import { signingLabel } from './chains';
import { failsBySeverity, severeFindings } from './insights';
import { describeMissing, notFoundTitle } from './not-found';
import { applyScorecard, parseScorecardQuery, scorecardQueryProblems, scorecardSearch } from './scorecard';


const PIPELINES = [
  pipeline('a/one', [finding('STP-005', 'critical', 'fail'), finding('STP-003', 'medium', 'fail'), finding('SUP-001', 'high', 'warn')]),
  pipeline('a/two', [finding('SUP-002', 'high', 'fail'), finding('STP-003', 'medium', 'fail')]),
  // Waived and warned criticals are not fails: a precision trap for the card and the filter.
  pipeline('a/three', [finding('STP-005', 'critical', 'waived'), finding('STP-001', 'critical', 'warn'), finding('STP-008', 'low', 'fail')]),
];

describe('critical and high findings', () => {
  const report = { pipelines: PIPELINES, platform: { findings: [] } } as unknown as Report;

  it('lists failed critical and high findings only, most severe first', () => {
    expect(severeFindings(report).map((f) => `${f.pipelineId} ${f.checkId}`)).toEqual(['a/one STP-005', 'a/two SUP-002']);
  });

  it('counts fails and failing pipelines per severity', () => {
    const s = failsBySeverity(report);
    expect(s.critical).toEqual({ findings: 1, pipelines: 1 });
    expect(s.medium).toEqual({ findings: 2, pipelines: 2 });
    expect(s.low).toEqual({ findings: 1, pipelines: 1 });
  });

  it('filters the scorecard by a failed finding of a severity', () => {
    const q = parseScorecardQuery({ severity: 'critical' });
    expect(applyScorecard(PIPELINES, q).map((p) => p.id)).toEqual(['a/one']);
    expect(scorecardSearch(q)).toBe('?severity=critical');
    expect(applyScorecard(PIPELINES, parseScorecardQuery({ severity: 'low' })).map((p) => p.id)).toEqual(['a/three']);
  });
});

describe('ignored scorecard parameters are named', () => {
  it('names each bad value with the valid ones', () => {
    const problems = scorecardQueryProblems({ grade: 'Q', severity: 'huge', sort: 'score' });
    expect(problems.map((p) => p.param)).toEqual(['grade', 'severity']);
    expect(problems[0].valid).toBe('A, B, C, D, F or none');
  });

  it('a well-formed check ID that is not in the catalog is a problem; a known one is not', () => {
    const known = new Set(['SEC-001']);
    expect(scorecardQueryProblems({ check: 'XYZ-999' }, known).map((p) => p.param)).toEqual(['check']);
    expect(scorecardQueryProblems({ check: 'SEC-001' }, known)).toEqual([]);
  });

  it('valid parameters raise nothing', () => {
    expect(scorecardQueryProblems(new URLSearchParams('grade=none&ns=_&dir=desc&q=x'))).toEqual([]);
  });
});

describe('404 pages name what was looked for', () => {
  it('names the kind, the name and the namespace', () => {
    expect(describeMissing('/pipelines/nope/nothing').what).toBe('pipeline nothing in namespace nope');
    expect(describeMissing('/runs/_/r1').what).toBe('run r1 in the unspecified namespace');
    expect(describeMissing('/checks/XYZ-999').what).toBe('check XYZ-999');
    expect(describeMissing('/teams/a%20b').what).toBe('team a b');
    expect(notFoundTitle('/namespaces/ghost')).toBe('Not found: namespace ghost');
  });

  it('an unknown address is a page, and hostile input stays short', () => {
    expect(describeMissing('/nowhere').what).toBe('page /nowhere');
    expect(describeMissing(`/teams/${'x'.repeat(5000)}`).what.length).toBeLessThan(140);
    expect(describeMissing('/teams/%E0%A4%A').what).toContain('team');
  });
});

describe('signing in precise words', () => {
  const chains = (state: ChainsInfo['state'], extra: Partial<ChainsInfo> = {}): ChainsInfo => ({
    state, signed: 'true', retries: null, transparencyUrl: null, payloadKeys: [], signatureKeys: [], hasChainsFinalizer: false, ...extra,
  });
  const object = (annotations: Record<string, string>) => ({ annotations }) as unknown as K8sObject;
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');

  it('a statement without subjects is attestation only', () => {
    const o = object({ 'chains.tekton.dev/payload-pipelinerun-x': b64({ _type: 'https://in-toto.io/Statement/v0.1', subject: [] }) });
    expect(signingLabel({ chains: chains('signed-with-evidence'), object: o, completionTime: null }, null, 'Signed with evidence')).toBe('Signed: attestation only (no subjects)');
  });

  it('a statement with a subject, or an undecodable payload, keeps the plain label (trap)', () => {
    const withSubject = object({ 'chains.tekton.dev/payload-pipelinerun-x': b64({ subject: [{ name: 'img', digest: { sha256: 'ab' } }] }) });
    expect(signingLabel({ chains: chains('signed-with-evidence'), object: withSubject, completionTime: null }, null, 'Signed with evidence')).toBe('Signed with evidence');
    const notKept = object({ 'chains.tekton.dev/signature-pipelinerun-x': 'sig' });
    expect(signingLabel({ chains: chains('signed-with-evidence'), object: notKept, completionTime: null }, null, 'Signed with evidence')).toBe('Signed with evidence');
  });

  it('a run Chains never annotated says for how long, against the report time', () => {
    const run = { chains: chains('pending', { signed: null }), object: object({}), completionTime: '2026-11-05T10:00:00Z' };
    expect(signingLabel(run, '2026-11-22T12:00:00Z', 'x')).toBe('Never seen by Chains (17 d)');
    expect(signingLabel(run, '2026-11-05T10:30:00Z', 'x')).toBe('Not yet seen by Chains (30 min)');
    expect(signingLabel(run, '2026-11-05T12:00:00Z', 'x')).toBe('Never seen by Chains (2 h)');
    expect(signingLabel({ ...run, completionTime: null }, '2026-11-22T12:00:00Z', 'x')).toBe('Never seen by Chains');
  });
});
