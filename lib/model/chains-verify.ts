/**
 * Offline verification of what Chains stored on a run (tekton storage), as `cosign verify-blob-attestation` does:
 * the `signature-<k>` annotation is a DSSE envelope; each signature is checked over the DSSE pre-authentication
 * encoding against the operator's public keys (policy `chains.publicKeys`, never a Secret), then the in-toto
 * statement's subjects are compared with the digests the run's type-hinted results declare.
 *
 * Every annotation is hostile: sizes are capped, decoding failures are `malformed`, nothing here throws.
 */
import { createHash, createPublicKey, verify as cryptoVerify, constants, type KeyObject } from 'node:crypto';
import { isObj } from './access';
import type { ChainsAttestationSummary, ChainsVerification, K8sObject } from './types';

const PREFIX = 'chains.tekton.dev/';
/** What the live projection leaves of a blob (lib/model/projection.ts BLOB_NOT_KEPT; not imported: no cycle). */
const NOT_KEPT = '(present)';
const MAX_BLOB = 512 * 1024;
const MAX_SIGNATURES = 8;
const MAX_SUBJECTS = 200;
const RUN_KEY = /^(taskrun|pipelinerun)-[A-Za-z0-9-]{1,128}$/;

export interface VerifyKey {
  /** Hex SHA-256 of the key's SubjectPublicKeyInfo DER. */
  id: string;
  key: KeyObject;
}

const keyCache = new Map<string, VerifyKey | string>();

/** A PEM public key (or certificate) as a verify key, or the reason it is not one. */
export function parsePublicKey(pem: string): VerifyKey | string {
  const cached = keyCache.get(pem);
  if (cached !== undefined) return cached;
  let out: VerifyKey | string;
  if (/PRIVATE KEY/.test(pem)) out = 'is a private key: configure the public key only';
  else {
    try {
      const key = createPublicKey(pem);
      const type = key.asymmetricKeyType;
      if (type !== 'ec' && type !== 'ed25519' && type !== 'rsa' && type !== 'rsa-pss') out = `unsupported key type ${type ?? 'unknown'}`;
      else out = { id: createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex'), key };
    } catch (e) {
      out = `not a PEM public key (${String((e as Error)?.message ?? e).slice(0, 120)})`;
    }
  }
  if (keyCache.size > 256) keyCache.clear();
  keyCache.set(pem, out);
  return out;
}

export function parsePublicKeys(pems: readonly string[]): VerifyKey[] {
  return pems.map(parsePublicKey).filter((k): k is VerifyKey => typeof k !== 'string');
}

/** DSSE pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body. */
export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

function verifyWith(k: VerifyKey, message: Buffer, sig: Buffer): boolean {
  const type = k.key.asymmetricKeyType;
  try {
    if (type === 'ed25519') return cryptoVerify(null, message, k.key, sig);
    if (type === 'ec') {
      const curve = k.key.asymmetricKeyDetails?.namedCurve;
      const hash = curve === 'secp384r1' ? 'sha384' : curve === 'secp521r1' ? 'sha512' : 'sha256';
      if (safe(() => cryptoVerify(hash, message, { key: k.key, dsaEncoding: 'der' }, sig))) return true;
      return safe(() => cryptoVerify(hash, message, { key: k.key, dsaEncoding: 'ieee-p1363' }, sig));
    }
    if (safe(() => cryptoVerify('sha256', message, { key: k.key, padding: constants.RSA_PKCS1_PADDING }, sig))) return true;
    return safe(() => cryptoVerify('sha256', message, { key: k.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig));
  } catch {
    return false;
  }
}

function safe(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}

/** Strict base64 (standard or URL-safe alphabet) → bytes; null when it is not base64 or too large. */
export function decodeBase64Strict(value: string): Buffer | null {
  const t = value.replace(/\s+/g, '');
  if (t.length === 0 || t.length > MAX_BLOB || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) return null;
  return Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** `alg:hex` digests, lower-cased, from text such as `sha256:…`, `img@sha256:…`, or an object result's JSON. */
function digestsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.slice(0, 64 * 1024).matchAll(/\b(sha256|sha384|sha512|sha1):([0-9a-fA-F]{40,128})\b/g)) out.push(`${m[1]}:${m[2].toLowerCase()}`);
  return out;
}

interface Declared {
  /** Digests an honest attestation may carry as subjects. */
  allowed: Set<string>;
  /** Digests it must carry (images and build artifacts the run declares). */
  required: Set<string>;
}

function resultText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

/** The digests a run's type-hinted results declare (TEKTON-FACTS.md §9, lib/model/chains.ts `signableResults`). */
export function declaredDigests(results: { name: string; value: unknown }[], into: Declared = { allowed: new Set(), required: new Set() }, require = true): Declared {
  const names = new Set(results.map((r) => r.name));
  for (const r of results.slice(0, 500)) {
    const name = r.name;
    const text = resultText(r.value);
    const isImage = (name.endsWith('IMAGE_DIGEST') && names.has(`${name.slice(0, -'IMAGE_DIGEST'.length)}IMAGE_URL`)) || name === 'IMAGES';
    const isOutputs = name.endsWith('ARTIFACT_OUTPUTS');
    const hinted = isImage || isOutputs || name.endsWith('ARTIFACT_DIGEST') || name.endsWith('IMAGE_DIGEST');
    if (!hinted) continue;
    const found = digestsIn(text);
    for (const d of found) into.allowed.add(d);
    const buildArtifact = isOutputs && /"isBuildArtifact"\s*:\s*"?true"?/.test(text.slice(0, 64 * 1024));
    if (require && (isImage || buildArtifact)) for (const d of found) into.required.add(d);
  }
  return into;
}

function resultsOf(raw: Record<string, unknown>): { name: string; value: unknown }[] {
  const status = isObj(raw.status) ? raw.status : {};
  const list = status.results ?? status.taskResults ?? status.pipelineResults;
  const out = Array.isArray(list) ? list.filter(isObj).map((r) => ({ name: typeof r.name === 'string' ? r.name : '', value: r.value })) : [];
  // StepAction results (slsa/v2alpha4 takes subjects from them too).
  for (const s of Array.isArray(status.steps) ? status.steps.slice(0, 100) : []) {
    if (isObj(s) && Array.isArray(s.results)) for (const r of s.results.filter(isObj)) out.push({ name: typeof r.name === 'string' ? r.name : '', value: r.value });
  }
  return out;
}

function str(v: unknown, max = 300): string | null {
  return typeof v === 'string' ? v.slice(0, max) : null;
}

/** What is kept of a verified statement: subjects, builder id, build type, the git commit of its materials. */
export function summarize(stmt: Record<string, unknown>): ChainsAttestationSummary {
  const predicate = isObj(stmt.predicate) ? stmt.predicate : {};
  const subjects = (Array.isArray(stmt.subject) ? stmt.subject : []).slice(0, MAX_SUBJECTS).map((s) => {
    const o = isObj(s) ? s : {};
    const d = isObj(o.digest) ? o.digest : {};
    return { name: str(o.name) ?? '', digests: Object.entries(d).slice(0, 4).map(([alg, hex]) => `${alg.toLowerCase()}:${String(hex).slice(0, 128).toLowerCase()}`) };
  });
  const buildDefinition = isObj(predicate.buildDefinition) ? predicate.buildDefinition : {};
  const runDetails = isObj(predicate.runDetails) ? predicate.runDetails : {};
  const builder = isObj(predicate.builder) ? predicate.builder : isObj(runDetails.builder) ? runDetails.builder : {};
  const materials = [
    ...(Array.isArray(predicate.materials) ? predicate.materials : []),
    ...(Array.isArray(buildDefinition.resolvedDependencies) ? buildDefinition.resolvedDependencies : []),
  ].slice(0, 200);
  let gitCommit: string | null = null;
  for (const m of materials) {
    if (!isObj(m) || !isObj(m.digest) || !String(m.uri ?? '').startsWith('git+')) continue;
    const c = m.digest.sha1 ?? m.digest.gitCommit;
    if (typeof c === 'string' && /^[0-9a-f]{7,64}$/i.test(c)) {
      gitCommit = c.toLowerCase();
      break;
    }
  }
  return {
    predicateType: str(stmt.predicateType),
    buildType: str(predicate.buildType) ?? str(buildDefinition.buildType),
    builderId: str(builder.id),
    subjects,
    gitCommit,
    runSpecKind: runSpecKind(buildDefinition),
  };
}

function runSpecKind(buildDefinition: Record<string, unknown>): 'PipelineRun' | 'TaskRun' | null {
  const ext = isObj(buildDefinition.externalParameters) ? buildDefinition.externalParameters : {};
  const spec = isObj(ext.runSpec) ? ext.runSpec : null;
  if (!spec) return null;
  if ('pipelineRef' in spec || 'pipelineSpec' in spec) return 'PipelineRun';
  if ('taskRef' in spec || 'taskSpec' in spec) return 'TaskRun';
  return null;
}

/**
 * The run kind a statement's build type names, or null when the build type does not say. slsa/v1 (SLSA v0.2
 * predicate) writes the run's GVK (`tekton.dev/v1/TaskRun`); slsa/v2alpha3/4 write `https://tekton.dev/chains/v2/slsa`
 * or `…/slsa-tekton` for both kinds, so their `externalParameters.runSpec` tells the kind.
 */
export function attestedKind(summary: ChainsAttestationSummary): 'PipelineRun' | 'TaskRun' | null {
  const bt = summary.buildType ?? '';
  const gvk = /^tekton\.dev\/v1(?:beta1|alpha1)?\/(TaskRun|PipelineRun)$/.exec(bt);
  if (gvk) return gvk[1] as 'TaskRun' | 'PipelineRun';
  if (bt === 'https://tekton.dev/chains/v2/slsa' || bt === 'https://tekton.dev/chains/v2/slsa-tekton') return summary.runSpecKind;
  return null;
}

function runKeys(annotations: Record<string, string>, prefix: string): string[] {
  const out: string[] = [];
  for (const k of Object.keys(annotations)) {
    if (out.length >= 20) break;
    if (!k.startsWith(prefix)) continue;
    const suffix = k.slice(prefix.length);
    if (RUN_KEY.test(suffix) && typeof annotations[k] === 'string' && annotations[k].trim() !== '') out.push(suffix);
  }
  return out;
}

export interface VerifyContext {
  keys: VerifyKey[];
  /** Digests of child TaskRuns' results (PipelineRuns): allowed as subjects, required with deep inspection. */
  childResults?: { name: string; value: unknown }[];
  deepInspection?: boolean;
}

const ORDER: ChainsVerification['verdict'][] = ['bad-signature', 'unknown-key', 'kind-mismatch', 'subject-mismatch', 'malformed', 'payload-not-kept', 'no-key-configured', 'verified', 'not-stored'];

/** The verdict on everything Chains stored on one run; the worst over its run keys. */
export function verifyRun(o: K8sObject, kind: 'PipelineRun' | 'TaskRun', ctx: VerifyContext): ChainsVerification {
  const annotations = isObj(o.annotations) ? (o.annotations as Record<string, string>) : {};
  const keys = [...new Set([...runKeys(annotations, `${PREFIX}signature-`), ...runKeys(annotations, `${PREFIX}payload-`)])];
  if (keys.length === 0) return { verdict: 'not-stored', key: null, keyId: null, detail: 'no payload-/signature- annotation of a run attestation (tekton storage)', summary: null };
  const verdicts = keys.map((k) => verifyKey(annotations, k, kind, o, ctx));
  return verdicts.sort((a, b) => ORDER.indexOf(a.verdict) - ORDER.indexOf(b.verdict))[0];
}

function verifyKey(annotations: Record<string, string>, k: string, kind: 'PipelineRun' | 'TaskRun', o: K8sObject, ctx: VerifyContext): ChainsVerification {
  const base = { key: k, keyId: null, summary: null };
  const sigText = annotations[`${PREFIX}signature-${k}`];
  const payloadText = annotations[`${PREFIX}payload-${k}`];
  if (sigText === NOT_KEPT || payloadText === NOT_KEPT) return { ...base, verdict: 'payload-not-kept', detail: 'the live source keeps only the presence of Chains payloads and signatures, not their content' };
  if (typeof sigText !== 'string' || sigText.trim() === '') return { ...base, verdict: 'malformed', detail: `payload-${k} is stored without a signature-${k}` };
  if (ctx.keys.length === 0) return { ...base, verdict: 'no-key-configured', detail: 'no public key is configured (policy chains.publicKeys)' };
  const envelopeBytes = decodeBase64Strict(sigText);
  const envelope = envelopeBytes ? parseJson(envelopeBytes) : undefined;
  if (!isObj(envelope) || typeof envelope.payloadType !== 'string' || typeof envelope.payload !== 'string' || !Array.isArray(envelope.signatures) || envelope.signatures.length === 0) {
    return { ...base, verdict: 'malformed', detail: `signature-${k} is not a base64 DSSE envelope (payloadType, payload, signatures)` };
  }
  const body = decodeBase64Strict(envelope.payload);
  if (!body) return { ...base, verdict: 'malformed', detail: `the envelope's payload in signature-${k} is not base64` };
  const message = pae(envelope.payloadType.slice(0, 1000), body);
  let verifiedBy: VerifyKey | null = null;
  const keyIds: string[] = [];
  for (const s of envelope.signatures.slice(0, MAX_SIGNATURES)) {
    if (!isObj(s) || typeof s.sig !== 'string') continue;
    if (typeof s.keyid === 'string' && s.keyid.trim() !== '') keyIds.push(s.keyid.trim().slice(0, 200));
    const sig = decodeBase64Strict(s.sig);
    if (!sig) continue;
    verifiedBy = ctx.keys.find((key) => verifyWith(key, message, sig)) ?? null;
    if (verifiedBy) break;
  }
  const storedPayload = typeof payloadText === 'string' && payloadText.trim() !== '' ? decodeBase64Strict(payloadText) : null;
  const payloadAgrees = storedPayload === null ? typeof payloadText !== 'string' || payloadText.trim() === '' : storedPayload.equals(body);
  if (!verifiedBy) {
    const named = keyIds.length > 0 && keyIds.every((id) => !ctx.keys.some((key) => key.id === id || key.id.startsWith(id.toLowerCase())));
    if (!payloadAgrees) return { ...base, verdict: 'bad-signature', detail: `payload-${k} differs from the signed payload and the signature does not verify against any configured key` };
    if (named || keyIds.length === 0) return { ...base, verdict: 'unknown-key', detail: `signature-${k} does not verify against any configured key (signed by another key, or altered)` };
    return { ...base, verdict: 'bad-signature', detail: `signature-${k} names a configured key but does not verify: the payload was altered after signing` };
  }
  const keyId = verifiedBy.id.slice(0, 16);
  if (!payloadAgrees) return { ...base, keyId, verdict: 'bad-signature', detail: `the envelope verifies, but payload-${k} is not the signed payload: it was altered` };
  const stmt = parseJson(body);
  if (!isObj(stmt) || !Array.isArray(stmt.subject)) return { ...base, keyId, verdict: 'malformed', detail: `the signed payload of ${k} is not an in-toto statement` };
  const summary = summarize(stmt);
  const attested = attestedKind(summary);
  if (attested !== null && attested !== kind) return { ...base, keyId, summary, verdict: 'kind-mismatch', detail: `the attestation's build type (${summary.buildType}) describes a ${attested}, not this ${kind}` };
  const declared = declaredDigests(resultsOf(o.raw));
  if (ctx.childResults) declaredDigests(ctx.childResults, declared, ctx.deepInspection === true);
  const subjectDigests = summary.subjects.map((s) => s.digests);
  const foreign = summary.subjects.filter((s) => !s.digests.some((d) => declared.allowed.has(d)));
  const missing = [...declared.required].filter((d) => !subjectDigests.some((ds) => ds.includes(d)));
  if (foreign.length > 0 || missing.length > 0) {
    const parts: string[] = [];
    if (foreign.length > 0) parts.push(`attests ${foreign.slice(0, 3).map((s) => `${s.name}@${s.digests[0] ?? '(no digest)'}`).join(', ')} that the run's results do not declare`);
    if (missing.length > 0) parts.push(`leaves out ${missing.slice(0, 3).join(', ')} that the run's results declare`);
    return { ...base, keyId, summary, verdict: 'subject-mismatch', detail: `the signed attestation ${parts.join(' and ')}` };
  }
  return { ...base, keyId, summary, verdict: 'verified', detail: `verified with key ${keyId}` };
}
