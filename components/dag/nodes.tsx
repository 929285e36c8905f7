'use client';
/**
 * The DAG's node components (module scope, memoized: xyflow re-creates nothing when the graph re-renders).
 * Every colour is doubled by a word or an icon; every cluster string is rendered as React text.
 */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo, type ReactNode } from 'react';
import type { GroupNodeData, MissingNodeData, TaskNodeData, WorkspaceNodeData } from '../../lib/view/dag-layout';
import { BINDING_STYLE, CHAINS_ICON, KeyIcon, PIN_STYLE, RUN_ICON, VERDICT, chainsLabel, runStatusLabel, shortImage } from './styles';

export type TaskFlowNode = Node<TaskNodeData, 'task'>;
export type WorkspaceFlowNode = Node<WorkspaceNodeData, 'workspace'>;
export type GroupFlowNode = Node<GroupNodeData, 'finallyGroup'>;
export type MissingFlowNode = Node<MissingNodeData, 'missing'>;

// Handles exist for edge anchoring only: the graph is read-only, so they are invisible and inert.
const HANDLE_CLASS = '!h-2 !w-2 !min-h-0 !min-w-0 !border-0 !bg-transparent !opacity-0 !pointer-events-none';

function FailedBadge({ n, compact }: { n: number; compact: boolean }) {
  if (n === 0)
    return (
      <span className="shrink-0 rounded px-1 text-[11px] font-medium text-emerald-700 dark:text-emerald-400" title="No failed findings point into this task">
        <span aria-hidden="true">✓ </span>
        {compact ? '0' : 'no fails'}
      </span>
    );
  return (
    <span className="shrink-0 rounded bg-red-600 px-1.5 text-[11px] leading-4 font-semibold text-white tabular-nums" title={`${n} failed finding${n === 1 ? '' : 's'}`}>
      <span aria-hidden="true">✕ </span>
      {n}
      {compact ? '' : ' failed'}
    </span>
  );
}

function Line({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <div className={`flex h-4 min-w-0 items-center gap-1.5 overflow-hidden text-[11px] leading-4 whitespace-nowrap ${className}`}>{children}</div>;
}

function TaskNodeImpl({ data, selected }: NodeProps<TaskFlowNode>) {
  const d = data;
  const border = d.onCycle
    ? 'border-red-500 dark:border-red-500'
    : selected
      ? 'border-sky-500 dark:border-sky-400'
      : d.failedFindings > 0
        ? 'border-zinc-300 dark:border-zinc-600'
        : 'border-zinc-300 dark:border-zinc-700';
  const ring = selected ? 'ring-2 ring-sky-500/60 dark:ring-sky-400/60' : '';
  const accent = d.failedFindings > 0 ? 'before:bg-red-500' : 'before:bg-emerald-500';
  const handles = (
    <>
      <Handle type="target" position={Position.Left} id="in" isConnectable={false} className={HANDLE_CLASS} />
      <Handle type="source" position={Position.Right} id="out" isConnectable={false} className={HANDLE_CLASS} />
      <Handle type="source" position={Position.Bottom} id="ws" isConnectable={false} className={HANDLE_CLASS} />
    </>
  );
  const run = d.run;
  const runIcon = run ? RUN_ICON[run.status] : null;
  if (d.compact) {
    return (
      <div
        className={`relative h-full w-full overflow-hidden rounded-md border bg-white py-1.5 pr-2 pl-3 shadow-sm before:absolute before:inset-y-0 before:left-0 before:w-1 dark:bg-zinc-900 ${accent} ${border} ${ring}`}
      >
        {handles}
        <div className="flex h-5 items-center justify-between gap-1">
          <span className="truncate font-mono text-xs font-semibold text-zinc-900 dark:text-zinc-50">{d.name}</span>
          <FailedBadge n={d.failedFindings} compact />
        </div>
        <Line className="text-zinc-600 dark:text-zinc-400">
          <span title={`${d.imageCounts.total} image(s), ${d.imageCounts.unpinned} not pinned by digest`}>
            {d.imageCounts.total} img
            {d.imageCounts.unpinned ? <span className="text-amber-700 dark:text-amber-400"> ({d.imageCounts.unpinned} unpinned)</span> : null}
          </span>
          {d.credentials.length ? (
            <span className="inline-flex items-center gap-0.5 text-red-700 dark:text-red-400" title={`credentials: ${d.credentials.map((c) => c.name).join(', ')}`}>
              <KeyIcon className="h-3 w-3" />
              {d.credentials.length}
            </span>
          ) : null}
          {run && runIcon ? (
            <span className={`ml-auto ${runIcon.cls}`} title={runStatusLabel(run.status)}>
              <span aria-hidden="true">{runIcon.icon}</span>
              <span className="sr-only">{runStatusLabel(run.status)}</span>
            </span>
          ) : null}
        </Line>
      </div>
    );
  }
  const shown = d.images.length > 4 ? d.images.slice(0, 3) : d.images;
  const sec = d.security;
  const chains = run?.chains ? CHAINS_ICON[run.chains] : null;
  return (
    <div
      className={`relative h-full w-full overflow-hidden rounded-lg border bg-white py-2 pr-2.5 pl-3.5 text-zinc-800 shadow-sm before:absolute before:inset-y-0 before:left-0 before:w-1 dark:bg-zinc-900 dark:text-zinc-200 ${accent} ${border} ${ring}`}
    >
      {handles}
      <div className="flex h-5 items-center justify-between gap-2">
        <span className="truncate font-mono text-[13px] font-semibold text-zinc-900 dark:text-zinc-50" title={d.name}>
          {d.name}
        </span>
        <FailedBadge n={d.failedFindings} compact={false} />
      </div>
      <Line className="text-zinc-600 dark:text-zinc-400">
        <span className="truncate" title={d.source.label}>
          {d.source.label}
        </span>
        {d.source.pinned === false ? <span className="shrink-0 font-medium text-amber-700 dark:text-amber-400">! unpinned</span> : null}
        {d.source.pinned === true ? <span className="shrink-0 font-medium text-emerald-700 dark:text-emerald-400">✓ pinned</span> : null}
      </Line>
      {shown.length === 0 ? <Line className="text-zinc-600 dark:text-zinc-400 italic dark:text-zinc-400">no images in sight</Line> : null}
      {shown.map((img, i) => {
        const p = PIN_STYLE[img.pin];
        return (
          <Line key={i}>
            <span className={`w-12 shrink-0 font-medium ${p.cls}`}>
              <span aria-hidden="true">{p.icon} </span>
              {p.label}
            </span>
            <span className="truncate font-mono text-[10.5px] text-zinc-700 dark:text-zinc-300" title={img.image ?? img.container}>
              {img.image ? shortImage(img.image) : `${img.container} (no image)`}
            </span>
          </Line>
        );
      })}
      {d.images.length > 4 ? <Line className="text-zinc-600 dark:text-zinc-400">+{d.images.length - 3} more images</Line> : null}
      <Line>
        {(
          [
            ['non-root', 'runs as non-root', sec.nonRoot],
            ['unpriv.', 'not privileged', sec.notPrivileged],
            ['no esc.', 'no privilege escalation', sec.noEscalation],
          ] as const
        ).map(([short, label, v]) => (
          <span key={label} className={`shrink-0 ${VERDICT[v].cls}`} title={`${label}: ${VERDICT[v].word}`}>
            <span aria-hidden="true">
              {VERDICT[v].icon} {short}
            </span>
            <span className="sr-only">
              {label}: {VERDICT[v].word}
            </span>
          </span>
        ))}
      </Line>
      <Line className={d.credentials.length ? 'text-red-700 dark:text-red-400' : 'text-zinc-600 dark:text-zinc-400'}>
        <KeyIcon className="h-3 w-3" />
        <span className="truncate" title={d.credentials.map((c) => `${c.name} (${c.via.join(', ')})`).join('; ')}>
          {d.credentials.length ? d.credentials.map((c) => c.name).join(', ') : 'no credentials reachable'}
        </span>
      </Line>
      <Line>
        {run && runIcon ? (
          <>
            <span className={`shrink-0 font-medium ${runIcon.cls}`}>
              <span aria-hidden="true">{runIcon.icon} </span>
              {runStatusLabel(run.status)}
            </span>
            {run.chains && chains ? (
              <span className={`truncate ${chains.cls}`}>
                · <span aria-hidden="true">{chains.icon} </span>
                {chainsLabel(run.chains)}
              </span>
            ) : null}
          </>
        ) : (
          <span className="text-zinc-600 dark:text-zinc-400">no run</span>
        )}
      </Line>
      {d.issues.length ? (
        <Line className="font-medium text-red-700 dark:text-red-400">
          <span aria-hidden="true">⚠</span>
          <span className="truncate">{d.issues.join('; ')}</span>
        </Line>
      ) : null}
    </div>
  );
}

function WorkspaceNodeImpl({ data, selected }: NodeProps<WorkspaceFlowNode>) {
  const s = BINDING_STYLE[data.binding];
  const Icon = s.icon;
  return (
    <div className={`relative flex h-full w-full flex-col justify-center rounded-xl border-2 px-2.5 shadow-sm ${s.box} ${selected ? 'ring-2 ring-sky-500/70' : ''}`}>
      <Handle type="target" position={Position.Top} id="in" isConnectable={false} className={HANDLE_CLASS} />
      <div className="flex min-w-0 items-center gap-1.5">
        <Icon className="h-3.5 w-3.5" />
        <span className="truncate font-mono text-xs font-semibold" title={data.name}>
          {data.name}
        </span>
        <span className={`ml-auto shrink-0 rounded px-1.5 text-[10.5px] leading-4 font-semibold ${s.chip}`}>{data.badge}</span>
      </div>
      {data.compact ? null : (
        <div className="mt-0.5 truncate text-[11px] leading-4 opacity-80" title={data.detail}>
          {data.detail}
        </div>
      )}
      <div className="truncate text-[10.5px] leading-4 opacity-70">
        {data.mountedBy.length ? `mounted by ${data.mountedBy.length} task${data.mountedBy.length === 1 ? '' : 's'}` : 'not mounted'}
        {data.optional ? ' · optional' : ''}
      </div>
    </div>
  );
}

function GroupNodeImpl({ data }: NodeProps<GroupFlowNode>) {
  return (
    <div className="pointer-events-none h-full w-full rounded-xl border-2 border-dashed border-indigo-400/80 bg-indigo-50/40 dark:border-indigo-400/60 dark:bg-indigo-950/20">
      <div className="px-3 pt-1.5 text-[11px] font-semibold tracking-wider text-indigo-800 uppercase dark:text-indigo-300">
        {data.label} <span className="font-normal tracking-normal normal-case opacity-80">· runs after all tasks</span>
      </div>
    </div>
  );
}

function MissingNodeImpl({ data }: NodeProps<MissingFlowNode>) {
  return (
    <div className="flex h-full w-full flex-col justify-center rounded-md border-2 border-dashed border-red-500 bg-red-50/60 px-2 text-red-800 dark:bg-red-950/40 dark:text-red-200">
      <Handle type="source" position={Position.Right} id="out" isConnectable={false} className={HANDLE_CLASS} />
      <div className="text-[10.5px] leading-4 font-semibold tracking-wide uppercase">
        <span aria-hidden="true">⚠ </span>missing task
      </div>
      <div className="truncate font-mono text-xs" title={data.name}>
        {data.name}
      </div>
    </div>
  );
}

export const TaskNode = memo(TaskNodeImpl);
export const WorkspaceNode = memo(WorkspaceNodeImpl);
export const GroupNode = memo(GroupNodeImpl);
export const MissingNode = memo(MissingNodeImpl);
