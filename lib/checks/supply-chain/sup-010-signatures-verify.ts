import type { ChainsVerification } from '../../model/types';
import type { PipelineCheck } from '../types';
import { capEvidence, fail, notApplicable, pass, plural, unknown } from '../util';
import { annotationEvidence, finishedSubjects, listLabels, type RunSubject } from './chains-runs';

const FAILING = new Set<ChainsVerification['verdict']>(['bad-signature', 'unknown-key', 'subject-mismatch', 'kind-mismatch', 'malformed']);

function verdictOf(s: RunSubject): ChainsVerification | null {
  return s.chains.verification ?? null;
}

export const SUP_010: PipelineCheck = {
  id: 'SUP-010',
  title: 'Signatures verify',
  category: 'supply-chain',
  severity: 'critical',
  scope: 'pipeline',
  rationale:
    'A `chains.tekton.dev/signature-…` annotation is only a string on the run: anyone who can patch the run can write one. ' +
    'Only a signature that verifies against the key Chains signs with — and an attestation whose subjects are the digests the run declared — proves what was built. ' +
    'The DSSE envelope is checked here offline, as `cosign verify-blob-attestation` would, against the public keys in the policy (never read from a Secret).',
  remediation: [
    'Configure the public half of the Chains signing key in the policy, then verify a run by hand:',
    '```yaml',
    'chains:',
    '  publicKeys:',
    '    - |',
    '      -----BEGIN PUBLIC KEY-----',
    '      MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…',
    '      -----END PUBLIC KEY-----',
    '```',
    '```sh',
    'kubectl get taskrun <run> -o jsonpath="{.metadata.annotations.chains\\.tekton\\.dev/signature-taskrun-$(kubectl get taskrun <run> -o jsonpath={.metadata.uid})}" | base64 -d > envelope.json',
    'cosign verify-blob-attestation --key cosign.pub --signature envelope.json --type slsaprovenance1 --check-claims=false /dev/null',
    '```',
    'A run whose signature does not verify was signed by another key or altered after signing: treat its images as untrusted and find out who can patch runs in the namespace.',
  ].join('\n'),
  source: 'tekton-chains-provenance sections 5–6 (cosign verify-attestation); DSSE protocol (pre-authentication encoding)',
  needs: ['PipelineRun', 'TaskRun'],
  evaluate({ pipeline }) {
    if (pipeline.runs.length === 0) return unknown('No recent runs: no stored signature to verify.');
    const finished = finishedSubjects(pipeline);
    if (finished.length === 0) return unknown('No recent finished runs: Chains signs runs only once they finish.');
    const stored = finished.filter((s) => {
      const v = verdictOf(s);
      return v !== null && v.verdict !== 'not-stored';
    });
    const signedRuns = finished.filter((s) => s.chains.signed?.trim() === 'true' || s.chains.payloadKeys.length > 0 || s.chains.signatureKeys.length > 0);
    if (signedRuns.length === 0 && stored.length === 0) return notApplicable('No recent run is signed by Chains (SUP-005 reports unsigned runs).');

    const failing = stored.filter((s) => FAILING.has(verdictOf(s)!.verdict));
    if (failing.length > 0) {
      const first = failing.slice(0, 3).map((s) => `${s.label}: ${verdictOf(s)!.detail}`);
      return fail(
        `${plural(failing.length, 'run')}'s stored Chains signature ${failing.length === 1 ? 'does' : 'do'} not hold up: ${first.join('; ')}${failing.length > 3 ? ` (and ${failing.length - 3} more)` : ''}.`,
        capEvidence(failing.map((s) => annotationEvidence(s, `signature-${verdictOf(s)!.key ?? ''}`, verdictOf(s)!.verdict))),
      );
    }
    const noKey = stored.filter((s) => verdictOf(s)!.verdict === 'no-key-configured');
    if (noKey.length > 0) return unknown(`No public key is configured (policy chains.publicKeys), so the stored signatures of ${plural(noKey.length, 'run')} cannot be verified (${listLabels(noKey)}).`);
    const notKept = stored.filter((s) => verdictOf(s)!.verdict === 'payload-not-kept');
    if (notKept.length > 0) return unknown(`The live source keeps only the presence of Chains payloads, not their content, so ${plural(notKept.length, 'run')}'s signatures cannot be verified here; scan the runs' YAML (kubectl get -o yaml) offline to verify them (${listLabels(notKept)}).`);
    const verified = stored.filter((s) => verdictOf(s)!.verdict === 'verified');
    const unstored = signedRuns.filter((s) => !verified.includes(s));
    if (unstored.length > 0) {
      return unknown(
        `${plural(unstored.length, 'signed run')} ${unstored.length === 1 ? 'has' : 'have'} no payload or signature stored on the run (storage other than tekton), so nothing can be verified here (${listLabels(unstored)}).`,
        capEvidence(unstored.map((s) => annotationEvidence(s, 'signed', s.chains.signed ?? '(absent)'))),
      );
    }
    const keyIds = [...new Set(verified.map((s) => verdictOf(s)!.keyId).filter((k): k is string => k !== null))];
    return pass(`${verified.length === 1 ? 'The recent signed run' : `All ${verified.length} recent signed runs`}' stored signature${verified.length === 1 ? '' : 's'} verify against the configured key${keyIds.length === 1 ? '' : 's'} (${keyIds.join(', ')}) and attest the digests the runs declare.`);
  },
};
