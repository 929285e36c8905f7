import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EffectiveRules } from '../../../../components/EffectiveRules';
import { FindingRow } from '../../../../components/FindingRow';
import { Card, Empty, GradeBadge, PageHeader, Stat, TextLink } from '../../../../components/ui';
import { saKey } from '../../../../lib/model/types';
import { OUTCOME_RANK, SEVERITY_RANK, plural } from '../../../../lib/view/format';
import { namespaceHref, pipelineHrefFromId, pipelineIdSet } from '../../../../lib/view/links';
import { routeParam } from '../../../../lib/view/params';
import { getState } from '../../../../server/state';
import { namespaceFromSegment } from '../../../../lib/model/types';
import { notFoundTitle } from '../../../../lib/view/not-found';

export const dynamic = 'force-dynamic';

type Params = Promise<{ namespace: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const p = await params;
  const { model } = await getState();
  const key = saKey(namespaceFromSegment(routeParam(p.namespace)), routeParam(p.name));
  if (!model.serviceAccounts.has(key) && !(model.pipelinesBySa.get(key)?.length)) return { title: notFoundTitle(`/service-accounts/${p.namespace}/${p.name}`) };
  return { title: `Service account ${routeParam(p.namespace)}/${routeParam(p.name)}` };
}

export default async function ServiceAccountPage({ params }: { params: Params }) {
  const p = await params;
  const namespace = namespaceFromSegment(routeParam(p.namespace));
  const name = routeParam(p.name);
  const { report, model } = await getState();
  const key = saKey(namespace, name);
  const sa = model.serviceAccounts.get(key);
  const pipelineIds = model.pipelinesBySa.get(key) ?? [];
  if (!sa && pipelineIds.length === 0) notFound();
  const pipelines = report.pipelines.filter((x) => pipelineIds.includes(x.id));
  const allIds = pipelineIdSet(report.pipelines);
  const findings = pipelines
    .flatMap((pr) => pr.findings.filter((f) => f.category === 'identity' && f.outcome !== 'not-applicable' && f.outcome !== 'pass').map((f) => ({ pr, f })))
    .sort((a, b) => OUTCOME_RANK[a.f.outcome] - OUTCOME_RANK[b.f.outcome] || SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.f.checkId.localeCompare(b.f.checkId));
  // One entry per check (the same SA gives the same verdict in each pipeline), with the pipelines it shows in.
  const grouped: { f: (typeof findings)[number]['f']; pipelines: (typeof pipelines)[number][] }[] = [];
  for (const { pr, f } of findings) {
    const g = grouped.find((x) => x.f.checkId === f.checkId && x.f.outcome === f.outcome);
    if (g) g.pipelines.push(pr);
    else grouped.push({ f, pipelines: [pr] });
  }
  const passing = pipelines.reduce((n, pr) => n + pr.findings.filter((f) => f.category === 'identity' && f.outcome === 'pass').length, 0);

  return (
    <>
      <PageHeader kicker="Service account" title={`${namespace}/${name}`}>
        Namespace <TextLink href={namespaceHref(namespace)}>{namespace}</TextLink> · {plural(pipelineIds.length, 'pipeline')} ·{' '}
        {plural(sa?.rules.length ?? 0, 'effective rule')}
      </PageHeader>

      <section aria-label="Service account details" className="mb-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
          <Stat label="Object">{sa?.object ? '✓ in sight' : '– not in sight (auto-created or not collected)'}</Stat>
          <Stat label="Token automount">{sa?.automountServiceAccountToken === false ? 'off' : sa?.automountServiceAccountToken === true ? 'on (explicit)' : 'on (default)'}</Stat>
          <Stat label="Secrets (creds-init)">{sa?.secrets.length ? sa.secrets.join(', ') : 'none'}</Stat>
          <Stat label="Image pull secrets">{sa?.imagePullSecrets.length ? sa.imagePullSecrets.join(', ') : 'none'}</Stat>
        </dl>
      </section>

      <Card title="Effective permissions (binding → role → rule)">
        {sa ? <EffectiveRules rules={sa.rules} missingRoles={sa.missingRoles} /> : <Empty>This service account is not in the data: its permissions are unknown.</Empty>}
      </Card>

      <div className="mt-4 grid grid-cols-1 gap-4 xl:grid-cols-3">
        <Card title="Pipelines using it">
          {pipelines.length === 0 ? (
            <Empty>No pipeline run uses it.</Empty>
          ) : (
            <ul className="space-y-1.5">
              {pipelines.map((pr) => (
                <li key={pr.id} className="flex items-center gap-2 text-sm">
                  <GradeBadge grade={pr.grade} incomplete={pr.incomplete} size="sm" />
                  <Link href={pipelineHrefFromId(pr.id)} prefetch={false} className="[overflow-wrap:anywhere] text-sky-700 hover:underline dark:text-sky-400">
                    {pr.id}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={`Identity checks not passing (${grouped.length})`} className="xl:col-span-2" actions={<span className="text-xs text-zinc-600 dark:text-zinc-400">{passing} passing</span>}>
          {findings.length === 0 ? (
            <Empty>Every identity check passes or does not apply.</Empty>
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {grouped.map(({ f, pipelines: prs }) => (
                <FindingRow key={f.checkId} f={f} pipelineIds={allIds}>
                  <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
                    In {prs.length === 1 ? 'pipeline' : `${prs.length} pipelines`}:{' '}
                    {prs.map((pr, i) => (
                      <span key={pr.id}>
                        {i > 0 ? ', ' : ''}
                        <Link href={`${pipelineHrefFromId(pr.id)}#finding-${f.checkId}`} prefetch={false} className="text-sky-700 underline underline-offset-2 dark:text-sky-300">
                          {pr.name}
                        </Link>
                      </span>
                    ))}
                  </p>
                </FindingRow>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
