import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildClusterModel } from '../../model/build';
import { loadYamlText } from '../../model/load';
import type { DataGap, EffectiveRule, PolicyRuleModel } from '../../model/types';
import { defaultPolicy } from '../../policy/defaults';
import type { PipelineCheck } from '../types';
import { identityChecks } from '.';
import { IDN_003 } from './idn-003-no-cluster-admin';
import { unnamedSecretAccess } from './idn-004-secrets-only-by-name';
import { clusterWidePower } from './idn-005-namespace-scoped-power-only';
import { escalationPaths } from './idn-006-no-escalation-verbs';
import { workloadPower } from './idn-007-no-workload-creation-or-exec';
import { defaultTemplateAutomount, IDN_008 } from './idn-008-api-token-only-where-needed';
import { runCreation } from './idn-009-no-run-creation';
import { tokenOrWildcard } from './idn-010-no-token-minting-or-wildcards';
import { isTrivialRule, ruleSummary } from './rbac-findings';

const here = dirname(fileURLToPath(import.meta.url));
const policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' });
const OUTCOME: Record<string, string> = { pass: 'pass', fail: 'fail', warn: 'warn', unknown: 'unknown', na: 'not-applicable' };

function evaluate(check: PipelineCheck, yaml: string, gaps: DataGap[] = []) {
  const loaded = loadYamlText(yaml, 'fixture.yaml');
  expect(loaded.issues).toEqual([]);
  const cluster = buildClusterModel(loaded.objects, { sourceKind: 'files', policy, gaps });
  return cluster.pipelines.map((pipeline) => ({ id: pipeline.id, result: check.evaluate({ pipeline, cluster, policy }) }));
}

describe('identity fixtures (the same files lib/checks/fixtures.test.ts runs)', () => {
  for (const check of identityChecks) {
    const dir = join(here, 'testdata', check.id);
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'policy.yaml');
    it(`${check.id} has pass and fail fixtures`, () => {
      expect(files.some((f) => f.startsWith('pass'))).toBe(true);
      expect(files.some((f) => f.startsWith('fail'))).toBe(true);
    });
    for (const file of files) {
      const expected = OUTCOME[file.split(/[-.]/)[0]];
      it(`${check.id} ${file} → ${expected}`, () => {
        const results = evaluate(check as PipelineCheck, readFileSync(join(dir, file), 'utf8'));
        expect(results.length).toBeGreaterThan(0);
        for (const r of results) {
          expect({ pipeline: r.id, outcome: r.result.outcome, message: r.result.message }).toMatchObject({ outcome: expected });
          if (r.result.outcome === 'fail') expect(r.result.evidence.length).toBeGreaterThan(0);
        }
      });
    }
  }

  it('keeps catalog order, IDN-008 last', () => {
    expect(identityChecks.map((c) => c.id)).toEqual(['IDN-001', 'IDN-002', 'IDN-003', 'IDN-004', 'IDN-005', 'IDN-006', 'IDN-007', 'IDN-009', 'IDN-010', 'IDN-008']);
  });
});

describe('evidence and messages', () => {
  it('names binding → role → rule, with file and line on both', () => {
    const yaml = readFileSync(join(here, 'testdata/IDN-003/fail-aggregated.yaml'), 'utf8');
    const [r] = evaluate(IDN_003, yaml);
    expect(r.result.message).toContain('RoleBinding ci/ci-agg (ServiceAccount ci/builder) → ClusterRole ci-aggregate → aggregated ClusterRole ci-everything → rules[0]');
    expect(r.result.evidence).toEqual([
      expect.objectContaining({ kind: 'RoleBinding', namespace: 'ci', name: 'ci-agg', path: 'subjects[0]', file: 'fixture.yaml' }),
      expect.objectContaining({ kind: 'ClusterRole', name: 'ci-everything', path: 'rules[0]', file: 'fixture.yaml', value: 'verbs=[*] resources=[*] apiGroups=[*]' }),
    ]);
  });

  it('reports the built-in cluster-admin once per binding', () => {
    const yaml = readFileSync(join(here, 'testdata/IDN-003/fail-cluster-admin-builtin.yaml'), 'utf8');
    const [r] = evaluate(IDN_003, yaml);
    expect(r.result.evidence).toHaveLength(2);
    expect(r.result.message).toContain('ClusterRoleBinding ci-admin (ServiceAccount ci/builder) → ClusterRole cluster-admin (built-in) → rules[0]');
  });
});

describe('gaps', () => {
  const pass = readFileSync(join(here, 'testdata/IDN-003/pass.yaml'), 'utf8');
  const failing = readFileSync(join(here, 'testdata/IDN-003/fail-cluster-admin-builtin.yaml'), 'utf8');
  const gap: DataGap = { kind: 'ClusterRoleBinding', namespace: null, reason: 'forbidden', message: '403' };
  it('turns a pass into unknown when an RBAC kind could not be read', () => {
    expect(evaluate(IDN_003, pass, [gap])[0].result.outcome).toBe('unknown');
  });
  it('keeps a fail: RBAC only adds permissions', () => {
    expect(evaluate(IDN_003, failing, [gap])[0].result.outcome).toBe('fail');
  });
  it('IDN-008 is unknown when ServiceAccounts could not be read', () => {
    const yaml = readFileSync(join(here, 'testdata/IDN-008/fail.yaml'), 'utf8');
    expect(evaluate(IDN_008, yaml, [{ kind: 'ServiceAccount', namespace: 'ci', reason: 'forbidden', message: '' }])[0].result.outcome).toBe('unknown');
  });
  it('no runs with PipelineRuns unreadable is unknown, and says why', () => {
    const yaml = readFileSync(join(here, 'testdata/IDN-003/unknown-no-runs.yaml'), 'utf8');
    const result = evaluate(IDN_003, yaml, [{ kind: 'PipelineRun', namespace: null, reason: 'forbidden', message: '' }])[0].result;
    expect(result.outcome).toBe('unknown');
    expect(result.message).toMatch(/could not be read/);
  });
});

function er(rule: Partial<PolicyRuleModel>, scope: string | null = 'ci'): EffectiveRule {
  return {
    rule: { apiGroups: [], resources: [], verbs: [], resourceNames: [], nonResourceURLs: [], ...rule },
    binding: { kind: scope ? 'RoleBinding' : 'ClusterRoleBinding', namespace: scope, name: 'b' },
    matchedSubject: 'ServiceAccount ci/sa',
    role: { kind: 'ClusterRole', namespace: null, name: 'r' },
    ruleIndex: 0,
    scope,
    aggregatedFrom: null,
  };
}

describe('rule scanners', () => {
  it('IDN-004 secrets', () => {
    expect(unnamedSecretAccess(er({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }))).toMatch(/get any secret/);
    expect(unnamedSecretAccess(er({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }))).toMatch(/list\/watch\/get/);
    expect(unnamedSecretAccess(er({ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'], resourceNames: ['a'] }))).toBeNull();
    expect(unnamedSecretAccess(er({ apiGroups: ['apps'], resources: ['secrets'], verbs: ['get'] }))).toBeNull();
  });
  it('IDN-005 only looks at cluster-wide rules', () => {
    expect(clusterWidePower(er({ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }, 'ci'))).toBeNull();
    expect(clusterWidePower(er({ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }, null))).toMatch(/create deployments cluster-wide/);
    expect(clusterWidePower(er({ apiGroups: [''], resources: ['configmaps', 'pods'], verbs: ['get', 'list'] }, null))).toBeNull();
    expect(clusterWidePower(er({ apiGroups: [''], resources: ['pods/exec'], verbs: ['get'] }, null))).toMatch(/pods\/exec/);
    expect(clusterWidePower(er({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['list'] }, null))).toMatch(/clusterroles/);
    expect(clusterWidePower(er({ nonResourceURLs: ['/metrics'], verbs: ['get'] }, null))).toBeNull();
    expect(clusterWidePower(er({ nonResourceURLs: ['*'], verbs: ['*'] }, null))).toMatch(/non-resource/);
  });
  it('IDN-006 escalation paths', () => {
    expect(escalationPaths(er({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }))).toMatch(/escalate roles\/clusterroles, bind roles\/clusterroles, impersonate/);
    expect(escalationPaths(er({ apiGroups: [''], resources: ['*/proxy'], verbs: ['get'] }))).toMatch(/nodes\/proxy/);
    expect(escalationPaths(er({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get', 'list'] }))).toBeNull();
    expect(escalationPaths(er({ apiGroups: [''], resources: ['users'], verbs: ['impersonate'] }))).toMatch(/impersonate/);
  });
  it('IDN-007 workloads', () => {
    expect(workloadPower(er({ apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['update'] }))).toMatch(/cronjobs/);
    expect(workloadPower(er({ apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['patch'] }))).toMatch(/ephemeral/);
    expect(workloadPower(er({ apiGroups: [''], resources: ['pods/attach'], verbs: ['create'], resourceNames: ['x'] }))).toMatch(/attach/);
    expect(workloadPower(er({ apiGroups: ['apps'], resources: ['deployments'], verbs: ['delete', 'get'] }))).toBeNull();
    expect(workloadPower(er({ apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['patch'] }))).toBeNull();
  });
  it('IDN-009 and IDN-010', () => {
    expect(runCreation(er({ apiGroups: ['tekton.dev'], resources: ['*'], verbs: ['create'] }))).toBe('can create pipelineruns and taskruns');
    expect(runCreation(er({ apiGroups: ['tekton.dev'], resources: ['pipelineruns'], verbs: ['create'], resourceNames: ['x'] }))).toBeNull();
    expect(tokenOrWildcard(er({ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }))).toBeNull();
    expect(tokenOrWildcard(er({ apiGroups: [''], resources: ['*/scale'], verbs: ['get'] }))).toBeNull();
    expect(tokenOrWildcard(er({ apiGroups: [''], resources: ['*'], verbs: ['*'] }))).toBe('can mint tokens for any service account and has `*` in verbs and has `*` in resources');
  });
  it('trivial rules and summaries', () => {
    expect(isTrivialRule(er({ apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'], verbs: ['create'] }).rule)).toBe(true);
    expect(isTrivialRule(er({ nonResourceURLs: ['/healthz'], verbs: ['get'] }).rule)).toBe(true);
    expect(isTrivialRule(er({ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }).rule)).toBe(false);
    expect(ruleSummary(er({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['a'] }).rule)).toBe(
      'verbs=[get] resources=[secrets] apiGroups=[""] resourceNames=[a]',
    );
  });
  it('reads automount from the default pod template', () => {
    expect(defaultTemplateAutomount('automountServiceAccountToken: false\nsecurityContext: {}')).toBe(false);
    expect(defaultTemplateAutomount('nodeSelector: {a: b}')).toBeNull();
    expect(defaultTemplateAutomount(undefined)).toBeNull();
    expect(defaultTemplateAutomount('x'.repeat(100000))).toBeNull();
  });
});
