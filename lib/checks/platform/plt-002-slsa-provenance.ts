import { artifactTypeEnabled } from '../../model/chains';
import type { PlatformCheck } from '../types';
import { fail, pass, warn } from '../util';
import { chainsGate, configEvidence, configValue } from './config';

const SLSA_V1 = new Set(['slsa/v2alpha3', 'slsa/v2alpha4']);
const OLDER = new Set(['in-toto', 'slsa/v1', 'slsa/v2alpha2']);

export const PLT_002: PlatformCheck = {
  id: 'PLT-002',
  title: 'SLSA v1.0 provenance',
  category: 'platform',
  severity: 'medium',
  scope: 'platform',
  rationale:
    'PipelineRun provenance is the record of the whole build — every task, its inputs and the resolved sources — and it is what verifiers (policy engines, Enterprise Contract, `cosign verify-attestation`) check. ' +
    'Chains\' default `in-toto`/`slsa/v1` format emits the older SLSA v0.2 predicate; `slsa/v2alpha3`/`slsa/v2alpha4` emit SLSA v1.0, and with PipelineRun storage or signer turned off no pipeline provenance exists at all.',
  remediation: [
    'Emit SLSA v1.0 provenance for PipelineRuns (and store it):',
    '```yaml',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: chains-config, namespace: tekton-chains}',
    'data:',
    '  artifacts.pipelinerun.format: slsa/v2alpha4',
    '  artifacts.pipelinerun.storage: oci        # or tekton; never ""',
    '  artifacts.pipelinerun.signer: x509         # or kms; never none',
    '```',
  ].join('\n'),
  source: 'tekton-chains-provenance section 5 (artifacts.pipelinerun.format: slsa/v2alpha4 emits SLSA v1.0 provenance)',
  needs: [],
  evaluate({ cluster }) {
    const gate = chainsGate(cluster);
    if (gate.result) return gate.result;
    const view = gate.view;
    const format = configValue(view, 'artifacts.pipelinerun.format', 'in-toto');
    const storage = configValue(view, 'artifacts.pipelinerun.storage', 'tekton');
    const signer = configValue(view, 'artifacts.pipelinerun.signer', 'x509');
    const ev = (key: string, v: { value: string; isDefault: boolean }) => configEvidence(view, key, v.value, v.isDefault);
    const cfg = { 'artifacts.pipelinerun.storage': storage.value, 'artifacts.pipelinerun.signer': signer.value };
    if (!artifactTypeEnabled(cfg, 'pipelinerun')) {
      const off = signer.value === 'none' ? [ev('artifacts.pipelinerun.signer', signer)] : [ev('artifacts.pipelinerun.storage', storage)];
      return fail(
        `PipelineRun attestations are off (${signer.value === 'none' ? 'signer `none`' : 'empty storage'}): Chains produces no provenance for pipelines.`,
        off,
      );
    }
    if (format.value === '') return fail('`artifacts.pipelinerun.format` is empty: Chains produces no PipelineRun provenance.', [ev('artifacts.pipelinerun.format', format)]);
    if (SLSA_V1.has(format.value)) return pass(`PipelineRun provenance uses ${format.value} (SLSA v1.0 predicate).`, [ev('artifacts.pipelinerun.format', format)]);
    if (OLDER.has(format.value)) {
      return warn(
        `PipelineRun provenance uses ${format.value}${format.isDefault ? ' (the default)' : ''}, the older SLSA v0.2 predicate; switch to slsa/v2alpha4 for SLSA v1.0.`,
        [ev('artifacts.pipelinerun.format', format)],
      );
    }
    return warn(`PipelineRun provenance format "${format.value}" is not one Chains documents; expected slsa/v2alpha4 (or slsa/v2alpha3).`, [
      ev('artifacts.pipelinerun.format', format),
    ]);
  },
};
