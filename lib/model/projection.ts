import { isObj, obj } from './access';

type Raw = Record<string, unknown>;

const CHAINS_BLOB = /^chains\.tekton\.dev\/(payload|signature|cert|chain)-/;
/** What a Chains blob annotation's value becomes in a slim projection: present, content not kept. */
export const BLOB_NOT_KEPT = '(present)';
const DROPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

function slimMetadata(meta: unknown): Raw {
  const m = { ...obj(meta) };
  delete m.managedFields;
  if (isObj(m.annotations)) {
    const annotations: Raw = {};
    for (const [k, v] of Object.entries(m.annotations)) {
      if (DROPPED_ANNOTATIONS.has(k)) continue;
      // Chains payloads and signatures are large base64 blobs: their presence is the evidence the checks read.
      annotations[k] = CHAINS_BLOB.test(k) ? BLOB_NOT_KEPT : v;
    }
    m.annotations = annotations;
  }
  return m;
}

function slimStepStates(v: unknown): unknown {
  return Array.isArray(v) ? v.filter(isObj).map((s) => ({ name: s.name, container: s.container, imageID: s.imageID })) : v;
}

/*
 * Every run of a pipeline carries the same resolved spec in its status (each of 60,000 TaskRuns a copy of one of a
 * few Task specs): keeping one shared copy per distinct spec is most of what a run costs in memory. Shared specs
 * are read-only, like everything the model reads. Bounded: cleared when full.
 */
const SHARED_SPECS_LIMIT = 4096;
const sharedSpecs = new Map<string, unknown>();
function sharedSpec(spec: unknown): unknown {
  if (!isObj(spec)) return spec;
  let key: string;
  try {
    key = JSON.stringify(spec);
  } catch {
    return spec; // too deep to serialise (hostile nesting): kept as is, not shared
  }
  const known = sharedSpecs.get(key);
  if (known !== undefined) return known;
  if (sharedSpecs.size >= SHARED_SPECS_LIMIT) sharedSpecs.clear();
  sharedSpecs.set(key, spec);
  return spec;
}

/**
 * What the live source keeps of an object: no managedFields or last-applied copies anywhere; for runs also no step
 * states, logs or Chains blobs — only what the model reads — so memory stays flat as history grows.
 */
export function slimObject(raw: Raw): Raw {
  const out: Raw = { ...raw, metadata: slimMetadata(raw.metadata) };
  if (raw.kind !== 'PipelineRun' && raw.kind !== 'TaskRun') return out;
  const status = obj(raw.status);
  const slimStatus: Raw = {};
  for (const key of ['conditions', 'startTime', 'completionTime', 'results', 'taskResults', 'podName', 'childReferences']) {
    if (status[key] !== undefined) slimStatus[key] = status[key];
  }
  for (const key of ['pipelineSpec', 'taskSpec']) {
    if (status[key] !== undefined) slimStatus[key] = sharedSpec(status[key]);
  }
  if (status.steps !== undefined) slimStatus.steps = slimStepStates(status.steps);
  if (status.sidecars !== undefined) slimStatus.sidecars = slimStepStates(status.sidecars);
  const provenance = obj(status.provenance);
  if (provenance.refSource !== undefined) slimStatus.provenance = { refSource: provenance.refSource };
  out.status = slimStatus;
  return out;
}
