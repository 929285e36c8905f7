/**
 * The pipeline graph (server component): finds the pipeline in the engine's state, lays it out here on the
 * server (lib/view/dag-layout.ts, fixed node sizes, cached per state) and renders the canvas frame, whose client
 * part fetches the positioned nodes from the graph endpoint (lib/view/dag-wire.ts), with a run picker (plain
 * links: `?run=<name>`) and a legend in which every colour is also a word or an icon.
 */
import { preload } from 'react-dom';
import type { PipelineModel } from '../../lib/model/types';
import { GRAPH_MAX_TASKS, type PipelineGraph } from '../../lib/view/dag-layout';
import { canvasHeight, pipelineGraph, pipelineGraphSrc } from '../../lib/view/dag-wire';
import { getState } from '../../server/state';
import { DagLoader } from './DagLoader';
import { BINDING_STYLE, CHAINS_ICON, KeyIcon, RUN_ICON, chainsLabel, runStatusLabel } from './styles';
import { namespaceFromSegment } from '../../lib/model/types';

export interface PipelineDagProps {
  /** `<namespace>/<name>`, as in PipelineModel.id. */
  pipelineId: string;
  /** The run whose TaskRun states are shown (the `run` search parameter); the newest run when absent. */
  runName?: string;
}

export async function PipelineDag({ pipelineId, runName }: PipelineDagProps) {
  const state = await getState();
  const pipeline = state.model.pipelines.find((p) => p.id === pipelineId);
  if (!pipeline) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">No pipeline {pipelineId} in the current data.</p>;
  }
  const findings = state.report.pipelines.find((p) => p.id === pipelineId)?.findings ?? [];
  const g = pipelineGraph(pipeline, findings, runName || undefined);
  // From the id: same-named subjects differ only by the id's `~…` suffix.
  const slash = pipeline.id.indexOf('/');
  const src = pipelineGraphSrc(namespaceFromSegment(pipeline.id.slice(0, slash)), pipeline.id.slice(slash + 1), runName || undefined);
  // The browser starts fetching the nodes while it loads the scripts that will draw them.
  if (!g.unresolved && !g.tooBig) preload(src, { as: 'fetch', crossOrigin: 'anonymous' });

  return (
    <div id="dag" className="space-y-3" data-testid="pipeline-dag">
      <RunPicker pipeline={pipeline} current={g.run?.name ?? null} notFound={g.runNotFound ? (runName ?? null) : null} />
      {g.unresolved ? (
        <p className="rounded-md border border-dashed border-zinc-300 p-4 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          The pipeline&apos;s spec could not be resolved (no Pipeline object and no run carrying its spec), so there is no graph to draw.
        </p>
      ) : g.tooBig ? (
        <TaskList pipeline={pipeline} />
      ) : (
        <DagLoader
          src={src}
          version={state.version}
          width={g.width}
          height={g.height}
          compact={g.compact}
          canvasHeight={canvasHeight(g)}
          label={`Task graph of pipeline ${pipeline.namespace}/${pipeline.name}: ${g.stats.tasks} tasks${g.stats.finallyTasks ? `, ${g.stats.finallyTasks} finally` : ''}, ${g.stats.workspaces} workspaces`}
        />
      )}
      {g.unresolved || g.tooBig ? null : <Legend g={g} />}
    </div>
  );
}

/** Past GRAPH_MAX_TASKS: the tasks in the order Tekton can start them, as a list (the checklist below is complete). */
function TaskList({ pipeline }: { pipeline: PipelineModel }) {
  const tasks = [...(pipeline.spec?.tasks ?? []), ...(pipeline.spec?.finally ?? [])];
  const shown = tasks.slice(0, LIST_ROWS);
  return (
    <div className="rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-700" data-testid="dag-task-list">
      <p className="mb-2 text-zinc-700 dark:text-zinc-300">
        {tasks.length} tasks are too many to draw as a graph (the limit is {GRAPH_MAX_TASKS}); they are listed instead. Every finding is in the checklist
        below.
      </p>
      <ol className="max-h-96 list-decimal overflow-auto pl-8 font-mono text-xs text-zinc-700 dark:text-zinc-300">
        {shown.map((t, i) => (
          <li key={i}>
            {t.name}
            {t.isFinally ? ' (finally)' : ''}
            {t.runAfter.length ? <span className="text-zinc-600 dark:text-zinc-400"> · after {t.runAfter.slice(0, 5).join(', ')}{t.runAfter.length > 5 ? ', …' : ''}</span> : null}
          </li>
        ))}
      </ol>
      {tasks.length > shown.length ? <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">…and {tasks.length - shown.length} more (all are in the JSON export).</p> : null}
    </div>
  );
}

const LIST_ROWS = 2000;

function RunPicker({ pipeline, current, notFound }: { pipeline: PipelineModel; current: string | null; notFound: string | null }) {
  if (pipeline.runs.length === 0) {
    return <p className="text-xs text-zinc-600 dark:text-zinc-400">No runs in sight: workspaces show as not bound and tasks carry no run state.</p>;
  }
  return (
    <nav aria-label="Run shown on the graph" className="flex flex-wrap items-center gap-1.5 text-xs">
      <span className="mr-1 font-medium text-zinc-600 dark:text-zinc-400">Run:</span>
      {pipeline.runs.map((r, i) => {
        const active = r.name === current;
        const s = RUN_ICON[r.status] ?? RUN_ICON.unknown;
        const c = CHAINS_ICON[r.chains.state] ?? CHAINS_ICON['not-signable'];
        return (
          <a
            key={r.name}
            href={`?run=${encodeURIComponent(r.name)}#dag`}
            aria-current={active ? 'true' : undefined}
            title={`${r.name}: ${runStatusLabel(r.status)}, ${chainsLabel(r.chains.state)}`}
            className={`inline-flex max-w-[20rem] items-center gap-1 rounded-md px-2 py-1 ring-1 ring-inset ${
              active
                ? 'bg-sky-50 font-semibold text-sky-900 ring-sky-500 dark:bg-sky-950 dark:text-sky-100 dark:ring-sky-400'
                : 'bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-50 dark:bg-zinc-900 dark:text-zinc-300 dark:ring-zinc-700 dark:hover:bg-zinc-800'
            }`}
          >
            <span className={s.cls} aria-hidden="true">
              {s.icon}
            </span>
            <span className="truncate font-mono">{r.name}</span>
            <span className="sr-only">
              {runStatusLabel(r.status)}, {chainsLabel(r.chains.state)}
            </span>
            <span className={`shrink-0 ${c.cls}`} aria-hidden="true">
              · {c.icon}
            </span>
            {i === 0 ? <span className="shrink-0 text-[10px] font-normal text-zinc-600 dark:text-zinc-400">latest</span> : null}
          </a>
        );
      })}
      {notFound ? (
        <span role="status" className="text-amber-700 dark:text-amber-400">
          Run {notFound} is not among the recent runs.
        </span>
      ) : null}
    </nav>
  );
}

function EdgeSample({ color, width, dash }: { color: string; width: number; dash?: string }) {
  return (
    <svg width="28" height="8" aria-hidden="true" className="shrink-0">
      <line x1="1" y1="4" x2="27" y2="4" stroke={color} strokeWidth={width} strokeDasharray={dash} />
    </svg>
  );
}

const EDGE_SAMPLE: Record<string, { color: string; width: number; dash?: string }> = {
  runAfter: { color: '#a1a1aa', width: 1.5 },
  result: { color: '#0ea5e9', width: 2.5 },
  workspace: { color: '#a78bfa', width: 1.5, dash: '2 3' },
  cycle: { color: '#ef4444', width: 1.5 },
  dangling: { color: '#ef4444', width: 1.5, dash: '5 3' },
};

function Legend({ g }: { g: PipelineGraph }) {
  const bindings = g.legend.bindings.filter((b) => b.present || ['credential', 'pvc-rwx', 'pvc', 'claim-template', 'empty-dir'].includes(b.key));
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300" data-testid="dag-legend">
      <h3 className="sr-only">Legend</h3>
      <dl className="grid gap-x-4 gap-y-1.5 sm:grid-cols-[auto_1fr]">
        <dt className="font-semibold text-zinc-600 dark:text-zinc-400">Workspaces</dt>
        <dd>
          <ul className="flex flex-wrap gap-x-3 gap-y-1">
            {bindings.map((b) => {
              const s = BINDING_STYLE[b.key as keyof typeof BINDING_STYLE];
              const Icon = s.icon;
              return (
                <li key={b.key} className={`inline-flex items-center gap-1 ${b.present ? '' : 'border-b border-dashed border-zinc-400'}`} title={b.description}>
                  <span className={`inline-flex items-center gap-1 rounded border-2 px-1 text-[10.5px] font-semibold ${s.box}`}>
                    <Icon className="h-3 w-3" />
                    {b.label}
                  </span>
                  <span className="text-zinc-600 dark:text-zinc-400">{b.description}</span>
                  {b.present ? null : <span className="text-xs text-zinc-600 dark:text-zinc-400">(not in this graph)</span>}
                </li>
              );
            })}
          </ul>
        </dd>
        <dt className="font-semibold text-zinc-600 dark:text-zinc-400">Links</dt>
        <dd>
          <ul className="flex flex-wrap gap-x-4 gap-y-1">
            {g.legend.edges
              .filter((e) => e.present || e.key === 'runAfter' || e.key === 'result' || e.key === 'workspace')
              .map((e) => (
                <li key={e.key} className="inline-flex items-center gap-1.5" title={e.description}>
                  <EdgeSample {...(EDGE_SAMPLE[e.key] ?? EDGE_SAMPLE.runAfter)} />
                  <span className="font-medium">{e.label}</span>
                  <span className="text-zinc-600 dark:text-zinc-400">{e.description.replace(/^[^:]*: /, '')}</span>
                </li>
              ))}
          </ul>
        </dd>
        <dt className="font-semibold text-zinc-600 dark:text-zinc-400">Tasks</dt>
        <dd className="flex flex-wrap gap-x-4 gap-y-1">
          <span>
            <span className="rounded bg-red-600 px-1 font-semibold text-white">✕ 2 failed</span> findings pointing into the task (select it for the list)
          </span>
          <span>
            <span className="font-medium text-emerald-700 dark:text-emerald-400">✓ digest</span> /{' '}
            <span className="font-medium text-amber-700 dark:text-amber-400">! tag</span> /{' '}
            <span className="font-medium text-violet-700 dark:text-violet-400">? param</span> image reference
          </span>
          <span>
            <span className="text-emerald-700 dark:text-emerald-400">✓ yes</span> · <span className="text-red-700 dark:text-red-400">✕ no</span> ·{' '}
            <span className="text-amber-700 dark:text-amber-400">? not set</span> security context (non-root, unpriv. = not privileged, no esc. = no
            privilege escalation)
          </span>
          <span className="inline-flex items-center gap-1 text-red-700 dark:text-red-400">
            <KeyIcon className="h-3 w-3" /> credentials the task can read
          </span>
          {g.run ? (
            <span>
              run state and signing of <span className="font-mono">{g.run.name}</span>
            </span>
          ) : null}
        </dd>
      </dl>
    </div>
  );
}
