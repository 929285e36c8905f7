/**
 * Tekton Triggers wiring, followed rather than pooled: which webhook events reach which pipeline, and what each
 * webhook field becomes on the way (INJ-003, INJ-004).
 *
 * A **trigger** is an EventListener `spec.triggers[]` entry (inline, or `triggerRef` → a Trigger object in the
 * listener's namespace), a Trigger object the listener selects (`namespaceSelector.matchNames` — `*` for all —
 * and/or `labelSelector`, directly or through `triggerGroups[].triggerSelector`, whose interceptors run first),
 * or, in files, a Trigger object no listener in sight serves (it still says exactly what it wires; live, where
 * every listener is seen, it never fires). A trigger's bindings
 * (`ref` to a TriggerBinding, or `kind: ClusterTriggerBinding`; inline `name`/`value`; the legacy `name`-only ref
 * and embedded `spec.params`) and its template (`ref`/`name`, or an inline `spec`) resolve in the trigger's own
 * namespace; the runs the template creates land there too unless a resource template names a namespace.
 *
 * Each **path** is one trigger × one PipelineRun resource template; it records the events let through (see
 * webhook-fields.ts), every binding param with its shape, the run params the template fills from `$(tt.params.X)`
 * (a tt param no binding sets takes its `default`: a constant), the inline pipelineSpec (whose scripts may hold
 * `$(tt.params.X)` verbatim), and the Secret workspaces and service account the template gives the run.
 * Linkage that cannot be followed (a missing Trigger, binding or template) is recorded, never guessed around.
 */
import { asText, isObj, obj, objArr, str, strArr, strMap, type Obj } from './access';
import type { Evidence, K8sObject, ObjectRef } from './types';
import {
  celFields,
  eventFamilyOfField,
  filterEvents,
  isFixedShapeField,
  isPullRequestEvent,
  substitutionFields,
  type WebhookField,
} from './webhook-fields';

/** `unknown`: it reads an extension no CEL overlay in sight defines (another interceptor, or an out-of-sight listener). */
export type ValueShape = 'free-text' | 'fixed-shape' | 'constant' | 'unknown';

export interface BindingParam {
  name: string;
  value: string;
  shape: ValueShape;
  /** The free-text webhook fields it reads (through CEL overlays resolved: `body.ref via extensions.branch`). */
  freeText: string[];
  /** Extensions whose definition is not in sight. */
  undefinedExtensions: string[];
  evidence: Evidence[];
}

export interface RunParamLink {
  /** The PipelineRun param (a pipeline param). */
  param: string;
  value: string;
  ttParams: string[];
  evidence: Evidence;
}

export interface TriggerPath {
  /** `EventListener ci/github · trigger "pr"`, `Trigger ci/push (EventListener ops/all)` */
  label: string;
  eventListener: ObjectRef | null;
  trigger: Evidence;
  /** Events let through; null when nothing filters them. */
  events: string[] | null;
  /** null when the events are not filtered. */
  pullRequest: boolean | null;
  eventEvidence: Evidence[];
  bindings: BindingParam[];
  /** Bindings referenced but not in sight: the tt params they would set are unknown. */
  missingBindings: string[];
  template: Evidence;
  target: RunTarget;
  ttDefaults: Record<string, string | null>;
  runParams: RunParamLink[];
  inlineSpec: InlineSpec | null;
  serviceAccountName: string;
  secretWorkspaces: { workspace: string; secretName: string | null; evidence: Evidence }[];
}

/** A resource template's inline `pipelineSpec`, whose scripts may hold `$(tt.params.X)` verbatim. */
export interface InlineSpec {
  raw: unknown;
  owner: ObjectRef & { file?: string; line?: number };
  path: string;
}

/** Where a resource template's runs go: their namespace and the pipeline identity they are grouped under. */
export interface RunTarget {
  namespace: string;
  /** The pipeline name as the model groups runs (null when the template gives no name at all). */
  pipeline: string | null;
}

export interface UnresolvedTrigger {
  /** Namespace whose pipelines the lost link could feed. */
  namespace: string;
  /** The template, when known (a missing binding); null when the template itself is unknown. */
  template: string | null;
  reason: string;
  evidence: Evidence;
}

/** A TriggerTemplate resource template that no trigger in sight uses. */
export interface UnusedTemplate {
  template: Evidence;
  target: RunTarget;
  runParams: RunParamLink[];
  inlineSpec: InlineSpec | null;
}

export interface TriggersModel {
  triggerObjects: K8sObject[];
  paths: TriggerPath[];
  unresolved: UnresolvedTrigger[];
  unusedTemplates: UnusedTemplate[];
}

/** The pipeline identity the model groups a run under (build.ts's pipelineIdentity), null without a name. */
export type IdentityOf = (run: Obj, namespace: string) => string | null;

interface Kinds {
  eventListeners: K8sObject[];
  triggers: K8sObject[];
  bindings: K8sObject[];
  clusterBindings: K8sObject[];
  templates: K8sObject[];
}

type Owner = ObjectRef & { file?: string; line?: number };

function ownerOf(o: K8sObject): Owner {
  return { kind: o.kind, namespace: o.namespace, name: o.name, ...o.source };
}

function at(owner: Owner, path: string, value?: string): Evidence {
  const e: Evidence = { kind: owner.kind, namespace: owner.namespace, name: owner.name, path };
  if (value !== undefined) e.value = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  if (owner.file) e.file = owner.file;
  if (owner.line) e.line = owner.line;
  return e;
}

const nsOf = (o: K8sObject) => o.namespace ?? 'default';

const dirOf = (f: string) => f.slice(0, f.lastIndexOf('/') + 1);
const rootOf = (f: string) => f.split('/')[0];

/**
 * The candidate nearest to the referring file (CHECKS.md "Subjects and files": same file, then same directory,
 * then same repository folder); the first one otherwise.
 */
function nearest(candidates: K8sObject[], from: string | undefined): K8sObject | undefined {
  if (candidates.length <= 1 || !from) return candidates[0];
  const score = (o: K8sObject) => {
    const f = o.source.file;
    if (!f) return 0;
    return f === from ? 3 : dirOf(f) === dirOf(from) ? 2 : rootOf(f) === rootOf(from) ? 1 : 0;
  };
  return candidates.reduce((best, o) => (score(o) > score(best) ? o : best));
}

// ------------------------------------------------------------------ interceptors

interface Interceptor {
  kind: string;
  params: Obj;
  path: string;
}

function interceptorsOf(raw: unknown, base: string): Interceptor[] {
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

interface Overlay {
  key: string;
  expression: string;
  evidence: Evidence;
}

interface EventsResult {
  events: string[] | null;
  evidence: Evidence[];
  overlays: Overlay[];
}

function readInterceptors(list: { owner: Owner; interceptors: Interceptor[] }[]): EventsResult {
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

function resolveBindings(raw: unknown, base: string, ns: string, owner: Owner, overlays: Overlay[], kinds: Kinds): Resolved & { fields: WebhookField[] } {
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

interface TemplateResource {
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

// ------------------------------------------------------------------ triggers

interface TriggerEntry {
  label: string;
  eventListener: ObjectRef | null;
  owner: Owner;
  /** The trigger spec (an EventListener entry or a Trigger object's spec) and its path. */
  spec: Obj;
  path: string;
  namespace: string;
  groupInterceptors: { owner: Owner; interceptors: Interceptor[] }[];
}

function matchesLabels(labels: Record<string, string>, selector: Obj): boolean {
  for (const [k, v] of Object.entries(strMap(selector.matchLabels))) if (labels[k] !== v) return false;
  for (const e of objArr(selector.matchExpressions)) {
    const key = str(e.key) ?? '';
    const values = strArr(e.values);
    const op = str(e.operator);
    const has = key in labels;
    if (op === 'In' && !(has && values.includes(labels[key]))) return false;
    if (op === 'NotIn' && has && values.includes(labels[key])) return false;
    if (op === 'Exists' && !has) return false;
    if (op === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Trigger objects a selector pair picks: namespaces by `matchNames` (`*`: all), else the listener's own. */
function selectTriggers(kinds: Kinds, elNs: string, nsSelector: unknown, labelSelector: unknown): K8sObject[] {
  if (!isObj(nsSelector) && !isObj(labelSelector)) return [];
  const names = isObj(nsSelector) ? strArr(nsSelector.matchNames) : [elNs];
  const all = names.includes('*');
  return kinds.triggers.filter(
    (t) => (all || names.includes(nsOf(t))) && (!isObj(labelSelector) || matchesLabels(t.labels, labelSelector)),
  );
}

function entriesOf(kinds: Kinds, unresolved: UnresolvedTrigger[], servedOnly: boolean): TriggerEntry[] {
  const entries: TriggerEntry[] = [];
  const served = new Set<K8sObject>();
  const fromTrigger = (t: K8sObject, el: K8sObject | null, groups: TriggerEntry['groupInterceptors']) => {
    served.add(t);
    entries.push({
      label: el ? `Trigger ${nsOf(t)}/${t.name} (EventListener ${nsOf(el)}/${el.name})` : `Trigger ${nsOf(t)}/${t.name} (no EventListener in sight serves it)`,
      eventListener: el ? { kind: 'EventListener', namespace: el.namespace, name: el.name } : null,
      owner: ownerOf(t),
      spec: obj(t.raw.spec),
      path: 'spec',
      namespace: nsOf(t),
      groupInterceptors: groups,
    });
  };
  for (const el of kinds.eventListeners) {
    const ns = nsOf(el);
    const spec = obj(el.raw.spec);
    objArr(spec.triggers).forEach((tr, i) => {
      const ref = str(tr.triggerRef);
      if (ref) {
        const t = nearest(kinds.triggers.filter((x) => x.name === ref && nsOf(x) === ns), el.source.file);
        if (t) fromTrigger(t, el, []);
        else unresolved.push({ namespace: ns, template: null, reason: `EventListener ${ns}/${el.name} refers to Trigger "${ref}", which is not in sight`, evidence: at(ownerOf(el), `spec.triggers[${i}].triggerRef`, ref) });
        return;
      }
      entries.push({
        label: `EventListener ${ns}/${el.name} · trigger ${str(tr.name) ? `"${str(tr.name)}"` : `#${i + 1}`}`,
        eventListener: { kind: 'EventListener', namespace: el.namespace, name: el.name },
        owner: ownerOf(el),
        spec: tr,
        path: `spec.triggers[${i}]`,
        namespace: ns,
        groupInterceptors: [],
      });
    });
    for (const t of selectTriggers(kinds, ns, spec.namespaceSelector, spec.labelSelector)) fromTrigger(t, el, []);
    objArr(spec.triggerGroups).forEach((g, i) => {
      const sel = obj(g.triggerSelector);
      const groups = [{ owner: ownerOf(el), interceptors: interceptorsOf(g.interceptors, `spec.triggerGroups[${i}].interceptors`) }];
      for (const t of selectTriggers(kinds, ns, sel.namespaceSelector, sel.labelSelector)) fromTrigger(t, el, groups);
    });
  }
  if (!servedOnly) for (const t of kinds.triggers) if (!served.has(t)) fromTrigger(t, null, []);
  return entries;
}

/** The paths whose runs belong to this pipeline (namespace and identity name). */
export function pathsReaching(model: TriggersModel, pipeline: { namespace: string; name: string }): TriggerPath[] {
  return model.paths.filter((p) => p.target.namespace === pipeline.namespace && p.target.pipeline === pipeline.name);
}

/**
 * Builds the wiring from the loaded Triggers objects. Never throws on malformed input. `servedOnly` (live): a Trigger
 * no EventListener serves never fires, since every listener of the cluster is in sight; in files the listener may
 * live elsewhere, so such a Trigger still counts.
 */
export function buildTriggersModel(kinds: Kinds, identityOf: IdentityOf, servedOnly = false): TriggersModel {
  const unresolved: UnresolvedTrigger[] = [];
  const paths: TriggerPath[] = [];
  const usedTemplates = new Set<K8sObject>();
  for (const entry of entriesOf(kinds, unresolved, servedOnly)) {
    const { spec, owner, path, namespace: ns } = entry;
    const intercept = readInterceptors([...entry.groupInterceptors, { owner, interceptors: interceptorsOf(spec.interceptors, `${path}.interceptors`) }]);
    const bindings = resolveBindings(spec.bindings, `${path}.bindings`, ns, owner, intercept.overlays, kinds);
    // Triggers rejects an event whose payload lacks a field a binding reads: the fields narrow the events.
    let events = intercept.events;
    const families = new Set(bindings.fields.map(eventFamilyOfField).filter((f): f is 'pull_request' | 'push' => f !== null));
    const eventEvidence = [...intercept.evidence];
    if (families.size === 1) {
      const family = [...families][0];
      const fits = (e: string) => (family === 'pull_request' ? isPullRequestEvent(e) : !isPullRequestEvent(e));
      events = events === null ? [family] : events.filter(fits);
      const b = bindings.params.find((p) => p.value.includes(family === 'pull_request' ? 'body.pull_request' : 'body.'));
      if (b) eventEvidence.push(b.evidence[0]);
    }
    const tpl = obj(spec.template);
    const tplName = str(tpl.ref) ?? str(tpl.name);
    let resources: TemplateResource[] = [];
    let ttDefaults: Record<string, string | null> = {};
    if (isObj(tpl.spec)) {
      resources = templateResources(tpl.spec, owner, `${path}.template.spec`, ns, identityOf);
      ttDefaults = defaultsOf(tpl.spec);
    } else if (tplName) {
      const t = nearest(kinds.templates.filter((x) => x.name === tplName && nsOf(x) === ns), owner.file);
      if (!t) {
        unresolved.push({ namespace: ns, template: null, reason: `${entry.label} uses TriggerTemplate "${tplName}", which is not in sight in ${ns}`, evidence: at(owner, `${path}.template`, tplName) });
        continue;
      }
      usedTemplates.add(t);
      resources = templateResources(obj(t.raw.spec), ownerOf(t), 'spec', ns, identityOf);
      ttDefaults = defaultsOf(obj(t.raw.spec));
    } else {
      unresolved.push({ namespace: ns, template: null, reason: `${entry.label} names no template`, evidence: at(owner, path) });
      continue;
    }
    for (const r of resources) {
      paths.push({
        label: entry.label,
        eventListener: entry.eventListener,
        trigger: at(owner, path),
        events,
        pullRequest: events === null ? null : events.some(isPullRequestEvent),
        eventEvidence,
        bindings: bindings.params,
        missingBindings: bindings.missing,
        template: r.evidence,
        target: r.target,
        ttDefaults,
        runParams: r.runParams,
        inlineSpec: r.inlineSpec,
        serviceAccountName: r.serviceAccountName,
        secretWorkspaces: r.secretWorkspaces,
      });
    }
  }
  // Live, a template no served trigger uses never creates a run.
  const unusedTemplates = kinds.templates
    .filter((t) => !servedOnly && !usedTemplates.has(t))
    .flatMap((t) =>
      templateResources(obj(t.raw.spec), ownerOf(t), 'spec', nsOf(t), identityOf).map((r) => ({ template: r.evidence, target: r.target, runParams: r.runParams, inlineSpec: r.inlineSpec })),
    );
  return { triggerObjects: kinds.triggers, paths, unresolved, unusedTemplates };
}

function defaultsOf(spec: Obj): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const p of objArr(spec.params)) if (str(p.name)) out[str(p.name) as string] = p.default === undefined ? null : asText(p.default);
  return out;
}
