import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KINDS, readOnlyRules } from '../lib/kinds';
import { RULES_FILE, rbacRules, rbacRulesFileText } from './render';

const READ = ['get', 'list', 'watch'];

describe('deploy/chart/files/rbac-rules.json (generated from lib/kinds.ts)', () => {
  it('is up to date with readOnlyRules() and KINDS (regenerate: npx tsx deploy/render.ts)', () => {
    expect(readFileSync(RULES_FILE, 'utf8')).toBe(rbacRulesFileText());
  });

  it('grants the ClusterRole exactly readOnlyRules()', () => {
    expect(rbacRules().clusterRules).toEqual(readOnlyRules());
  });

  it('covers every kind of the table: cluster-wide, or by a Role in each of its onlyNamespaces', () => {
    const { clusterRules, configNamespaces } = rbacRules();
    for (const k of KINDS) {
      const inCluster = clusterRules.some((r) => r.apiGroups.includes(k.group) && r.resources.includes(k.plural));
      if (k.onlyNamespaces) {
        expect(inCluster, `${k.plural} must not be granted cluster-wide`).toBe(false);
        for (const ns of k.onlyNamespaces) {
          const entry = configNamespaces.find((e) => e.namespace === ns);
          expect(entry?.rules.some((r) => r.apiGroups.includes(k.group) && r.resources.includes(k.plural)), `${k.plural} in ${ns}`).toBe(true);
        }
      } else {
        expect(inCluster, `${k.plural} cluster-wide`).toBe(true);
      }
    }
  });

  it('keeps only namespaced kinds in the namespaced-mode Role', () => {
    const { namespacedRules } = rbacRules();
    const granted = namespacedRules.flatMap((r) => r.resources.map((res) => ({ group: r.apiGroups[0], res })));
    for (const { group, res } of granted) {
      expect(KINDS.find((k) => k.group === group && k.plural === res)?.namespaced, `${group}/${res}`).toBe(true);
    }
    const expected = KINDS.filter((k) => k.namespaced && !k.onlyNamespaces).map((k) => `${k.group}/${k.plural}`).sort();
    expect(granted.map((g) => `${g.group}/${g.res}`).sort()).toEqual(expected);
  });

  it('is read-only: get/list/watch, no Secrets, no wildcards', () => {
    const { clusterRules, namespacedRules, configNamespaces } = rbacRules();
    const all = [...clusterRules, ...namespacedRules, ...configNamespaces.flatMap((e) => e.rules)];
    for (const r of all) {
      expect(r.verbs).toEqual(READ);
      expect(r.resources).not.toContain('secrets');
      expect([...r.apiGroups, ...r.resources, ...r.verbs]).not.toContain('*');
    }
  });
});
