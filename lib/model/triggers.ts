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
import {
  at,
  interceptorsOf,
  nearest,
  nsOf,
  ownerOf,
  readInterceptors,
  resolveBindings,
  templateResources,
  type Interceptor,
  type Owner,
  type TemplateResource,
  type TriggerKinds,
} from './trigger-parts';
import type { Evidence, K8sObject, ObjectRef } from './types';
import { eventFamilyOfField, isPullRequestEvent } from './webhook-fields';

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
function selectTriggers(kinds: TriggerKinds, elNs: string, nsSelector: unknown, labelSelector: unknown): K8sObject[] {
  if (!isObj(nsSelector) && !isObj(labelSelector)) return [];
  const names = isObj(nsSelector) ? strArr(nsSelector.matchNames) : [elNs];
  const all = names.includes('*');
  return kinds.triggers.filter(
    (t) => (all || names.includes(nsOf(t))) && (!isObj(labelSelector) || matchesLabels(t.labels, labelSelector)),
  );
}

function entriesOf(kinds: TriggerKinds, unresolved: UnresolvedTrigger[], servedOnly: boolean): TriggerEntry[] {
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
export function buildTriggersModel(kinds: TriggerKinds, identityOf: IdentityOf, servedOnly = false): TriggersModel {
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
