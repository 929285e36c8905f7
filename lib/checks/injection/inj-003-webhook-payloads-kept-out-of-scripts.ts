import { obj, objArr, str } from '../../model/access';
import { pipelineIdentity } from '../../model/build';
import type { Evidence, K8sObject, PipelineModel } from '../../model/types';
import type { PipelineCheck } from '../types';
import { capEvidence, evidenceAt, fail, gapMessage, gapsFor, notApplicable, pass, plural, unknown } from '../util';
import { codeSites, findInjections, findSubstitutions, shellCodeIndex, siteEvidence } from './substitutions';

const TRIGGER_KINDS = ['TriggerBinding', 'ClusterTriggerBinding', 'TriggerTemplate', 'EventListener'];
const PAYLOAD = /\$\(\s*(body|header|extensions)\b/;
const TT_PARAM = /\$\(\s*tt\.params\.([A-Za-z0-9_.-]+?)\s*\)/g;

function ownerOf(o: K8sObject) {
  return { kind: o.kind, namespace: o.namespace, name: o.name, ...o.source };
}

/** Whether a TriggerTemplate resourcetemplate creates runs of this pipeline (same identity rules as the model). */
function targetsPipeline(rt: Record<string, unknown>, namespace: string, pipeline: PipelineModel): boolean {
  if (str(rt.kind) !== 'PipelineRun') return false;
  const meta = obj(rt.metadata);
  const ns = str(meta.namespace) ?? namespace;
  if (ns !== pipeline.namespace) return false;
  const fake: K8sObject = {
    apiVersion: str(rt.apiVersion) ?? 'tekton.dev/v1',
    kind: 'PipelineRun',
    namespace: ns,
    name: str(meta.name) ?? '',
    uid: null,
    labels: Object.fromEntries(Object.entries(obj(meta.labels)).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    annotations: Object.fromEntries(Object.entries(obj(meta.annotations)).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    creationTimestamp: null,
    generateName: str(meta.generateName),
    finalizers: [],
    ownerReferences: [],
    raw: rt,
    source: {},
  };
  if (!fake.name && !fake.generateName && !obj(obj(rt.spec).pipelineRef).name) return false;
  return pipelineIdentity(fake).name === pipeline.name;
}

interface BindingParam {
  name: string;
  value: string;
  evidence: Evidence;
}

/** Params of a TriggerBinding / ClusterTriggerBinding object. */
function bindingParams(b: K8sObject): BindingParam[] {
  return objArr(obj(b.raw.spec).params).flatMap((p, i) => {
    const name = str(p.name);
    const value = str(p.value);
    return name && value !== null ? [{ name, value, evidence: evidenceAt(ownerOf(b), `spec.params[${i}]`, `${name}: ${value}`) }] : [];
  });
}

export const INJ_003: PipelineCheck = {
  id: 'INJ-003',
  title: 'Webhook payloads kept out of scripts',
  category: 'injection',
  severity: 'critical',
  scope: 'pipeline',
  rationale:
    'A TriggerBinding that copies `$(body.…)` or `$(header.…)` into a parameter hands whoever can send the webhook (anyone who can open a pull request, ' +
    'name a branch or write a commit message) control of that value. When the parameter is then pasted into a script, the payload runs as shell code ' +
    'inside the pipeline, with its service account and secrets.',
  remediation: [
    'Never interpolate payload-derived params in scripts: pass them through `env` and quote them, and validate them first (a branch name, a 40-hex SHA).',
    '```yaml',
    '# TriggerBinding: body.head_commit.message → param "message"',
    'steps:',
    '- name: notify',
    '  image: alpine@sha256:…',
    '  env:',
    '  - {name: MESSAGE, value: $(params.message)}',
    '  script: |',
    '    printf \'%s\\n\' "$MESSAGE"',
    '```',
    'Prefer payload fields the sender cannot choose freely (commit SHA, repository URL checked by an interceptor).',
  ].join('\n'),
  source: 'tekton-chains-provenance (section 4, triggering pipelines from webhooks); CIS Software Supply Chain 2.3',
  // Trigger kinds are optional CRDs: their gaps are weighed inside (not installed → nothing can fire the pipeline).
  needs: [],
  evaluate({ pipeline, cluster }) {
    const ns = pipeline.namespace;
    // Triggers not installed: nothing can fire this pipeline from a webhook (not a gap, just absent).
    const gaps = gapsFor(cluster, TRIGGER_KINDS, ns).filter((g) => g.reason !== 'not-installed');
    const gapNote = gaps.length ? ` Trigger objects could not all be read: ${gapMessage(gaps)}.` : '';

    // 1. TriggerTemplates that create runs of this pipeline: tt param → pipeline param.
    const ttEdges: { template: K8sObject; tt: string; param: string; evidence: Evidence }[] = [];
    const templates = new Set<K8sObject>();
    // `$(tt.params.x)` written straight into a script of an inline pipelineSpec in the template.
    const ttScripts: { template: K8sObject; tt: string; evidence: Evidence }[] = [];
    for (const t of cluster.triggerTemplates) {
      if ((t.namespace ?? '') !== ns) continue;
      objArr(obj(t.raw.spec).resourcetemplates).forEach((rt, i) => {
        if (!targetsPipeline(rt, ns, pipeline)) return;
        templates.add(t);
        for (const sc of inlineScripts(obj(rt.spec).pipelineSpec, `spec.resourcetemplates[${i}].spec.pipelineSpec`)) {
          for (const m of sc.text.matchAll(TT_PARAM)) {
            const line = sc.text.slice(0, m.index).split('\n').length;
            const snippet = (sc.text.split('\n')[line - 1] ?? '').trim().slice(0, 160);
            ttScripts.push({ template: t, tt: m[1], evidence: evidenceAt(ownerOf(t), sc.path, `line ${line}: ${snippet}`) });
          }
        }
        objArr(obj(rt.spec).params).forEach((p, j) => {
          const name = str(p.name);
          const value = typeof p.value === 'string' ? p.value : JSON.stringify(p.value ?? '');
          if (!name) return;
          for (const m of value.matchAll(TT_PARAM)) {
            ttEdges.push({ template: t, tt: m[1], param: name, evidence: evidenceAt(ownerOf(t), `spec.resourcetemplates[${i}].spec.params[${j}]`, `${name}: ${value}`) });
          }
        });
      });
    }
    if (templates.size === 0) {
      if (gaps.length) return unknown(`No TriggerTemplate in sight creates runs of this pipeline.${gapNote}`);
      return notApplicable('No TriggerTemplate creates runs of this pipeline.');
    }

    // 2. Bindings feeding those templates: through EventListener triggers when one references the template,
    //    else every binding of the namespace (and cluster bindings) by param name.
    const bindings = cluster.triggerBindings.filter((b) => b.kind === 'ClusterTriggerBinding' || (b.namespace ?? '') === ns);
    const findBinding = (name: string, kind: string | null) =>
      bindings.find((b) => b.name === name && (kind === 'ClusterTriggerBinding' ? b.kind === 'ClusterTriggerBinding' : b.kind === 'TriggerBinding'));
    const tainted = new Map<string, BindingParam[]>(); // `${template}\0${ttParam}` → payload binding params
    const addTaint = (template: K8sObject, bp: BindingParam) => {
      if (!PAYLOAD.test(bp.value)) return;
      const key = `${template.name}\u0000${bp.name}`;
      tainted.set(key, [...(tainted.get(key) ?? []), bp]);
    };
    for (const template of templates) {
      const triggers: { bindings: BindingParam[] }[] = [];
      for (const el of cluster.eventListeners) {
        if ((el.namespace ?? '') !== ns) continue;
        objArr(obj(el.raw.spec).triggers).forEach((tr, i) => {
          const tpl = obj(tr.template);
          if ((str(tpl.ref) ?? str(tpl.name)) !== template.name) return;
          const params: BindingParam[] = [];
          objArr(tr.bindings).forEach((b, j) => {
            const value = str(b.value);
            if (value !== null && str(b.name)) {
              params.push({ name: str(b.name) as string, value, evidence: evidenceAt(ownerOf(el), `spec.triggers[${i}].bindings[${j}]`, `${str(b.name)}: ${value}`) });
              return;
            }
            const ref = str(b.ref) ?? str(b.name);
            const found = ref ? findBinding(ref, str(b.kind)) : undefined;
            if (found) params.push(...bindingParams(found));
          });
          triggers.push({ bindings: params });
        });
      }
      const linked = triggers.length > 0 ? triggers.flatMap((t) => t.bindings) : bindings.flatMap(bindingParams);
      for (const bp of linked) addTaint(template, bp);
    }

    // 3. Pipeline params set from payload-derived tt params.
    const taintedParams = new Map<string, Evidence[]>();
    for (const e of ttEdges) {
      const from = tainted.get(`${e.template.name}\u0000${e.tt}`);
      if (!from) continue;
      taintedParams.set(e.param, [...(taintedParams.get(e.param) ?? []), ...from.map((b) => b.evidence), e.evidence]);
    }

    const direct: Evidence[] = [];
    for (const sc of ttScripts) {
      const from = tainted.get(`${sc.template.name}\u0000${sc.tt}`);
      if (from) direct.push(...from.map((b) => b.evidence), sc.evidence);
    }

    // 4. Those pipeline params reaching a script: directly (inline spec) or through a task param.
    const { sites, unresolved } = codeSites(pipeline, cluster);
    const evidence: Evidence[] = [];
    const reached = new Set<string>();
    for (const inj of findInjections(sites)) {
      if (inj.occ.sub.kind !== 'param') continue;
      const { task, spec } = inj.site;
      const q = inj.occ.sub.name;
      const passed = task.params.find((p) => p.name === q);
      const feeds = passed
        ? findSubstitutions(passed.value).filter((o) => o.sub.kind === 'param').map((o) => o.sub.name)
        : spec.params.some((p) => p.name === q) || inj.site.stepAction
          ? []
          : [q]; // propagated pipeline param in an embedded spec
      for (const p of feeds) {
        const chain = taintedParams.get(p);
        if (!chain) continue;
        if (!reached.has(p)) evidence.push(...chain);
        reached.add(p);
        if (passed) evidence.push(evidenceAt(pipeline.spec!.owner, passed.path, `${passed.name}: ${passed.value}`));
        evidence.push(siteEvidence(inj.site, `${inj.site.label}, line ${inj.occ.line}: ${inj.occ.snippet}`));
      }
    }
    const unresolvedNote = unresolved.length ? ` Not evaluated: ${unresolved.slice(0, 5).join('; ')}.` : '';
    if (direct.length > 0 && reached.size === 0) {
      return fail(
        `A TriggerTemplate writes webhook payload fields ($(tt.params…) fed by $(body…)/$(header…)) straight into the scripts of the runs it creates.${unresolvedNote}`,
        capEvidence(dedupe(direct)),
      );
    }
    if (reached.size > 0) {
      evidence.push(...direct);
      return fail(
        `Webhook payload fields reach shell code through ${plural(reached.size, 'parameter')} (${[...reached].map((p) => `"${p}"`).join(', ')}): ` +
          `a TriggerBinding maps $(body…)/$(header…) into them and a script interpolates them.${unresolvedNote}`,
        capEvidence(dedupe(evidence)),
      );
    }
    if (gaps.length || unresolved.length || !pipeline.spec) {
      return unknown(`No payload-derived parameter reaches a script in sight.${gapNote}${unresolvedNote}${pipeline.spec ? '' : ' The pipeline spec is not in sight.'}`);
    }
    return pass(
      taintedParams.size > 0
        ? `Parameters set from webhook payloads (${[...taintedParams.keys()].join(', ')}) never stand inside a script.`
        : `${plural(templates.size, 'TriggerTemplate')} ${templates.size === 1 ? 'creates' : 'create'} runs of this pipeline; no payload field reaches a script.`,
    );
  },
};

/** Every `script` (and shell `-c` code) inside a raw inline pipelineSpec, with its path. */
function inlineScripts(raw: unknown, base: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const spec = obj(raw);
  for (const list of ['tasks', 'finally'] as const) {
    objArr(spec[list]).forEach((t, i) => {
      const ts = obj(t.taskSpec);
      for (const kind of ['steps', 'sidecars'] as const) {
        objArr(ts[kind]).forEach((c, j) => {
          const path = `${base}.${list}[${i}].taskSpec.${kind}[${j}]`;
          const script = str(c.script);
          if (script) out.push({ path: `${path}.script`, text: script });
          const command = Array.isArray(c.command) ? c.command.map(String) : [];
          const argv = [...command, ...(Array.isArray(c.args) ? c.args.map(String) : [])];
          const k = command.length > 0 ? shellCodeIndex(argv) : null;
          if (k !== null) out.push({ path: k < command.length ? `${path}.command[${k}]` : `${path}.args[${k - command.length}]`, text: argv[k] });
        });
      }
    });
  }
  return out;
}

function dedupe(list: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.kind}/${e.namespace}/${e.name}/${e.path}/${e.value ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
