import { obj, objArr, str } from '../../model/access';
import { pathsReaching, type BindingParam, type InlineSpec, type RunParamLink } from '../../model/triggers';
import type { Evidence } from '../../model/types';
import type { PipelineCheck } from '../types';
import { capEvidence, evidenceAt, fail, gapMessage, gapsFor, notApplicable, pass, plural, unknown } from '../util';
import { codeSites, findInjections, findSubstitutions, shellCodeIndex, siteEvidence } from './substitutions';

const TRIGGER_KINDS = ['TriggerBinding', 'ClusterTriggerBinding', 'TriggerTemplate', 'EventListener', 'Trigger'];
const TT_PARAM = /\$\(\s*tt\.params\.([A-Za-z0-9_.-]{1,100}?)\s*\)/g;

/** What a tt param carries on one trigger path. */
type TtValue = { kind: 'free'; binding: BindingParam } | { kind: 'safe' } | { kind: 'unknown'; reason: string };

interface Taint {
  fields: string[];
  via: string;
  evidence: Evidence[];
}

function ttValueOn(bindings: BindingParam[], missing: string[], tt: string): TtValue {
  const set = bindings.filter((b) => b.name === tt);
  const free = set.find((b) => b.shape === 'free-text');
  if (free) return { kind: 'free', binding: free };
  const undefinedExt = set.find((b) => b.shape === 'unknown');
  if (undefinedExt) return { kind: 'unknown', reason: `${undefinedExt.undefinedExtensions.join(', ')} is defined by no CEL overlay in sight` };
  if (set.length > 0) return { kind: 'safe' };
  // Not bound: the template's default (a constant) — unless a binding out of sight sets it.
  return missing.length > 0 ? { kind: 'unknown', reason: missing.join('; ') } : { kind: 'safe' };
}

/** `$(tt.params.X)` written verbatim into the scripts of a resource template's inline pipelineSpec. */
function ttInScripts(spec: InlineSpec | null): { tt: string; evidence: Evidence }[] {
  if (!spec) return [];
  return inlineScripts(spec.raw, spec.path).flatMap((sc) =>
    [...sc.text.matchAll(TT_PARAM)].map((m) => {
      const line = sc.text.slice(0, m.index).split('\n').length;
      const snippet = (sc.text.split('\n')[line - 1] ?? '').trim().slice(0, 160);
      return { tt: m[1], evidence: evidenceAt(spec.owner, sc.path, `line ${line}: ${snippet}`) };
    }),
  );
}

export const INJ_003: PipelineCheck = {
  id: 'INJ-003',
  title: 'Webhook payloads kept out of scripts',
  category: 'injection',
  severity: 'critical',
  scope: 'pipeline',
  rationale:
    'A TriggerBinding that copies a free-text webhook field (`$(body.pull_request.title)`, `$(body.ref)`, a commit message, a CEL overlay built from them) ' +
    'into a parameter hands whoever can send the webhook (anyone who can open a pull request, name a branch or write a commit message) control of that value. ' +
    'When the parameter is then pasted into a script, the payload runs as shell code inside the pipeline, with its service account and secrets. ' +
    'Only the triggers that really start this pipeline count (EventListener → Trigger → bindings → TriggerTemplate → run params); fields of a fixed shape ' +
    '(commit SHAs, numbers, repository URLs) cannot carry shell code.',
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
    'Prefer payload fields the sender cannot choose freely (commit SHA, pull request number, repository URL).',
  ].join('\n'),
  source: 'tekton-chains-provenance (section 4, triggering pipelines from webhooks); CIS Software Supply Chain 2.3',
  // Trigger kinds are optional CRDs: their gaps are weighed inside (not installed → nothing can fire the pipeline).
  needs: [],
  evaluate({ pipeline, cluster }) {
    const ns = pipeline.namespace;
    const gaps = gapsFor(cluster, TRIGGER_KINDS, ns).filter((g) => g.reason !== 'not-installed');
    const gapNote = gaps.length ? ` Trigger objects could not all be read: ${gapMessage(gaps)}.` : '';
    const model = cluster.triggers;
    const paths = pathsReaching(model, pipeline);
    const unused = model.unusedTemplates.filter((u) => u.target.namespace === ns && u.target.pipeline === pipeline.name);
    // A lost link (missing Trigger or template) in this namespace could start any of its pipelines.
    const lost = model.unresolved.filter((u) => u.namespace === ns);
    const lostNote = lost.length ? ` Trigger wiring could not be followed: ${lost.slice(0, 3).map((u) => u.reason).join('; ')}.` : '';
    if (paths.length === 0 && unused.length === 0) {
      if (gaps.length || lost.length) return unknown(`No trigger in sight starts this pipeline.${gapNote}${lostNote}`, lost.map((u) => u.evidence).slice(0, 5));
      return notApplicable('No trigger in sight starts this pipeline (no EventListener or Trigger uses a TriggerTemplate that creates its runs).');
    }

    // 1. Pipeline params (and inline scripts) fed by free-text webhook fields, path by path.
    const freeParams = new Map<string, Taint>();
    const unknownParams = new Map<string, string>();
    const direct: Taint[] = [];
    const directUnknown: string[] = [];
    const follow = (tt: string, value: TtValue, onFree: (t: Taint) => void, onUnknown: (reason: string) => void, label: string) => {
      if (value.kind === 'free') onFree({ fields: value.binding.freeText, via: label, evidence: value.binding.evidence });
      else if (value.kind === 'unknown') onUnknown(`tt param "${tt}" on ${label}: ${value.reason}`);
    };
    const linkParams = (links: RunParamLink[], valueOf: (tt: string) => TtValue, label: string, trigger: Evidence[]) => {
      for (const rp of links) {
        for (const tt of rp.ttParams) {
          follow(tt, valueOf(tt), (t) => freeParams.has(rp.param) || freeParams.set(rp.param, { ...t, evidence: [...trigger, ...t.evidence, rp.evidence] }),
            (r) => unknownParams.has(rp.param) || unknownParams.set(rp.param, r), label);
        }
      }
    };
    for (const p of paths) {
      const valueOf = (tt: string) => ttValueOn(p.bindings, p.missingBindings, tt);
      linkParams(p.runParams, valueOf, p.label, [p.trigger]);
      for (const sc of ttInScripts(p.inlineSpec)) follow(sc.tt, valueOf(sc.tt), (t) => direct.push({ ...t, evidence: [p.trigger, ...t.evidence, sc.evidence] }), (r) => directUnknown.push(r), p.label);
    }
    for (const u of unused) {
      const reason = `${u.template.kind} ${u.template.namespace}/${u.template.name} creates its runs but no EventListener or Trigger in sight uses it, so the bindings that feed it are unknown`;
      const label = `${u.template.kind} ${u.template.name}`;
      linkParams(u.runParams, () => ({ kind: 'unknown', reason }), label, []);
      for (const sc of ttInScripts(u.inlineSpec)) directUnknown.push(`tt param "${sc.tt}" on ${label}: ${reason}`);
    }

    // 2. Those pipeline params reaching a script: directly (inline spec) or through a task param.
    const { sites, unresolved } = codeSites(pipeline, cluster);
    const evidence: Evidence[] = [];
    const reached = new Map<string, Taint>();
    const unknownReached = new Set<string>();
    let scriptParams = 0;
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
      scriptParams += feeds.length;
      for (const p of feeds) {
        const taint = freeParams.get(p);
        if (!taint) {
          if (unknownParams.has(p)) unknownReached.add(unknownParams.get(p) as string);
          continue;
        }
        if (!reached.has(p)) evidence.push(...taint.evidence);
        reached.set(p, taint);
        if (passed) evidence.push(evidenceAt(pipeline.spec!.owner, passed.path, `${passed.name}: ${passed.value}`));
        evidence.push({ ...siteEvidence(inj.site, `${inj.site.label}, line ${inj.occ.line}: ${inj.occ.snippet}`), ...(inj.site.field === 'script' ? { textLine: inj.occ.line } : {}) });
      }
    }
    const unresolvedNote = unresolved.length ? ` Not evaluated: ${unresolved.slice(0, 5).join('; ')}.` : '';
    if (reached.size > 0 || direct.length > 0) {
      const parts = [...reached].map(([p, t]) => `"${p}" ← ${t.fields.join(', ')} (${t.via})`);
      for (const d of direct) parts.push(`a TriggerTemplate script ← ${d.fields.join(', ')} (${d.via})`);
      evidence.push(...direct.flatMap((d) => d.evidence));
      return fail(
        `Free-text webhook fields reach shell code: ${parts.slice(0, 5).join('; ')}. A binding maps them into ${plural(reached.size + direct.length, 'parameter')} that a script interpolates.${unresolvedNote}`,
        capEvidence(dedupe(evidence)),
      );
    }
    const unknowns = [...new Set([...unknownReached, ...directUnknown])];
    if (unknowns.length || gaps.length || unresolved.length || !pipeline.spec || (lost.length && scriptParams > 0)) {
      return unknown(
        `No free-text webhook field is seen reaching a script.${unknowns.length ? ` Not followed: ${unknowns.slice(0, 3).join('; ')}.` : ''}${gapNote}${lost.length && scriptParams > 0 ? lostNote : ''}${unresolvedNote}${pipeline.spec ? '' : ' The pipeline spec is not in sight.'}`,
      );
    }
    const fixed = paths.flatMap((p) => p.bindings.filter((b) => b.shape === 'fixed-shape').map((b) => `${b.name} ← ${b.value}`));
    if (paths.length === 0) {
      return pass(`No trigger in sight uses the TriggerTemplate that creates this pipeline's runs, and no template param it passes reaches a script.`);
    }
    return pass(
      `${plural(paths.length, 'trigger path')} ${paths.length === 1 ? 'starts' : 'start'} this pipeline; no free-text webhook field reaches a script` +
        (fixed.length ? ` (fixed-shape fields may: ${[...new Set(fixed)].slice(0, 3).join(', ')}).` : '.'),
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
