import type { PipelineCheck } from '../types';
import { collectContainers, summarize, type Finding } from '../steps/containers';
import { evidenceAt, joinPath } from '../util';
import { buildingTasks, signableResults } from './build-detect';

export const SUP_007: PipelineCheck = {
  id: 'SUP-007',
  title: 'Build outputs are signable',
  category: 'supply-chain',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'Chains only signs images it can identify from type-hinted results: `IMAGE_URL` + `IMAGE_DIGEST` (with any prefix), `IMAGES`, or `*ARTIFACT_OUTPUTS`. ' +
    'A task that pushes an image without them produces an unsigned image with no error anywhere — the run looks signed, the image is not.',
  remediation: [
    'Declare and write the results Chains reads, in the task that pushes:',
    '```yaml',
    'results:',
    '- name: IMAGE_URL',
    '  description: The pushed image, without digest',
    '- name: IMAGE_DIGEST',
    '  description: Its digest (sha256:…)',
    'steps:',
    '- name: build-and-push',
    '  script: |',
    '    buildah push --digestfile /tmp/digest "$IMAGE" "docker://$IMAGE"',
    '    printf "%s" "$IMAGE" > "$(results.IMAGE_URL.path)"',
    '    cat /tmp/digest > "$(results.IMAGE_DIGEST.path)"',
    '```',
    'Several images: one `IMAGES` result (`img@sha256:…` per line), or an object result `*ARTIFACT_OUTPUTS` with `uri`, `digest` and `isBuildArtifact: "true"`.',
  ].join('\n'),
  source: 'tekton-chains-provenance section 5 and Verify ("a Task that does not emit IMAGE_URL/IMAGE_DIGEST produces an unsigned run with no error")',
  needs: ['Task'],
  evaluate({ pipeline, cluster }) {
    const pc = collectContainers(pipeline, cluster);
    const builders = buildingTasks(pipeline, cluster, pc);
    const failures: Finding[] = [];
    const warnings: Finding[] = [];
    for (const bt of builders) {
      const r = signableResults(bt.spec.results);
      if (r.signable.length > 0) continue;
      const label = `task "${bt.task.name}"`;
      const tools = [...new Set(bt.signals.map((s) => s.signal.tool))].join(', ');
      const declared = bt.spec.results.map((x) => x.name);
      const resultsEv = evidenceAt(bt.spec.owner, joinPath(bt.spec.basePath, 'results'), declared.length > 0 ? declared.join(', ') : '(none)');
      const near = [
        ...r.halfPairs.map((h) => `declares ${h}`),
        ...r.provenanceOnly.map((p) => `declares ${p}, which provenance records but Chains does not sign as an image`),
      ];
      const nearText = near.length > 0 ? ` (${near.join('; ')})` : '';
      if (bt.pushes && r.provenanceOnly.length === 0) {
        failures.push({ label, note: `pushes an image (${tools}) but declares no IMAGE_URL+IMAGE_DIGEST, IMAGES or *ARTIFACT_OUTPUTS result${nearText}`, evidence: [bt.evidence, resultsEv] });
      } else if (bt.pushes) {
        warnings.push({ label, note: `pushes an image (${tools}) with only artifact-URI results${nearText}`, evidence: [bt.evidence, resultsEv] });
      } else {
        warnings.push({
          label,
          note: `builds an image (${tools}) without pushing it here and declares no image result${nearText}; if another task pushes it, that task must declare IMAGE_URL+IMAGE_DIGEST`,
          evidence: [bt.evidence, resultsEv],
        });
      }
    }
    return summarize({
      pipeline,
      cluster,
      pc,
      checked: builders.length,
      failures,
      warnings,
      unit: ['image-building task', 'image-building tasks'],
      failVerb: 'cannot be signed by Chains',
      warnVerb: 'may not be signable by Chains',
      passMessage: `Every image-building task declares results Chains signs (${builders.map((b) => `"${b.task.name}"`).join(', ')}).`,
      naMessage: 'No task builds or pushes a container image.',
    });
  },
};
