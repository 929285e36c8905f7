import { describe, expect, it } from 'vitest';
import { loadYamlText } from './load';
import { BUILTIN_CLUSTER_ADMIN, buildRbacIndex, ruleAllows, ruleAllowsSome, ruleAllowsUrl, selectorMatches } from './rbac';
import type { PolicyRuleModel } from './types';

function index(yaml: string) {
  const loaded = loadYamlText(yaml, 'rbac.yaml');
  expect(loaded.issues).toEqual([]);
  return buildRbacIndex(loaded.objects);
}

function rule(r: Partial<PolicyRuleModel>): PolicyRuleModel {
  return { apiGroups: [], resources: [], verbs: [], resourceNames: [], nonResourceURLs: [], ...r };
}

const RB = (name: string, ns: string, roleKind: string, role: string, subjects: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${name}, namespace: ${ns}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: ${role}}
subjects: ${subjects}
`;
const CRB = (name: string, role: string, subjects: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${name}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects: ${subjects}
`;
const CR = (name: string, rules: string, extra = '') => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ${name}${extra}}
rules: ${rules}
`;
const ROLE = (name: string, ns: string, rules: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ${name}, namespace: ${ns}}
rules: ${rules}
`;
const docs = (...d: string[]) => d.join('\n---\n');

describe('ruleAllows', () => {
  it('matches verbs, groups and resources exactly or by *', () => {
    const r = rule({ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] });
    expect(ruleAllows(r, { verb: 'get', group: '', resource: 'secrets' })).toBe(true);
    expect(ruleAllows(r, { verb: 'watch', group: '', resource: 'secrets' })).toBe(false);
    expect(ruleAllows(r, { verb: 'get', group: 'apps', resource: 'secrets' })).toBe(false);
    expect(ruleAllows(r, { verb: 'get', group: '', resource: 'configmaps' })).toBe(false);
    const star = rule({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
    expect(ruleAllows(star, { verb: 'escalate', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' })).toBe(true);
    expect(ruleAllows(star, { verb: 'create', group: '', resource: 'pods', subresource: 'exec' })).toBe(true);
  });

  it('handles subresources: exact, */sub, and pods/* is not a wildcard', () => {
    const exact = rule({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] });
    expect(ruleAllows(exact, { verb: 'create', group: '', resource: 'pods', subresource: 'exec' })).toBe(true);
    expect(ruleAllows(exact, { verb: 'create', group: '', resource: 'pods' })).toBe(false);
    const anyExec = rule({ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] });
    expect(ruleAllows(anyExec, { verb: 'create', group: '', resource: 'pods', subresource: 'exec' })).toBe(true);
    expect(ruleAllows(anyExec, { verb: 'create', group: '', resource: 'pods', subresource: 'attach' })).toBe(false);
    expect(ruleAllows(anyExec, { verb: 'create', group: '', resource: 'pods' })).toBe(false);
    const podsStar = rule({ apiGroups: [''], resources: ['pods/*'], verbs: ['*'] });
    expect(ruleAllows(podsStar, { verb: 'create', group: '', resource: 'pods', subresource: 'exec' })).toBe(false);
    const pods = rule({ apiGroups: [''], resources: ['pods'], verbs: ['*'] });
    expect(ruleAllows(pods, { verb: 'create', group: '', resource: 'pods', subresource: 'exec' })).toBe(false);
  });

  it('restricts by resourceNames', () => {
    const r = rule({ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'create', 'deletecollection'], resourceNames: ['git-key'] });
    expect(ruleAllows(r, { verb: 'get', group: '', resource: 'secrets', name: 'git-key' })).toBe(true);
    expect(ruleAllows(r, { verb: 'get', group: '', resource: 'secrets', name: 'other' })).toBe(false);
    expect(ruleAllows(r, { verb: 'get', group: '', resource: 'secrets' })).toBe(false);
    expect(ruleAllows(r, { verb: 'list', group: '', resource: 'secrets' })).toBe(false);
    expect(ruleAllowsSome(r, { verb: 'get', group: '', resource: 'secrets' })).toBe(true);
    expect(ruleAllowsSome(r, { verb: 'create', group: '', resource: 'secrets' })).toBe(false);
    expect(ruleAllowsSome(r, { verb: 'deletecollection', group: '', resource: 'secrets' })).toBe(false);
    const tok = rule({ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'], resourceNames: ['builder'] });
    expect(ruleAllowsSome(tok, { verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token' })).toBe(true);
  });

  it('matches non-resource URLs', () => {
    const r = rule({ nonResourceURLs: ['/healthz', '/api/*'], verbs: ['get'] });
    expect(ruleAllowsUrl(r, 'get', '/healthz')).toBe(true);
    expect(ruleAllowsUrl(r, 'get', '/api/v1')).toBe(true);
    expect(ruleAllowsUrl(r, 'post', '/healthz')).toBe(false);
    expect(ruleAllows(r, { verb: 'get', group: '', resource: 'pods' })).toBe(false);
  });
});

describe('selectorMatches', () => {
  const sel = (matchLabels: Record<string, string>, matchExpressions: { key: string; operator: string; values: string[] }[] = []) => ({ matchLabels, matchExpressions });
  it('implements label selector operators', () => {
    const labels = { a: '1', b: '2' };
    expect(selectorMatches(sel({}), labels)).toBe(true);
    expect(selectorMatches(sel({ a: '1' }), labels)).toBe(true);
    expect(selectorMatches(sel({ a: '2' }), labels)).toBe(false);
    expect(selectorMatches(sel({}, [{ key: 'a', operator: 'In', values: ['1', '3'] }]), labels)).toBe(true);
    expect(selectorMatches(sel({}, [{ key: 'c', operator: 'In', values: ['1'] }]), labels)).toBe(false);
    expect(selectorMatches(sel({}, [{ key: 'a', operator: 'NotIn', values: ['1'] }]), labels)).toBe(false);
    expect(selectorMatches(sel({}, [{ key: 'c', operator: 'NotIn', values: ['1'] }]), labels)).toBe(true);
    expect(selectorMatches(sel({}, [{ key: 'b', operator: 'Exists', values: [] }]), labels)).toBe(true);
    expect(selectorMatches(sel({}, [{ key: 'b', operator: 'DoesNotExist', values: [] }]), labels)).toBe(false);
    expect(selectorMatches(sel({}, [{ key: 'b', operator: 'Bogus', values: [] }]), labels)).toBe(false);
  });
});

describe('buildRbacIndex', () => {
  it('matches ServiceAccount subjects, defaulting the namespace of RoleBinding subjects', () => {
    const idx = index(
      docs(
        ROLE('reader', 'ci', '[{apiGroups: [""], resources: [configmaps], verbs: [get]}]'),
        RB('rb1', 'ci', 'Role', 'reader', '[{kind: ServiceAccount, name: builder}]'),
        RB('rb2', 'ci', 'Role', 'reader', '[{kind: ServiceAccount, name: builder, namespace: other}]'),
      ),
    );
    const r = idx.resolve('ci', 'builder');
    expect(r.rules.map((e) => e.binding.name)).toEqual(['rb1']);
    expect(r.rules[0]).toMatchObject({
      matchedSubject: 'ServiceAccount ci/builder',
      role: { kind: 'Role', namespace: 'ci', name: 'reader' },
      ruleIndex: 0,
      scope: 'ci',
      aggregatedFrom: null,
    });
    expect(idx.resolve('ci', 'someone-else').rules).toEqual([]);
    expect(idx.resolve('other', 'builder').rules.map((e) => e.binding.name)).toEqual(['rb2']);
  });

  it('matches the service-account groups, system:authenticated and the User form', () => {
    const idx = index(
      docs(
        CR('r', '[{apiGroups: [""], resources: [pods], verbs: [get]}]'),
        CRB('all-sa', 'r', '[{kind: Group, name: "system:serviceaccounts", apiGroup: rbac.authorization.k8s.io}]'),
        CRB('ns-sa', 'r', '[{kind: Group, name: "system:serviceaccounts:ci", apiGroup: rbac.authorization.k8s.io}]'),
        CRB('other-ns-sa', 'r', '[{kind: Group, name: "system:serviceaccounts:prod", apiGroup: rbac.authorization.k8s.io}]'),
        CRB('authn', 'r', '[{kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}]'),
        CRB('user', 'r', '[{kind: User, name: "system:serviceaccount:ci:builder", apiGroup: rbac.authorization.k8s.io}]'),
        CRB('unrelated', 'r', '[{kind: User, name: "alice"}, {kind: Group, name: "devs"}]'),
      ),
    );
    const names = idx.resolve('ci', 'builder').rules.map((e) => e.binding.name).sort();
    expect(names).toEqual(['all-sa', 'authn', 'ns-sa', 'user']);
    expect(idx.resolve('ci', 'builder').rules.every((e) => e.scope === null)).toBe(true);
  });

  it('scopes a ClusterRole bound by a RoleBinding to the binding namespace, including cross-namespace grants', () => {
    const idx = index(
      docs(
        CR('edit-ish', '[{apiGroups: [apps], resources: [deployments], verbs: [create]}]'),
        RB('rb', 'ci', 'ClusterRole', 'edit-ish', '[{kind: ServiceAccount, name: builder}]'),
        RB('cross', 'prod', 'ClusterRole', 'edit-ish', '[{kind: ServiceAccount, name: builder, namespace: ci}]'),
      ),
    );
    const r = idx.resolve('ci', 'builder').rules;
    expect(r.map((e) => [e.binding.name, e.scope, e.role.kind])).toEqual([
      ['rb', 'ci', 'ClusterRole'],
      ['cross', 'prod', 'ClusterRole'],
    ]);
  });

  it('records missing roles and treats an absent cluster-admin as the built-in one', () => {
    const idx = index(
      docs(
        RB('rb', 'ci', 'Role', 'nope', '[{kind: ServiceAccount, name: builder}]'),
        RB('rb2', 'ci', 'ClusterRole', 'edit', '[{kind: ServiceAccount, name: builder}]'),
        CRB('admin', 'cluster-admin', '[{kind: ServiceAccount, name: builder, namespace: ci}]'),
      ),
    );
    const r = idx.resolve('ci', 'builder');
    expect(r.missingRoles).toEqual([
      { kind: 'Role', namespace: 'ci', name: 'nope' },
      { kind: 'ClusterRole', namespace: null, name: 'edit' },
    ]);
    expect(r.rules.map((e) => e.role.name)).toEqual([BUILTIN_CLUSTER_ADMIN, BUILTIN_CLUSTER_ADMIN]);
    expect(r.rules[0].rule).toMatchObject({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
    expect(r.rules[1].rule).toMatchObject({ nonResourceURLs: ['*'], verbs: ['*'] });
  });

  it('uses a present cluster-admin object as is', () => {
    const idx = index(docs(CR('cluster-admin', '[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]'), CRB('a', 'cluster-admin', '[{kind: ServiceAccount, name: b, namespace: ci}]')));
    expect(idx.resolve('ci', 'b').rules.map((e) => e.role.name)).toEqual(['cluster-admin']);
  });

  it('a ClusterRoleBinding to a Role grants nothing', () => {
    const idx = index(
      docs(
        ROLE('r', 'ci', '[{apiGroups: [""], resources: [pods], verbs: [get]}]'),
        `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: bad}
roleRef: {kind: Role, name: r}
subjects: [{kind: ServiceAccount, name: b, namespace: ci}]`,
      ),
    );
    expect(idx.resolve('ci', 'b')).toEqual({ rules: [], missingRoles: [] });
  });

  it('aggregates ClusterRoles by matchLabels and matchExpressions, nested, keeping aggregatedFrom', () => {
    const idx = index(
      docs(
        CR('top', '[]', ', labels: {}') + 'aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {agg/top: "true"}\n',
        CR('mid', '[]', ', labels: {agg/top: "true"}') + 'aggregationRule:\n  clusterRoleSelectors:\n  - matchExpressions: [{key: agg/mid, operator: Exists}]\n',
        CR('leaf-a', '[{apiGroups: [""], resources: [secrets], verbs: [list]}]', ', labels: {agg/mid: x}'),
        CR('leaf-b', '[{apiGroups: [""], resources: [pods], verbs: [get]}]', ', labels: {agg/top: "true"}'),
        CR('leaf-c', '[{apiGroups: [""], resources: [nodes], verbs: [get]}]', ', labels: {agg/top: "false"}'),
        CRB('b', 'top', '[{kind: ServiceAccount, name: sa, namespace: ci}]'),
      ),
    );
    const r = idx.resolve('ci', 'sa').rules;
    expect(r.map((e) => [e.role.name, e.aggregatedFrom?.name, e.ruleIndex, e.rule.resources[0]])).toEqual([
      ['top', 'leaf-b', 0, 'pods'],
      ['top', 'leaf-a', 0, 'secrets'],
    ]);
  });

  it('is cycle-safe and dedupes rules of pre-aggregated (live) roles', () => {
    const idx = index(
      docs(
        // live: `a` already carries the rules of `b`; `b` selects `a` back (a cycle).
        CR('a', '[{apiGroups: [""], resources: [pods], verbs: [get]}]', ', labels: {x: "1"}') + 'aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {y: "1"}\n',
        CR('b', '[{apiGroups: [""], resources: [pods], verbs: [get]}, {apiGroups: [""], resources: [services], verbs: [get]}]', ', labels: {y: "1"}') +
          'aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {x: "1"}\n',
        CRB('bind', 'a', '[{kind: ServiceAccount, name: sa, namespace: ci}]'),
      ),
    );
    const r = idx.resolve('ci', 'sa').rules;
    expect(r.map((e) => [e.aggregatedFrom?.name ?? null, e.ruleIndex, e.rule.resources[0]])).toEqual([
      [null, 0, 'pods'],
      ['b', 1, 'services'],
    ]);
  });

  it('memoizes per service account', () => {
    const idx = index(docs(CR('r', '[{apiGroups: [""], resources: [pods], verbs: [get]}]'), CRB('b', 'r', '[{kind: Group, name: "system:serviceaccounts"}]')));
    expect(idx.resolve('ci', 'a')).toBe(idx.resolve('ci', 'a'));
  });

  it('never throws on malformed bindings and roles', () => {
    const idx = index(
      docs(
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: x}\nroleRef: 7\nsubjects: nope',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: y}\nrules: [1, null, {verbs: get}]\naggregationRule: {clusterRoleSelectors: [null]}',
        CRB('z', 'y', '[{kind: ServiceAccount, name: sa, namespace: ci}, {name: no-kind}, 5]'),
      ),
    );
    expect(() => idx.resolve('ci', 'sa')).not.toThrow();
  });

  it('resolves thousands of service accounts quickly', () => {
    const parts: string[] = [CR('r', '[{apiGroups: [""], resources: [pods], verbs: [get]}]')];
    for (let i = 0; i < 3000; i++) parts.push(RB(`rb${i}`, `ns${i % 100}`, 'ClusterRole', 'r', `[{kind: ServiceAccount, name: sa${i}}]`));
    const idx = index(docs(...parts));
    const t = performance.now();
    for (let i = 0; i < 3000; i++) expect(idx.resolve(`ns${i % 100}`, `sa${i}`).rules.length).toBe(1);
    expect(performance.now() - t).toBeLessThan(3000);
  });
});
