import type { Metadata } from 'next';
import Link from 'next/link';
import { Card, Empty, PageHeader, Stat } from '../../components/ui';
import { KINDS, apiVersionOf, kindInfo } from '../../lib/kinds';
import { checkHref } from '../../lib/view/links';
import { formatTime, plural } from '../../lib/view/format';
import { getState } from '../../server/state';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Data sources' };

const GAP_LABELS: Record<string, string> = {
  forbidden: 'forbidden (403)',
  'not-installed': 'not installed',
  'not-collected': 'not collected',
  error: 'error',
  unreachable: 'API server unreachable',
  throttled: 'throttled (429)',
};

export default async function SourcesPage() {
  const { report, model, updatedAt } = await getState();
  const counts = new Map<string, number>();
  for (const o of model.objects) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  const known = new Set(KINDS.map((k) => k.kind));
  const extra = [...counts.keys()].filter((k) => !known.has(k)).sort();
  const gapsByKind = new Map<string, typeof report.gaps>();
  for (const g of report.gaps) gapsByKind.set(g.kind, [...(gapsByKind.get(g.kind) ?? []), g]);

  return (
    <>
      <PageHeader title="Data sources" kicker="Where the data comes from">
        What was read, how much of it, and what could not be read. A kind that cannot be read makes the checks it feeds <em>unknown</em>, never pass.
      </PageHeader>
      <section aria-label="Source" className="mb-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
          <Stat label="Source kind">{report.source.kind}</Stat>
          <Stat label="Detail">
            <span className="[overflow-wrap:anywhere]">{report.source.detail ?? '—'}</span>
          </Stat>
          <Stat label="Updated">{formatTime(updatedAt)}</Stat>
          <Stat label="Objects">{model.objects.length}</Stat>
        </dl>
      </section>

      <div className="grid grid-cols-1 gap-4 xl:grid-cols-3">
        <Card flush title="Kinds read" className="xl:col-span-2">
          <div>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">API version</th>
                  <th scope="col" className="text-right">
                    Objects
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Feeds checks</th>
                </tr>
              </thead>
              <tbody>
                {KINDS.map((k) => {
                  const gaps = gapsByKind.get(k.kind) ?? [];
                  return (
                    <tr key={k.kind}>
                      <th scope="row" className="!font-medium !whitespace-nowrap">
                        {k.kind}
                        {k.optional ? <span className="ml-1 text-xs font-normal text-zinc-600 dark:text-zinc-400">optional</span> : null}
                      </th>
                      <td className="font-mono text-xs">{apiVersionOf(k)}</td>
                      <td className="text-right tabular-nums">{counts.get(k.kind) ?? 0}</td>
                      <td className="text-xs">
                        {gaps.length === 0 ? (
                          <span className="text-emerald-700 dark:text-emerald-300">✓ read</span>
                        ) : (
                          <span className="text-amber-800 dark:text-amber-300">
                            ! {gaps.map((g) => `${GAP_LABELS[g.reason] ?? g.reason}${g.namespace ? ` in ${g.namespace}` : ''}`).join('; ')}
                          </span>
                        )}
                      </td>
                      <td className="font-mono text-[11px] text-zinc-600 dark:text-zinc-400">{k.feeds.includes('*') ? 'all checks' : k.feeds.join(' ')}</td>
                    </tr>
                  );
                })}
                {extra.map((k) => (
                  <tr key={k}>
                    <th scope="row" className="!font-medium !whitespace-nowrap">
                      {k}
                    </th>
                    <td className="text-xs text-zinc-600 dark:text-zinc-400">—</td>
                    <td className="text-right tabular-nums">{counts.get(k)}</td>
                    <td className="text-xs text-zinc-600 dark:text-zinc-400">metadata only</td>
                    <td />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>

        <div className="space-y-4">
          <Card title={`Data gaps (${report.gaps.length})`}>
            {report.gaps.length === 0 ? (
              <Empty>✓ None: every kind was readable.</Empty>
            ) : (
              <ul className="space-y-3 text-sm">
                {report.gaps.map((g, i) => {
                  const feeds = kindInfo(g.kind)?.feeds ?? [];
                  return (
                    <li key={i}>
                      <div className="font-medium">
                        {g.kind}
                        {g.namespace ? ` in ${g.namespace}` : ''}: {GAP_LABELS[g.reason] ?? g.reason}
                      </div>
                      <div className="text-xs break-words text-zinc-600 dark:text-zinc-400">{g.message}</div>
                      <div className="mt-1 text-xs">
                        Makes unknown:{' '}
                        {feeds.includes('*')
                          ? 'every check'
                          : feeds.map((id, j) => (
                              <span key={id}>
                                {j > 0 ? ', ' : ''}
                                <Link href={checkHref(id)} prefetch={false} className="font-mono text-sky-700 hover:underline dark:text-sky-400">
                                  {id}
                                </Link>
                              </span>
                            ))}
                      </div>
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>
          <Card title={`Load issues (${report.loadIssues.length})`}>
            {report.loadIssues.length === 0 ? (
              <Empty>✓ Every document loaded.</Empty>
            ) : (
              <ul className="space-y-1 text-xs">
                {report.loadIssues.slice(0, 200).map((l, i) => (
                  <li key={i} className="break-words">
                    <span className="font-mono text-zinc-600 dark:text-zinc-400">
                      {l.file ?? '?'}
                      {l.line ? `:${l.line}` : ''}
                    </span>
                    : {l.message}
                  </li>
                ))}
                {report.loadIssues.length > 200 ? <li className="text-zinc-600 dark:text-zinc-400">… {plural(report.loadIssues.length - 200, 'more issue')}</li> : null}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
