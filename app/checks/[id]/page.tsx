import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { FindingRow } from '../../../components/FindingRow';
import { Markdownish } from '../../../components/Markdownish';
import { Card, Empty, GradeBadge, OutcomeBadge, PageHeader, SeverityBadge, Stat } from '../../../components/ui';
import { checkById } from '../../../lib/checks/registry';
import { CATEGORY_LABELS, type Finding } from '../../../lib/checks/types';
import type { PipelineReport } from '../../../lib/report/types';
import { OUTCOME_RANK } from '../../../lib/view/format';
import { pipelineHrefFromId, pipelineIdSet } from '../../../lib/view/links';
import { routeParam } from '../../../lib/view/params';
import { scorecardSearch } from '../../../lib/view/scorecard';
import { getState } from '../../../server/state';
import { notFoundTitle } from '../../../lib/view/not-found';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const raw = (await params).id;
  if (!checkById(routeParam(raw))) return { title: notFoundTitle(`/checks/${raw}`) };
  return { title: routeParam(raw) };
}

export default async function CheckPage({ params }: { params: Params }) {
  const id = routeParam((await params).id);
  const check = checkById(id);
  if (!check) notFound();
  const { report } = await getState();
  const allIds = pipelineIdSet(report.pipelines);
  const rows: { p: PipelineReport | null; f: Finding }[] =
    check.scope === 'platform'
      ? report.platform.findings.filter((f) => f.checkId === id).map((f) => ({ p: null, f }))
      : report.pipelines.flatMap((p) => p.findings.filter((f) => f.checkId === id).map((f) => ({ p, f })));
  rows.sort((a, b) => OUTCOME_RANK[a.f.outcome] - OUTCOME_RANK[b.f.outcome] || (a.p?.id ?? '').localeCompare(b.p?.id ?? ''));
  const n = (o: Finding['outcome']) => rows.filter((r) => r.f.outcome === o).length;
  const notable = rows.filter((r) => r.f.outcome !== 'pass' && r.f.outcome !== 'not-applicable');
  const quiet = rows.filter((r) => r.f.outcome === 'pass' || r.f.outcome === 'not-applicable');

  return (
    <>
      <PageHeader
        kicker={`${check.id} · ${CATEGORY_LABELS[check.category]}`}
        title={check.title}
        actions={
          check.scope === 'pipeline' ? (
            <Link href={`/pipelines${scorecardSearch({ check: check.id })}`} prefetch={false} className="rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium dark:border-zinc-700 dark:bg-zinc-900">
              Failing pipelines in the scorecard
            </Link>
          ) : null
        }
      >
        <span className="inline-flex items-center gap-2">
          <SeverityBadge severity={rows[0]?.f.severity ?? check.severity} /> {check.scope === 'platform' ? 'Platform check (once for the cluster)' : 'Pipeline check'}
        </span>
      </PageHeader>

      <div className="grid grid-cols-1 gap-4 xl:grid-cols-3">
        <Card title="Outcomes" className="xl:col-span-1">
          <dl className="grid grid-cols-3 gap-3">
            <Stat label="Fail">{n('fail')}</Stat>
            <Stat label="Warn">{n('warn')}</Stat>
            <Stat label="Unknown">{n('unknown')}</Stat>
            <Stat label="Pass">{n('pass')}</Stat>
            <Stat label="Not applicable">{n('not-applicable')}</Stat>
            <Stat label="Waived">{n('waived')}</Stat>
          </dl>
          <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">Source: {check.source}</p>
        </Card>
        <Card title="Why it matters and what to do" className="xl:col-span-2">
          <div className="space-y-3">
            <Markdownish text={check.rationale} copy={false} />
            <div data-testid="remediation">
              <h3 className="mb-1 text-xs font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">Remediation</h3>
              <Markdownish text={check.remediation} />
            </div>
          </div>
        </Card>
      </div>

      <Card title={`Not passing (${notable.length})`} className="mt-4">
        {notable.length === 0 ? (
          <Empty>Every subject passes or the check does not apply.</Empty>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {notable.map(({ p, f }) => (
              <FindingRow
                key={p?.id ?? 'platform'}
                f={f}
                pipelineIds={allIds}
                subject={
                  p ? (
                    <>
                      <GradeBadge grade={p.grade} incomplete={p.incomplete} size="sm" />
                      <Link href={`${pipelineHrefFromId(p.id)}#finding-${check.id}`} prefetch={false} className="text-sm font-medium [overflow-wrap:anywhere] text-sky-700 hover:underline dark:text-sky-400">
                        {p.id}
                      </Link>
                    </>
                  ) : (
                    <Link href="/" className="text-sm font-medium text-sky-700 hover:underline dark:text-sky-400">
                      Platform
                    </Link>
                  )
                }
              />
            ))}
          </ul>
        )}
      </Card>

      {quiet.length > 0 ? (
        <Card title={`Passing or not applicable (${quiet.length})`} className="mt-4">
          <ul className="grid grid-cols-1 gap-1.5 md:grid-cols-2 xl:grid-cols-3">
            {quiet.map(({ p, f }) => (
              <li key={p?.id ?? 'platform'} className="flex items-center gap-2 text-sm" title={f.message}>
                <OutcomeBadge outcome={f.outcome} />
                {p ? (
                  <Link href={pipelineHrefFromId(p.id)} prefetch={false} className="truncate hover:underline">
                    {p.id}
                  </Link>
                ) : (
                  'Platform'
                )}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </>
  );
}
