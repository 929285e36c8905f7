/**
 * A pipeline's graph as the client canvas receives it (GET /api/pipelines/:ns/:name/graph, components/dag/).
 * Laid out on the server (dag-layout.ts), cached per engine state, and sent as JSON rather than inside the page:
 * a 150-task graph is ~230 kB that the page would otherwise carry twice (HTML-escaped RSC payload) and render on
 * every request, which made the pipeline page the slowest under load.
 */
import type { Finding } from '../checks/types';
import type { PipelineModel } from '../model/types';
import { layoutPipelineGraph, type GraphEdge, type GraphNode, type PipelineGraph, type TaskFinding, type TaskNodeFields } from './dag-layout';

/** What a finding says, sent once per pipeline; task nodes carry only `{ checkId, paths }`. */
export type FindingIndex = Record<string, Pick<TaskFinding, 'title' | 'severity' | 'outcome' | 'message'>>;
export type TaskFindingRef = Pick<TaskFinding, 'checkId' | 'paths'>;
/** A task node as sent to the client: findings by reference. */
export type WireTaskData = TaskNodeFields & { [key: string]: unknown; findings: TaskFindingRef[] };

/** The part of the graph fetched by the canvas; the rest (size, label) comes with the page. */
export interface DagWire {
  nodes: GraphNode[];
  edges: GraphEdge[];
  findingIndex: FindingIndex;
  /** Too many tasks to draw (GRAPH_MAX_TASKS): no nodes, the page lists the tasks. */
  tooBig?: boolean;
}

interface Laid {
  graph: PipelineGraph;
  wire?: DagWire;
  body?: Uint8Array<ArrayBuffer>;
}

// Layouts are pure functions of (pipeline model, findings, run): a new engine state brings new objects, so a
// WeakMap keyed on the model never serves a stale graph and frees itself with the old state.
const cache = new WeakMap<PipelineModel, { findings: Finding[]; byRun: Map<string, Laid> }>();
const RUNS_KEPT = 16;

function laid(pipeline: PipelineModel, findings: Finding[], runName: string | undefined): Laid {
  let entry = cache.get(pipeline);
  if (!entry || entry.findings !== findings) {
    entry = { findings, byRun: new Map() };
    cache.set(pipeline, entry);
  }
  const key = runName ?? '';
  let l = entry.byRun.get(key);
  if (!l) {
    l = { graph: layoutPipelineGraph(pipeline, findings, { runName }) };
    if (entry.byRun.size >= RUNS_KEPT) entry.byRun.clear();
    entry.byRun.set(key, l);
  }
  return l;
}

/** The laid-out graph of a pipeline for a run (the newest when `runName` is absent); cached, read-only. */
export function pipelineGraph(pipeline: PipelineModel, findings: Finding[], runName?: string): PipelineGraph {
  return laid(pipeline, findings, runName).graph;
}

/**
 * Each finding's title, severity, outcome and message once per pipeline, and per task only `{ checkId, paths }`
 * (a 150-task graph would otherwise repeat the same messages 150 times); compact graphs keep fewer paths.
 */
function toWire(g: PipelineGraph): DagWire {
  const findingIndex: FindingIndex = {};
  const maxPaths = g.compact ? 2 : 5;
  const nodes = g.nodes.map((n) => {
    if (n.data.kind !== 'task') return n;
    const findings = n.data.findings.map((f) => {
      findingIndex[f.checkId] ??= { title: f.title, severity: f.severity, outcome: f.outcome, message: f.message };
      return { checkId: f.checkId, paths: f.paths.slice(0, maxPaths) };
    });
    const data: WireTaskData = { ...n.data, findings };
    return { ...n, data: data as unknown as typeof n.data };
  });
  return g.tooBig ? { nodes, edges: g.edges, findingIndex, tooBig: true } : { nodes, edges: g.edges, findingIndex };
}

/** The graph's wire form as encoded JSON, built once per pipeline, run and engine state. */
export function pipelineGraphBody(pipeline: PipelineModel, findings: Finding[], runName?: string): Uint8Array<ArrayBuffer> {
  const l = laid(pipeline, findings, runName);
  l.body ??= new TextEncoder().encode(JSON.stringify(toWire(l.graph)));
  return l.body;
}

/** Tall enough for the graph at the zoom its width allows in a ~1000 px column, within 280–640 px. */
export function canvasHeight(g: PipelineGraph): number {
  if (g.compact) return 760;
  const zoom = Math.min(1, 1000 / Math.max(g.width, 1));
  return Math.round(Math.max(280, Math.min(640, g.height * zoom + 64)));
}

/** Where the canvas fetches the graph from: the pipeline's graph endpoint, with the run when one is picked. */
export function pipelineGraphSrc(namespace: string, name: string, runName?: string): string {
  const path = `/api/pipelines/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/graph`;
  return runName ? `${path}?run=${encodeURIComponent(runName)}` : path;
}
