import type { PlatformCheck } from '../types';
import { fail, pass } from '../util';
import { chainsGate, configEvidence, configValue } from './config';

export const PLT_003: PlatformCheck = {
  id: 'PLT-003',
  title: 'Transparency log',
  category: 'platform',
  severity: 'medium',
  scope: 'platform',
  rationale:
    'With `transparency.enabled`, Chains records every signature in a Rekor transparency log: anyone can later prove when a signature was made and detect a key that signs things it should not. ' +
    'Without it, a stolen signing key can forge provenance that looks exactly like the real thing, and nobody can tell afterwards.',
  remediation: [
    'Turn the transparency log on (the public Rekor, or your own with `transparency.url`):',
    '```yaml',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: chains-config, namespace: tekton-chains}',
    'data:',
    '  transparency.enabled: "true"',
    '  transparency.url: https://rekor.sigstore.dev',
    '```',
  ].join('\n'),
  source: 'tekton-chains-provenance section 5 (transparency.enabled) and its enterprise scenario',
  needs: [],
  evaluate({ cluster }) {
    const gate = chainsGate(cluster);
    if (gate.result) return gate.result;
    const v = configValue(gate.view, 'transparency.enabled', 'false');
    const ev = [configEvidence(gate.view, 'transparency.enabled', v.value, v.isDefault)];
    if (v.value === 'true') {
      const url = configValue(gate.view, 'transparency.url', 'https://rekor.sigstore.dev');
      return pass(`Signatures are recorded in the transparency log ${url.value}.`, ev);
    }
    if (v.value === 'manual') {
      return fail('`transparency.enabled` is `manual`: only runs annotated `chains.tekton.dev/transparency-upload: "true"` are recorded in the transparency log.', ev);
    }
    return fail(`\`transparency.enabled\` is ${v.isDefault ? 'not set (default: off)' : `"${v.value}"`}: signatures are not recorded in a transparency log.`, ev);
  },
};
