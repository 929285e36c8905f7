/**
 * Renders the dev cluster's read-only RBAC from the project's kinds table (lib/kinds.ts):
 *  - ClusterRole `tekton-posture-readonly` with exactly readOnlyRules() (the same function the Helm chart uses),
 *    bound to user `posture-viewer` (and `posture-probe`, the identity tests use for forbidden-write probes);
 *  - for kinds read only in some namespaces (ConfigMaps): the namespaces, a Role + RoleBinding in each.
 *
 *   tsx scripts/dev-cluster/render-rbac.ts [--json]   -> YAML (default) or JSON list on stdout
 */
import { pathToFileURL } from 'node:url';
import yaml from 'js-yaml';
import { KINDS, READ_VERBS, readOnlyRules } from '../../lib/kinds';

export const CLUSTER_ROLE_NAME = 'tekton-posture-readonly';
export const VIEWER_USERS = ['posture-viewer', 'posture-probe'];

type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };

export function renderRbac(users: string[] = VIEWER_USERS): Obj[] {
  const rbac = 'rbac.authorization.k8s.io/v1';
  const labels = { 'app.kubernetes.io/name': 'tekton-posture', 'app.kubernetes.io/part-of': 'tekton-posture-dev-cluster' };
  const subjects = users.map((name) => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name }));
  const out: Obj[] = [
    { apiVersion: rbac, kind: 'ClusterRole', metadata: { name: CLUSTER_ROLE_NAME, labels }, rules: readOnlyRules() },
    {
      apiVersion: rbac, kind: 'ClusterRoleBinding', metadata: { name: CLUSTER_ROLE_NAME, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: CLUSTER_ROLE_NAME }, subjects,
    },
  ];
  // Namespace-restricted kinds (ConfigMaps in the Tekton namespaces): one Role per namespace, listing all such kinds.
  const byNs = new Map<string, Map<string, string[]>>();
  for (const k of KINDS) {
    for (const ns of k.onlyNamespaces ?? []) {
      const groups = byNs.get(ns) ?? new Map<string, string[]>();
      groups.set(k.group, [...(groups.get(k.group) ?? []), k.plural]);
      byNs.set(ns, groups);
    }
  }
  for (const [ns, groups] of byNs) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels } });
    out.push({
      apiVersion: rbac, kind: 'Role', metadata: { name: CLUSTER_ROLE_NAME, namespace: ns, labels },
      rules: [...groups].map(([g, resources]) => ({ apiGroups: [g], resources, verbs: [...READ_VERBS] })),
    });
    out.push({
      apiVersion: rbac, kind: 'RoleBinding', metadata: { name: CLUSTER_ROLE_NAME, namespace: ns, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: CLUSTER_ROLE_NAME }, subjects,
    });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const objs = renderRbac();
  if (process.argv.includes('--json')) console.log(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }, null, 2));
  else console.log(objs.map((o) => yaml.dump(o, { lineWidth: 200 })).join('---\n'));
}
