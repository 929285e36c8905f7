'use client';
/**
 * The interactive, read-only pipeline graph. Nodes arrive positioned (lib/view/dag-layout.ts, on the server), so
 * nothing is laid out here: React Flow renders, pans and zooms. Tab walks the nodes; Enter (or a click) selects a
 * task and opens its findings beside the graph; Escape closes them.
 *
 * The page's globals.css imports `@xyflow/react/dist/style.css` into `layer(base)`, so Tailwind utilities on the
 * nodes win over React Flow's own rules (STACK-NOTES §5).
 */
import {
  Controls,
  MarkerType,
  MiniMap,
  Position,
  ReactFlow,
  applyNodeChanges,
  type Edge,
  type Node,
  type NodeChange,
  type NodeTypes,
  type Viewport,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { GraphEdge, GraphNode, GraphNodeData, TaskNodeData, WorkspaceNodeData } from '../../lib/view/dag-layout';
import type { FindingIndex, WireTaskData } from '../../lib/view/dag-wire';
import { GroupNode, MissingNode, TaskNode, WorkspaceNode } from './nodes';
import { BINDING_STYLE, CHAINS_ICON, KeyIcon, PIN_STYLE, RUN_ICON, VERDICT, chainsLabel, runStatusLabel } from './styles';

// Module scope: a new object per render would make React Flow re-mount every node.
const NODE_TYPES: NodeTypes = { task: TaskNode, workspace: WorkspaceNode, finallyGroup: GroupNode, missing: MissingNode };
// includeHiddenNodes: with onlyRenderVisibleElements, off-screen nodes are never measured; their declared size
// must still count, or "fit" would fit only what is already on screen.
const FIT_VIEW_OPTIONS = { padding: 0.08, maxZoom: 1, includeHiddenNodes: true };
const HANDLE = 8;


type Handles = NonNullable<Node['handles']>;
const h = (id: string, type: 'source' | 'target', position: Position, x: number, y: number): Handles[number] => ({ id, type, position, x: x - HANDLE / 2, y: y - HANDLE / 2, width: HANDLE, height: HANDLE });

/** Handle positions given up front, so edges are drawn before the client has measured anything. */
function handlesOf(n: GraphNode): Handles {
  const { width: w, height: ht } = n;
  switch (n.type) {
    case 'task':
      return [h('in', 'target', Position.Left, 0, ht / 2), h('out', 'source', Position.Right, w, ht / 2), h('ws', 'source', Position.Bottom, w / 2, ht)];
    case 'workspace':
      return [h('in', 'target', Position.Top, w / 2, 0)];
    case 'missing':
      return [h('out', 'source', Position.Right, w, ht / 2)];
    default:
      return [];
  }
}

/**
 * React Flow's colorMode="system" renders `light` on the server and switches after hydration (a mismatch), so the
 * canvas stays in light mode and its CSS variables (inherited, read as `var(--xy-…, var(--xy-…-default))`) follow
 * the system preference through Tailwind's `dark:` variant instead.
 */
const DARK_VARS = [
  'dark:[--xy-controls-button-background-color:#27272a]',
  'dark:[--xy-controls-button-background-color-hover:#3f3f46]',
  'dark:[--xy-controls-button-color:#e4e4e7]',
  'dark:[--xy-controls-button-color-hover:#ffffff]',
  'dark:[--xy-controls-button-border-color:#3f3f46]',
  'dark:[--xy-controls-box-shadow:0_0_2px_1px_rgba(0,0,0,0.5)]',
  'dark:[--xy-minimap-background-color:#18181b]',
  'dark:[--xy-minimap-mask-background-color:rgba(9,9,11,0.55)]',
  'dark:[--xy-edge-label-background-color:#18181b]',
  'dark:[--xy-edge-label-color:#e4e4e7]',
  'dark:[--xy-attribution-background-color:rgba(39,39,42,0.7)]',
].join(' ');

/** Above this many nodes the minimap is shown. */
const MINIMAP_ABOVE = 30;
/** Above this many mount edges, workspace edges are drawn only for the selected node. */
const MOUNT_EDGES_SHOWN_MAX = 40;

const EDGE_COLOR = { runAfter: '#a1a1aa', result: '#0ea5e9', cycle: '#ef4444', dangling: '#ef4444', workspace: '#a78bfa' } as const;

export interface DagCanvasProps {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
  compact: boolean;
  /** Accessible name of the canvas, e.g. `Task graph of pipeline ci/build`. */
  label: string;
  /** Canvas height in CSS pixels. */
  canvasHeight: number;
  findingIndex: FindingIndex;
}

type FlowNode = Node<GraphNodeData>;

function toFlowEdge(e: GraphEdge, compact: boolean, hidden: boolean, highlighted: boolean): Edge {
  const color = e.cycle ? EDGE_COLOR.cycle : EDGE_COLOR[e.kind];
  const width = (e.kind === 'result' ? 2.5 : 1.5) + (highlighted ? 1 : 0);
  const dash = e.kind === 'workspace' ? '2 4' : e.kind === 'dangling' ? '6 4' : undefined;
  const label = e.cycle ? 'cycle' : e.kind === 'workspace' && e.readOnly && !compact ? 'ro' : e.kind === 'result' && !compact ? 'result' : undefined;
  return {
    id: e.id,
    source: e.source,
    target: e.target,
    sourceHandle: e.sourceHandle,
    targetHandle: e.targetHandle,
    type: e.kind === 'workspace' ? 'default' : 'smoothstep',
    hidden,
    focusable: false,
    selectable: false,
    zIndex: highlighted ? 1 : 0,
    style: { stroke: color, strokeWidth: width, strokeDasharray: dash, opacity: e.kind === 'workspace' && !highlighted ? 0.75 : 1 },
    markerEnd: e.kind === 'workspace' ? undefined : { type: MarkerType.ArrowClosed, color, width: 16, height: 16 },
    label,
    labelStyle: { fontSize: 10, fontWeight: 600, fill: e.cycle ? EDGE_COLOR.cycle : undefined },
    labelBgPadding: [3, 1] as [number, number],
    labelBgBorderRadius: 3,
  };
}

/** A guess of the canvas width before it is measured (the page's content column); fitView corrects it. */
const ASSUMED_WIDTH = 1100;
/** Big graphs open at a zoom where node text is readable, on the first tasks; the minimap and "fit" show all. */
const READABLE_ZOOM = 0.8;

function initialView(nodes: GraphNode[], width: number, height: number, canvasHeight: number): { viewport: Viewport; fit: boolean } {
  const fitZoom = Math.min(1, ASSUMED_WIDTH / Math.max(width, 1), canvasHeight / Math.max(height, 1));
  if (fitZoom >= READABLE_ZOOM * 0.75) {
    return { fit: true, viewport: { x: Math.max(0, (ASSUMED_WIDTH - width * fitZoom) / 2), y: Math.max(0, (canvasHeight - height * fitZoom) / 2), zoom: fitZoom } };
  }
  // Nodes come in drawing order (by rank, then top to bottom): centre the view on the first rank.
  const first = nodes.find((n) => n.type === 'task');
  const firstX = first?.position.x ?? 0;
  const rank = nodes.filter((n) => n.type === 'task' && n.position.x === firstX);
  const top = Math.min(...rank.map((n) => n.position.y));
  const bottom = Math.max(...rank.map((n) => n.position.y + n.height));
  const cy = rank.length ? (top + bottom) / 2 : height / 2;
  const zoom = READABLE_ZOOM;
  return { fit: false, viewport: { x: 24 - firstX * zoom, y: canvasHeight / 2 - cy * zoom, zoom } };
}

function toFlowNodes(initialNodes: GraphNode[], compact: boolean, selectedId: string | null): FlowNode[] {
  return initialNodes.map(
    // Big graphs render only what is on screen, so off-screen nodes are never measured and React Flow would wait
    // for them forever ("not initialized"), stalling the fit button: their fixed sizes are given as measured.
    // Small graphs are measured normally (a preset size would let the initial fitView run before the pane is).
    (n) =>
      ({
        ...n,
        measured: compact ? { width: n.width, height: n.height } : undefined,
        handles: handlesOf(n),
        className: n.focusable ? 'rounded-lg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500' : undefined,
        ...(n.id === selectedId ? { selected: true } : {}),
      }) as FlowNode,
  );
}

export function DagCanvas({ nodes: initialNodes, edges, width, height, compact, label, canvasHeight, findingIndex }: DagCanvasProps) {
  const [nodes, setNodes] = useState<FlowNode[]>(() => toFlowNodes(initialNodes, compact, null));
  // A live update (LiveUpdates: SSE → router.refresh) re-renders this canvas with new server nodes (a newer run,
  // other task states) without re-mounting it: adopt them, keeping the selected node and the viewport. Adjusted
  // while rendering, not in an effect, so no frame shows the old run's states next to the new run picker.
  const [shownNodes, setShownNodes] = useState(initialNodes);
  if (shownNodes !== initialNodes) {
    setShownNodes(initialNodes);
    setNodes(toFlowNodes(initialNodes, compact, nodes.find((n) => n.selected)?.id ?? null));
  }
  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => setNodes((ns) => applyNodeChanges(changes, ns)), []);
  const selected = useMemo(() => nodes.find((n) => n.selected && (n.type === 'task' || n.type === 'workspace')) ?? null, [nodes]);
  const selectedId = selected?.id ?? null;
  const mountEdges = useMemo(() => edges.filter((e) => e.kind === 'workspace').length, [edges]);
  const hideMounts = mountEdges > MOUNT_EDGES_SHOWN_MAX;
  const flowEdges = useMemo(
    () =>
      edges.map((e) => {
        const touches = selectedId !== null && (e.source === selectedId || e.target === selectedId);
        return toFlowEdge(e, compact, hideMounts && e.kind === 'workspace' && !touches, touches);
      }),
    [edges, compact, hideMounts, selectedId],
  );
  const view = useMemo(() => initialView(initialNodes, width, height, canvasHeight), [initialNodes, width, height, canvasHeight]);
  const clearSelection = useCallback(() => setNodes((ns) => ns.map((n) => (n.selected ? { ...n, selected: false } : n))), []);

  useEffect(() => {
    if (!selectedId) return;
    const onKey = (ev: KeyboardEvent) => {
      if (ev.key === 'Escape') clearSelection();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedId, clearSelection]);

  const taskCount = useMemo(() => initialNodes.filter((n) => n.type === 'task').length, [initialNodes]);

  return (
    <div className={`relative overflow-hidden rounded-lg border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950 ${DARK_VARS}`} style={{ height: canvasHeight }} data-testid="dag-canvas">
      <ReactFlow<FlowNode>
        nodes={nodes}
        edges={flowEdges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onPaneClick={clearSelection}
        aria-label={label}
        colorMode="light"
        fitView={view.fit}
        fitViewOptions={FIT_VIEW_OPTIONS}
        // With fitView, width/height let React Flow fit on the server too (SSR), so the page does not flash at zoom 1.
        width={view.fit ? ASSUMED_WIDTH : undefined}
        height={view.fit ? canvasHeight : undefined}
        defaultViewport={view.viewport}
        minZoom={0.05}
        maxZoom={2}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        nodesFocusable
        elementsSelectable
        selectNodesOnDrag={false}
        deleteKeyCode={null}
        selectionKeyCode={null}
        multiSelectionKeyCode={null}
        onlyRenderVisibleElements={compact}
        zoomOnDoubleClick={false}
        attributionPosition="top-right"
      >
        <Controls showInteractive={false} position="bottom-left" fitViewOptions={FIT_VIEW_OPTIONS} aria-label="Graph zoom controls" />
        {initialNodes.length > MINIMAP_ABOVE ? (
          <MiniMap
            position="bottom-right"
            pannable
            zoomable
            ariaLabel="Overview of the whole graph"
            nodeColor={miniMapColor}
            nodeStrokeWidth={0}
            className={selected ? '!right-[22rem]' : ''}
          />
        ) : null}
      </ReactFlow>
      <div className="pointer-events-none absolute top-2 left-2 rounded bg-white/85 px-2 py-1 text-[11px] text-zinc-600 shadow-sm dark:bg-zinc-900/85 dark:text-zinc-300">
        {taskCount} task{taskCount === 1 ? '' : 's'}
        {view.fit ? '' : ' · showing the first tasks (the fit button shows all)'} · Tab to a node, Enter for its findings
        {hideMounts ? ' · mounts drawn for the selected task' : ''}
      </div>
      <div role="status" aria-live="polite" className="sr-only">
        {selected ? `Showing details of ${selected.type === 'task' ? 'task' : 'workspace'} ${(selected.data as TaskNodeData | WorkspaceNodeData).name}` : ''}
      </div>
      {selected ? <SidePanel node={selected} onClose={clearSelection} findingIndex={findingIndex} /> : null}
    </div>
  );
}

function miniMapColor(n: Node): string {
  const d = n.data as unknown as GraphNodeData;
  if (d.kind === 'workspace') return BINDING_STYLE[d.binding].swatch;
  if (d.kind === 'group') return 'rgba(129,140,248,0.15)';
  if (d.kind === 'missing') return '#ef4444';
  return d.failedFindings > 0 ? '#f87171' : '#a1a1aa';
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="border-t border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
      <h4 className="mb-1 text-[11px] font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 uppercase dark:text-zinc-400">{title}</h4>
      {children}
    </section>
  );
}

const SEVERITY_CLS: Record<string, string> = {
  critical: 'bg-red-700 text-white',
  high: 'bg-orange-100 text-orange-900 dark:bg-orange-950 dark:text-orange-200',
  medium: 'bg-yellow-100 text-yellow-900 dark:bg-yellow-950 dark:text-yellow-200',
  low: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
};
const OUTCOME_CLS: Record<string, { icon: string; cls: string }> = {
  fail: { icon: '✕', cls: 'text-red-700 dark:text-red-400' },
  warn: { icon: '!', cls: 'text-amber-700 dark:text-amber-400' },
  unknown: { icon: '?', cls: 'text-violet-700 dark:text-violet-400' },
  waived: { icon: '⊘', cls: 'text-sky-700 dark:text-sky-400' },
  pass: { icon: '✓', cls: 'text-emerald-700 dark:text-emerald-400' },
  'not-applicable': { icon: '–', cls: 'text-zinc-600 dark:text-zinc-400' },
};

function SidePanel({ node, onClose, findingIndex }: { node: FlowNode; onClose: () => void; findingIndex: FindingIndex }) {
  const d = node.data;
  const name = d.kind === 'task' || d.kind === 'workspace' ? d.name : '';
  return (
    <aside
      aria-label={`${d.kind === 'task' ? 'Task' : 'Workspace'} ${name}`}
      data-testid="dag-panel"
      className="absolute inset-y-0 right-0 z-10 flex w-[21rem] flex-col border-l border-zinc-200 bg-white text-sm shadow-xl dark:border-zinc-800 dark:bg-zinc-900"
    >
      <header className="flex items-start justify-between gap-2 px-4 pt-3 pb-2">
        <div className="min-w-0">
          <div className="text-[11px] font-medium tracking-wide text-zinc-600 dark:text-zinc-400 uppercase dark:text-zinc-400">
            {d.kind === 'task' ? (d.isFinally ? 'finally task' : 'task') : 'workspace'}
          </div>
          <h3 className="font-mono text-sm font-semibold [overflow-wrap:anywhere] text-zinc-900 dark:text-zinc-50">{name}</h3>
        </div>
        <button
          type="button"
          onClick={onClose}
          className="shrink-0 rounded px-2 py-0.5 text-xs font-medium text-zinc-600 ring-1 ring-zinc-300 hover:bg-zinc-100 dark:text-zinc-300 dark:ring-zinc-700 dark:hover:bg-zinc-800"
        >
          Close<span className="sr-only"> details</span> <span aria-hidden="true">✕</span>
        </button>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto pb-3">{d.kind === 'task' ? <TaskDetails d={d as unknown as WireTaskData} index={findingIndex} /> : d.kind === 'workspace' ? <WorkspaceDetails d={d} /> : null}</div>
    </aside>
  );
}

function TaskDetails({ d, index }: { d: WireTaskData; index: FindingIndex }) {
  const run = d.run;
  return (
    <>
      <Section title={`Findings (${d.findings.length})`}>
        {d.findings.length === 0 ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">No failing, warning or unknown finding points into this task.</p>
        ) : (
          <ul className="space-y-2" aria-label={`Findings of task ${d.name}`}>
            {d.findings.map((ref) => {
              const f = { ...(index[ref.checkId] ?? { title: '', severity: 'low', outcome: 'unknown', message: '' }), ...ref };
              const o = OUTCOME_CLS[f.outcome] ?? OUTCOME_CLS.unknown;
              return (
                <li key={f.checkId} className="text-xs">
                  <div className="flex flex-wrap items-center gap-1.5">
                    <span className={`font-semibold ${o.cls}`}>
                      <span aria-hidden="true">{o.icon} </span>
                      {f.outcome}
                    </span>
                    <span className={`rounded px-1 text-[10px] font-semibold uppercase ${SEVERITY_CLS[f.severity] ?? ''}`}>{f.severity}</span>
                    <a href={`#finding-${f.checkId}`} className="font-mono font-semibold text-sky-700 hover:underline dark:text-sky-400">
                      {f.checkId}
                    </a>
                  </div>
                  <div className="mt-0.5 font-medium text-zinc-800 dark:text-zinc-200">{f.title}</div>
                  <div className="mt-0.5 line-clamp-3 break-words text-zinc-600 dark:text-zinc-400">{f.message}</div>
                  {f.paths.length ? (
                    <ul className="mt-0.5 space-y-0.5">
                      {f.paths.map((p, i) => (
                        <li key={i} className="font-mono text-[10.5px] [overflow-wrap:anywhere] text-zinc-600 dark:text-zinc-400">
                          {p}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </Section>
      <Section title="Spec">
        <p className="text-xs break-words text-zinc-700 dark:text-zinc-300">
          {d.source.label}
          {d.source.pinned === true ? <span className="text-emerald-700 dark:text-emerald-400"> · ✓ pinned</span> : null}
          {d.source.pinned === false ? <span className="text-amber-700 dark:text-amber-400"> · ! not pinned</span> : null}
        </p>
        <p className="font-mono text-[10.5px] text-zinc-600 dark:text-zinc-400">{d.path}</p>
      </Section>
      <Section title={`Images (${d.images.length})`}>
        {d.images.length === 0 ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">No images in sight.</p>
        ) : (
          <ul className="space-y-1">
            {d.images.map((img, i) => {
              const p = PIN_STYLE[img.pin];
              return (
                <li key={i} className="text-xs">
                  <span className={`mr-1 font-medium ${p.cls}`}>
                    <span aria-hidden="true">{p.icon} </span>
                    {p.label}
                  </span>
                  <span className="text-zinc-600 dark:text-zinc-400">{img.container}: </span>
                  <span className="font-mono text-[10.5px] [overflow-wrap:anywhere] text-zinc-700 dark:text-zinc-300">{img.image ?? '(none)'}</span>
                </li>
              );
            })}
          </ul>
        )}
      </Section>
      <Section title="Security context">
        <ul className="space-y-0.5 text-xs">
          {(
            [
              ['Runs as non-root', d.security.nonRoot],
              ['Not privileged', d.security.notPrivileged],
              ['No privilege escalation', d.security.noEscalation],
            ] as const
          ).map(([label, v]) => (
            <li key={label} className={VERDICT[v].cls}>
              <span aria-hidden="true">{VERDICT[v].icon} </span>
              {label}: {VERDICT[v].word}
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Credentials reachable">
        {d.credentials.length === 0 ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">None in sight.</p>
        ) : (
          <ul className="space-y-0.5 text-xs">
            {d.credentials.map((c) => (
              <li key={c.name} className="flex items-center gap-1 text-red-700 dark:text-red-400">
                <KeyIcon className="h-3 w-3" />
                <span className="font-mono [overflow-wrap:anywhere]">{c.name}</span>
                <span className="text-zinc-600 dark:text-zinc-400">via {c.via.join(', ')}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
      {d.workspaces.length ? (
        <Section title="Workspaces">
          <ul className="space-y-0.5 text-xs">
            {d.workspaces.map((w) => (
              <li key={w.workspace}>
                <span className="font-mono">{w.workspace}</span>
                <span className={`ml-1.5 rounded px-1 text-[10px] font-semibold ${BINDING_STYLE[w.binding].chip}`}>{w.binding}</span>
                {w.readOnly ? <span className="ml-1 text-zinc-600 dark:text-zinc-400"> read-only</span> : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section title="Run">
        {run ? (
          <p className="text-xs">
            <span className={RUN_ICON[run.status]?.cls}>
              <span aria-hidden="true">{RUN_ICON[run.status]?.icon} </span>
              {runStatusLabel(run.status)}
            </span>
            {run.chains ? (
              <span className={CHAINS_ICON[run.chains]?.cls}>
                {' '}
                · <span aria-hidden="true">{CHAINS_ICON[run.chains]?.icon} </span>
                {chainsLabel(run.chains)}
              </span>
            ) : null}
            <span className="block font-mono text-[10.5px] [overflow-wrap:anywhere] text-zinc-600 dark:text-zinc-400">{run.taskRunName ?? `no TaskRun in ${run.runName}`}</span>
          </p>
        ) : (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">No run to show.</p>
        )}
      </Section>
      {d.issues.length ? (
        <Section title="Issues">
          <ul className="space-y-0.5 text-xs text-red-700 dark:text-red-400">
            {d.issues.map((i) => (
              <li key={i}>{i}</li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}

function WorkspaceDetails({ d }: { d: WorkspaceNodeData }) {
  const s = BINDING_STYLE[d.binding];
  return (
    <>
      <Section title="Binding">
        <p className="text-xs">
          <span className={`mr-1.5 rounded px-1.5 text-[10.5px] font-semibold ${s.chip}`}>{d.badge}</span>
          <span className="[overflow-wrap:anywhere] text-zinc-700 dark:text-zinc-300">{d.detail}</span>
        </p>
        {d.optional ? <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">Optional workspace.</p> : null}
      </Section>
      <Section title={`Mounted by (${d.mountedBy.length})`}>
        {d.mountedBy.length ? (
          <ul className="space-y-0.5 font-mono text-xs">
            {d.mountedBy.map((t) => (
              <li key={t} className="[overflow-wrap:anywhere]">
                {t}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">No task mounts it.</p>
        )}
      </Section>
    </>
  );
}
