import type { DagEdge, DagModel, PipelineTaskModel } from './types';

const RESULT_REF = /\$\(\s*tasks\.([A-Za-z0-9_.-]+?)\.results\.([A-Za-z0-9_-]+)/g;

/** Every `$(tasks.X.results.Y…)` in a text (params, when, matrix or an inline spec serialized as JSON). */
export function findResultRefs(text: string, path: string): { task: string; result: string; path: string }[] {
  if (!text.includes('$(')) return [];
  const out: { task: string; result: string; path: string }[] = [];
  for (const m of text.matchAll(RESULT_REF)) out.push({ task: m[1], result: m[2], path });
  return out;
}

/**
 * The pipeline graph as Tekton builds it (`PipelineTask.Deps()`): edges from `runAfter` and result references;
 * `finally` tasks form their own edge-less group after all others. Cycles and references to missing tasks are
 * reported, not thrown: the model of a broken pipeline is still scored.
 */
export function buildDag(tasks: PipelineTaskModel[], finallyTasks: PipelineTaskModel[]): DagModel {
  const names = tasks.map((t) => t.name);
  const known = new Set(names);
  const edges: DagEdge[] = [];
  const dangling: DagModel['dangling'] = [];
  const seen = new Set<string>();
  const addEdge = (from: string, to: string, kind: DagEdge['kind']) => {
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to, kind });
  };
  for (const t of tasks) {
    t.runAfter.forEach((dep, i) => {
      if (known.has(dep) && dep !== t.name) addEdge(dep, t.name, 'runAfter');
      else if (dep === t.name) dangling.push({ from: t.name, to: dep, kind: 'runAfter', path: `${t.path}.runAfter[${i}]` });
      else dangling.push({ from: t.name, to: dep, kind: 'runAfter', path: `${t.path}.runAfter[${i}]` });
    });
    for (const ref of t.resultRefs) {
      if (known.has(ref.task) && ref.task !== t.name) addEdge(ref.task, t.name, 'result');
      else dangling.push({ from: t.name, to: ref.task, kind: 'result', path: ref.path });
    }
  }
  // A child pipeline run from `finally` expands into several finally tasks (child-pipelines.ts): results they pass
  // among themselves are the child's own edges, not references to missing tasks.
  const finallyNames = new Set(finallyTasks.map((t) => t.name));
  const sameChild = (a: string, b: string) => a.includes('/') && a.slice(0, a.indexOf('/')) === b.slice(0, b.indexOf('/'));
  for (const t of finallyTasks) {
    for (const ref of t.resultRefs) {
      if (known.has(ref.task)) continue;
      if (t.parentTask && finallyNames.has(ref.task) && sameChild(t.name, ref.task)) continue;
      dangling.push({ from: t.name, to: ref.task, kind: 'result', path: ref.path });
    }
  }

  const { order, cycles } = topoOrder(names, edges);
  const depth: Record<string, number> = {};
  const incoming = new Map<string, string[]>();
  for (const e of edges) incoming.set(e.to, [...(incoming.get(e.to) ?? []), e.from]);
  const onCycle = new Set(cycles.flat());
  for (const n of order) {
    const preds = (incoming.get(n) ?? []).filter((p) => !onCycle.has(p) || !onCycle.has(n));
    depth[n] = preds.length === 0 ? 0 : Math.max(...preds.map((p) => (depth[p] ?? 0) + 1));
  }
  const maxDepth = names.length ? Math.max(...names.map((n) => depth[n] ?? 0)) : -1;
  for (const t of finallyTasks) depth[t.name] = maxDepth + 1;

  return { nodes: names, finallyNodes: finallyTasks.map((t) => t.name), edges, cycles, dangling, order, depth };
}

/** Kahn's algorithm in declaration order; whatever is left sits on or behind a cycle. */
function topoOrder(names: string[], edges: DagEdge[]): { order: string[]; cycles: string[][] } {
  const indeg = new Map(names.map((n) => [n, 0]));
  const out = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const e of edges) {
    indeg.set(e.to, (indeg.get(e.to) ?? 0) + 1);
    out.get(e.from)?.push(e.to);
  }
  const ready = names.filter((n) => indeg.get(n) === 0);
  const order: string[] = [];
  while (ready.length) {
    const n = ready.shift() as string;
    order.push(n);
    for (const m of out.get(n) ?? []) {
      const d = (indeg.get(m) ?? 0) - 1;
      indeg.set(m, d);
      if (d === 0) ready.push(m);
    }
  }
  const left = names.filter((n) => !order.includes(n));
  const cycles = left.length ? findCycles(left, out) : [];
  return { order: [...order, ...left], cycles };
}

/** Strongly connected components (Tarjan, iterative) among the leftover nodes: each with >1 node is a cycle. */
function findCycles(nodes: string[], out: Map<string, string[]>): string[][] {
  const inSet = new Set(nodes);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { n: string; i: number }[] = [{ n: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const succ = (out.get(frame.n) ?? []).filter((m) => inSet.has(m));
      if (frame.i < succ.length) {
        const m = succ[frame.i++];
        if (!index.has(m)) {
          index.set(m, counter);
          low.set(m, counter++);
          stack.push(m);
          onStack.add(m);
          work.push({ n: m, i: 0 });
        } else if (onStack.has(m)) {
          low.set(frame.n, Math.min(low.get(frame.n)!, index.get(m)!));
        }
      } else {
        work.pop();
        if (work.length) {
          const parent = work[work.length - 1].n;
          low.set(parent, Math.min(low.get(parent)!, low.get(frame.n)!));
        }
        if (low.get(frame.n) === index.get(frame.n)) {
          const comp: string[] = [];
          let m: string;
          do {
            m = stack.pop() as string;
            onStack.delete(m);
            comp.push(m);
          } while (m !== frame.n);
          if (comp.length > 1) result.push(comp.reverse());
        }
      }
    }
  }
  return result;
}
