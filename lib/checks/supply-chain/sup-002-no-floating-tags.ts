import type { PipelineCheck } from '../types';
import { eachContainer, collectContainers, containerImages, imageValue, summarize, type Finding } from '../steps/containers';
import { parseImage } from './images';

export const SUP_002: PipelineCheck = {
  id: 'SUP-002',
  title: 'No floating tags',
  category: 'supply-chain',
  severity: 'medium',
  scope: 'pipeline',
  rationale:
    '`:latest` (and an image with no tag, which means `:latest`) changes whenever anyone pushes, so two runs of the same pipeline can execute different tools ' +
    'and a compromised push reaches the next build at once. A versioned tag at least makes changes deliberate; a digest makes them impossible.',
  remediation: [
    'Name a version tag, better still a digest; a digest without a tag is fine:',
    '```yaml',
    'steps:',
    '- name: test',
    '  image: docker.io/library/golang:1.23.4   # not golang or golang:latest',
    '- name: lint',
    '  image: golangci/golangci-lint@sha256:<64 hex digits>',
    '```',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac threat model adversary 3 (`:latest` pulled without verification)',
  // Runs supply pod templates and param values; Task/StepAction gaps leave specs unresolved (→ unknown) inside.
  needs: ['PipelineRun'],
  evaluate({ pipeline, cluster }) {
    const pc = collectContainers(pipeline, cluster);
    const failures: Finding[] = [];
    const unknowns: Finding[] = [];
    let checked = 0;
    for (const ci of pc.containers) {
      if (!ci.image) continue;
      checked += 1;
      const r = containerImages(ci, pipeline);
      const floating = r.candidates.flatMap((c) => {
        const p = parseImage(c.value);
        if (p.digest !== null) return []; // a digest pins the image whatever the tag says
        if (p.tag === null) return [`${imageValue(r.raw, c.value)} (no tag: means latest)`];
        if (p.tag === 'latest') return [imageValue(r.raw, c.value)];
        return [];
      });
      if (floating.length > 0) {
        failures.push({ label: ci.label, note: `uses floating image ${floating.join(', ')}`, evidence: [{ ...ci.imageEvidence, value: floating[0] }] });
      } else if (r.unresolved) {
        unknowns.push({ label: ci.label, note: `image ${ci.image} cannot be resolved (${r.unresolved})`, evidence: [{ ...ci.imageEvidence, value: ci.image }] });
      }
    }
    return summarize({
      pipeline,
      cluster,
      pc,
      checked,
      failures,
      unknowns,
      unit: ['image', 'images'],
      failVerb: ['uses `:latest` or no tag', 'use `:latest` or no tag'],
      passMessage: `${eachContainer(checked, 'image', 'images')} has a version tag or a digest.`,
      naMessage: 'The pipeline runs no container images.',
    });
  },
};
