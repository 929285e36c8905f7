import type { PipelineCheck } from '../types';
import { unknown } from '../util';
import { eachContainer, collectContainers, containerImages, imageValue, summarize, type Finding } from '../steps/containers';
import { fullName, parseImage, registryAllowed } from './images';

export const SUP_003: PipelineCheck = {
  id: 'SUP-003',
  title: 'Images from trusted registries',
  category: 'supply-chain',
  severity: 'medium',
  scope: 'pipeline',
  rationale:
    'Every step image runs with the pipeline\'s credentials, so whoever can push to its registry can run code in your builds. ' +
    'Limiting step images to registries (or registry paths) your organisation controls or mirrors keeps that set of people known and small.',
  remediation: [
    'Mirror the images you need into a registry you control, reference them from there, and list it in the policy:',
    '```yaml',
    '# tekton-posture policy',
    'trustedRegistries:',
    '  - registry.example.com',
    '  - ghcr.io/acme/          # a path prefix: only acme\'s images on ghcr.io',
    '```',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac step 4 (image verification) and threat model adversary 3',
  // Runs supply pod templates and param values; Task/StepAction gaps leave specs unresolved (→ unknown) inside.
  needs: ['PipelineRun'],
  evaluate({ pipeline, cluster, policy }) {
    const allow = policy.trustedRegistries.filter((e) => e.trim() !== '');
    if (allow.length === 0) return unknown('No trusted-registry allowlist is configured (policy `trustedRegistries`), so image origins cannot be judged.');
    const pc = collectContainers(pipeline, cluster);
    const failures: Finding[] = [];
    const unknowns: Finding[] = [];
    const registries = new Set<string>();
    let checked = 0;
    for (const ci of pc.containers) {
      if (!ci.image) continue;
      checked += 1;
      const r = containerImages(ci, pipeline);
      const outside: string[] = [];
      for (const c of r.candidates) {
        const p = parseImage(c.value);
        registries.add(p.registry);
        if (!p.valid || registryAllowed(p, allow) === null) outside.push(`${imageValue(r.raw, c.value)} (${fullName(p)})`);
      }
      if (outside.length > 0) {
        failures.push({ label: ci.label, note: `image ${outside.join(', ')} is outside the trusted registries`, evidence: [{ ...ci.imageEvidence, value: outside[0] }] });
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
      failVerb: [`comes from a registry outside the allowlist (${allow.join(', ')})`, `come from registries outside the allowlist (${allow.join(', ')})`],
      passMessage: `${eachContainer(checked, 'image', 'images')} comes from a trusted registry (${[...registries].join(', ')}).`,
      naMessage: 'The pipeline runs no container images.',
    });
  },
};
