import { isObj, obj } from './access';

type Raw = Record<string, unknown>;

const CHAINS_BLOB = /^chains\.tekton\.dev\/(payload|signature|cert|chain)-/;
const DROPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

function slimMetadata(meta: unknown): Raw {
  const m = { ...obj(meta) };
  delete m.managedFields;
  if (isObj(m.annotations)) {
    const annotations: Raw = {};
    for (const [k, v] of Object.entries(m.annotations)) {
      if (DROPPED_ANNOTATIONS.has(k)) continue;
      // Chains payloads and signatures are large base64 blobs: their presence is the evidence the checks read.
      annotations[k] = CHAINS_BLOB.test(k) ? '(present)' : v;
    }
    m.annotations = annotations;
  }
  return m;
}

function slimStepStates(v: unknown): unknown {
  return Array.isArray(v) ? v.filter(isObj).map((s) => ({ name: s.name, container: s.container, imageID: s.imageID })) : v;
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
  for (const key of ['conditions', 'startTime', 'completionTime', 'pipelineSpec', 'taskSpec', 'results', 'taskResults', 'podName', 'childReferences']) {
    if (status[key] !== undefined) slimStatus[key] = status[key];
  }
  if (status.steps !== undefined) slimStatus.steps = slimStepStates(status.steps);
  if (status.sidecars !== undefined) slimStatus.sidecars = slimStepStates(status.sidecars);
  const provenance = obj(status.provenance);
  if (provenance.refSource !== undefined) slimStatus.provenance = { refSource: provenance.refSource };
  out.status = slimStatus;
  return out;
}
