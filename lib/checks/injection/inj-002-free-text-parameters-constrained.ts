import type { Evidence } from '../../model/types';
import type { PipelineCheck } from '../types';
import { capEvidence, evidenceAt, fail, joinPath, notApplicable, pass, plural, unknown } from '../util';
import { codeSites, findInjections, siteEvidence, type Injection } from './substitutions';
import { validatesParam } from './validation';

const PARAM_REF = /^\s*\$\(\s*params\.([A-Za-z0-9_-]+)\s*\)\s*$/;

export const INJ_002: PipelineCheck = {
  id: 'INJ-002',
  title: 'Free-text parameters constrained',
  category: 'injection',
  severity: 'low',
  scope: 'pipeline',
  rationale:
    'A string parameter that reaches a script can carry any text, including shell syntax. ' +
    'An `enum`, or a first step that rejects values outside a strict pattern, limits what a caller can slip in even where a script still interpolates it.',
  remediation: [
    'Declare the allowed values, or validate the value before any step uses it:',
    '```yaml',
    'params:',
    '- name: environment',
    '  type: string',
    '  enum: [dev, staging, prod]   # needs feature flag enable-param-enum',
    'steps:',
    '- name: validate',
    '  image: alpine@sha256:…',
    '  env:',
    '  - {name: REVISION, value: $(params.revision)}',
    '  script: |',
    '    echo "$REVISION" | grep -qE \'^[a-f0-9]{40}$\' || { echo "bad revision"; exit 1; }',
    '```',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac (step 5, parameter validation)',
  needs: ['Task'],
  evaluate({ pipeline, cluster }) {
    if (!pipeline.spec) return unknown('The pipeline spec is not in sight: its scripts cannot be read.');
    const pipelineParams = pipeline.spec.params;
    const { sites, unresolved } = codeSites(pipeline, cluster);
    // String params interpolated into the task's own scripts (StepAction params are the StepAction's business).
    const uses = findInjections(sites).filter((i) => i.occ.sub.kind === 'param' && !i.occ.sub.isArray && !i.site.stepAction);
    const byParam = new Map<string, Injection[]>();
    for (const u of uses) {
      const key = `${u.site.task.name}\u0000${u.occ.sub.name}`;
      byParam.set(key, [...(byParam.get(key) ?? []), u]);
    }
    const evidence: Evidence[] = [];
    const names: string[] = [];
    let checked = 0;
    for (const list of byParam.values()) {
      const { task, spec } = list[0].site;
      const name = list[0].occ.sub.name;
      const decl = spec.params.find((p) => p.name === name) ?? null;
      if (decl && decl.type !== 'string') continue;
      checked++;
      if (decl?.enum && decl.enum.length > 0) continue;
      // Fed straight from a pipeline param (or propagated into an inline spec) that has an enum.
      const passed = task.params.find((p) => p.name === name);
      const fromPipeline = passed ? PARAM_REF.exec(passed.value)?.[1] : decl ? undefined : name;
      const pdecl = fromPipeline ? pipelineParams.find((p) => p.name === fromPipeline) : undefined;
      if (pdecl?.enum && pdecl.enum.length > 0) continue;
      const firstUse = Math.min(...list.map((u) => (u.site.container.role === 'step' ? u.site.container.index : Number.MAX_SAFE_INTEGER)));
      if (spec.steps.some((s) => s.index <= firstUse && validatesParam(s, name))) continue;
      names.push(`"${name}" (task "${task.name}")`);
      if (decl) evidence.push(evidenceAt(spec.owner, joinPath(spec.basePath, decl.path), `${name}: no enum`));
      evidence.push({ ...siteEvidence(list[0].site, `${list[0].site.label}, line ${list[0].occ.line}: ${list[0].occ.snippet}`), ...(list[0].site.field === 'script' ? { textLine: list[0].occ.line } : {}) });
    }
    const note = unresolved.length ? ` Not evaluated: ${unresolved.slice(0, 5).join('; ')}.` : '';
    if (names.length > 0) {
      return fail(
        `${plural(names.length, 'string parameter')} ${names.length === 1 ? 'reaches' : 'reach'} a script with neither an enum nor a validation step: ${names.slice(0, 6).join(', ')}${names.length > 6 ? '…' : ''}.${note}`,
        capEvidence(evidence),
      );
    }
    if (unresolved.length > 0) return unknown(`The parameters interpolated in the scripts in sight are constrained.${note}`);
    if (checked === 0) return notApplicable('No string parameter is interpolated into a script.');
    return pass(`${checked === 1 ? 'The string parameter' : `All ${checked} string parameters`} used in scripts ${checked === 1 ? 'has' : 'have'} an enum or a validation step.`);
  },
};
