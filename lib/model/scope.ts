/**
 * What one file-born subject sees (catalog v1.1 "Subjects and files"). On a cluster a name plus a namespace is one
 * object; in a repository of examples it is not: many folders have a `build-bot` ServiceAccount, a LimitRange, a
 * cluster-admin binding, none with a namespace. So for the files source each subject gets its own view:
 *   - named references (its SAs, their Secrets, PVC claims, StepActions) resolve to the nearest candidate
 *     (lib/model/proximity.ts);
 *   - ambient objects of the unspecified namespace (LimitRange, ResourceQuota, NetworkPolicy,
 *     VerificationPolicy) and the bindings that reach its SAs through anything but an explicit namespace count only
 *     when they sit in the subject's file, its directory or a directory above it;
 *   - a service account of the unspecified namespace is "the same SA" for two subjects only when both resolve to
 *     the same ServiceAccount document, or, with none in sight, when both sit in the same directory.
 * Explicit namespaces keep their cluster meaning: `namespace: ci` in two files is one namespace.
 * Checks read the view through `clusterViewFor`, which the engine applies before evaluating a subject.
 */
import { obj, objArr, str, type Obj } from './access';
import { coversDocument, dirOf, type NearestPick } from './proximity';
import type { RbacIndex } from './rbac';
import type { ClusterModel, K8sObject, NamespaceModel, PipelineModel, ServiceAccountModel, SourceLocation, SubjectScope } from './types';
import { isUnspecifiedNamespace, saKey } from './types';

export interface ScopeInputs {
  /** Resolves a named reference by proximity, recording ambiguities. */
  find(kind: string, namespace: string | null, name: string, from: SourceLocation | undefined, notes?: { add(message: string): void }): NearestPick<K8sObject> | null;
  rbac: RbacIndex;
  /** Guardrail objects of the unspecified namespace, by kind. */
  unspecifiedGuardrails: { networkPolicies: K8sObject[]; resourceQuotas: K8sObject[]; limitRanges: K8sObject[]; verificationPolicies: K8sObject[] };
}

function subjectLocation(p: PipelineModel): SourceLocation | undefined {
  return p.location ?? p.object?.source ?? p.runs[0]?.object.source;
}

/** Notes an ambiguity once in a subject's issues: which candidate its checks used. */
export function issueSink(p: PipelineModel): { add(message: string): void } {
  return { add: (m) => void (p.issues.includes(m) || p.issues.push(m)) };
}

function fileIdentity(s: SourceLocation): string {
  return s.relPath ?? s.file ?? '';
}

/** A service account as the checks read it: its object's fields and the RBAC rules that reach it. */
export function serviceAccountModel(ns: string, name: string, o: K8sObject | null, rbac: ReturnType<RbacIndex['resolve']>): ServiceAccountModel {
  const raw: Obj = obj(o?.raw);
  return {
    namespace: ns,
    name,
    object: o,
    automountServiceAccountToken: typeof raw.automountServiceAccountToken === 'boolean' ? raw.automountServiceAccountToken : null,
    secrets: objArr(raw.secrets).map((s) => str(s.name) ?? '').filter(Boolean),
    imagePullSecrets: objArr(raw.imagePullSecrets).map((s) => str(s.name) ?? '').filter(Boolean),
    rules: rbac.rules,
    missingRoles: rbac.missingRoles,
  };
}

/** StepAction refs of every resolved task spec of a subject, with the spec's location (what they are near to). */
export function stepActionRefs(p: PipelineModel): { name: string; from: SourceLocation }[] {
  const out: { name: string; from: SourceLocation }[] = [];
  for (const t of p.spec ? [...p.spec.tasks, ...p.spec.finally] : []) {
    for (const s of t.taskSpec?.steps ?? []) {
      if (s.ref && s.ref.resolver === null && s.ref.bundle === null && s.ref.name) out.push({ name: s.ref.name, from: t.taskSpec?.owner ?? {} });
    }
  }
  return out;
}

/** PVC claims of a subject's recent runs (and their TaskRuns), with each run's location. */
function claimRefs(p: PipelineModel): { name: string; from: SourceLocation }[] {
  const out: { name: string; from: SourceLocation }[] = [];
  for (const r of p.runs) {
    for (const b of r.workspaces) if (b.claimName) out.push({ name: b.claimName, from: r.object.source });
    for (const tr of r.taskRuns) for (const b of tr.workspaces) if (b.claimName) out.push({ name: b.claimName, from: tr.object.source });
  }
  return out;
}

/** Builds every subject's scope; `pipelines` are all subjects of a files scan. */
export function buildSubjectScopes(pipelines: readonly PipelineModel[], inputs: ScopeInputs): Map<string, SubjectScope> {
  const scopes = new Map<string, SubjectScope>();
  // Which SA document (or directory) each subject's SA is, to tell shared SAs from same-named ones.
  const saIdentity = new Map<string, string>(); // `${id}\0${sa}` → identity
  const usersOf = new Map<string, string[]>(); // identity → subject ids
  const saObjectOf = new Map<string, K8sObject | null>();
  for (const p of pipelines) {
    const at = subjectLocation(p);
    for (const sa of p.serviceAccounts) {
      const o = inputs.find('ServiceAccount', p.namespace, sa, at, issueSink(p))?.chosen ?? null;
      const identity = !isUnspecifiedNamespace(p.namespace)
        ? `ns:${p.namespace}/${sa}`
        : o
          ? `obj:${fileIdentity(o.source)}:${o.source.line ?? 0}:${sa}`
          : `dir:${dirOf(at ? fileIdentity(at) : undefined)}/${sa}`;
      saIdentity.set(`${p.id}\u0000${sa}`, identity);
      saObjectOf.set(`${p.id}\u0000${sa}`, o);
      const list = usersOf.get(identity);
      if (list) list.push(p.id);
      else usersOf.set(identity, [p.id]);
    }
  }

  for (const p of pipelines) {
    const at = subjectLocation(p);
    // Without a file (objects handed over without their origin) proximity has nothing to go by: the
    // cluster-wide lookups stand, as for live.
    if (!at?.file) continue;
    const rbacScope = { key: dirOf(at?.file), accepts: (binding: K8sObject) => coversDocument(binding.source, at) };
    const near = (list: K8sObject[]) => list.filter((o) => coversDocument(o.source, at));
    const g = inputs.unspecifiedGuardrails;
    const namespace: NamespaceModel | null = isUnspecifiedNamespace(p.namespace)
      ? {
          name: p.namespace,
          object: null,
          labels: {},
          networkPolicies: near(g.networkPolicies),
          resourceQuotas: near(g.resourceQuotas),
          limitRanges: near(g.limitRanges),
          verificationPolicies: near(g.verificationPolicies),
          unspecified: true,
        }
      : null;

    const serviceAccounts = new Map<string, ServiceAccountModel>();
    const pipelinesBySa = new Map<string, string[]>();
    const secretsMeta: ClusterModel['secretsMeta'] = new Map();
    for (const sa of p.serviceAccounts) {
      const o = saObjectOf.get(`${p.id}\u0000${sa}`) ?? null;
      const model = serviceAccountModel(p.namespace, sa, o, inputs.rbac.resolve(p.namespace, sa, rbacScope));
      serviceAccounts.set(saKey(p.namespace, sa), model);
      pipelinesBySa.set(saKey(p.namespace, sa), usersOf.get(saIdentity.get(`${p.id}\u0000${sa}`) ?? '') ?? [p.id]);
      for (const secret of model.secrets) {
        const s = inputs.find('Secret', p.namespace, secret, o?.source ?? at, issueSink(p))?.chosen;
        if (s) secretsMeta.set(saKey(p.namespace, secret), { name: s.name, namespace: p.namespace, type: str((s.raw as Obj).type), annotations: s.annotations });
      }
    }

    const pvcs = new Map<string, K8sObject>();
    for (const c of claimRefs(p)) {
      const pvc = inputs.find('PersistentVolumeClaim', p.namespace, c.name, c.from, issueSink(p))?.chosen;
      if (pvc && !pvcs.has(saKey(p.namespace, c.name))) pvcs.set(saKey(p.namespace, c.name), pvc);
    }
    const stepActions = new Map<string, K8sObject>();
    for (const r of stepActionRefs(p)) {
      const sa = inputs.find('StepAction', p.namespace, r.name, r.from, issueSink(p))?.chosen;
      if (sa && !stepActions.has(saKey(p.namespace, r.name))) stepActions.set(saKey(p.namespace, r.name), sa);
    }
    scopes.set(p.id, { namespace, serviceAccounts, pipelinesBySa, pvcs, stepActions, secretsMeta });
  }
  return scopes;
}

function overlay<V>(base: ReadonlyMap<string, V>, over: ReadonlyMap<string, V>): Map<string, V> {
  const m = new Map(base);
  for (const [k, v] of over) m.set(k, v);
  return m;
}

const views = new WeakMap<ClusterModel, Map<string, ClusterModel>>();

/**
 * The cluster as one subject sees it: the model itself, except for a files scan, where its scope's lookups replace
 * the cluster-wide ones (and the unspecified namespace is replaced by the subject's nearby guardrails).
 */
export function clusterViewFor(cluster: ClusterModel, pipeline: Pick<PipelineModel, 'id' | 'namespace'>): ClusterModel {
  const scope = cluster.subjectScopes?.get(pipeline.id);
  if (!scope) return cluster;
  let memo = views.get(cluster);
  if (!memo) views.set(cluster, (memo = new Map()));
  const hit = memo.get(pipeline.id);
  if (hit) return hit;
  const view: ClusterModel = {
    ...cluster,
    namespaces: scope.namespace ? overlay(cluster.namespaces, new Map([[pipeline.namespace, scope.namespace]])) : cluster.namespaces,
    serviceAccounts: overlay(cluster.serviceAccounts, scope.serviceAccounts),
    pipelinesBySa: overlay(cluster.pipelinesBySa, scope.pipelinesBySa),
    pvcs: overlay(cluster.pvcs, scope.pvcs),
    stepActions: overlay(cluster.stepActions, scope.stepActions),
    secretsMeta: overlay(cluster.secretsMeta, scope.secretsMeta),
  };
  memo.set(pipeline.id, view);
  return view;
}

/** The kinds whose unspecified-namespace documents are ambient guardrails. */
export function unspecifiedGuardrails(kinds: ReadonlyMap<string, K8sObject[]>): ScopeInputs['unspecifiedGuardrails'] {
  const unspecified = (kind: string) => (kinds.get(kind) ?? []).filter((o) => o.namespace === null);
  return {
    networkPolicies: unspecified('NetworkPolicy'),
    resourceQuotas: unspecified('ResourceQuota'),
    limitRanges: unspecified('LimitRange'),
    verificationPolicies: unspecified('VerificationPolicy'),
  };
}
