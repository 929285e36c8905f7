import type { PipelineCheck } from '../types';
import type { PipelineModel } from '../../model/types';
import { eachContainer, collectContainers, containerImages, imageValue, summarize, type ContainerInfo, type Finding } from '../steps/containers';
import { digestOfImageID, parseImage } from './images';

/**
 * The digests the recent runs' TaskRuns report (`status.steps[].imageID` / `status.sidecars[].imageID`) for one
 * container, joined by pipeline task name and container name (`step-<name>` / `sidecar-<name>`).
 */
export function observedDigests(pipeline: PipelineModel, ci: ContainerInfo): string[] {
  const out: string[] = [];
  const name = ci.container.name;
  const isSidecar = ci.container.role === 'sidecar';
  for (const run of pipeline.runs) {
    for (const tr of run.taskRuns) {
      if (tr.pipelineTaskName !== ci.task.name) continue;
      const statuses = isSidecar ? tr.sidecars : tr.steps;
      const want = isSidecar ? `sidecar-${name}` : `step-${name}`;
      const s = statuses.find((x) => x.name === name || x.container === want);
      const d = digestOfImageID(s?.imageID);
      if (d) out.push(d);
    }
  }
  return out;
}

export const SUP_001: PipelineCheck = {
  id: 'SUP-001',
  title: 'Step images pinned by digest',
  category: 'supply-chain',
  severity: 'high',
  scope: 'pipeline',
  rationale:
    'A tag is a pointer the registry owner (or whoever compromises the registry) can move: the next run silently executes a different image with the pipeline\'s credentials. ' +
    'An `@sha256:` digest names exactly one image, so a compromised tag cannot reach the build, and provenance records what really ran.',
  remediation: [
    'Pin every step and sidecar image by digest (keep the tag for readers; let Renovate or Dependabot bump digests):',
    '```yaml',
    'steps:',
    '- name: build',
    '  image: gcr.io/kaniko-project/executor:v1.23.2@sha256:<64 hex digits>',
    '```',
    'Images given as params need the digest in the param default and in the values runs pass.',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac threat model adversary 3 (malicious step image) and step 2 ("Pin by digest")',
  // Runs supply pod templates and param values; Task/StepAction gaps leave specs unresolved (→ unknown) inside.
  needs: ['PipelineRun'],
  evaluate({ pipeline, cluster }) {
    const pc = collectContainers(pipeline, cluster);
    const failures: Finding[] = [];
    const warnings: Finding[] = [];
    const unknowns: Finding[] = [];
    let checked = 0;
    for (const ci of pc.containers) {
      if (!ci.image) continue;
      checked += 1;
      const r = containerImages(ci, pipeline);
      const unpinned = r.candidates.filter((c) => !parseImage(c.value).pinned);
      if (unpinned.length === 0) {
        if (r.unresolved) unknowns.push({ label: ci.label, note: `image ${ci.image} cannot be resolved, so its pinning is unknown (${r.unresolved})`, evidence: [{ ...ci.imageEvidence, value: ci.image }] });
        continue;
      }
      const shown = unpinned.map((c) => imageValue(r.raw, c.value));
      const evidence = [{ ...ci.imageEvidence, value: shown[0] }];
      const digests = observedDigests(pipeline, ci);
      const distinct = new Set(digests);
      if (digests.length >= 2 && distinct.size === 1) {
        warnings.push({ label: ci.label, note: `image ${shown.join(', ')} has no digest, but its ${digests.length} recent runs all pulled ${[...distinct][0].slice(0, 19)}…`, evidence });
      } else {
        const seen = distinct.size > 1 ? ` (recent runs pulled ${distinct.size} different digests)` : '';
        const invalid = unpinned.some((c) => parseImage(c.value).digest !== null) ? 'full ' : '';
        failures.push({ label: ci.label, note: `image ${shown.join(', ')} has no ${invalid}@sha256 digest${seen}`, evidence });
      }
    }
    return summarize({
      pipeline,
      cluster,
      pc,
      checked,
      failures,
      warnings,
      unknowns,
      unit: ['image', 'images'],
      failVerb: ['is not pinned by digest', 'are not pinned by digest'],
      warnVerb: ['is not pinned by digest but ran one digest consistently', 'are not pinned by digest but ran one digest consistently'],
      passMessage: `${eachContainer(checked, 'image', 'images')} is pinned by @sha256 digest.`,
      naMessage: 'The pipeline runs no container images.',
    });
  },
};
