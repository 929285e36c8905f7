import type { PipelineCheck } from '../types';
import { capEvidence, fail, pass, plural, unknown, warn } from '../util';
import { annotationEvidence, chainsConfigGap, chainsRuns, finishedSubjects, listLabels, type RunSubject } from './chains-runs';

/** A run that finished less than this long before the report may simply not be signed yet. */
export const SIGNING_GRACE_MINUTES = 10;

function minutesSince(time: string | null, now: string | undefined): number | null {
  if (!time || !now) return null;
  const t = Date.parse(time);
  const n = Date.parse(now);
  return Number.isNaN(t) || Number.isNaN(n) ? null : (n - t) / 60_000;
}

export const SUP_005: PipelineCheck = {
  id: 'SUP-005',
  title: 'Runs are signed by Chains',
  category: 'supply-chain',
  severity: 'critical',
  scope: 'pipeline',
  rationale:
    'Chains signs each finished run\'s provenance (and the images it built) and marks the run `chains.tekton.dev/signed`. ' +
    'A run marked `failed`, or one Chains never got to, leaves its images without signed provenance: deploy-time verification either blocks them or — worse — is configured to let unsigned images through.',
  remediation: [
    'Find out why Chains did not sign: `kubectl logs -n tekton-chains deploy/tekton-chains-controller` (missing key, unreachable registry or Rekor, `no signable targets found`).',
    'Check that Chains watches this namespace and that runs are not filtered out (`filter.managed-by`), then verify a fresh run:',
    '```sh',
    'kubectl get pipelinerun <run> -n <ns> -o jsonpath=\'{.metadata.annotations.chains\\.tekton\\.dev/signed}\'   # expect: true',
    '```',
  ].join('\n'),
  source: 'tekton-chains-provenance sections 5–6 and Verify step 2 (the signed annotation is the controller\'s receipt)',
  needs: ['PipelineRun', 'TaskRun'],
  evaluate({ pipeline, cluster, policy }) {
    if (pipeline.runs.length === 0) return unknown('No recent runs: whether Chains signs this pipeline\'s runs cannot be seen.');
    const finished = finishedSubjects(pipeline);
    if (finished.length === 0) return unknown(`No recent finished runs (${plural(pipeline.runs.length, 'run')} still running or pending): Chains signs runs only once they finish.`);

    const failed = finished.filter((s) => s.chains.state === 'failed');
    const unsigned: RunSubject[] = [];
    const tooFresh: RunSubject[] = [];
    for (const s of finished) {
      if (s.chains.state !== 'pending' && s.chains.state !== 'not-signable') continue;
      const age = minutesSince(s.completionTime, policy.now);
      if (age !== null && age >= 0 && age < SIGNING_GRACE_MINUTES) tooFresh.push(s);
      else unsigned.push(s);
    }
    const retrying = finished.filter((s) => s.chains.state === 'retrying');
    const signed = finished.filter((s) => s.chains.state === 'signed-verified' || s.chains.state === 'signed-with-evidence' || s.chains.state === 'marked-signed');
    const running = chainsRuns(cluster);

    const failEvidence = failed.map((s) => annotationEvidence(s, 'signed', 'failed'));
    if (failed.length > 0 || (unsigned.length > 0 && running)) {
      const parts: string[] = [];
      if (failed.length > 0) parts.push(`Chains failed to sign ${plural(failed.length, 'run')} (${listLabels(failed)})`);
      if (unsigned.length > 0 && running) {
        const disabled = unsigned.filter((s) => s.chains.state === 'not-signable');
        parts.push(
          `${plural(unsigned.length, 'finished run')} ${unsigned.length === 1 ? 'has' : 'have'} no chains.tekton.dev/signed annotation although Chains runs on the cluster (${listLabels(unsigned)})` +
            (disabled.length > 0 ? `; for ${plural(disabled.length, 'of them', 'of them')} the chains-config signs nothing (see PLT-002)` : '') +
            ' — the namespace may be unwatched or the runs filtered out',
        );
      }
      const evidence = [...failEvidence, ...(running ? unsigned.map((s) => annotationEvidence(s, 'signed', '(absent)')) : [])];
      return fail(`${parts.join('; ')}.`, capEvidence(evidence));
    }
    if (unsigned.length > 0) {
      const why = chainsConfigGap(cluster)
        ? 'the chains-config ConfigMap could not be read and no run carries a Chains annotation'
        : 'Chains is not observed on this cluster (no chains-config, no Chains annotation or finalizer on any run; see PLT-001)';
      return unknown(`${plural(unsigned.length, 'finished run')} ${unsigned.length === 1 ? 'carries' : 'carry'} no Chains annotation, and ${why}.`, capEvidence(unsigned.map((s) => annotationEvidence(s, 'signed', '(absent)'))));
    }
    if (retrying.length > 0) {
      return warn(
        `Chains is retrying ${plural(retrying.length, 'run')} (${listLabels(retrying)}): signing failed at least once; after 3 retries it gives up and marks the run failed.`,
        capEvidence(retrying.map((s) => annotationEvidence(s, 'retries', s.chains.retries === null ? '(unreadable)' : String(s.chains.retries)))),
      );
    }
    if (signed.length === 0) {
      return unknown(`The recent finished runs (${listLabels(tooFresh)}) completed less than ${SIGNING_GRACE_MINUTES} minutes ago and are not signed yet.`);
    }
    const fresh = tooFresh.length > 0 ? ` ${plural(tooFresh.length, 'run')} finished moments ago and ${tooFresh.length === 1 ? 'is' : 'are'} not signed yet.` : '';
    return pass(`Chains marked ${signed.length === 1 ? 'the recent finished run' : `all ${signed.length} recent finished runs`} signed (PipelineRuns and their TaskRuns).${fresh}`);
  },
};
