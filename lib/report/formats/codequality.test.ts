import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/registry';
import { scan } from '../../engine/scan';
import { defaultPolicy } from '../../policy/defaults';
import { loadDemo } from '../../../server/sources/demo';
import { toCodeQuality } from './codequality';

describe('GitLab Code Quality', () => {
  it('gives every issue a path, a line, a GitLab severity and a unique fingerprint', () => {
    const report = scan({ objects: loadDemo().objects, policy: defaultPolicy({ now: '2026-11-22T12:00:00Z' }), source: { kind: 'demo' } }).report;
    const issues = toCodeQuality(report, CHECKS) as { check_name: string; severity: string; fingerprint: string; location: { path: string; lines: { begin: number } } }[];
    expect(issues.length).toBeGreaterThan(50);
    for (const i of issues) {
      expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(i.severity);
      expect(i.location.path).toMatch(/\.ya?ml$/);
      expect(i.location.lines.begin).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    expect(issues.some((i) => i.check_name === 'STP-005' && i.severity === 'critical')).toBe(true);
  });
});
