import type { TriggersModel } from './triggers';

/**
 * The normalized model every check reads. Builders in lib/model/ turn raw (possibly hostile, possibly
 * incomplete) Kubernetes objects into these shapes, filling defaults so checks never have to guard
 * against missing fields. Every model object keeps a reference to where it came from, for evidence.
 */

/** A raw Kubernetes object as loaded (never trusted: every field may be missing or of the wrong type). */
export interface RawObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: unknown;
  spec?: unknown;
  status?: unknown;
  [key: string]: unknown;
}

/** Where an object came from: a file and line when loaded from files, nothing when live. */
export interface SourceLocation {
  file?: string;
  line?: number;
  /** The file's path relative to the scanned directory: what identifies a file-born subject (see pipeline ids). */
  relPath?: string;
}

export interface ObjectRef {
  kind: string;
  namespace: string | null;
  name: string;
}

/** What a finding points at: an object and a JSON-ish path inside it (e.g. `spec.steps[1].image`). */
export interface Evidence extends ObjectRef {
  path: string;
  /** A short excerpt of the offending value, already redacted when it is a credential. */
  value?: string;
  file?: string;
  line?: number;
  /** 1-based line inside the field's text (a script) where the offending text stands: the file line then points there. */
  textLine?: number;
}

/** A loaded object with its identity extracted and its origin kept. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  uid: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  creationTimestamp: string | null;
  generateName: string | null;
  finalizers: string[];
  ownerReferences: { kind: string; name: string; uid: string | null }[];
  raw: RawObject;
  source: SourceLocation;
}

export interface LoadIssue {
  file?: string;
  line?: number;
  message: string;
}

// ---------------------------------------------------------------- tasks and steps

export interface EnvVarModel {
  name: string;
  value: string | null;
  secretKeyRef: { name: string; key: string } | null;
  configMapKeyRef: { name: string; key: string } | null;
  fieldRef: string | null;
}

export interface EnvFromModel {
  secretRef: string | null;
  configMapRef: string | null;
}

export interface SecurityContextModel {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilitiesAdd: string[];
  capabilitiesDrop: string[];
  seccompProfileType?: string;
}

export interface PodSecurityContextModel {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  seccompProfileType?: string;
}

export interface ResourcesModel {
  limits: Record<string, string>;
  requests: Record<string, string>;
}

export type ContainerRole = 'step' | 'sidecar' | 'stepTemplate';

/** A step, sidecar or stepTemplate of a task, with stepTemplate NOT merged in (checks merge when relevant). */
export interface StepModel {
  role: ContainerRole;
  name: string;
  index: number;
  /** `$(...)`-containing or missing images are kept as given; null when absent. */
  image: string | null;
  script: string | null;
  command: string[];
  args: string[];
  env: EnvVarModel[];
  envFrom: EnvFromModel[];
  securityContext: SecurityContextModel | null;
  resources: ResourcesModel | null;
  volumeMounts: { name: string; mountPath: string }[];
  /** StepAction reference (`ref`), when the step is defined elsewhere. */
  ref: RefModel | null;
  /** Evidence path to this container within its owner, e.g. `spec.steps[2]`. */
  path: string;
}

export interface ParamSpecModel {
  name: string;
  type: string; // string | array | object
  default: unknown;
  enum: string[] | null;
  description: string | null;
  path: string;
}

export interface WorkspaceDeclModel {
  name: string;
  readOnly: boolean;
  optional: boolean;
  mountPath: string | null;
}

export interface VolumeModel {
  name: string;
  type: string; // hostPath, secret, configMap, emptyDir, persistentVolumeClaim, csi, projected, other
  secretName: string | null;
  hostPath: string | null;
}

/** A task spec from whichever source held it. */
export interface TaskSpecModel {
  params: ParamSpecModel[];
  steps: StepModel[];
  sidecars: StepModel[];
  stepTemplate: StepModel | null;
  volumes: VolumeModel[];
  workspaces: WorkspaceDeclModel[];
  results: { name: string; type: string }[];
  /** The object that holds the spec, and the path of the spec within it (e.g. `spec`, `spec.tasks[0].taskSpec`). */
  owner: ObjectRef & { file?: string; line?: number };
  basePath: string;
  description: string | null;
}

/** A reference to a Task/Pipeline/StepAction: by name in the cluster, or through a remote resolver. */
export interface RefModel {
  name: string | null;
  kind: string | null;
  apiVersion: string | null;
  /** `git`, `bundles`, `hub`, `http`, `cluster`, or another resolver name; null for a plain in-cluster ref. */
  resolver: string | null;
  /** Resolver params as strings (arrays/objects JSON-encoded). */
  params: Record<string, string>;
  /** v1beta1 `bundle:` field (legacy OCI bundle). */
  bundle: string | null;
  path: string;
}

/** Where a pipeline task's spec came from. `unresolved`: a ref whose spec is nowhere in sight. */
export type SpecSource = 'inline' | 'task-object' | 'taskrun-status' | 'unresolved';

export interface PipelineTaskModel {
  name: string;
  isFinally: boolean;
  index: number;
  taskRef: RefModel | null;
  taskSpec: TaskSpecModel | null;
  specSource: SpecSource;
  /** Param values passed to the task, as strings (arrays/objects JSON-encoded). */
  params: { name: string; value: string; path: string }[];
  runAfter: string[];
  /** `$(tasks.X.results.Y)` references found anywhere in params, when, matrix or the inline spec. */
  resultRefs: { task: string; result: string; path: string }[];
  /** Workspaces the task mounts: task-side name → pipeline-level workspace name. */
  workspaces: { name: string; workspace: string; subPath: string | null }[];
  whenExpressions: unknown[];
  hasMatrix: boolean;
  /** Custom task (apiVersion+kind ref other than Task/ClusterTask/StepAction). */
  isCustomTask: boolean;
  path: string;
  /**
   * Pipelines in Pipelines (lib/model/child-pipelines.ts): for a task expanded from a child pipeline, the pipeline
   * task that included it (its name is `<parentTask>/<childTask>`).
   */
  parentTask?: string;
  /** The object `path` points into, when not the pipeline spec's owner (a child Pipeline, a child run's status). */
  owner?: ObjectRef & { file?: string; line?: number };
  /** A child-pipeline task whose child could not be expanded: how it refers to the child (null for inline). */
  childPipelineRef?: RefModel | null;
  /**
   * For a task expanded from child pipelines fetched remotely (resolver, bundle): those references, outermost
   * first, each with the pipeline task that holds it and the object its `path` is in (pinning checks read them).
   */
  includedThrough?: { task: string; ref: RefModel; owner: ObjectRef & { file?: string; line?: number } }[];
}

export interface PipelineSpecModel {
  params: ParamSpecModel[];
  workspaces: { name: string; optional: boolean }[];
  tasks: PipelineTaskModel[];
  finally: PipelineTaskModel[];
  results: { name: string }[];
  owner: ObjectRef & { file?: string; line?: number };
  basePath: string;
  description: string | null;
}

// ---------------------------------------------------------------- runs

export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'running' | 'pending' | 'unknown';

/** Chains state of one run (TEKTON-FACTS.md §9). */
export type ChainsState =
  | 'signed-verified' // signed=true and the stored signature verifies against a configured key (lib/model/chains-verify.ts)
  | 'signed-with-evidence' // signed=true plus transparency or payload/signature annotations
  | 'marked-signed' // signed=true and nothing else: the marker alone is not proof
  | 'failed' // signed=failed
  | 'retrying' // retries set, no signed
  | 'pending' // finished, no Chains annotations yet
  | 'not-finished' // run still running
  | 'not-signable'; // finished, nothing Chains could sign (no run attestation configured, no image results)

export interface ChainsInfo {
  state: ChainsState;
  signed: string | null;
  retries: number | null;
  transparencyUrl: string | null;
  payloadKeys: string[];
  signatureKeys: string[];
  hasChainsFinalizer: boolean;
  /** What offline verification of the stored attestation found (SUP-010); absent where nothing verified it. */
  verification?: ChainsVerification;
}

/** SUP-010: the outcome of verifying a run's stored Chains signature (lib/model/chains-verify.ts). */
export interface ChainsVerification {
  verdict:
    | 'verified'
    | 'bad-signature'
    | 'unknown-key'
    | 'subject-mismatch'
    | 'kind-mismatch'
    | 'malformed'
    | 'not-stored'
    | 'no-key-configured'
    | 'payload-not-kept';
  /** The annotation key suffix (`taskrun-<UID>`), null when nothing is stored. */
  key: string | null;
  /** First 16 hex of the SHA-256 of the verifying key's SPKI. */
  keyId: string | null;
  detail: string;
  summary: ChainsAttestationSummary | null;
}

export interface ChainsAttestationSummary {
  predicateType: string | null;
  buildType: string | null;
  builderId: string | null;
  subjects: { name: string; digests: string[] }[];
  gitCommit: string | null;
  runSpecKind: 'PipelineRun' | 'TaskRun' | null;
}

export type WorkspaceBindingType =
  | 'secret'
  | 'configMap'
  | 'persistentVolumeClaim'
  | 'volumeClaimTemplate'
  | 'emptyDir'
  | 'csi'
  | 'projected'
  | 'unknown';

export interface WorkspaceBindingModel {
  name: string;
  type: WorkspaceBindingType;
  secretName: string | null;
  configMapName: string | null;
  claimName: string | null;
  /** Access modes of the claim template, or of the PVC object behind a claim; null when not known. */
  accessModes: string[] | null;
  /** True when a claimed PVC is referenced but its object is not in sight. */
  pvcMissing: boolean;
  /** Projected sources that carry credentials (secret, serviceAccountToken). */
  projectedCredentials: string[];
  path: string;
}

export interface PodTemplateModel {
  securityContext: PodSecurityContextModel | null;
  hostNetwork: boolean;
  hostPID: boolean;
  hostIPC: boolean;
  volumes: VolumeModel[];
  automountServiceAccountToken: boolean | null;
  path: string;
}

export interface StepStatusModel {
  name: string;
  container: string | null;
  imageID: string | null;
}

export interface TaskRunModel {
  object: K8sObject;
  namespace: string;
  name: string;
  pipelineRunName: string | null;
  pipelineTaskName: string | null;
  serviceAccountName: string;
  taskRef: RefModel | null;
  /** From `status.taskSpec`, or the inline `spec.taskSpec`. */
  taskSpec: TaskSpecModel | null;
  podTemplate: PodTemplateModel | null;
  workspaces: WorkspaceBindingModel[];
  steps: StepStatusModel[];
  sidecars: StepStatusModel[];
  results: { name: string; value: string }[];
  status: RunStatus;
  startTime: string | null;
  completionTime: string | null;
  chains: ChainsInfo;
  /** `TrustedResourcesVerified` condition status: 'True' | 'False' | null when absent. */
  trustedResourcesVerified: string | null;
}

export interface PipelineRunModel {
  object: K8sObject;
  namespace: string;
  name: string;
  /** `taskRunTemplate.serviceAccountName` (v1) or `serviceAccountName` (v1beta1); `default` when empty. */
  serviceAccountName: string;
  /** Whether the run named its SA explicitly (false means Tekton fills `default`). */
  serviceAccountExplicit: boolean;
  taskRunSpecs: { pipelineTaskName: string; serviceAccountName: string | null; podTemplate: PodTemplateModel | null }[];
  podTemplate: PodTemplateModel | null;
  pipelineRef: RefModel | null;
  hasInlineSpec: boolean;
  params: { name: string; value: string; path: string }[];
  workspaces: WorkspaceBindingModel[];
  status: RunStatus;
  startTime: string | null;
  completionTime: string | null;
  chains: ChainsInfo;
  trustedResourcesVerified: string | null;
  taskRuns: TaskRunModel[];
}

// ---------------------------------------------------------------- pipelines (scored subjects)

export interface DagEdge {
  from: string;
  to: string;
  kind: 'runAfter' | 'result';
}

export interface DagModel {
  nodes: string[];
  finallyNodes: string[];
  edges: DagEdge[];
  /** Each cycle as the list of task names on it. */
  cycles: string[][];
  /** runAfter / result references to tasks that do not exist. */
  dangling: { from: string; to: string; kind: 'runAfter' | 'result'; path: string }[];
  /** Task names in a stable topological order (tasks on cycles appended last). */
  order: string[];
  /** Longest-path depth of each task (for layout), finally tasks after the deepest. */
  depth: Record<string, number>;
}

/** Which credentials a pipeline task can reach, and through what. */
export interface CredentialReach {
  task: string;
  /** Pipeline-level workspace name → binding type, for every workspace the task mounts. */
  workspaces: { workspace: string; binding: WorkspaceBindingType | 'unbound'; secretName: string | null; readOnly: boolean }[];
  /** Credentials reachable: secret workspaces, secretKeyRef/envFrom secrets, creds-init secrets of the SA. */
  credentials: { secretName: string; via: 'workspace' | 'env' | 'envFrom' | 'creds-init' | 'volume' | 'projected'; path: string }[];
  /**
   * Secrets the task's service account lists whose metadata is not in sight (the live source never reads Secrets):
   * each may be a creds-init credential Tekton mounts into every step. Unknown, never counted as absent.
   */
  possibleCredsInit?: { secretName: string; path: string }[];
  serviceAccountName: string;
}

export type PipelineIdentitySource =
  | 'pipeline-object'
  | 'pac-original-name'
  | 'resolver-ref'
  | 'pipeline-ref'
  | 'pipeline-label'
  | 'generate-name'
  | 'run-name'
  | 'task-object';

/** What a scored subject is: a pipeline, or a Task/StepAction from files that no scored pipeline uses. */
export type SubjectKind = 'pipeline' | 'task' | 'stepaction';

export interface PipelineModel {
  /**
   * Stable identity: `<namespace>/<name>` (name may be a derived identity such as a PaC original name; `_` for the
   * unspecified namespace; a `~…` suffix for file-born subjects of the unspecified namespace, Task subjects and
   * same-named subjects: lib/model/subjects.ts). Never derived from a position among others.
   */
  id: string;
  namespace: string;
  name: string;
  identitySource: PipelineIdentitySource;
  team: string | null;
  /** The Pipeline object, when there is one. */
  object: K8sObject | null;
  /** The spec: from the object, or the newest run's `status.pipelineSpec` / inline `pipelineSpec`. null when unresolved. */
  spec: PipelineSpecModel | null;
  /** How the pipeline itself is referenced by its runs (remote resolver refs), for pinning checks. */
  pipelineRefs: RefModel[];
  /** Recent runs, newest first, bounded by the policy's `recentRuns`. */
  runs: PipelineRunModel[];
  /** All runs seen (count), for roll-up weighting. */
  totalRuns: number;
  /** Service accounts used by the recent runs (pipeline-level and per-task overrides). */
  serviceAccounts: string[];
  dag: DagModel;
  credentialReach: CredentialReach[];
  /** Problems met while building this pipeline's model (cycles, dangling refs, unresolved specs…). */
  issues: string[];
  /** Absent: a pipeline. A Task or StepAction subject is scored by the step, supply-chain and injection checks only. */
  subjectKind?: SubjectKind;
  /** Where a file-born subject was found (its object's file, or its newest run's): what proximity is measured from. */
  location?: SourceLocation;
}

// ---------------------------------------------------------------- RBAC

export interface PolicyRuleModel {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** One rule that reaches a service account, with the binding → role → rule path that granted it. */
export interface EffectiveRule {
  rule: PolicyRuleModel;
  binding: ObjectRef;
  /** The subject of the binding that matched (e.g. `ServiceAccount ci/builder`, `Group system:serviceaccounts`). */
  matchedSubject: string;
  role: ObjectRef;
  ruleIndex: number;
  /** Namespace the rule applies in; null = cluster-wide (ClusterRoleBinding). */
  scope: string | null;
  /** When the rule came from an aggregated ClusterRole, the role that contributed it. */
  aggregatedFrom: ObjectRef | null;
}

export interface ServiceAccountModel {
  namespace: string;
  name: string;
  object: K8sObject | null;
  automountServiceAccountToken: boolean | null;
  /** `secrets:` entries (used by creds-init when annotated tekton.dev/git-* or docker-*). */
  secrets: string[];
  imagePullSecrets: string[];
  rules: EffectiveRule[];
  /** Bindings that reference a role that does not exist. */
  missingRoles: ObjectRef[];
}

// ---------------------------------------------------------------- cluster and platform

export interface NamespaceModel {
  name: string;
  object: K8sObject | null;
  labels: Record<string, string>;
  networkPolicies: K8sObject[];
  resourceQuotas: K8sObject[];
  limitRanges: K8sObject[];
  verificationPolicies: K8sObject[];
  /**
   * Files only: the namespace of documents without `metadata.namespace`. It is not `default`, and its guardrails
   * are only those of nearby documents (lib/model/scope.ts), so NSG checks say `unknown` rather than fail.
   */
  unspecified?: boolean;
}

export interface PlatformModel {
  featureFlags: { object: K8sObject | null; data: Record<string, string> };
  resolverFlags: { object: K8sObject | null; data: Record<string, string> };
  clusterResolverConfig: { object: K8sObject | null; data: Record<string, string> };
  chainsConfig: { object: K8sObject | null; data: Record<string, string> };
  configDefaults: { object: K8sObject | null; data: Record<string, string> };
  /** Any run carries a Chains annotation or finalizer. */
  chainsObserved: boolean;
  totalPipelineRuns: number;
  totalTaskRuns: number;
  oldestCompletedRun: string | null;
}

/**
 * A kind the source could not read (403, CRD missing) or did not look at. Checks fed by that kind
 * return `unknown` with this reason instead of passing.
 */
export interface DataGap {
  kind: string;
  namespace: string | null;
  /** `unreachable`/`throttled`/`error`: the live source has not completed one LIST of the kind (no data, not "none"). */
  reason: 'forbidden' | 'not-installed' | 'not-collected' | 'error' | 'unreachable' | 'throttled';
  message: string;
}

/** The whole picture checks read. Built once per snapshot; lookups are indexed. */
export interface ClusterModel {
  sourceKind: 'live' | 'files' | 'demo';
  objects: K8sObject[];
  pipelines: PipelineModel[];
  namespaces: Map<string, NamespaceModel>;
  serviceAccounts: Map<string, ServiceAccountModel>; // key `${ns}/${name}`
  /** Pipeline ids that each SA (key `${ns}/${name}`) runs. */
  pipelinesBySa: Map<string, string[]>;
  pvcs: Map<string, K8sObject>; // key `${ns}/${name}`
  secretsMeta: Map<string, { name: string; namespace: string; type: string | null; annotations: Record<string, string> }>;
  tasks: Map<string, K8sObject>; // key `${ns}/${name}` (ClusterTask: `/${name}`)
  stepActions: Map<string, K8sObject>;
  triggerBindings: K8sObject[];
  triggerTemplates: K8sObject[];
  eventListeners: K8sObject[];
  /** Triggers wiring followed from EventListeners and Trigger objects to the pipelines they start. */
  triggers: TriggersModel;
  /** TaskRuns with no PipelineRun parent, by namespace. */
  directTaskRuns: Map<string, TaskRunModel[]>;
  platform: PlatformModel;
  gaps: DataGap[];
  loadIssues: LoadIssue[];
  /**
   * Files only: what each subject (by id) sees where names are resolved by proximity rather than by namespace
   * alone; checks read it through `clusterViewFor` (lib/model/scope.ts), which the engine applies.
   */
  subjectScopes?: Map<string, SubjectScope>;
}

/** Per-subject overrides of the cluster-wide lookups (same keys as in ClusterModel). */
export interface SubjectScope {
  namespace: NamespaceModel | null;
  serviceAccounts: Map<string, ServiceAccountModel>;
  pipelinesBySa: Map<string, string[]>;
  pvcs: Map<string, K8sObject>;
  stepActions: Map<string, K8sObject>;
  secretsMeta: ClusterModel['secretsMeta'];
}

/**
 * Objects in files without `metadata.namespace` have an *unspecified* namespace, kept as `''` in the model
 * (never coerced to `default`); URLs and ids write it as the reserved segment `_` (not a valid namespace name).
 */
export const UNSPECIFIED_NAMESPACE = '';
export const UNSPECIFIED_NAMESPACE_SEGMENT = '_';

export function isUnspecifiedNamespace(namespace: string | null | undefined): boolean {
  return namespace === UNSPECIFIED_NAMESPACE;
}

/** A namespace as an id or URL segment. */
export function namespaceSegment(namespace: string): string {
  return namespace === UNSPECIFIED_NAMESPACE ? UNSPECIFIED_NAMESPACE_SEGMENT : namespace;
}

/** A namespace from an id or URL segment. */
export function namespaceFromSegment(segment: string): string {
  return segment === UNSPECIFIED_NAMESPACE_SEGMENT ? UNSPECIFIED_NAMESPACE : segment;
}

/** A namespace as people read it. */
export function namespaceLabel(namespace: string): string {
  return namespace === UNSPECIFIED_NAMESPACE ? '(unspecified)' : namespace;
}

export function saKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function refLabel(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}
