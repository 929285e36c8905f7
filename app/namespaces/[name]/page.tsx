import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { FindingRow } from '../../../components/FindingRow';
import { Card, Empty, GradeBadge, PageHeader, ScoreValue } from '../../../components/ui';
import { rollUp } from '../../../lib/score/score';
import { OUTCOME_RANK, scoreText } from '../../../lib/view/format';
import { pipelineHrefFromId, pipelineIdSet } from '../../../lib/view/links';
import { limitRangeSummary, netpolSummary, psaLabels, quotaSummary } from '../../../lib/view/namespaces';
import { routeParam } from '../../../lib/view/params';
import { getState } from '../../../server/state';
import { namespaceFromSegment, namespaceLabel } from '../../../lib/model/types';
import { notFoundTitle } from '../../../lib/view/not-found';

export const dynamic = 'force-dynamic';

type Params = Promise<{ name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const raw = (await params).name;
  const name = namespaceFromSegment(routeParam(raw));
  const { report, model } = await getState();
  if (!model.namespaces.has(name) && !report.pipelines.some((p) => p.namespace === name)) return { title: notFoundTitle(`/namespaces/${raw}`) };
  return { title: `Namespace ${routeParam(raw)}` };
}

export default async function NamespacePage({ params }: { params: Params }) {
  const name = namespaceFromSegment(routeParam((await params).name));
  const { report, model } = await getState();
  const ns = model.namespaces.get(name);
  const pipelines = report.pipelines.filter((p) => p.namespace === name);
  if (!ns && pipelines.length === 0) notFound();
  const psa = ns ? psaLabels(ns) : [];
  const allIds = pipelineIdSet(report.pipelines);
  // NSG findings are about the namespace: show each check once, from the first pipeline that has it.
  const nsg = new Map<string, { f: (typeof pipelines)[number]['findings'][number]; count: number }>();
  for (const p of pipelines) {
    for (const f of p.findings) {
      if (f.category !== 'namespace') continue;
      const cur = nsg.get(f.checkId);
      if (!cur) nsg.set(f.checkId, { f, count: 1 });
      else cur.count++;
    }
  }
  const roll = rollUp(pipelines);
  const nsgRows = [...nsg.values()].sort((a, b) => OUTCOME_RANK[a.f.outcome] - OUTCOME_RANK[b.f.outcome] || a.f.checkId.localeCompare(b.f.checkId));

  return (
    <>
      <PageHeader kicker="Namespace" title={namespaceLabel(name)}>
        {ns?.object ? null : 'No Namespace object in sight: its labels are unknown. '}
        {pipelines.length} pipelines
        {pipelines.length > 0 ? (
          <span className="ml-2 inline-flex items-center gap-2" data-testid="namespace-rollup">
            <GradeBadge grade={roll.grade} incomplete={roll.incomplete} size="sm" />
            <ScoreValue score={roll.score} coverage={roll.coverage} incomplete={roll.incomplete} />
            {roll.worst ? (
              <span>
                · worst{' '}
                <Link href={pipelineHrefFromId(roll.worst.id)} prefetch={false} className="text-sky-700 underline underline-offset-2 dark:text-sky-300">
                  {roll.worst.name}
                </Link>{' '}
                ({roll.worst.grade ?? '—'}, {scoreText(roll.worst.score)})
              </span>
            ) : null}
            {roll.cap ? <span className="text-orange-700 dark:text-orange-300">· {roll.cap}</span> : null}
          </span>
        ) : null}
      </PageHeader>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <Card title="Pod Security admission">
          {psa.length === 0 ? (
            <p className="text-sm text-red-700 dark:text-red-300">✕ No pod-security.kubernetes.io labels: pods are admitted at the cluster default (usually privileged).</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {psa.map((l) => (
                <li key={l.mode}>
                  <span className="inline-block w-16 text-zinc-600 dark:text-zinc-400">{l.mode}</span>
                  <span className="font-medium">{l.level}</span>
                  {l.version ? <span className="text-xs text-zinc-600 dark:text-zinc-400"> (version {l.version})</span> : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card flush title={`NetworkPolicies (${ns?.networkPolicies.length ?? 0})`}>
          {!ns || ns.networkPolicies.length === 0 ? (
            <div className="p-4"><Empty>None: pods in this namespace can reach anything, including the cloud metadata endpoint.</Empty></div>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Pods</th>
                  <th scope="col">Ingress</th>
                  <th scope="col">Egress</th>
                </tr>
              </thead>
              <tbody>
                {ns.networkPolicies.map((o) => {
                  const s = netpolSummary(o);
                  return (
                    <tr key={o.name}>
                      <td className="[overflow-wrap:anywhere]">{o.name}</td>
                      <td className="text-xs [overflow-wrap:anywhere]">{s.selector}</td>
                      <td className="text-xs">{s.ingress}</td>
                      <td className={`text-xs ${s.egress === 'allow all' ? 'font-semibold text-red-700 dark:text-red-300' : ''}`}>{s.egress}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </Card>
        <Card title={`ResourceQuotas (${ns?.resourceQuotas.length ?? 0})`}>
          {!ns || ns.resourceQuotas.length === 0 ? (
            <Empty>None: a runaway or malicious run can exhaust the nodes.</Empty>
          ) : (
            <ul className="space-y-1 text-sm">
              {ns.resourceQuotas.map((o) => (
                <li key={o.name}>
                  <span className="font-medium [overflow-wrap:anywhere]">{o.name}</span>: <span className="font-mono text-xs [overflow-wrap:anywhere]">{quotaSummary(o)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={`LimitRanges (${ns?.limitRanges.length ?? 0})`}>
          {!ns || ns.limitRanges.length === 0 ? (
            <Empty>None: steps without limits run unbounded.</Empty>
          ) : (
            <ul className="space-y-1 text-sm">
              {ns.limitRanges.map((o) => (
                <li key={o.name}>
                  <span className="font-medium [overflow-wrap:anywhere]">{o.name}</span>
                  <ul className="ml-4 font-mono text-xs">
                    {limitRangeSummary(o).map((l, i) => (
                      <li key={i} className="[overflow-wrap:anywhere]">
                        {l}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <Card title="Namespace guardrail findings" className="mt-4">
        {nsgRows.length === 0 ? (
          <Empty>No pipeline runs here, so no guardrail check applies.</Empty>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {nsgRows.map(({ f }) => (
              <FindingRow key={f.checkId} f={f} pipelineIds={allIds} />
            ))}
          </ul>
        )}
      </Card>

      <Card title="Pipelines in this namespace" className="mt-4">
        {pipelines.length === 0 ? (
          <Empty>None.</Empty>
        ) : (
          <ul className="grid grid-cols-1 gap-1.5 md:grid-cols-2 xl:grid-cols-3">
            {pipelines.map((p) => (
              <li key={p.id} className="flex items-center gap-2 text-sm">
                <GradeBadge grade={p.grade} incomplete={p.incomplete} size="sm" />
                <Link href={pipelineHrefFromId(p.id)} prefetch={false} className="[overflow-wrap:anywhere] text-sky-700 hover:underline dark:text-sky-400">
                  {p.name}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
