import type { PipelineCheck } from '../types';
import { capEvidence, fail, notApplicable, pass, plural, unknown, warn } from '../util';
import { annotationEvidence, chainsConfigGap, finishedSubjects, listLabels, type RunSubject } from './chains-runs';

function storageHasTekton(config: Record<string, string>, kind: 'PipelineRun' | 'TaskRun'): boolean {
  const key = kind === 'PipelineRun' ? 'artifacts.pipelinerun.storage' : 'artifacts.taskrun.storage';
  const v = typeof config[key] === 'string' ? config[key] : 'tekton';
  return v.split(',').some((s) => s.trim() === 'tekton');
}

export const SUP_006: PipelineCheck = {
  id: 'SUP-006',
  title: 'Signatures carry evidence',
  category: 'supply-chain',
  severity: 'medium',
  scope: 'pipeline',
  rationale:
    '`chains.tekton.dev/signed: "true"` means Chains reconciled the run, not that anything was signed: released Chains versions write it even when no signing key was configured, and when every artifact type is disabled. ' +
    'Real signing leaves evidence — a transparency-log entry, or the stored payload and signature — and a run without any is unverified, whatever its marker says.',
  remediation: [
    'Check the Chains controller logs for `No signer … configured` and give it a key (KMS, keyless, or `signing-secrets`); record signatures in Rekor so each run gets a `chains.tekton.dev/transparency` entry:',
    '```yaml',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: chains-config, namespace: tekton-chains}',
    'data:',
    '  transparency.enabled: "true"',
    '  artifacts.pipelinerun.storage: tekton,oci   # tekton keeps payload/signature on the run',
    '```',
  ].join('\n'),
  source: 'Chains source (tektoncd/chains pkg/chains/signing.go: signed=true is written even when no key was found, TEKTON-FACTS §9); tekton-chains-provenance Verify section',
  needs: ['PipelineRun', 'TaskRun'],
  evaluate({ pipeline, cluster }) {
    if (pipeline.runs.length === 0) return unknown('No recent runs: no signature evidence to look at.');
    const finished = finishedSubjects(pipeline);
    if (finished.length === 0) return unknown('No recent finished runs: Chains signs runs only once they finish.');
    const marked = finished.filter((s) => s.chains.state === 'marked-signed' || s.chains.state === 'signed-with-evidence' || s.chains.state === 'signed-verified');
    if (marked.length === 0) return notApplicable('No recent run is marked signed by Chains (SUP-005 reports unsigned runs).');

    const config = cluster.platform.chainsConfig.data;
    // Absent from a live cluster: defaults apply. Absent from scanned files, or unreadable: not known.
    const configKnown = cluster.platform.chainsConfig.object !== null || (cluster.sourceKind !== 'files' && !chainsConfigGap(cluster));
    const transparency = config['transparency.enabled']?.trim();
    const transparencyFor = (s: RunSubject) =>
      transparency === 'true' || (transparency === 'manual' && s.run.object.annotations['chains.tekton.dev/transparency-upload']?.trim() === 'true');

    const bare = marked.filter((s) => s.chains.state === 'marked-signed');
    // Evidence can be on the run only with `tekton` storage (payload/signature annotations) or a transparency log.
    const expectEvidence = (s: RunSubject) => transparencyFor(s) || storageHasTekton(config, s.kind);
    const failing = configKnown ? bare.filter(expectEvidence) : [];
    const unverifiable = bare.filter((s) => !failing.includes(s));
    if (failing.length > 0) {
      const where = failing.some(transparencyFor) ? 'no transparency-log entry and no stored payload or signature' : 'no stored payload or signature (and no transparency-log upload is configured)';
      return fail(
        `${plural(failing.length, 'run')} ${failing.length === 1 ? 'is marked signed but carries' : 'are marked signed but carry'} ${where}: the marker alone is not proof (${listLabels(failing)}).`,
        capEvidence(failing.map((s) => annotationEvidence(s, 'signed', 'true (no transparency, payload-* or signature-* annotation)'))),
      );
    }
    if (unverifiable.length > 0) {
      const why = configKnown
        ? 'Chains stores signatures outside the cluster (storage without `tekton`) and the transparency log is off'
        : cluster.sourceKind === 'files'
          ? 'the scanned files hold no chains-config ConfigMap to tell where Chains stores signatures'
          : 'the chains-config ConfigMap could not be read';
      return unknown(
        `${plural(unverifiable.length, 'run')} ${unverifiable.length === 1 ? 'is' : 'are'} marked signed with no evidence on the run, and ${why}, so the signature must be checked in the registry (${listLabels(unverifiable)}).`,
        capEvidence(unverifiable.map((s) => annotationEvidence(s, 'signed', 'true'))),
      );
    }
    if (transparency === 'true') {
      const noEntry = marked.filter((s) => s.chains.transparencyUrl === null);
      if (noEntry.length > 0) {
        return warn(
          `The transparency log is on, but ${plural(noEntry.length, 'signed run')} ${noEntry.length === 1 ? 'has' : 'have'} no usable chains.tekton.dev/transparency entry (only the stored payload/signature) (${listLabels(noEntry)}).`,
          capEvidence(noEntry.map((s) => annotationEvidence(s, 'transparency', '(absent or not a URL)'))),
        );
      }
    }
    return pass(`${marked.length === 1 ? 'The run' : `All ${marked.length} runs`} marked signed ${marked.length === 1 ? 'carries' : 'carry'} evidence (a transparency-log entry or the stored payload and signature).`);
  },
};
