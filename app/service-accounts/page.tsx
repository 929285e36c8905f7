import type { Metadata } from 'next';
import Link from 'next/link';
import { ruleConcern } from '../../components/EffectiveRules';
import { Empty, PageHeader, SeverityBadge } from '../../components/ui';
import { riskyServiceAccounts } from '../../lib/view/insights';
import { pipelineHrefFromId, serviceAccountHref } from '../../lib/view/links';
import { getState } from '../../server/state';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Service accounts' };

export default async function ServiceAccountsPage() {
  const { report, model } = await getState();
  const rows = riskyServiceAccounts(report, model);
  return (
    <>
      <PageHeader title="Service accounts" kicker="Identity">
        Every service account used by runs or present in the data, riskiest first (worst failed identity check, then how many fail).
      </PageHeader>
      <div tabIndex={0} className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        {rows.length === 0 ? (
          <div className="p-6">
            <Empty>No service accounts in sight.</Empty>
          </div>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Service account</th>
                <th scope="col">Worst failed check</th>
                <th scope="col" className="text-right">
                  Failed identity checks
                </th>
                <th scope="col" className="text-right">
                  Rules
                </th>
                <th scope="col" className="text-right">
                  Cluster-wide
                </th>
                <th scope="col" className="text-right">
                  Flagged rules
                </th>
                <th scope="col">Pipelines</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((sa) => {
                const m = model.serviceAccounts.get(sa.key);
                const rules = m?.rules ?? [];
                return (
                  <tr key={sa.key}>
                    <th scope="row">
                      <Link href={serviceAccountHref(sa.namespace, sa.name)} prefetch={false} className="font-medium [overflow-wrap:anywhere] text-sky-700 hover:underline dark:text-sky-400">
                        <span className="font-normal text-zinc-600 dark:text-zinc-400">{sa.namespace}/</span>
                        {sa.name}
                      </Link>
                      {m && !m.object ? <div className="text-xs text-zinc-600 dark:text-zinc-400">no ServiceAccount object in sight</div> : null}
                    </th>
                    <td>{sa.worst ? <SeverityBadge severity={sa.worst} /> : <span className="text-xs text-zinc-600 dark:text-zinc-400">none</span>}</td>
                    <td className="text-right tabular-nums">{sa.failedFindings}</td>
                    <td className="text-right tabular-nums">{rules.length}</td>
                    <td className="text-right tabular-nums">{rules.filter((r) => r.scope === null).length}</td>
                    <td className="text-right tabular-nums">{rules.filter((r) => ruleConcern(r)).length}</td>
                    <td className="text-xs">
                      {sa.pipelines.length === 0 ? (
                        <span className="text-zinc-500 dark:text-zinc-400">none</span>
                      ) : (
                        sa.pipelines.map((id, i) => (
                          <span key={id}>
                            {i > 0 ? ', ' : ''}
                            <Link href={pipelineHrefFromId(id)} prefetch={false} className="[overflow-wrap:anywhere] hover:underline">
                              {id.slice(id.indexOf('/') + 1)}
                            </Link>
                          </span>
                        ))
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
