/**
 * The pipeline graph as the DAG view draws it: task nodes in run order (runAfter and result references), the
 * `finally` tasks in their own group after the last rank, workspace nodes in a lane below the tasks that mount
 * them, and missing-task placeholders for dangling references. Pure (no React): positions are computed here, on
 * the server, with fixed node sizes, so the client canvas renders them as given (no layout flash).
 *
 * The layout engine (dagre, MIT) sits behind `layoutPipelineGraph` only, so it can be swapped.
 */
import * as dagreModule from '@dagrejs/dagre';
import type { Finding, Outcome, Severity } from '../checks/types';
import type {
  ChainsState,
  Evidence,
  PipelineModel,
  PipelineRunModel,
  PipelineTaskModel,
  RunStatus,
  SecurityContextModel,
  SpecSource,
  StepModel,
  WorkspaceBindingModel,
} from '../model/types';

// dagre is CommonJS: Node's ESM loader only exposes `default`, bundlers may expose the members too.
const dagre = ((dagreModule as unknown as { default?: typeof dagreModule }).default ?? dagreModule) as typeof dagreModule;

// ---------------------------------------------------------------- public types

/** How a workspace is bound, as the view colours it. */
export type BindingKind =
  | 'credential' // Secret (or projected with secret/token sources): a credential mounted into the pods
  | 'pvc-rwx' // named PVC with ReadWriteMany: shared across runs and pods at once
  | 'pvc' // named PVC: persists and is shared across runs
  | 'claim-template' // volumeClaimTemplate: a fresh claim per run
  | 'empty-dir'
  | 'config-map'
  | 'csi'
  | 'projected'
  | 'unbound'
  | 'unknown';

/** How an image is referenced. */
export type ImagePin = 'digest' | 'tag' | 'param' | 'missing';

/** A security-context property summed over a task's containers. */
export type Verdict = 'ok' | 'bad' | 'unset' | 'unknown';

export type GraphEdgeKind = 'runAfter' | 'result' | 'workspace' | 'dangling';

export interface TaskFinding {
  checkId: string;
  title: string;
  severity: Severity;
  outcome: Outcome;
  message: string;
  /** Evidence paths of this finding that point into the task (at most 5). */
  paths: string[];
}

/** A task node's fields apart from its findings (the client receives findings by reference). */
export interface TaskNodeFields {
  kind: 'task';
  name: string;
  isFinally: boolean;
  /** `spec.tasks[2]` / `spec.finally[0]` within the spec owner. */
  path: string;
  compact: boolean;
  source: {
    kind: 'inline' | 'task' | 'cluster-task' | 'remote' | 'bundle' | 'custom' | 'unresolved' | 'none';
    /** e.g. `Task git-clone`, `git resolver`, `inline spec`. */
    label: string;
    resolver: string | null;
    /** Remote refs: pinned to a commit/digest/exact version? null when not applicable or unknowable. */
    pinned: boolean | null;
    specSource: SpecSource;
  };
  images: { container: string; image: string | null; pin: ImagePin }[];
  imageCounts: { total: number; unpinned: number };
  security: { nonRoot: Verdict; notPrivileged: Verdict; noEscalation: Verdict };
  credentials: { name: string; via: string[] }[];
  workspaces: { workspace: string; binding: BindingKind; readOnly: boolean }[];
  failedFindings: number;
  /** TaskRun of the chosen run; null when no run is chosen; `taskRunName: null` when the run has none for it. */
  run: { runName: string; taskRunName: string | null; status: RunStatus | 'not-run'; chains: ChainsState | null } | null;
  onCycle: boolean;
  issues: string[];
}

export interface TaskNodeData extends TaskNodeFields {
  [key: string]: unknown;
  /** Failing, warning, unknown and waived findings whose evidence points into the task, worst first. */
  findings: TaskFinding[];
}

export interface WorkspaceNodeData {
  [key: string]: unknown;
  kind: 'workspace';
  name: string;
  binding: BindingKind;
  /** Short badge text: `credential`, `RWX PVC`, `shared PVC`, `per-run claim`, … */
  badge: string;
  /** What is bound, e.g. `Secret registry-credentials`, `PVC shared-cache (ReadWriteMany)`. */
  detail: string;
  mountedBy: string[];
  optional: boolean;
  compact: boolean;
}

export interface GroupNodeData {
  [key: string]: unknown;
  kind: 'group';
  label: string;
  count: number;
}

export interface MissingNodeData {
  [key: string]: unknown;
  kind: 'missing';
  name: string;
  referencedBy: string[];
}

export type GraphNodeData = TaskNodeData | WorkspaceNodeData | GroupNodeData | MissingNodeData;

/** The canvas's node type for each kind (`group` is a built-in xyflow type with its own styles, hence `finallyGroup`). */
export const NODE_TYPE = { task: 'task', workspace: 'workspace', group: 'finallyGroup', missing: 'missing' } as const;
export type GraphNodeType = (typeof NODE_TYPE)[keyof typeof NODE_TYPE];

/**
 * A positioned node, shaped so `@xyflow/react` accepts it as is. Edges leave tasks on the right (`out`) and enter
 * on the left (`in`); mount edges leave a task at the bottom (`ws`) and enter a workspace at the top (`in`).
 */
export interface GraphNode<D extends GraphNodeData = GraphNodeData> {
  id: string;
  type: GraphNodeType;
  position: { x: number; y: number };
  width: number;
  height: number;
  data: D;
  selectable: boolean;
  focusable: boolean;
  ariaLabel: string;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle: string;
  targetHandle: string;
  kind: GraphEdgeKind;
  /** Both ends sit on the same dependency cycle. */
  cycle: boolean;
  readOnly: boolean;
}

export interface LegendItem {
  key: string;
  label: string;
  description: string;
  /** Whether this graph contains the item. */
  present: boolean;
}

export interface PipelineGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
  legend: { bindings: LegendItem[]; edges: LegendItem[] };
  /** Big graphs use small nodes without per-image lines. */
  compact: boolean;
  /** The run whose TaskRun states are shown (opts.runName, else the newest run); null when none. */
  run: { name: string; status: RunStatus; chains: ChainsState; startTime: string | null } | null;
  /** opts.runName named a run this pipeline does not have. */
  runNotFound: boolean;
  /** No spec could be resolved: nothing to draw. */
  unresolved: boolean;
  /** More than GRAPH_MAX_TASKS tasks: no canvas, the page lists the tasks instead. */
  tooBig?: boolean;
  stats: { tasks: number; finallyTasks: number; workspaces: number; cycles: number; dangling: number; layoutMs: number };
}

// ---------------------------------------------------------------- sizes

/** Above this many tasks the graph switches to compact nodes. */
export const COMPACT_ABOVE = 40;
/**
 * dagre lays out up to this many nodes (its crossing minimisation is what makes mid-size graphs readable); bigger
 * graphs get the linear layered layout, which cannot block the event loop for seconds or overflow the stack.
 */
export const DAGRE_MAX_NODES = 400;
/**
 * Past this many tasks no canvas is drawn: the page lists the tasks instead (a browser cannot usefully draw or
 * navigate thousands of nodes), and the findings, computed elsewhere, are unaffected.
 */
export const GRAPH_MAX_TASKS = 1500;

const SIZE = {
  full: { taskW: 248, baseH: 102, lineH: 16, maxImages: 3, wsW: 216, wsH: 64, rankSep: 48, nodeSep: 24 },
  compact: { taskW: 200, baseH: 50, lineH: 0, maxImages: 0, wsW: 184, wsH: 48, rankSep: 56, nodeSep: 10 },
} as const;
const MISSING = { w: 160, h: 44 };
const GROUP_PAD = 16;
const GROUP_HEADER = 26;
const LANE_GAP = 56;
const MARGIN = 16;

// ---------------------------------------------------------------- helpers

function pinOf(image: string | null): ImagePin {
  if (!image || !image.trim()) return 'missing';
  if (image.includes('$(')) return 'param';
  if (/@sha256:[0-9a-f]{64}$/i.test(image) || /@[a-z0-9]+:[0-9a-f]{32,}$/i.test(image)) return 'digest';
  return 'tag';
}

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const EXACT_VERSION = /^v?\d+(?:\.\d+){1,3}(?:[-+][0-9A-Za-z.-]+)?$/;

function taskSource(t: PipelineTaskModel): TaskNodeData['source'] {
  const ref = t.taskRef;
  const base = { specSource: t.specSource, resolver: null as string | null, pinned: null as boolean | null };
  if (t.isCustomTask) return { ...base, kind: 'custom', label: `custom task ${ref?.kind ?? ''}`.trim() };
  if (ref?.resolver) {
    const p = ref.params;
    const value = (k: string) => (p[k] ?? '').trim();
    let pinned: boolean | null = null;
    const param = (v: string) => v.includes('$(');
    if (ref.resolver === 'git') {
      const rev = value('revision');
      pinned = param(rev) ? null : COMMIT.test(rev);
    } else if (ref.resolver === 'bundles') {
      const b = value('bundle');
      pinned = param(b) ? null : /@sha256:/.test(b);
    } else if (ref.resolver === 'hub') {
      const v = value('version');
      pinned = param(v) ? null : EXACT_VERSION.test(v);
    } else if (ref.resolver === 'http') {
      const u = value('url');
      pinned = param(u) ? null : /[0-9a-f]{40}/i.test(u);
    }
    const name = value('name') || value('pathInRepo').split('/').pop() || '';
    return { ...base, kind: 'remote', resolver: ref.resolver, pinned, label: `${ref.resolver} resolver${name ? ` · ${name}` : ''}` };
  }
  if (ref?.bundle) return { ...base, kind: 'bundle', pinned: /@sha256:/.test(ref.bundle), label: `OCI bundle · ${ref.name ?? ''}`.trim() };
  if (t.childPipelineRef !== undefined && !ref?.resolver) {
    return { ...base, kind: 'unresolved', label: ref?.name ? `Pipeline ${ref.name} (not expanded)` : 'child pipeline (not expanded)' };
  }
  if (ref?.name) {
    const cluster = ref.kind === 'ClusterTask';
    const missing = t.specSource === 'unresolved' ? ' (not found)' : '';
    return { ...base, kind: cluster ? 'cluster-task' : 'task', label: `${cluster ? 'ClusterTask' : 'Task'} ${ref.name}${missing}` };
  }
  if (t.taskSpec && t.specSource === 'inline') return { ...base, kind: 'inline', label: 'inline spec' };
  if (t.specSource === 'unresolved') return { ...base, kind: 'unresolved', label: 'unresolved' };
  return { ...base, kind: 'none', label: t.specSource === 'taskrun-status' ? 'spec from TaskRun' : 'no spec' };
}

type ScField = keyof SecurityContextModel;
function field<K extends ScField>(c: StepModel, tpl: StepModel | null, k: K): SecurityContextModel[K] | undefined {
  const own = c.securityContext?.[k];
  return own !== undefined ? own : tpl?.securityContext?.[k];
}

function sum(values: ('ok' | 'bad' | 'unset')[]): Verdict {
  if (values.length === 0) return 'unknown';
  if (values.includes('bad')) return 'bad';
  if (values.includes('unset')) return 'unset';
  return 'ok';
}

function securityOf(t: PipelineTaskModel, podNonRoot: boolean | undefined): TaskNodeData['security'] {
  const spec = t.taskSpec;
  if (!spec) return { nonRoot: 'unknown', notPrivileged: 'unknown', noEscalation: 'unknown' };
  const tpl = spec.stepTemplate;
  const cs = [...spec.steps, ...spec.sidecars];
  return {
    nonRoot: sum(
      cs.map((c) => {
        const user = field(c, tpl, 'runAsUser');
        const nonRoot = field(c, tpl, 'runAsNonRoot');
        if (user === 0 || nonRoot === false) return 'bad';
        if (nonRoot === true || (typeof user === 'number' && user > 0) || podNonRoot === true) return 'ok';
        return 'unset';
      }),
    ),
    notPrivileged: sum(cs.map((c) => (field(c, tpl, 'privileged') === true ? 'bad' : 'ok'))),
    noEscalation: sum(
      cs.map((c) => {
        const v = field(c, tpl, 'allowPrivilegeEscalation');
        if (v === true || field(c, tpl, 'privileged') === true) return 'bad';
        return v === false ? 'ok' : 'unset';
      }),
    ),
  };
}

function bindingOf(b: WorkspaceBindingModel | null): { kind: BindingKind; badge: string; detail: string } {
  if (!b) return { kind: 'unbound', badge: 'not bound', detail: 'no run binds it' };
  switch (b.type) {
    case 'secret':
      return { kind: 'credential', badge: 'credential', detail: `Secret ${b.secretName ?? '(unnamed)'}` };
    case 'projected':
      return b.projectedCredentials.length
        ? { kind: 'credential', badge: 'credential', detail: `projected: ${b.projectedCredentials.join(', ')}` }
        : { kind: 'projected', badge: 'projected', detail: 'projected volume' };
    case 'persistentVolumeClaim': {
      const rwx = b.accessModes?.includes('ReadWriteMany') ?? false;
      const modes = b.accessModes?.length ? ` (${b.accessModes.join(', ')})` : b.pvcMissing ? ' (claim not found)' : '';
      return rwx
        ? { kind: 'pvc-rwx', badge: 'RWX PVC', detail: `PVC ${b.claimName ?? ''}${modes}` }
        : { kind: 'pvc', badge: 'shared PVC', detail: `PVC ${b.claimName ?? ''}${modes}` };
    }
    case 'volumeClaimTemplate':
      return { kind: 'claim-template', badge: 'per-run claim', detail: 'volumeClaimTemplate (fresh per run)' };
    case 'emptyDir':
      return { kind: 'empty-dir', badge: 'emptyDir', detail: 'emptyDir (pod-local)' };
    case 'configMap':
      return { kind: 'config-map', badge: 'ConfigMap', detail: `ConfigMap ${b.configMapName ?? ''}`.trim() };
    case 'csi':
      return { kind: 'csi', badge: 'CSI', detail: 'CSI volume' };
    default:
      return { kind: 'unknown', badge: 'unknown', detail: 'unrecognised binding' };
  }
}

const OUTCOME_ORDER: Record<Outcome, number> = { fail: 0, warn: 1, unknown: 2, waived: 3, pass: 4, 'not-applicable': 5 };
const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

function ownerKey(e: { kind: string; namespace: string | null; name: string }): string {
  return `${e.kind}\u0000${e.namespace ?? ''}\u0000${e.name}`;
}

function under(path: string, prefix: string): boolean {
  if (prefix === '') return true;
  if (!path.startsWith(prefix)) return false;
  const next = path.charAt(prefix.length);
  return next === '' || next === '.' || next === '[';
}

/**
 * Which tasks each piece of evidence points into: `spec.tasks[i]` / `spec.finally[i]` of the spec owner, the
 * task's own Task (or StepAction) object, a TaskRun of the task, and `spec.taskRunSpecs[i]` of a run.
 */
function evidenceMatcher(pipeline: PipelineModel, tasks: PipelineTaskModel[]): (e: Evidence) => string[] {
  const byOwner = new Map<string, { prefix: string; task: string }[]>();
  const add = (key: string, prefix: string, task: string) => {
    const list = byOwner.get(key) ?? [];
    list.push({ prefix, task });
    byOwner.set(key, list);
  };
  const specOwner = pipeline.spec?.owner;
  for (const t of tasks) {
    // A task expanded from a child Pipeline (or child run) has its path in that object.
    const owner = t.owner ?? specOwner;
    if (owner) add(ownerKey(owner), t.path, t.name);
    const spec = t.taskSpec;
    if (spec && (spec.owner.kind === 'Task' || spec.owner.kind === 'ClusterTask')) add(ownerKey(spec.owner), '', t.name);
    for (const s of spec?.steps ?? []) {
      if (s.ref?.name && !s.ref.resolver) add(ownerKey({ kind: 'StepAction', namespace: pipeline.namespace, name: s.ref.name }), '', t.name);
    }
  }
  for (const run of pipeline.runs) {
    for (const tr of run.taskRuns) {
      if (tr.pipelineTaskName) add(ownerKey({ kind: 'TaskRun', namespace: tr.namespace, name: tr.name }), '', tr.pipelineTaskName);
    }
    run.taskRunSpecs.forEach((s, i) => add(ownerKey(run.object), `spec.taskRunSpecs[${i}]`, s.pipelineTaskName));
  }
  return (e) => {
    const list = byOwner.get(ownerKey(e));
    if (!list) return [];
    const out: string[] = [];
    for (const m of list) if (under(e.path, m.prefix) && !out.includes(m.task)) out.push(m.task);
    return out;
  };
}

function findingsByTask(pipeline: PipelineModel, tasks: PipelineTaskModel[], findings: Finding[]): Map<string, TaskFinding[]> {
  const match = evidenceMatcher(pipeline, tasks);
  const out = new Map<string, TaskFinding[]>();
  for (const f of findings) {
    if (f.outcome === 'pass' || f.outcome === 'not-applicable') continue;
    const paths = new Map<string, string[]>();
    for (const e of f.evidence) {
      for (const task of match(e)) {
        const list = paths.get(task) ?? [];
        if (list.length < 5) list.push(e.kind === 'Pipeline' || e.kind === 'PipelineRun' ? e.path : `${e.kind} ${e.name}: ${e.path}`);
        paths.set(task, list);
      }
    }
    for (const [task, p] of paths) {
      const list = out.get(task) ?? [];
      list.push({ checkId: f.checkId, title: f.title, severity: f.severity, outcome: f.outcome, message: f.message, paths: p });
      out.set(task, list);
    }
  }
  for (const list of out.values()) {
    list.sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.checkId.localeCompare(b.checkId));
  }
  return out;
}

// ---------------------------------------------------------------- legend

const BINDING_LEGEND: { key: BindingKind; label: string; description: string }[] = [
  { key: 'credential', label: 'credential', description: 'Secret bound as a workspace: every step of the task can read it' },
  { key: 'pvc-rwx', label: 'RWX PVC', description: 'ReadWriteMany claim shared across runs and pods: danger' },
  { key: 'pvc', label: 'shared PVC', description: 'Named claim that persists between runs' },
  { key: 'claim-template', label: 'per-run claim', description: 'volumeClaimTemplate: a fresh volume per run (fine)' },
  { key: 'empty-dir', label: 'emptyDir', description: 'Scratch space inside one pod' },
  { key: 'config-map', label: 'ConfigMap', description: 'Configuration, not a credential' },
  { key: 'csi', label: 'CSI', description: 'CSI volume' },
  { key: 'projected', label: 'projected', description: 'Projected volume without credential sources' },
  { key: 'unbound', label: 'not bound', description: 'No run binds this workspace' },
  { key: 'unknown', label: 'unknown', description: 'Binding type not recognised' },
];

const EDGE_LEGEND: { key: string; label: string; description: string }[] = [
  { key: 'runAfter', label: 'runAfter', description: 'Solid grey arrow: runs after' },
  { key: 'result', label: 'result', description: 'Thick blue arrow: consumes a result' },
  { key: 'workspace', label: 'mounts', description: 'Dotted line: task mounts the workspace (read-only marked "ro")' },
  { key: 'cycle', label: 'cycle', description: 'Red arrow labelled "cycle": the dependency loops, Tekton rejects it' },
  { key: 'dangling', label: 'missing task', description: 'Red dashed arrow from a placeholder: reference to a task that does not exist' },
];

// ---------------------------------------------------------------- layout

/** Full nodes: header, source, one line per image (at most 4, the last may read "+N more"), security,
 * credentials, run, and an issues line when there are issues. Compact nodes: two lines. */
function taskHeight(compact: boolean, d: Pick<TaskNodeData, 'images' | 'issues'>): number {
  const s = compact ? SIZE.compact : SIZE.full;
  if (compact) return s.baseH;
  return s.baseH + s.lineH * (Math.max(1, Math.min(d.images.length, s.maxImages + 1)) + (d.issues.length ? 1 : 0));
}


/**
 * Lays out one pipeline's graph. `findings` are the pipeline's findings (any outcome; only those whose evidence
 * points into a task are attached to it). `opts.runName` picks the run whose TaskRun status, Chains state and
 * workspace bindings are shown; without it the newest run is used.
 */
export function layoutPipelineGraph(pipeline: PipelineModel, findings: Finding[], opts: { runName?: string } = {}): PipelineGraph {
  const started = performance.now();
  const spec = pipeline.spec;
  const runNotFound = !!opts.runName && !pipeline.runs.some((r) => r.name === opts.runName);
  const run: PipelineRunModel | null = opts.runName ? (pipeline.runs.find((r) => r.name === opts.runName) ?? null) : (pipeline.runs[0] ?? null);
  const legendOf = (bindings: Set<string>, edges: Set<string>): PipelineGraph['legend'] => ({
    bindings: BINDING_LEGEND.map((b) => ({ ...b, present: bindings.has(b.key) })),
    edges: EDGE_LEGEND.map((e) => ({ ...e, present: edges.has(e.key) })),
  });
  const runInfo = run ? { name: run.name, status: run.status, chains: run.chains.state, startTime: run.startTime ?? run.object.creationTimestamp } : null;
  const empty = (unresolved: boolean, tasks = 0, finallyTasks = 0): PipelineGraph => ({
    nodes: [],
    edges: [],
    width: 0,
    height: 0,
    legend: legendOf(new Set(), new Set()),
    compact: true,
    run: runInfo,
    runNotFound,
    unresolved,
    tooBig: !unresolved,
    stats: { tasks, finallyTasks, workspaces: 0, cycles: pipeline.dag.cycles.length, dangling: pipeline.dag.dangling.length, layoutMs: performance.now() - started },
  });
  if (!spec) return { ...empty(true), compact: false, tooBig: false };
  if (spec.tasks.length + spec.finally.length > GRAPH_MAX_TASKS) return empty(false, spec.tasks.length, spec.finally.length);

  const mainTasks = spec.tasks;
  const finallyTasks = spec.finally;
  const allTasks = [...mainTasks, ...finallyTasks];
  const compact = allTasks.length > COMPACT_ABOVE;
  const S = compact ? SIZE.compact : SIZE.full;

  // Node ids: task names are unique in a valid pipeline, but a hostile spec may repeat one.
  const idOf = new Map<string, string>();
  const taskIds: string[] = [];
  const usedIds = new Set<string>();
  for (const t of allTasks) {
    let id = `task:${t.name}`;
    for (let n = 2; usedIds.has(id); n++) id = `task:${t.name}#${n}`;
    usedIds.add(id);
    taskIds.push(id);
    if (!idOf.has(t.name)) idOf.set(t.name, id);
  }

  const onCycle = new Map<string, number>();
  pipeline.dag.cycles.forEach((c, i) => c.forEach((n) => onCycle.set(n, i)));
  const reachByTask = new Map(pipeline.credentialReach.map((r) => [r.task, r]));
  const taskFindings = findingsByTask(pipeline, allTasks, findings);
  const bindingByWs = new Map<string, WorkspaceBindingModel>();
  for (const b of run?.workspaces ?? []) if (!bindingByWs.has(b.name)) bindingByWs.set(b.name, b);

  // ---- task data
  const bindingsPresent = new Set<string>();
  const edgeKinds = new Set<string>();
  const issuesOf = new Map<string, string[]>();
  for (const d of pipeline.dag.dangling) {
    if (d.to === d.from) issuesOf.set(d.from, [...(issuesOf.get(d.from) ?? []), `${d.kind === 'runAfter' ? 'runs after' : 'uses a result of'} itself`]);
  }
  const taskData: TaskNodeData[] = allTasks.map((t) => {
    const spec = t.taskSpec;
    const containers = spec ? [...spec.steps, ...spec.sidecars] : [];
    const images = containers.map((c) => ({ container: c.name || `${c.role} ${c.index}`, image: c.image, pin: c.ref && !c.image ? ('missing' as const) : pinOf(c.image) }));
    const reach = reachByTask.get(t.name);
    const creds = new Map<string, Set<string>>();
    const addCred = (name: string, via: string) => creds.set(name, (creds.get(name) ?? new Set()).add(via));
    for (const c of reach?.credentials ?? []) if (c.via !== 'workspace' && c.via !== 'projected') addCred(c.secretName, c.via);
    // A listed SA secret whose metadata is not in sight (live: never read) may be mounted by creds-init: shown as unknown.
    for (const c of reach?.possibleCredsInit ?? []) addCred(c.secretName, 'creds-init? (unknown: Secret not read)');
    const workspaces: TaskNodeData['workspaces'] = t.workspaces.map((w) => {
      const b = bindingByWs.get(w.workspace) ?? null;
      if (b?.type === 'secret') addCred(b.secretName ?? '(unnamed)', 'workspace');
      if (b?.type === 'projected') for (const p of b.projectedCredentials) addCred(p.replace(/^secret /, ''), 'projected');
      const decl = spec?.workspaces.find((d) => d.name === w.name);
      return { workspace: w.workspace, binding: bindingOf(b).kind, readOnly: decl?.readOnly ?? false };
    });
    const tr = run ? (run.taskRuns.find((x) => x.pipelineTaskName === t.name) ?? null) : null;
    const podTpl = run?.taskRunSpecs.find((s) => s.pipelineTaskName === t.name)?.podTemplate ?? run?.podTemplate ?? null;
    const tf = taskFindings.get(t.name) ?? [];
    const issues = [...(issuesOf.get(t.name) ?? [])];
    if (onCycle.has(t.name)) issues.push('on a dependency cycle');
    if (t.specSource === 'unresolved') issues.push('spec not resolved');
    return {
      kind: 'task',
      name: t.name,
      isFinally: t.isFinally,
      path: t.path,
      compact,
      source: taskSource(t),
      images,
      imageCounts: { total: images.length, unpinned: images.filter((i) => i.pin !== 'digest').length },
      security: securityOf(t, podTpl?.securityContext?.runAsNonRoot),
      credentials: [...creds].map(([name, via]) => ({ name, via: [...via] })),
      workspaces,
      findings: tf,
      failedFindings: tf.filter((f) => f.outcome === 'fail').length,
      run: run ? { runName: run.name, taskRunName: tr?.name ?? null, status: tr ? tr.status : 'not-run', chains: tr ? tr.chains.state : null } : null,
      onCycle: onCycle.has(t.name),
      issues,
    };
  });

  // ---- dagre over the main tasks and missing-task placeholders
  const g = new dagre.graphlib.Graph({ multigraph: false });
  // Big graphs trade dagre's crossing-minimisation sweeps and network-simplex ranking for speed: the DFS initial
  // order is crossing-free on trees, and longest-path ranks are what Tekton's own scheduler sees.
  g.setGraph({ rankdir: 'LR', nodesep: S.nodeSep, ranksep: S.rankSep, marginx: MARGIN, marginy: MARGIN, acyclicer: 'greedy', ranker: compact ? 'longest-path' : 'network-simplex' });
  g.setDefaultEdgeLabel(() => ({}));
  const sizeOf = new Map<string, { w: number; h: number }>();
  mainTasks.forEach((_, i) => {
    const id = taskIds[i];
    const size = { w: S.taskW, h: taskHeight(compact, taskData[i]) };
    sizeOf.set(id, size);
    g.setNode(id, { width: size.w, height: size.h });
  });
  const edges: GraphEdge[] = [];
  const edgeIds = new Set<string>();
  const pushEdge = (e: Omit<GraphEdge, 'id'>, prefix: string) => {
    let id = `${prefix}:${e.source}->${e.target}`;
    for (let n = 2; edgeIds.has(id); n++) id = `${prefix}:${e.source}->${e.target}#${n}`;
    edgeIds.add(id);
    edges.push({ id, ...e });
  };
  for (const e of pipeline.dag.edges) {
    const s = idOf.get(e.from);
    const t = idOf.get(e.to);
    if (!s || !t) continue;
    const cycle = onCycle.has(e.from) && onCycle.get(e.from) === onCycle.get(e.to);
    edgeKinds.add(cycle ? 'cycle' : e.kind);
    g.setEdge(s, t, { weight: e.kind === 'result' ? 2 : 1 });
    pushEdge({ source: s, target: t, sourceHandle: 'out', targetHandle: 'in', kind: e.kind, cycle, readOnly: false }, 'dep');
  }
  const missing = new Map<string, string[]>();
  for (const d of pipeline.dag.dangling) {
    if (d.to === d.from) continue;
    missing.set(d.to, [...new Set([...(missing.get(d.to) ?? []), d.from])]);
  }
  const finallyNames = new Set(finallyTasks.map((t) => t.name));
  for (const [name, from] of missing) {
    const id = `missing:${name}`;
    sizeOf.set(id, { w: MISSING.w, h: MISSING.h });
    g.setNode(id, { width: MISSING.w, height: MISSING.h });
    for (const f of from) {
      const target = idOf.get(f);
      if (!target) continue;
      if (!finallyNames.has(f)) g.setEdge(id, target, { weight: 1 });
      edgeKinds.add('dangling');
      pushEdge({ source: id, target, sourceHandle: 'out', targetHandle: 'in', kind: 'dangling', cycle: false, readOnly: false }, 'dangling');
    }
  }
  const pos = new Map<string, { x: number; y: number }>();
  let maxX = 0;
  let maxY = 0;
  const place = (id: string, p: { x: number; y: number }) => {
    const size = sizeOf.get(id);
    if (!size) return;
    pos.set(id, p);
    maxX = Math.max(maxX, p.x + size.w);
    maxY = Math.max(maxY, p.y + size.h);
  };
  let laidOut = false;
  if (g.nodeCount() <= DAGRE_MAX_NODES) {
    try {
      dagre.layout(g, { disableOptimalOrderHeuristic: compact });
      for (const id of g.nodes()) {
        const n = g.node(id);
        const size = sizeOf.get(id);
        if (n && size) place(id, { x: Math.round(n.x - size.w / 2), y: Math.round(n.y - size.h / 2) });
      }
      laidOut = true;
    } catch {
      // dagre recurses per rank: a hostile chain can still exhaust the stack; the layered layout below cannot.
      pos.clear();
      maxX = maxY = 0;
    }
  }
  if (!laidOut) {
    // Linear time and no recursion: one column per longest-path depth (what Tekton's scheduler sees), tasks stacked
    // in spec order; missing-task placeholders in a column of their own before the first.
    const shift = missing.size > 0 ? 1 : 0;
    const colY = new Map<number, number>();
    const stack = (id: string, col: number) => {
      const y = colY.get(col) ?? MARGIN;
      place(id, { x: MARGIN + col * (S.taskW + S.rankSep), y });
      colY.set(col, y + (sizeOf.get(id)?.h ?? 0) + S.nodeSep);
    };
    for (const name of missing.keys()) stack(`missing:${name}`, 0);
    mainTasks.forEach((t, i) => stack(taskIds[i], shift + (pipeline.dag.depth[t.name] ?? 0)));
  }
  if (mainTasks.length === 0 && missing.size === 0) maxX = 0;

  // ---- finally group: its own column(s) after the last rank, vertically centred on the main graph
  let groupNode: GraphNode<GroupNodeData> | null = null;
  if (finallyTasks.length) {
    const perCol = Math.max(1, Math.ceil(Math.sqrt(finallyTasks.length * 2)));
    const heights = finallyTasks.map((_, i) => taskHeight(compact, taskData[mainTasks.length + i]));
    const cols = Math.ceil(finallyTasks.length / perCol);
    const colHeights = Array.from({ length: cols }, (_, c) => heights.slice(c * perCol, (c + 1) * perCol).reduce((a, h) => a + h + S.nodeSep, -S.nodeSep));
    const innerH = Math.max(...colHeights);
    const gw = cols * S.taskW + (cols - 1) * S.nodeSep + 2 * GROUP_PAD;
    const gh = innerH + GROUP_HEADER + 2 * GROUP_PAD;
    const gx = mainTasks.length || missing.size ? maxX + S.rankSep : MARGIN;
    const gy = Math.max(MARGIN, Math.round((Math.max(maxY, MARGIN) + MARGIN) / 2 - gh / 2));
    groupNode = {
      id: 'group:finally',
      type: NODE_TYPE.group,
      position: { x: gx, y: gy },
      width: gw,
      height: gh,
      data: { kind: 'group', label: 'finally', count: finallyTasks.length },
      selectable: false,
      focusable: false,
      ariaLabel: `finally group: ${finallyTasks.length} task${finallyTasks.length === 1 ? '' : 's'} that run after all others`,
    };
    finallyTasks.forEach((_, i) => {
      const c = Math.floor(i / perCol);
      const row = i % perCol;
      const y = heights.slice(c * perCol, c * perCol + row).reduce((a, h) => a + h + S.nodeSep, 0);
      const id = taskIds[mainTasks.length + i];
      pos.set(id, { x: gx + GROUP_PAD + c * (S.taskW + S.nodeSep), y: gy + GROUP_HEADER + GROUP_PAD + y });
      sizeOf.set(id, { w: S.taskW, h: heights[i] });
    });
    maxX = gx + gw;
    maxY = Math.max(maxY, gy + gh);
    // Finally tasks may consume results of the main tasks.
    for (const t of finallyTasks) {
      const target = idOf.get(t.name);
      for (const r of t.resultRefs) {
        const source = idOf.get(r.task);
        if (!source || !target || finallyNames.has(r.task)) continue;
        if (edges.some((e) => e.source === source && e.target === target)) continue;
        edgeKinds.add('result');
        pushEdge({ source, target, sourceHandle: 'out', targetHandle: 'in', kind: 'result', cycle: false, readOnly: false }, 'dep');
      }
    }
  }

  // ---- workspace lane below everything, each under the centre of the tasks that mount it
  const wsNames: string[] = [];
  for (const w of spec.workspaces) if (!wsNames.includes(w.name)) wsNames.push(w.name);
  for (const t of allTasks) for (const w of t.workspaces) if (!wsNames.includes(w.workspace)) wsNames.push(w.workspace);
  const mounts = new Map<string, { task: string; id: string; readOnly: boolean }[]>(wsNames.map((n) => [n, []]));
  allTasks.forEach((t, i) => {
    taskData[i].workspaces.forEach((w) => {
      const list = mounts.get(w.workspace);
      if (list && !list.some((m) => m.id === taskIds[i])) list.push({ task: t.name, id: taskIds[i], readOnly: w.readOnly });
    });
  });
  const laneY = Math.max(maxY, MARGIN) + LANE_GAP;
  const wsPlaced = wsNames.map((name) => {
    const m = mounts.get(name) ?? [];
    const centres = m.map((x) => {
      const p = pos.get(x.id);
      const s = sizeOf.get(x.id);
      return p && s ? p.x + s.w / 2 : 0;
    });
    const cx = centres.length ? centres.reduce((a, b) => a + b, 0) / centres.length : Number.POSITIVE_INFINITY;
    return { name, cx, m };
  });
  wsPlaced.sort((a, b) => a.cx - b.cx);
  let cursor = MARGIN;
  const wsNodes: GraphNode<WorkspaceNodeData>[] = [];
  const declared = new Map(spec.workspaces.map((w) => [w.name, w]));
  for (const w of wsPlaced) {
    const want = Number.isFinite(w.cx) ? Math.round(w.cx - S.wsW / 2) : cursor;
    const x = Math.max(cursor, want);
    cursor = x + S.wsW + S.nodeSep;
    const b = bindingOf(bindingByWs.get(w.name) ?? null);
    bindingsPresent.add(b.kind);
    const id = `ws:${w.name}`;
    wsNodes.push({
      id,
      type: NODE_TYPE.workspace,
      position: { x, y: laneY },
      width: S.wsW,
      height: S.wsH,
      data: { kind: 'workspace', name: w.name, binding: b.kind, badge: b.badge, detail: b.detail, mountedBy: w.m.map((m) => m.task), optional: declared.get(w.name)?.optional ?? false, compact },
      selectable: true,
      focusable: true,
      ariaLabel: `workspace ${w.name}: ${b.badge}, ${b.detail}; mounted by ${w.m.length} task${w.m.length === 1 ? '' : 's'}`,
    });
    maxX = Math.max(maxX, x + S.wsW);
    for (const m of w.m) {
      edgeKinds.add('workspace');
      pushEdge({ source: m.id, target: id, sourceHandle: 'ws', targetHandle: 'in', kind: 'workspace', cycle: false, readOnly: m.readOnly }, 'ws');
    }
  }
  if (wsNodes.length) maxY = laneY + S.wsH;

  // ---- assemble
  const nodes: GraphNode[] = [];
  if (groupNode) nodes.push(groupNode);
  // Keyboard order follows the drawing: by rank (x), then top to bottom; finally tasks after the others.
  const at = (i: number) => pos.get(taskIds[i]) ?? { x: 0, y: 0 };
  const visit = allTasks.map((_, i) => i).sort((a, b) => Number(allTasks[a].isFinally) - Number(allTasks[b].isFinally) || at(a).x - at(b).x || at(a).y - at(b).y || a - b);
  for (const i of visit) {
    const t = allTasks[i];
    const id = taskIds[i];
    const p = pos.get(id) ?? { x: MARGIN, y: MARGIN };
    const size = sizeOf.get(id) ?? { w: S.taskW, h: taskHeight(compact, { images: [], issues: [] }) };
    const d = taskData[i];
    const status = d.run ? `, ${d.run.status === 'not-run' ? 'not run' : d.run.status} in run ${d.run.runName}` : '';
    nodes.push({
      id,
      type: NODE_TYPE.task,
      position: p,
      width: size.w,
      height: size.h,
      data: d,
      selectable: true,
      focusable: true,
      ariaLabel: `${t.isFinally ? 'finally task' : 'task'} ${t.name}: ${d.failedFindings} failed finding${d.failedFindings === 1 ? '' : 's'}${status}`,
    });
  }
  for (const [name, from] of missing) {
    const id = `missing:${name}`;
    nodes.push({
      id,
      type: NODE_TYPE.missing,
      position: pos.get(id) ?? { x: MARGIN, y: MARGIN },
      width: MISSING.w,
      height: MISSING.h,
      data: { kind: 'missing', name, referencedBy: from },
      selectable: false,
      focusable: true,
      ariaLabel: `missing task ${name}, referenced by ${from.join(', ')}`,
    });
  }
  nodes.push(...wsNodes);

  return {
    nodes,
    edges,
    width: Math.round(maxX + MARGIN),
    height: Math.round(maxY + MARGIN),
    legend: legendOf(bindingsPresent, edgeKinds),
    compact,
    run: runInfo,
    runNotFound,
    unresolved: false,
    stats: {
      tasks: mainTasks.length,
      finallyTasks: finallyTasks.length,
      workspaces: wsNodes.length,
      cycles: pipeline.dag.cycles.length,
      dangling: pipeline.dag.dangling.length,
      layoutMs: Math.round((performance.now() - started) * 100) / 100,
    },
  };
}
