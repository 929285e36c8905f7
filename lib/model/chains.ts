/**
 * Run status and Tekton Chains state of a PipelineRun or TaskRun (TEKTON-FACTS.md §9).
 *
 * Annotation values are hostile strings: nothing here trusts their length or form. A `transparency` value that is
 * not an http(s) URL is dropped and does not count as evidence; empty `payload-*`/`signature-*` values do not
 * count either.
 */
import { arr, isObj, obj, str } from './access';
import { verifyRun, type VerifyContext } from './chains-verify';
import type { ChainsInfo, ChainsState, K8sObject, RunStatus } from './types';

export const CHAINS_PREFIX = 'chains.tekton.dev/';
const SIGNED = `${CHAINS_PREFIX}signed`;
const RETRIES = `${CHAINS_PREFIX}retries`;
const TRANSPARENCY = `${CHAINS_PREFIX}transparency`;
const PAYLOAD = `${CHAINS_PREFIX}payload-`;
const SIGNATURE = `${CHAINS_PREFIX}signature-`;

/** At most this many payload/signature keys are kept per run (a hostile object may carry thousands). */
const MAX_KEYS = 50;
const MAX_URL = 2048;
const MAX_KEY_SUFFIX = 128;

/** The `Succeeded` condition as a run status (TEKTON-FACTS.md §2/§3). */
export function runStatusOf(o: K8sObject): RunStatus {
  const status = o.raw.status;
  if (!isObj(status)) return 'unknown';
  const cond = arr(status.conditions).find((c) => isObj(c) && c.type === 'Succeeded');
  if (!isObj(cond)) return 'unknown';
  const s = str(cond.status);
  const reason = (str(cond.reason) ?? '').slice(0, 200);
  if (s === 'True') return 'succeeded';
  if (s === 'False') return /cancel/i.test(reason) ? 'cancelled' : 'failed';
  if (s === 'Unknown') return reason === 'PipelineRunPending' || reason === 'Pending' ? 'pending' : 'running';
  return 'unknown';
}

/** Whether a run has finished (succeeded, failed or cancelled): Chains only acts on finished runs. */
export function isFinished(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/** The value when it is an absolute http(s) URL of sane length, else null. */
export function httpUrlOrNull(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  if (v.length === 0 || v.length > MAX_URL || /\s/.test(v)) return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return null;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '') return null;
  return v;
}

/** `retries` as a number when it is a small non-negative integer, else null. */
function parseRetries(v: string | undefined): number | null {
  if (v === undefined) return null;
  const t = v.trim();
  return /^\d{1,4}$/.test(t) ? Number(t) : null;
}

function keysWithPrefix(annotations: Record<string, string>, prefix: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(annotations)) {
    if (out.length >= MAX_KEYS) break;
    if (!k.startsWith(prefix)) continue;
    const suffix = k.slice(prefix.length);
    if (suffix === '' || typeof v !== 'string' || v.trim() === '') continue;
    out.push(suffix.length > MAX_KEY_SUFFIX ? suffix.slice(0, MAX_KEY_SUFFIX) : suffix);
  }
  return out;
}

/** Chains config value with the §9 default when the key is missing. */
function cfg(config: Record<string, string>, key: string, fallback: string): string {
  const v = config[key];
  return typeof v === 'string' ? v.trim() : fallback;
}

/**
 * Whether Chains signs `artifacts.<type>` at all: `Enabled()` is signer != `none` and storage != `""`
 * (TEKTON-FACTS.md §9; the docs' "`none` still stores provenance" is wrong).
 */
export function artifactTypeEnabled(config: Record<string, string>, type: 'taskrun' | 'pipelinerun' | 'oci'): boolean {
  const defaultStorage = type === 'oci' ? 'oci' : 'tekton';
  const storage = cfg(config, `artifacts.${type}.storage`, defaultStorage);
  const signer = cfg(config, `artifacts.${type}.signer`, 'x509');
  const backends = storage.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return signer !== 'none' && backends.length > 0;
}

/** The Chains state of one run (TEKTON-FACTS.md §9 "States per run"). */
export function chainsInfoOf(
  o: K8sObject,
  status: RunStatus,
  kind: 'PipelineRun' | 'TaskRun',
  ctx: { chainsConfig: Record<string, string>; hasImageResults: boolean; verify?: VerifyContext },
): ChainsInfo {
  const annotations = isObj(o.annotations) ? o.annotations : {};
  const rawSigned = typeof annotations[SIGNED] === 'string' ? annotations[SIGNED] : null;
  const signed = rawSigned === null ? null : rawSigned.slice(0, 64);
  const retriesPresent = typeof annotations[RETRIES] === 'string';
  const retries = parseRetries(annotations[RETRIES]);
  const transparencyUrl = httpUrlOrNull(annotations[TRANSPARENCY]);
  const payloadKeys = keysWithPrefix(annotations, PAYLOAD);
  const signatureKeys = keysWithPrefix(annotations, SIGNATURE);
  const finalizers = Array.isArray(o.finalizers) ? o.finalizers : [];
  const hasChainsFinalizer = finalizers.some((f) => typeof f === 'string' && (f === 'chains.tekton.dev' || f.startsWith(CHAINS_PREFIX)));

  let state: ChainsState;
  const signedValue = signed?.trim();
  if (!isFinished(status)) state = 'not-finished';
  else if (signedValue === 'failed') state = 'failed';
  else if (signedValue === 'true') state = transparencyUrl !== null || payloadKeys.length > 0 || signatureKeys.length > 0 ? 'signed-with-evidence' : 'marked-signed';
  else if (retriesPresent) state = 'retrying';
  else if (!signableFor(kind, ctx)) state = 'not-signable';
  else state = 'pending';

  const verification = ctx.verify && isFinished(status) ? verifyRun(o, kind, ctx.verify) : undefined;
  if (state === 'signed-with-evidence' && verification?.verdict === 'verified') state = 'signed-verified';
  return { state, signed, retries, transparencyUrl, payloadKeys, signatureKeys, hasChainsFinalizer, ...(verification ? { verification } : {}) };
}

/** Whether Chains would sign anything for this run, given its config and (for TaskRuns) its image results. */
function signableFor(kind: 'PipelineRun' | 'TaskRun', ctx: { chainsConfig: Record<string, string>; hasImageResults: boolean }): boolean {
  const config = obj(ctx.chainsConfig) as Record<string, string>;
  if (kind === 'PipelineRun') return artifactTypeEnabled(config, 'pipelinerun');
  return artifactTypeEnabled(config, 'taskrun') || (ctx.hasImageResults && artifactTypeEnabled(config, 'oci'));
}

/** The type-hinted results Chains reads from a TaskRun (tekton-chains docs: IMAGE_URL/IMAGE_DIGEST, IMAGES, *ARTIFACT_OUTPUTS). */
export interface SignableResults {
  /** The results that make the output signable (empty when none). */
  signable: string[];
  /** `*ARTIFACT_URI` + `*ARTIFACT_DIGEST` pairs: recorded as provenance subjects, never signed as images. */
  provenanceOnly: string[];
  /** Half pairs (`X_IMAGE_URL` without `X_IMAGE_DIGEST` and the reverse). */
  halfPairs: string[];
}

/**
 * The type-hinted results Chains reads (TEKTON-FACTS.md §9): `<prefix>IMAGE_URL` + `<prefix>IMAGE_DIGEST`,
 * `IMAGES` (exact name), `*ARTIFACT_OUTPUTS`. Names are case-sensitive, as in Chains.
 */
export function signableResults(results: { name: string }[]): SignableResults {
  const names = new Set(results.map((r) => r.name));
  const out: SignableResults = { signable: [], provenanceOnly: [], halfPairs: [] };
  for (const name of names) {
    if (name === 'IMAGES' || name.endsWith('ARTIFACT_OUTPUTS')) out.signable.push(name);
    else if (name.endsWith('IMAGE_URL')) {
      const digest = `${name.slice(0, -'IMAGE_URL'.length)}IMAGE_DIGEST`;
      if (names.has(digest)) out.signable.push(`${name}+${digest}`);
      else out.halfPairs.push(`${name} without ${digest}`);
    } else if (name.endsWith('IMAGE_DIGEST')) {
      const url = `${name.slice(0, -'IMAGE_DIGEST'.length)}IMAGE_URL`;
      if (!names.has(url)) out.halfPairs.push(`${name} without ${url}`);
    } else if (name.endsWith('ARTIFACT_URI')) {
      const digest = `${name.slice(0, -'ARTIFACT_URI'.length)}ARTIFACT_DIGEST`;
      if (names.has(digest)) out.provenanceOnly.push(`${name}+${digest}`);
    }
  }
  return out;
}
