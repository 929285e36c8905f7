import Link from 'next/link';
import { defaultDir, scorecardSearch, type ScorecardQuery, type SortKey } from '../lib/view/scorecard';

/** A sortable column header: a link that sets `sort`/`dir` in the URL; aria-sort tells the current order. */
export function SortHeader({ q, k, label, className = '', base = '/pipelines' }: { q: ScorecardQuery; k: SortKey; label: string; className?: string; base?: string }) {
  const activeKey = q.sort ?? 'score';
  const activeDir = q.dir ?? (q.sort ? defaultDir(activeKey) : 'asc');
  const on = activeKey === k;
  const nextDir = on ? (activeDir === 'asc' ? 'desc' : 'asc') : defaultDir(k);
  return (
    <th scope="col" aria-sort={on ? (activeDir === 'asc' ? 'ascending' : 'descending') : 'none'} className={className}>
      <Link href={`${base}${scorecardSearch(q, { sort: k, dir: nextDir })}`} prefetch={false} scroll={false} className="inline-flex items-center gap-1 hover:text-zinc-900 dark:hover:text-zinc-100">
        {label}
        <span aria-hidden="true" className={on ? 'text-zinc-900 dark:text-zinc-100' : 'text-zinc-300 dark:text-zinc-600'}>
          {on ? (activeDir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </Link>
    </th>
  );
}
