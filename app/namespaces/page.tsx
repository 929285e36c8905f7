import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '../../components/ui';
import { namespaceHref } from '../../lib/view/links';
import { psaLabels } from '../../lib/view/namespaces';
import { getState } from '../../server/state';
import { namespaceLabel } from '../../lib/model/types';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Namespaces' };

export default async function NamespacesPage() {
  const { report, model } = await getState();
  const names = [...new Set([...model.namespaces.keys(), ...report.pipelines.map((p) => p.namespace)])].sort();
  return (
    <>
      <PageHeader title="Namespaces" kicker="Guardrails">
        Pod Security admission, egress control, quotas and default limits of every namespace in the data.
      </PageHeader>
      <div tabIndex={0} className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Namespace</th>
              <th scope="col">Pod Security (enforce)</th>
              <th scope="col" className="text-right">
                NetworkPolicies
              </th>
              <th scope="col" className="text-right">
                Quotas
              </th>
              <th scope="col" className="text-right">
                LimitRanges
              </th>
              <th scope="col" className="text-right">
                Pipelines
              </th>
              <th scope="col" className="text-right">
                Failed guardrail checks
              </th>
            </tr>
          </thead>
          <tbody>
            {names.map((n) => {
              const ns = model.namespaces.get(n);
              const enforce = ns ? psaLabels(ns).find((l) => l.mode === 'enforce') : undefined;
              const pipelines = report.pipelines.filter((p) => p.namespace === n);
              const nsgFails = new Set(pipelines.flatMap((p) => p.findings.filter((f) => f.category === 'namespace' && f.outcome === 'fail').map((f) => f.checkId)));
              return (
                <tr key={n}>
                  <th scope="row">
                    <Link href={namespaceHref(n)} prefetch={false} className="font-medium [overflow-wrap:anywhere] text-sky-700 hover:underline dark:text-sky-400">
                      {namespaceLabel(n)}
                    </Link>
                    {ns?.object ? null : <div className="text-xs text-zinc-600 dark:text-zinc-400">no Namespace object in sight</div>}
                  </th>
                  <td className="text-xs">
                    {enforce ? (
                      <span className={enforce.level === 'restricted' ? 'text-emerald-700 dark:text-emerald-300' : enforce.level === 'baseline' ? 'text-amber-700 dark:text-amber-300' : 'text-red-700 dark:text-red-300'}>
                        {enforce.level === 'restricted' ? '✓ ' : enforce.level === 'baseline' ? '! ' : '✕ '}
                        {enforce.level}
                      </span>
                    ) : (
                      <span className="text-red-700 dark:text-red-300">✕ not set</span>
                    )}
                  </td>
                  <td className="text-right tabular-nums">{ns?.networkPolicies.length ?? 0}</td>
                  <td className="text-right tabular-nums">{ns?.resourceQuotas.length ?? 0}</td>
                  <td className="text-right tabular-nums">{ns?.limitRanges.length ?? 0}</td>
                  <td className="text-right tabular-nums">{pipelines.length}</td>
                  <td className="text-right font-mono text-xs">{nsgFails.size ? [...nsgFails].sort().join(' ') : <span className="font-sans text-zinc-500 dark:text-zinc-400">none</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
