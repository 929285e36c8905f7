/**
 * The parts of a trigger, read from raw Triggers objects for triggers.ts: interceptors (events let through, CEL
 * overlays), bindings (each param with the shape of what it reads) and the PipelineRun resource templates of a
 * TriggerTemplate. References resolve by proximity (CHECKS.md "Subjects and files").
 */
import { asText, isObj, obj, objArr, str, strArr, type Obj } from './access';
import type { BindingParam, IdentityOf, InlineSpec, RunParamLink, RunTarget, TriggerPath, ValueShape } from './triggers';
import type { Evidence, K8sObject, ObjectRef } from './types';
import { celFields, filterEvents, isFixedShapeField, substitutionFields, type WebhookField } from './webhook-fields';

/** The Triggers objects the wiring is built from. */
export interface TriggerKinds {
  eventListeners: K8sObject[];
  triggers: K8sObject[];
  bindings: K8sObject[];
  clusterBindings: K8sObject[];
  templates: K8sObject[];
}

export type Owner = ObjectRef & { file?: string; line?: number };

export function ownerOf(o: K8sObject): Owner {
  return { kind: o.kind, namespace: o.namespace, name: o.name, ...o.source };
}

export function at(owner: Owner, path: string, value?: string): Evidence {
  const e: Evidence = { kind: owner.kind, namespace: owner.namespace, name: owner.name, path };
  if (value !== undefined) e.value = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  if (owner.file) e.file = owner.file;
  if (owner.line) e.line = owner.line;
  return e;
}

// Files may leave the namespace unspecified: '' as the rest of the model has it (never `default`).
export const nsOf = (o: K8sObject) => o.namespace ?? '';

const dirOf = (f: string) => f.slice(0, f.lastIndexOf('/') + 1);
const rootOf = (f: string) => f.split('/')[0];

/**
 * The candidate nearest to the referring file (CHECKS.md "Subjects and files": same file, then same directory,
 * then same repository folder); the first one otherwise.
 */
export function nearest(candidates: K8sObject[], from: string | undefined): K8sObject | undefined {
  if (candidates.length <= 1 || !from) return candidates[0];
  const score = (o: K8sObject) => {
    const f = o.source.file;
    if (!f) return 0;
    return f === from ? 3 : dirOf(f) === dirOf(from) ? 2 : rootOf(f) === rootOf(from) ? 1 : 0;
  };
  return candidates.reduce((best, o) => (score(o) > score(best) ? o : best));
}

// ------------------------------------------------------------------ interceptors

export interface Interceptor {
  kind: string;
  params: Obj;
  path: string;
}

export function interceptorsOf(raw: unknown, base: string): Interceptor[] {
  return objArr(raw).map((ic, i) => {
    const path = `${base}[${i}]`;
    const ref = obj(ic.ref);
    const refName = str(ref.name);
    if (refName) {
      const params: Obj = {};
      for (const p of objArr(ic.params)) if (str(p.name)) params[str(p.name) as string] = p.value;
      return { kind: refName.toLowerCase(), params, path };
    }
    for (const kind of ['github', 'gitlab', 'bitbucket', 'cel', 'webhook']) if (isObj(ic[kind])) return { kind, params: ic[kind] as Obj, path };
    return { kind: 'other', params: {}, path };
  });
}

export interface Overlay {
  key: string;
  expression: string;
  evidence: Evidence;
}

interface EventsResult {
  events: string[] | null;
  evidence: Evidence[];
  overlays: Overlay[];
}

export function readInterceptors(list: { owner: Owner; interceptors: Interceptor[] }[]): EventsResult {
  let events: string[] | null = null;
  const evidence: Evidence[] = [];
  const overlays: Overlay[] = [];
  const narrow = (next: string[]) => {
    events = events === null ? next : events.filter((e) => next.includes(e));
  };
  for (const { owner, interceptors } of list) {
    for (const ic of interceptors) {
      const types = ic.params.eventTypes;
      if ((ic.kind === 'github' || ic.kind === 'gitlab' || ic.kind === 'bitbucket') && types !== undefined) {
        const list = Array.isArray(types) ? strArr(types) : str(types) ? [str(types) as string] : [];
        narrow(list);
        evidence.push(at(owner, `${ic.path}`, `${ic.kind} eventTypes: ${list.join(', ')}`));
      }
      if (ic.kind !== 'cel') continue;
      const filter = str(ic.params.filter);
      if (filter) {
        const fe = filterEvents(filter);
        if (fe) {
          narrow(fe);
          evidence.push(at(owner, `${ic.path}`, `cel filter: ${filter}`));
        }
      }
      objArr(ic.params.overlays).forEach((o, j) => {
        const key = str(o.key);
        const expression = str(o.expression);
        if (key && expression !== null) overlays.push({ key, expression, evidence: at(owner, `${ic.path}.overlays[${j}]`, `${key}: ${expression}`) });
      });
    }
  }
  return { events, evidence, overlays };
}

// ------------------------------------------------------------------ bindings

interface Resolved {
  params: BindingParam[];
  missing: string[];
}

function classify(value: string, overlays: Overlay[], evidence: Evidence): BindingParam & { fields: WebhookField[] } {
  const fields = substitutionFields(value);
  const freeText: string[] = [];
  const undefinedExtensions: string[] = [];
  const via: Evidence[] = [];
  const visit = (field: string, depth: number, suffix: string) => {
    if (!field.startsWith('extensions.')) {
      if (!isFixedShapeField(field)) freeText.push(`${field}${suffix}`);
      return;
    }
    const key = field.slice('extensions.'.length);
    const overlay = overlays.find((o) => key === o.key || key.startsWith(`${o.key}.`));
    if (!overlay || depth > 5) {
      // GitHub's addChangedFiles puts the PR's file names (chosen by its author) under extensions.changed_files.
      if (key === 'changed_files' || key.startsWith('changed_files.')) freeText.push(`${field}${suffix}`);
      else undefinedExtensions.push(field);
      return;
    }
    via.push(overlay.evidence);
    const refs = celFields(overlay.expression);
    for (const f of refs) visit(f, depth + 1, ` via ${field}`);
  };
  for (const f of fields) visit(f, 0, '');
  const shape: ValueShape =
    fields.length === 0 ? 'constant' : freeText.length > 0 ? 'free-text' : undefinedExtensions.length > 0 ? 'unknown' : 'fixed-shape';
  return { name: '', value, shape, freeText, undefinedExtensions, evidence: [evidence, ...via], fields };
}

export function resolveBindings(raw: unknown, base: string, ns: string, owner: Owner, overlays: Overlay[], kinds: TriggerKinds): Resolved & { fields: WebhookField[] } {
  const out: Resolved & { fields: WebhookField[] } = { params: [], missing: [], fields: [] };
  const add = (name: string, value: string, evidence: Evidence) => {
    const c = classify(value, overlays, evidence);
    out.fields.push(...c.fields);
    out.params.push({ name, value, shape: c.shape, freeText: c.freeText, undefinedExtensions: c.undefinedExtensions, evidence: c.evidence });
  };
  objArr(raw).forEach((b, i) => {
    const path = `${base}[${i}]`;
    const value = b.value !== undefined ? asText(b.value) : null;
    if (value !== null && str(b.name) && !str(b.ref)) return add(str(b.name) as string, value, at(owner, path, `${str(b.name)}: ${value}`));
    if (isObj(b.spec)) {
      objArr(b.spec.params).forEach((p, j) => {
        if (str(p.name)) add(str(p.name) as string, asText(p.value), at(owner, `${path}.spec.params[${j}]`, `${str(p.name)}: ${asText(p.value)}`));
      });
      return;
    }
    const ref = str(b.ref) ?? str(b.name);
    if (!ref) return;
    const cluster = str(b.kind) === 'ClusterTriggerBinding';
    const found = nearest(
      cluster ? kinds.clusterBindings.filter((c) => c.name === ref) : kinds.bindings.filter((c) => c.name === ref && nsOf(c) === ns),
      owner.file,
    );
    if (!found) {
      out.missing.push(`${cluster ? 'ClusterTriggerBinding' : 'TriggerBinding'} "${ref}"${cluster ? '' : ` in ${ns}`} (${at(owner, path).path}) is not in sight`);
      return;
    }
    objArr(obj(found.raw.spec).params).forEach((p, j) => {
      const name = str(p.name);
      if (name && p.value !== undefined) add(name, asText(p.value), at(ownerOf(found), `spec.params[${j}]`, `${name}: ${asText(p.value)}`));
    });
  });
  return out;
}

// ------------------------------------------------------------------ templates

export interface TemplateResource {
  evidence: Evidence;
  target: RunTarget;
  runParams: RunParamLink[];
  inlineSpec: InlineSpec | null;
  serviceAccountName: string;
  secretWorkspaces: TriggerPath['secretWorkspaces'];
}

const TT_PARAM = /\$\(\s*tt\.params\.([A-Za-z0-9_.-]{1,100}?)\s*\)/g;

function ttParamsIn(text: string): string[] {
  return text.includes('tt.params') ? [...text.matchAll(TT_PARAM)].map((m) => m[1]) : [];
}

/** The PipelineRun resource templates of a template spec, each with what it passes to its pipeline. */
export function templateResources(spec: Obj, owner: Owner, base: string, ns: string, identityOf: IdentityOf): TemplateResource[] {
  return objArr(spec.resourcetemplates).flatMap((rt, i) => {
    if (str(rt.kind) !== 'PipelineRun') return [];
    const path = `${base}.resourcetemplates[${i}]`;
    const rs = obj(rt.spec);
    const targetNs = str(obj(rt.metadata).namespace) || ns;
    const runParams: RunParamLink[] = objArr(rs.params).flatMap((p, j) => {
      const name = str(p.name);
      if (!name) return [];
      const value = asText(p.value);
      return [{ param: name, value, ttParams: ttParamsIn(value), evidence: at(owner, `${path}.spec.params[${j}]`, `${name}: ${value}`) }];
    });
    const inlineSpec = isObj(rs.pipelineSpec) ? { raw: rs.pipelineSpec, owner, path: `${path}.spec.pipelineSpec` } : null;
    const trt = obj(rs.taskRunTemplate);
    const secretWorkspaces = objArr(rs.workspaces).flatMap((w, j) =>
      isObj(w.secret) && str(w.name)
        ? [{ workspace: str(w.name) as string, secretName: str(w.secret.secretName), evidence: at(owner, `${path}.spec.workspaces[${j}]`, `${str(w.name)}: secret ${str(w.secret.secretName) ?? ''}`) }]
        : [],
    );
    return [
      {
        evidence: at(owner, path),
        target: { namespace: targetNs, pipeline: identityOf(rt, targetNs) },
        runParams,
        inlineSpec,
        serviceAccountName: str(trt.serviceAccountName) || str(rs.serviceAccountName) || 'default',
        secretWorkspaces,
      },
    ];
  });
}
