import { artifactTypeEnabled } from '../../model/chains';
import type { Evidence } from '../../model/types';
import type { PlatformCheck } from '../types';
import { fail, notApplicable, pass, warn } from '../util';
import { chainsGate, configEvidence, configValue, parseGoBool } from './config';

const TYPES = ['taskrun', 'pipelinerun', 'oci'] as const;

export const PLT_004: PlatformCheck = {
  id: 'PLT-004',
  title: 'Signing key custody',
  category: 'platform',
  severity: 'medium',
  scope: 'platform',
  rationale:
    'A signing key kept in the cluster Secret `signing-secrets` can be read by anyone with secret access in `tekton-chains`, by cluster admins and from etcd backups — and whoever holds it can forge provenance for any image. ' +
    'A KMS key never leaves the HSM, and keyless (Fulcio) signing has no long-lived key at all.',
  remediation: [
    'Sign with a KMS key (and say so for each artifact type), or keyless through Fulcio:',
    '```yaml',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: chains-config, namespace: tekton-chains}',
    'data:',
    '  signers.kms.kmsref: gcpkms://projects/acme/locations/global/keyRings/tekton/cryptoKeys/chains/versions/1',
    '  artifacts.taskrun.signer: kms',
    '  artifacts.pipelinerun.signer: kms',
    '  artifacts.oci.signer: kms',
    '# or keyless:',
    '#  signers.x509.fulcio.enabled: "true"',
    '```',
    'Then delete the `signing-secrets` key material.',
  ].join('\n'),
  source: 'tekton-chains-provenance section 6 (cosign key in signing-secrets vs KMS) and its enterprise scenario (keyless Fulcio)',
  needs: [],
  evaluate({ cluster }) {
    const gate = chainsGate(cluster);
    if (gate.result) return gate.result;
    const view = gate.view;
    const kmsref = configValue(view, 'signers.kms.kmsref', '');
    const fulcio = configValue(view, 'signers.x509.fulcio.enabled', 'false');
    const keyless = parseGoBool(fulcio.value) === true;
    const enabled = TYPES.filter((t) => artifactTypeEnabled(view.data, t));
    if (enabled.length === 0) return notApplicable('Chains signs nothing: every artifact type has signer `none` or empty storage (see PLT-002).');
    const secretKey: { type: string; signer: string; ev: Evidence }[] = [];
    const kmsNoRef: { type: string; ev: Evidence }[] = [];
    const custody: string[] = [];
    for (const t of enabled) {
      const signer = configValue(view, `artifacts.${t}.signer`, 'x509');
      const ev = configEvidence(view, `artifacts.${t}.signer`, signer.value, signer.isDefault);
      if (signer.value === 'kms') {
        if (kmsref.value !== '') custody.push(`${t}: KMS`);
        else kmsNoRef.push({ type: t, ev });
      } else if (signer.value === 'x509' && keyless) custody.push(`${t}: keyless (Fulcio)`);
      else secretKey.push({ type: t, signer: signer.value, ev });
    }
    if (kmsNoRef.length > 0 || (secretKey.length > 0 && kmsref.value === '')) {
      const parts = [
        ...secretKey.map((s) => `${s.type} artifacts are signed by the ${s.signer} signer with the key in Secret tekton-chains/signing-secrets`),
        ...kmsNoRef.map((k) => `${k.type} artifacts use the kms signer but \`signers.kms.kmsref\` is empty`),
      ];
      return fail(`Signing relies on a key kept in the cluster: ${parts.join('; ')}. Use a KMS key (signers.kms.kmsref) or keyless signing (signers.x509.fulcio.enabled).`, [
        ...secretKey.map((s) => s.ev),
        ...kmsNoRef.map((k) => k.ev),
        configEvidence(view, 'signers.x509.fulcio.enabled', fulcio.value, fulcio.isDefault),
      ]);
    }
    if (secretKey.length > 0) {
      return warn(
        `\`signers.kms.kmsref\` is set, but ${secretKey.map((s) => `artifacts.${s.type}.signer`).join(', ')} ${secretKey.length === 1 ? 'is' : 'are'} not \`kms\`, so Chains still signs those with the key in Secret tekton-chains/signing-secrets.`,
        [...secretKey.map((s) => s.ev), configEvidence(view, 'signers.kms.kmsref', kmsref.value, kmsref.isDefault)],
      );
    }
    return pass(`No signing key is kept in the cluster (${custody.join(', ')}).`);
  },
};
