import { describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/registry';
import type { Finding } from '../checks/types';
import { loadYamlText } from '../model/load';
import { defaultPolicy } from '../policy/defaults';
import type { Policy, Waiver } from '../policy/types';
import type { Report } from '../report/types';
import { SEVERITY_WEIGHT } from '../score/score';
import { scan } from './scan';

/**
 * What the policy does to findings and scores: waivers (policy and annotation), severity overrides and disabled
 * checks. The fixture fails SUP-002 (`alpine:latest`) on the pipeline and PLT-006 on the platform card.
 */
const NOW = '2027-01-01T00:00:00.000Z';

function fixture(annotations: Record<string, string> = {}): string {
  const ann = Object.entries(annotations)
    .map(([k, v]) => `\n    ${k}: ${JSON.stringify(v)}`)
    .join('');
  return `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: build
  namespace: team-a
  annotations:
    note: fixture${ann}
spec:
  tasks:
    - name: compile
      taskSpec:
        steps:
          - name: make
            image: alpine:latest
            script: make
---
apiVersion: v1
kind: ConfigMap
metadata: {name: feature-flags, namespace: tekton-pipelines}
data: {set-security-context: "false"}
`;
}

function run(policy: Partial<Policy>, annotations: Record<string, string> = {}, checks = CHECKS): Report {
  const objects = loadYamlText(fixture(annotations), 'fixture.yaml').objects;
  return scan({ objects, policy: defaultPolicy({ now: NOW, ...policy }), source: { kind: 'files' }, checks }).report;
}

const pipelineOf = (r: Report) => r.pipelines.find((p) => p.id === 'team-a/build')!;
const finding = (r: Report, checkId: string): Finding => {
  const f = [...pipelineOf(r).findings, ...r.platform.findings].find((x) => x.checkId === checkId);
  if (!f) throw new Error(`no finding for ${checkId}`);
  return f;
};

const waiver = (w: Partial<Waiver>): Waiver => ({ checkId: 'SUP-002', subject: 'team-a/build', reason: 'vendor image, tracked in SEC-1', owner: 'platform-team', expires: '2027-06-30', ...w });

function weights(findings: Finding[]): { pass: number; fail: number } {
  let pass = 0;
  let fail = 0;
  for (const f of findings) {
    if (f.outcome === 'pass') pass += SEVERITY_WEIGHT[f.severity];
    if (f.outcome === 'fail') fail += SEVERITY_WEIGHT[f.severity];
  }
  return { pass, fail };
}

describe('the fixture', () => {
  it('fails SUP-002 and PLT-006 with no policy', () => {
    const r = run({});
    expect(finding(r, 'SUP-002').outcome).toBe('fail');
    expect(finding(r, 'PLT-006').outcome).toBe('fail');
    expect(finding(r, 'SUP-002').waiver).toBeUndefined();
  });
});

describe('waivers', () => {
  it('a valid waiver turns the fail into waived, names the owner and leaves the score', () => {
    const base = run({});
    const r = run({ waivers: [waiver({})] });
    const f = finding(r, 'SUP-002');
    expect(f.outcome).toBe('waived');
    expect(f.waiver).toMatchObject({ owner: 'platform-team', expires: '2027-06-30', expired: false, expiresSoon: false });
    expect(f.message).toContain('platform-team');
    expect(f.message).toContain('2027-06-30');
    // waived leaves both sides of the score: the fail weight is gone
    const { pass, fail } = weights(base.pipelines[0].findings);
    const expected = Math.round((1000 * pass) / (pass + fail - SEVERITY_WEIGHT.medium)) / 10;
    expect(pipelineOf(r).score).toBe(expected);
    expect(pipelineOf(r).outcomes.waived).toBe(1);
    expect(pipelineOf(r).outcomes.fail).toBe(pipelineOf(base).outcomes.fail - 1);
  });

  it('an expired waiver is a fail whose message names the expiry', () => {
    const r = run({ waivers: [waiver({ expires: '2026-12-15' })] });
    const f = finding(r, 'SUP-002');
    expect(f.outcome).toBe('fail');
    expect(f.waiver).toMatchObject({ expired: true, expiresSoon: false });
    expect(f.message).toMatch(/expired/i);
    expect(f.message).toContain('2026-12-15');
    expect(pipelineOf(r).score).toBe(pipelineOf(run({})).score);
  });

  it('is measured against the report time, not the calendar', () => {
    // the same waiver is valid at one report time and expired at another
    expect(finding(run({ waivers: [waiver({ expires: '2026-06-01' })], now: '2026-01-01T00:00:00Z' }), 'SUP-002').outcome).toBe('waived');
    expect(finding(run({ waivers: [waiver({ expires: '2026-06-01' })], now: '2026-07-01T00:00:00Z' }), 'SUP-002').outcome).toBe('fail');
  });

  it('flags a waiver expiring within 30 days, and not one expiring later', () => {
    const soon = finding(run({ waivers: [waiver({ expires: '2027-01-20' })] }), 'SUP-002');
    expect(soon.outcome).toBe('waived');
    expect(soon.waiver).toMatchObject({ expired: false, expiresSoon: true });
    expect(soon.message).toMatch(/30 days/);
    const later = finding(run({ waivers: [waiver({ expires: '2027-02-05' })] }), 'SUP-002');
    expect(later.outcome).toBe('waived');
    expect(later.waiver?.expiresSoon).toBe(false);
  });

  it('a waiver for another subject, another check or another namespace does nothing', () => {
    for (const w of [waiver({ subject: 'team-a/other' }), waiver({ checkId: 'SUP-001' }), waiver({ subject: 'team-b/*' }), waiver({ subject: 'platform' })]) {
      const f = finding(run({ waivers: [w] }), 'SUP-002');
      expect(f.outcome, JSON.stringify(w)).toBe('fail');
      expect(f.waiver, JSON.stringify(w)).toBeUndefined();
    }
  });

  it('a renewed waiver beside the expired one counts, in either order', () => {
    const old = waiver({ expires: '2026-06-30', owner: 'old-owner' });
    const renewed = waiver({ expires: '2027-06-30', owner: 'new-owner' });
    for (const waivers of [[old, renewed], [renewed, old]]) {
      const f = finding(run({ waivers }), 'SUP-002');
      expect(f.outcome).toBe('waived');
      expect(f.waiver?.owner).toBe('new-owner');
    }
  });

  it('a namespace waiver (ns/*) covers the pipelines of that namespace', () => {
    expect(finding(run({ waivers: [waiver({ subject: 'team-a/*' })] }), 'SUP-002').outcome).toBe('waived');
  });

  it('a waiver on a passing check leaves it passing', () => {
    const f = finding(run({ waivers: [waiver({ checkId: 'WSP-005' })] }), 'WSP-005');
    expect(f.outcome).toBe('pass');
    expect(f.waiver).toBeUndefined();
  });

  it('platform waivers apply to the platform card only', () => {
    const r = run({ waivers: [waiver({ checkId: 'PLT-006', subject: 'platform' })] });
    expect(finding(r, 'PLT-006').outcome).toBe('waived');
    expect(r.platform.score).toBeGreaterThan(run({}).platform.score!);
    expect(finding(run({ waivers: [waiver({ checkId: 'PLT-006', subject: 'team-a/build' })] }), 'PLT-006').outcome).toBe('fail');
  });

  describe('annotation waivers', () => {
    const annotation = { 'tekton-posture.dev/waive-SUP-002': 'vendor image; owner=web-team; expires=2027-06-30' };

    it('are ignored unless allowAnnotationWaivers is true', () => {
      expect(finding(run({}, annotation), 'SUP-002').outcome).toBe('fail');
      expect(finding(run({ allowAnnotationWaivers: false }, annotation), 'SUP-002').outcome).toBe('fail');
    });

    it('are honoured when allowed, with their owner and expiry', () => {
      const f = finding(run({ allowAnnotationWaivers: true }, annotation), 'SUP-002');
      expect(f.outcome).toBe('waived');
      expect(f.waiver).toMatchObject({ owner: 'web-team', expires: '2027-06-30', reason: 'vendor image' });
    });

    it('waive only the check they name', () => {
      const r = run({ allowAnnotationWaivers: true }, annotation);
      expect(finding(r, 'SUP-001').outcome).toBe('fail');
    });

    it('expire like policy waivers, and one without an expiry is not honoured', () => {
      const expired = finding(run({ allowAnnotationWaivers: true }, { 'tekton-posture.dev/waive-SUP-002': 'old; owner=x; expires=2026-01-01' }), 'SUP-002');
      expect(expired.outcome).toBe('fail');
      expect(expired.message).toContain('2026-01-01');
      const noExpiry = finding(run({ allowAnnotationWaivers: true }, { 'tekton-posture.dev/waive-SUP-002': 'forever; owner=x' }), 'SUP-002');
      expect(noExpiry.outcome).toBe('fail');
      expect(noExpiry.waiver).toBeUndefined();
      const badExpiry = finding(run({ allowAnnotationWaivers: true }, { 'tekton-posture.dev/waive-SUP-002': 'soon; owner=x; expires=next-week' }), 'SUP-002');
      expect(badExpiry.outcome).toBe('fail');
      expect(badExpiry.message).toContain('"next-week" is not a date');
    });
  });
});

describe('severity overrides', () => {
  it('change the finding severity and its weight in the score', () => {
    const base = run({});
    const r = run({ severityOverrides: { 'SUP-002': 'critical' } });
    expect(finding(base, 'SUP-002').severity).toBe('medium');
    expect(finding(r, 'SUP-002').severity).toBe('critical');
    const { pass, fail } = weights(pipelineOf(base).findings);
    const expected = Math.round((1000 * pass) / (pass + fail - SEVERITY_WEIGHT.medium + SEVERITY_WEIGHT.critical)) / 10;
    expect(pipelineOf(r).score).toBe(expected);
    expect(pipelineOf(r).score).toBeLessThan(pipelineOf(base).score!);
    expect(pipelineOf(r).failsBySeverity.critical).toBe(pipelineOf(base).failsBySeverity.critical + 1);
    // Catalog v1.1: no letter under 80 % coverage (this fixture has no runs); with a letter it would be an F.
    expect(pipelineOf(r).grade).toBe(pipelineOf(r).coverage < 0.8 ? null : 'F');
  });

  it('lowering a failing check raises the score; the override reaches the platform card too', () => {
    const r = run({ severityOverrides: { 'SUP-002': 'low', 'PLT-006': 'low' } });
    expect(pipelineOf(r).score).toBeGreaterThan(pipelineOf(run({})).score!);
    expect(finding(r, 'PLT-006').severity).toBe('low');
    expect(r.platform.score).toBeGreaterThan(run({}).platform.score!);
  });
});

describe('disabled checks', () => {
  it('disappear from the findings and the score, as if the catalog did not have them', () => {
    const disabled = ['SUP-002', 'PLT-006'];
    const r = run({ disabledChecks: disabled });
    const ids = [...pipelineOf(r).findings, ...r.platform.findings].map((f) => f.checkId);
    for (const id of disabled) expect(ids).not.toContain(id);
    const without = run({}, {}, CHECKS.filter((c) => !disabled.includes(c.id)));
    expect(pipelineOf(r).score).toBe(pipelineOf(without).score);
    expect(pipelineOf(r).outcomes).toEqual(pipelineOf(without).outcomes);
    expect(r.platform.score).toBe(without.platform.score);
    expect(r.summary).toEqual(without.summary);
    expect(pipelineOf(r).score).toBeGreaterThan(pipelineOf(run({})).score!);
  });
});
