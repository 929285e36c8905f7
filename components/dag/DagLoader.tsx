'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DagWire } from '../../lib/view/dag-wire';
import { DagCanvas, type DagCanvasProps } from './DagCanvas';

async function fetchGraph(src: string): Promise<DagWire> {
  const res = await fetch(src, { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    const detail = await res
      .json()
      .then((b: { error?: unknown }) => (typeof b.error === 'string' ? b.error : ''))
      .catch(() => '');
    throw new Error(`HTTP ${res.status}${detail ? `: ${detail}` : ''}`);
  }
  return (await res.json()) as DagWire;
}

/**
 * Fetches the graph's nodes and edges (lib/view/dag-wire.ts) and draws the canvas. `version` is the engine state
 * the page was rendered from: a live update re-renders the page with a new one, which fetches the new graph while
 * the old one stays on screen (no flash), and the canvas adopts it keeping selection and viewport.
 */
export function DagLoader({ src, version, ...frame }: { src: string; version: number } & Omit<DagCanvasProps, keyof DagWire>) {
  const q = useQuery({ queryKey: ['pipeline-graph', src, version], queryFn: () => fetchGraph(src), placeholderData: keepPreviousData, staleTime: Infinity, retry: 1 });
  if (q.data) return <DagCanvas {...frame} {...q.data} />;
  const box = 'flex items-center justify-center rounded-lg border border-zinc-200 bg-zinc-50 p-4 text-sm dark:border-zinc-800 dark:bg-zinc-950';
  if (q.isError) {
    return (
      <div className={`${box} flex-col gap-2 text-red-700 dark:text-red-300`} style={{ height: frame.canvasHeight }} role="alert" data-testid="dag-error">
        <p>The task graph could not be loaded ({q.error.message}).</p>
        <button type="button" onClick={() => void q.refetch()} className="copy-button">
          Try again
        </button>
      </div>
    );
  }
  return (
    <div className={`${box} text-zinc-600 dark:text-zinc-400`} style={{ height: frame.canvasHeight }} role="status" aria-label={frame.label} data-testid="dag-loading">
      Loading the task graph…
    </div>
  );
}
