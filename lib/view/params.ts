/** Route params arrive percent-decoded from Next; decode once more only if still encoded (defensive, idempotent for k8s names). */
export function routeParam(v: string | string[] | undefined): string {
  const s = Array.isArray(v) ? v.join('/') : (v ?? '');
  if (!/%[0-9A-Fa-f]{2}/.test(s)) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const IDENTITY_SOURCE_LABELS: Record<string, string> = {
  'pipeline-object': 'Its own Pipeline definition',
  'pac-original-name': 'The name Pipelines-as-Code gave its runs (original PipelineRun name)',
  'resolver-ref': 'The remote definition its runs fetch (resolver reference)',
  'pipeline-ref': 'The Pipeline its runs name (pipelineRef)',
  'pipeline-label': 'The pipeline label on its runs (tekton.dev/pipeline)',
  'generate-name': 'The name prefix its runs share (generateName)',
  'run-name': 'A single run with its pipeline written inline',
  'task-object': 'A Task or StepAction that no pipeline in the scan uses',
};
