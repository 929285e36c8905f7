/**
 * RBAC resolution: the rules that reach a service account, resolved the way the apiserver's RBAC authorizer
 * does (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac and pkg/apis/rbac/v1/evaluation_helpers.go), plus the
 * ClusterRole aggregation the controller-manager performs (offline input is not pre-aggregated).
 *
 * Subjects that match the service account `ns/name`:
 *   - `kind: ServiceAccount` with that name and namespace (a RoleBinding subject without a namespace means the
 *     binding's namespace; a ClusterRoleBinding subject without one matches nothing, as the apiserver rejects it),
 *   - `kind: Group` `system:serviceaccounts`, `system:serviceaccounts:<ns>`, `system:authenticated`,
 *   - `kind: User` `system:serviceaccount:<ns>:<name>`.
 * RoleBindings apply in their own namespace, whatever namespace the service account lives in (a RoleBinding in
 * `prod` can grant `ci/builder` rights in `prod`): that is what the apiserver does, so it is what we resolve.
 *
 * Bindings are indexed by subject once; `resolve` looks up a handful of subject keys and memoizes per SA.
 *
 * Files (catalog v1.1 "Subjects and files"): a namespace may be *unspecified* (`''`), and several documents may
 * share a name. A `scope` then decides which bindings reach the SA: a match through a subject that names an
 * explicit namespace always counts (it says which SA it means); any other match (the unspecified namespace, the
 * every-SA groups) counts only for bindings the scope accepts (those beside or above the subject's file). A
 * roleRef names the nearest Role/ClusterRole of that name to the binding.
 */
import { arr, isObj, obj, objArr, str, strArr, strMap } from './access';
import { nearest } from './proximity';
import type { EffectiveRule, K8sObject, ObjectRef, PolicyRuleModel, SourceLocation } from './types';

/** Which bindings reach a file-born SA (see the file comment); `key` identifies the scope for memoization. */
export interface RbacScope {
  key: string;
  accepts(binding: K8sObject): boolean;
}

export interface RbacIndex {
  resolve(namespace: string, saName: string, scope?: RbacScope): { rules: EffectiveRule[]; missingRoles: ObjectRef[] };
}

/** A request as the authorizer sees it. `name` absent = a request without a name (list, create, every object). */
export interface AccessRequest {
  verb: string;
  /** API group, `''` for core. */
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
}

/** The name given to the built-in `cluster-admin` ClusterRole when a binding references it and no object is in sight. */
export const BUILTIN_CLUSTER_ADMIN = 'cluster-admin (built-in)';

const CLUSTER_ADMIN_RULES: PolicyRuleModel[] = [
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'], resourceNames: [], nonResourceURLs: [] },
  { apiGroups: [], resources: [], verbs: ['*'], resourceNames: [], nonResourceURLs: ['*'] },
];

// ------------------------------------------------------------------ rule matching (apiserver semantics)

function verbMatches(rule: PolicyRuleModel, verb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === verb);
}

function groupMatches(rule: PolicyRuleModel, group: string): boolean {
  return rule.apiGroups.some((g) => g === '*' || g === group);
}

/**
 * `*` matches every resource and subresource; `pods/exec` matches exactly; `*` + `/exec` matches that subresource
 * of every resource. `pods/*` is NOT a wildcard for the apiserver (it matches only a subresource literally named `*`).
 */
function resourceMatches(rule: PolicyRuleModel, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return rule.resources.some((r) => r === '*' || r === combined || (subresource !== undefined && subresource !== '' && r === `*/${subresource}`));
}

function nameMatches(rule: PolicyRuleModel, name: string | undefined): boolean {
  if (rule.resourceNames.length === 0) return true;
  return name !== undefined && rule.resourceNames.includes(name);
}

/** Whether one rule authorizes a resource request, exactly as the apiserver decides (wildcards, `*`/sub, resourceNames). */
export function ruleAllows(rule: PolicyRuleModel, req: AccessRequest): boolean {
  return (
    verbMatches(rule, req.verb) &&
    groupMatches(rule, req.group) &&
    resourceMatches(rule, req.resource, req.subresource) &&
    nameMatches(rule, req.name)
  );
}

/**
 * Whether a rule authorizes the request for at least one object name: a `resourceNames` restriction still grants
 * the verb on those objects. The apiserver cannot restrict `create` of a top-level resource, `deletecollection`
 * or `list`/`watch` without a field selector by name, but named `create` on a subresource (`pods/exec`,
 * `serviceaccounts/token`) and named `update`/`patch`/`delete`/`get`/`bind`/`escalate` do work.
 */
export function ruleAllowsSome(rule: PolicyRuleModel, req: Omit<AccessRequest, 'name'>): boolean {
  if (!verbMatches(rule, req.verb) || !groupMatches(rule, req.group) || !resourceMatches(rule, req.resource, req.subresource)) return false;
  if (rule.resourceNames.length === 0) return true;
  const unnameable = (req.verb === 'create' && !req.subresource) || req.verb === 'deletecollection';
  return !unnameable;
}

/** Non-resource URL matching: `*`, exact, or a trailing `*` prefix. */
export function ruleAllowsUrl(rule: PolicyRuleModel, verb: string, url: string): boolean {
  if (!verbMatches(rule, verb)) return false;
  return rule.nonResourceURLs.some((u) => u === '*' || u === url || (u.endsWith('*') && url.startsWith(u.slice(0, -1))));
}

// ------------------------------------------------------------------ normalization

export function normalizeRule(raw: unknown): PolicyRuleModel {
  const r = obj(raw);
  return {
    apiGroups: strArr(r.apiGroups),
    resources: strArr(r.resources),
    verbs: strArr(r.verbs),
    resourceNames: strArr(r.resourceNames),
    nonResourceURLs: strArr(r.nonResourceURLs),
  };
}

function ruleKey(r: PolicyRuleModel): string {
  return JSON.stringify([r.apiGroups, r.resources, r.verbs, r.resourceNames, r.nonResourceURLs]);
}

interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: string; values: string[] }[];
}

function normalizeSelector(raw: unknown): LabelSelector {
  const s = obj(raw);
  return {
    matchLabels: strMap(s.matchLabels),
    matchExpressions: objArr(s.matchExpressions).map((e) => ({ key: str(e.key) ?? '', operator: str(e.operator) ?? '', values: strArr(e.values) })),
  };
}

/** Kubernetes label-selector semantics; an empty selector matches everything, an unknown operator nothing. */
export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && e.values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

// ------------------------------------------------------------------ index

interface RoleInfo {
  ref: ObjectRef;
  source: SourceLocation;
  rules: PolicyRuleModel[];
  labels: Record<string, string>;
  /** null when the role has no aggregationRule. */
  aggregation: LabelSelector[] | null;
}

/** One rule of an expanded role: the rule, the role that holds it (itself or an aggregated one), its index. */
interface ExpandedRule {
  rule: PolicyRuleModel;
  ruleIndex: number;
  from: ObjectRef | null;
}

interface SubjectHit {
  binding: K8sObject;
  bindingRef: ObjectRef;
  matchedSubject: string;
  /** Namespace the binding grants in (RoleBinding) or null (ClusterRoleBinding). */
  scope: string | null;
  roleRef: { kind: string; name: string };
}

const SA_GROUPS = ['system:serviceaccounts', 'system:authenticated'];

/** The subject keys that match an SA, and whether each names its namespace explicitly. */
function subjectKeys(namespace: string, name: string): { key: string; explicit: boolean }[] {
  const explicit = namespace !== '';
  return [
    { key: `sa:${namespace}/${name}`, explicit },
    { key: `user:system:serviceaccount:${namespace}:${name}`, explicit },
    ...SA_GROUPS.map((g) => ({ key: `group:${g}`, explicit: false })),
    { key: `group:system:serviceaccounts:${namespace}`, explicit },
  ];
}

/** Where a role or binding came from, kept on its ref: same-named ones of different files stay apart in evidence. */
function fileOf(o: K8sObject): { file?: string; line?: number } {
  return o.source.file ? { file: o.source.file, ...(o.source.line ? { line: o.source.line } : {}) } : {};
}

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export function buildRbacIndex(objects: K8sObject[]): RbacIndex {
  // Every same-named role is kept: a binding uses the nearest (files) or the only one (live).
  const roles = new Map<string, RoleInfo[]>(); // `${ns}/${name}`
  const clusterRoles = new Map<string, RoleInfo[]>();
  const bySubject = new Map<string, SubjectHit[]>();

  for (const o of objects) {
    if (o.kind !== 'Role' && o.kind !== 'ClusterRole') continue;
    const raw = obj(o.raw);
    const agg = isObj(raw.aggregationRule) ? arr(obj(raw.aggregationRule).clusterRoleSelectors).map(normalizeSelector) : null;
    const info: RoleInfo = {
      ref: { kind: o.kind, namespace: o.kind === 'Role' ? o.namespace ?? '' : null, name: o.name, ...fileOf(o) },
      source: o.source,
      rules: arr(raw.rules).map(normalizeRule),
      labels: o.labels,
      aggregation: o.kind === 'ClusterRole' ? agg : null,
    };
    if (o.kind === 'Role') pushTo(roles, `${o.namespace ?? ''}/${o.name}`, info);
    else pushTo(clusterRoles, o.name, info);
  }

  for (const o of objects) {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
    const raw = obj(o.raw);
    const rr = obj(raw.roleRef);
    const roleRef = { kind: str(rr.kind) ?? '', name: str(rr.name) ?? '' };
    if (!roleRef.name) continue;
    const isRb = o.kind === 'RoleBinding';
    const bindingNs = isRb ? o.namespace ?? '' : null;
    const bindingRef: ObjectRef = { kind: o.kind, namespace: bindingNs, name: o.name, ...fileOf(o) };
    const seen = new Set<string>();
    for (const s of objArr(raw.subjects)) {
      const kind = str(s.kind);
      const name = str(s.name);
      if (!kind || !name) continue;
      let key: string | null = null;
      let label = '';
      if (kind === 'ServiceAccount') {
        const ns = str(s.namespace) || bindingNs;
        if (ns === null) continue;
        key = `sa:${ns}/${name}`;
        label = ns ? `ServiceAccount ${ns}/${name}` : `ServiceAccount ${name} (namespace unspecified)`;
      } else if (kind === 'Group') {
        key = `group:${name}`;
        label = `Group ${name}`;
      } else if (kind === 'User') {
        key = `user:${name}`;
        label = `User ${name}`;
      }
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const hit: SubjectHit = { binding: o, bindingRef, matchedSubject: label, scope: bindingNs, roleRef };
      const list = bySubject.get(key);
      if (list) list.push(hit);
      else bySubject.set(key, [hit]);
    }
  }

  // Aggregated ClusterRoles, expanded once per root: own rules first (live roles arrive pre-aggregated), then the
  // rules of every selected ClusterRole (name order, as the controller does), recursively, deduplicated.
  const expanded = new Map<RoleInfo, ExpandedRule[]>();
  const sortedClusterRoles = [...clusterRoles.values()].flat().sort((a, b) => (a.ref.name < b.ref.name ? -1 : a.ref.name > b.ref.name ? 1 : 0));
  const expandClusterRole = (root: RoleInfo): ExpandedRule[] => {
    const memo = expanded.get(root);
    if (memo) return memo;
    const out: ExpandedRule[] = [];
    const keys = new Set<string>();
    const visiting = new Set<string>();
    const visit = (role: RoleInfo, from: ObjectRef | null) => {
      if (visiting.has(role.ref.name)) return;
      visiting.add(role.ref.name);
      role.rules.forEach((rule, i) => {
        const k = ruleKey(rule);
        if (keys.has(k)) return;
        keys.add(k);
        out.push({ rule, ruleIndex: i, from });
      });
      if (role.aggregation) {
        for (const sel of role.aggregation) {
          for (const cand of sortedClusterRoles) {
            if (cand.ref.name === role.ref.name || visiting.has(cand.ref.name)) continue;
            if (selectorMatches(sel, cand.labels)) visit(cand, cand.ref);
          }
        }
      }
    };
    visit(root, null);
    expanded.set(root, out);
    return out;
  };

  const cache = new Map<string, { rules: EffectiveRule[]; missingRoles: ObjectRef[] }>();

  return {
    resolve(namespace, saName, scope) {
      const cacheKey = `${namespace}/${saName}\u0000${scope?.key ?? ''}`;
      const cached = cache.get(cacheKey);
      if (cached) return cached;
      const rules: EffectiveRule[] = [];
      const missingRoles: ObjectRef[] = [];
      const missingSeen = new Set<string>();
      const seenBindings = new Set<K8sObject>();
      for (const { key, explicit } of subjectKeys(namespace, saName)) {
        for (const hit of bySubject.get(key) ?? []) {
          if (scope && !explicit && !scope.accepts(hit.binding)) continue;
          // One binding can name the SA through several subjects: the first match gives the path.
          // Same-named bindings from different files are distinct objects: both count.
          if (seenBindings.has(hit.binding)) continue;
          seenBindings.add(hit.binding);
          const base = { binding: hit.bindingRef, matchedSubject: hit.matchedSubject, scope: hit.scope };
          const missing = (ref: ObjectRef) => {
            const k = `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
            if (!missingSeen.has(k)) {
              missingSeen.add(k);
              missingRoles.push(ref);
            }
          };
          if (hit.roleRef.kind === 'Role') {
            if (hit.scope === null) {
              // A ClusterRoleBinding cannot reference a Role (the apiserver rejects it): it grants nothing.
              continue;
            }
            const role = nearest(hit.binding.source, roles.get(`${hit.scope}/${hit.roleRef.name}`) ?? [])?.chosen;
            if (!role) {
              missing({ kind: 'Role', namespace: hit.scope, name: hit.roleRef.name });
              continue;
            }
            role.rules.forEach((rule, i) => rules.push({ ...base, rule, role: role.ref, ruleIndex: i, aggregatedFrom: null }));
          } else if (hit.roleRef.kind === 'ClusterRole') {
            const role = nearest(hit.binding.source, clusterRoles.get(hit.roleRef.name) ?? [])?.chosen;
            if (!role) {
              if (hit.roleRef.name === 'cluster-admin') {
                const ref: ObjectRef = { kind: 'ClusterRole', namespace: null, name: BUILTIN_CLUSTER_ADMIN };
                CLUSTER_ADMIN_RULES.forEach((rule, i) => rules.push({ ...base, rule, role: ref, ruleIndex: i, aggregatedFrom: null }));
              } else {
                missing({ kind: 'ClusterRole', namespace: null, name: hit.roleRef.name });
              }
              continue;
            }
            for (const e of expandClusterRole(role)) {
              rules.push({ ...base, rule: e.rule, role: role.ref, ruleIndex: e.ruleIndex, aggregatedFrom: e.from });
            }
          }
        }
      }
      const result = { rules, missingRoles };
      cache.set(cacheKey, result);
      return result;
    },
  };
}
