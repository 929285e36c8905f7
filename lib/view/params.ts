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
  'pipeline-object': 'Pipeline object',
  'pac-original-name': 'Pipelines-as-Code original PipelineRun name',
  'resolver-ref': 'Remote resolver reference of its runs',
  'pipeline-ref': 'pipelineRef of its runs',
  'pipeline-label': 'tekton.dev/pipeline label of its runs',
  'generate-name': 'generateName of its runs',
  'run-name': 'Name of its run',
  'task-object': 'A Task or StepAction that no pipeline in the scan uses',
};
