import Link from 'next/link';
import type { PipelineRunModel } from '../lib/model/types';
import { signingLabel } from '../lib/view/chains';
import { CHAINS_LABELS, duration, formatTime, timeAgo } from '../lib/view/format';
import { runHref, serviceAccountHref } from '../lib/view/links';
import { ChainsBadge, Empty, RunStatusBadge } from './ui';

export function TrustedBadge({ value }: { value: string | null }) {
  if (value === 'True') return <span className="text-xs text-emerald-700 dark:text-emerald-300">✓ Verified</span>;
  if (value === 'False') return <span className="text-xs text-red-700 dark:text-red-300">✕ Not verified</span>;
  return <span className="text-xs text-zinc-600 dark:text-zinc-400">– No condition</span>;
}

/** `reportTime` (the report's generatedAt) is "now" for relative times, so a snapshot reads as the day it was taken. */
export function RunsTable({ runs, reportTime = null }: { runs: PipelineRunModel[]; reportTime?: string | null }) {
  if (runs.length === 0) return <Empty>No runs in sight.</Empty>;
  return (
    <div tabIndex={0} className="overflow-x-auto">
      <table className="data-table">
        <caption className="sr-only">Recent runs with their status and Tekton Chains state</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col">Duration</th>
            <th scope="col">Chains</th>
            <th scope="col">Trusted resources</th>
            <th scope="col">Service account</th>
            <th scope="col" className="text-right">
              TaskRuns
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={`${r.namespace}/${r.name}`}>
              <td className="[overflow-wrap:anywhere]">
                <Link href={runHref(r.namespace, r.name)} prefetch={false} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                  {r.name}
                </Link>
              </td>
              <td>
                <RunStatusBadge status={r.status} />
              </td>
              <td className="text-xs whitespace-nowrap">
                {reportTime ? (
                  <time dateTime={r.startTime ?? r.object.creationTimestamp ?? undefined} title={formatTime(r.startTime ?? r.object.creationTimestamp)}>
                    {timeAgo(r.startTime ?? r.object.creationTimestamp, reportTime)}
                  </time>
                ) : (
                  formatTime(r.startTime ?? r.object.creationTimestamp)
                )}
              </td>
              <td className="text-xs">{duration(r.startTime, r.completionTime)}</td>
              <td>
                <ChainsBadge state={r.chains.state} label={signingLabel(r, reportTime, CHAINS_LABELS[r.chains.state])} />
              </td>
              <td>
                <TrustedBadge value={r.trustedResourcesVerified} />
              </td>
              <td className="text-xs [overflow-wrap:anywhere]">
                <Link href={serviceAccountHref(r.namespace, r.serviceAccountName)} prefetch={false} className="hover:underline">
                  {r.serviceAccountName}
                </Link>
                {r.serviceAccountExplicit ? null : <span className="text-zinc-600 dark:text-zinc-400"> (implicit)</span>}
              </td>
              <td className="text-right tabular-nums">{r.taskRuns.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
