import type { PlatformCheck } from '../types';
import { evidenceAt, fail, pass, unknown, warn } from '../util';
import { chainsPresence } from './config';

export const PLT_001: PlatformCheck = {
  id: 'PLT-001',
  title: 'Chains installed and watching',
  category: 'platform',
  severity: 'critical',
  scope: 'platform',
  rationale:
    'Tekton Chains is what turns a finished run into signed provenance: without it nothing records what was built from what, and nobody downstream can verify an image came from this CI. ' +
    'It has to be installed and actually watching the runs — a controller restricted to other namespaces, or filtered out, leaves every run unsigned without an error.',
  remediation: [
    'Install Tekton Chains and configure it (then check that new runs get `chains.tekton.dev/signed`):',
    '```sh',
    'kubectl apply -f https://storage.googleapis.com/tekton-releases/chains/latest/release.yaml',
    '```',
    '```yaml',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: chains-config, namespace: tekton-chains}',
    'data:',
    '  artifacts.pipelinerun.format: slsa/v2alpha4',
    '  artifacts.pipelinerun.storage: oci',
    '  transparency.enabled: "true"',
    '```',
    'If Chains runs with `--namespace=…`, include the CI namespaces.',
  ].join('\n'),
  source: 'tekton-security-guide (Tekton Chains for Supply Chain Security); tekton-chains-provenance section 5',
  needs: [],
  evaluate({ cluster }) {
    const p = chainsPresence(cluster);
    if (p.state === 'unknown') return unknown(`Cannot tell whether Tekton Chains runs: ${p.why}.`);
    if (p.state === 'absent') {
      return fail(`Tekton Chains is not installed or not watching: ${p.why}. No run is signed and no provenance is produced.`, [
        { kind: 'ConfigMap', namespace: 'tekton-chains', name: 'chains-config', path: 'metadata.name', value: '(not found)' },
      ]);
    }
    if (p.state === 'observed') return pass('Runs carry Chains annotations or finalizers: Chains is watching them (its chains-config ConfigMap is not in sight, so defaults are assumed).');
    const o = p.view.object!;
    const ev = evidenceAt({ kind: o.kind, namespace: o.namespace, name: o.name, ...o.source }, 'metadata.name', o.name);
    if (!cluster.platform.chainsObserved && cluster.platform.oldestCompletedRun !== null) {
      return warn(
        'Chains is configured (chains-config exists), but no run carries a Chains annotation or finalizer: the controller may be down, restricted to other namespaces (`--namespace`), or filtering these runs out.',
        [ev],
      );
    }
    if (!cluster.platform.chainsObserved) return pass('Chains is configured (chains-config exists); no finished run is in sight yet to confirm it is watching.', [ev]);
    return pass('Chains is configured and its annotations or finalizers appear on runs.', [ev]);
  },
};
