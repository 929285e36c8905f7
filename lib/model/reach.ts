/**
 * Credential reach: for each pipeline task (finally included), the pipeline workspaces it mounts and how the
 * newest run binds them, and every credential the task's pod can read.
 *
 * Credentials counted:
 * - `workspace`: a workspace the newest run binds to a `secret`;
 * - `projected`: a workspace the newest run binds to a `projected` volume with secret or serviceAccountToken
 *   sources (`secretName` is the secret's name, or `serviceAccountToken`);
 * - `env` / `envFrom`: `env[].valueFrom.secretKeyRef` and `envFrom[].secretRef` of steps, sidecars and the
 *   stepTemplate of the task's spec (StepActions are not followed here);
 * - `volume`: task `volumes` of type `secret` (projected task volumes are not modelled with their sources, so
 *   they are not counted);
 * - `creds-init`: Secrets listed in the `secrets:` of the task's service account (the run's
 *   `taskRunSpecs[].serviceAccountName` override, else the run's SA) that carry a `tekton.dev/git-*` or
 *   `tekton.dev/docker-*` annotation — Tekton mounts those into every step unless `disable-creds-init` is true.
 *   (`credsInit` in tektoncd/pipeline:pkg/pod/creds_init.go reads `sa.Secrets` only: `imagePullSecrets` are the
 *   kubelet's, for pulling images.)
 *   A listed Secret whose metadata is not in sight (always so live: the live source never reads Secrets) is
 *   neither counted nor dropped: it goes to `possibleCredsInit`, so checks and the DAG say "unknown" instead of
 *   reading its absence as "no credential" (CHECKS.md, "Facts the checks may not assume").
 *
 * With no run, bindings are `unbound`, the service account is `''` (unknown) and no creds-init credential is
 * counted.
 */
import type { ClusterModel, CredentialReach, PipelineModel, PipelineRunModel, PipelineTaskModel, StepModel, TaskSpecModel } from './types';
import { saKey } from './types';
import { topLevelTaskName } from './child-pipelines';

const CREDS_INIT_ANNOTATION = /^tekton\.dev\/(git|docker)-/;

function join(base: string, rel: string): string {
  if (!base) return rel;
  return rel.startsWith('[') ? `${base}${rel}` : `${base}.${rel}`;
}

/** The service account a pipeline task of `run` runs as (taskRunSpecs override, else the run's). */
export function taskServiceAccount(run: PipelineRunModel, task: string): string {
  const override = run.taskRunSpecs.find((s) => s.pipelineTaskName === task && s.serviceAccountName);
  return override?.serviceAccountName ?? run.serviceAccountName;
}

/** Whether Tekton's creds-init would mount this Secret (annotated `tekton.dev/git-*` / `tekton.dev/docker-*`). */
export function isCredsInitSecret(annotations: Record<string, string>): boolean {
  return Object.keys(annotations).some((k) => CREDS_INIT_ANNOTATION.test(k));
}

function containerCredentials(spec: TaskSpecModel, c: StepModel): CredentialReach['credentials'] {
  const out: CredentialReach['credentials'] = [];
  const base = join(spec.basePath, c.path);
  c.env.forEach((e, i) => {
    if (e.secretKeyRef) out.push({ secretName: e.secretKeyRef.name, via: 'env', path: join(base, `env[${i}].valueFrom.secretKeyRef`) });
  });
  c.envFrom.forEach((e, i) => {
    if (e.secretRef !== null) out.push({ secretName: e.secretRef, via: 'envFrom', path: join(base, `envFrom[${i}].secretRef`) });
  });
  return out;
}

function reachOfTask(
  task: PipelineTaskModel,
  run: PipelineRunModel | null,
  cluster: Pick<ClusterModel, 'serviceAccounts' | 'secretsMeta'>,
  namespace: string,
  disableCredsInit: boolean,
): CredentialReach {
  const spec = task.taskSpec;
  const workspaces: CredentialReach['workspaces'] = [];
  const credentials: CredentialReach['credentials'] = [];
  task.workspaces.forEach((tw, i) => {
    const binding = run?.workspaces.find((b) => b.name === tw.workspace) ?? null;
    const decl = spec?.workspaces.find((d) => d.name === tw.name);
    workspaces.push({
      workspace: tw.workspace,
      binding: binding ? binding.type : 'unbound',
      secretName: binding?.secretName ?? null,
      readOnly: decl?.readOnly ?? false,
    });
    const path = `${task.path}.workspaces[${i}]`;
    if (binding?.type === 'secret') credentials.push({ secretName: binding.secretName ?? '', via: 'workspace', path });
    if (binding?.type === 'projected') {
      for (const src of binding.projectedCredentials) {
        credentials.push({ secretName: src.startsWith('secret ') ? src.slice('secret '.length) : src, via: 'projected', path });
      }
    }
  });
  if (spec) {
    const containers = [...spec.steps, ...spec.sidecars, ...(spec.stepTemplate ? [spec.stepTemplate] : [])];
    for (const c of containers) credentials.push(...containerCredentials(spec, c));
    spec.volumes.forEach((v, i) => {
      if (v.type === 'secret') credentials.push({ secretName: v.secretName ?? v.name, via: 'volume', path: join(spec.basePath, `volumes[${i}]`) });
    });
  }
  // A task expanded from a child pipeline runs under the taskRunSpecs entry of the top-level task that included it.
  const runSpecName = task.parentTask ? topLevelTaskName(task.name) : task.name;
  const serviceAccountName = run ? taskServiceAccount(run, runSpecName) : '';
  const possibleCredsInit: NonNullable<CredentialReach['possibleCredsInit']> = [];
  if (run && !disableCredsInit) {
    const sa = cluster.serviceAccounts.get(saKey(namespace, serviceAccountName));
    sa?.secrets.forEach((name, i) => {
      const meta = cluster.secretsMeta.get(saKey(namespace, name));
      if (!meta) possibleCredsInit.push({ secretName: name, path: `secrets[${i}]` });
      else if (isCredsInitSecret(meta.annotations)) credentials.push({ secretName: name, via: 'creds-init', path: `secrets[${i}]` });
    });
  }
  return { task: task.name, workspaces, credentials, possibleCredsInit, serviceAccountName };
}

/**
 * Which credentials each pipeline task can reach (see the file comment). `disableCredsInit` is the
 * `disable-creds-init` feature flag ("true" turns creds-init off).
 */
export function computeCredentialReach(
  pipeline: Omit<PipelineModel, 'credentialReach'>,
  cluster: Pick<ClusterModel, 'serviceAccounts' | 'secretsMeta'>,
  disableCredsInit = false,
): CredentialReach[] {
  if (!pipeline.spec) return [];
  const run = pipeline.runs[0] ?? null;
  return [...pipeline.spec.tasks, ...pipeline.spec.finally].map((t) => reachOfTask(t, run, cluster, pipeline.namespace, disableCredsInit));
}
