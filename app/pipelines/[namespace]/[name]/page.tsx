import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Checklist } from '../../../../components/Checklist';
import { PipelineDag } from '../../../../components/dag/PipelineDag';
import { EffectiveRules } from '../../../../components/EffectiveRules';
import { ScoreTrend } from '../../../../components/history/ScoreTrend';
import { OpenOnHash } from '../../../../components/OpenOnHash';
import { RunsTable } from '../../../../components/RunsTable';
import { Card, CoverageBar, FailCounts, GradeBadge, PageHeader, ScoreValue, Stat, TextLink } from '../../../../components/ui';
import { namespaceLabel, saKey } from '../../../../lib/model/types';
import { pct, plural } from '../../../../lib/view/format';
import { findPipelineByRoute, namespaceHref, pipelineIdSet, serviceAccountHref, teamHref } from '../../../../lib/view/links';
import { IDENTITY_SOURCE_LABELS, routeParam } from '../../../../lib/view/params';
import { getState } from '../../../../server/state';
import { clusterViewFor } from '../../../../lib/model/scope';
import { notFoundTitle } from '../../../../lib/view/not-found';

export const dynamic = 'force-dynamic';

type Params = Promise<{ namespace: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const p = await params;
  const { report } = await getState();
  if (!findPipelineByRoute(report.pipelines, routeParam(p.namespace), routeParam(p.name))) return { title: notFoundTitle(`/pipelines/${p.namespace}/${p.name}`) };
  return { title: `${routeParam(p.name)} (${routeParam(p.namespace)})` };
}

export default async function PipelinePage({ params, searchParams }: { params: Params; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [p, sp] = await Promise.all([params, searchParams]);
  const runParam = typeof sp.run === 'string' && sp.run.length <= 253 ? sp.run : undefined;
  const nsSegment = routeParam(p.namespace);
  const name = routeParam(p.name);
  const { report, model } = await getState();
  const pr = findPipelineByRoute(report.pipelines, nsSegment, name);
  if (!pr) notFound();
  const pm = model.pipelines.find((x) => x.id === pr.id);
  const pipelineIds = pipelineIdSet(report.pipelines);
  const sas = pr.serviceAccounts.map((sa) => ({ name: sa, model: clusterViewFor(model, pr).serviceAccounts.get(saKey(pr.namespace, sa)) }));

  return (
    <>
      <OpenOnHash />
      <PageHeader
        kicker={
          <>
            {pr.subjectKind === 'stepaction' ? 'StepAction' : pr.subjectKind === 'task' ? 'Task' : 'Pipeline'} ·{' '}
            <Link href={namespaceHref(pr.namespace)} prefetch={false} className="hover:underline">
              {namespaceLabel(pr.namespace)}
            </Link>
          </>
        }
        title={<span data-testid="pipeline-name">{pr.name}</span>}
      >
        {pm?.spec?.description ? <span className="break-words">{pm.spec.description.slice(0, 400)}</span> : null}
      </PageHeader>

      <section aria-label="Score" className="mb-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex flex-wrap items-center gap-6">
          <div className="flex items-center gap-4">
            <GradeBadge grade={pr.grade} incomplete={pr.incomplete} size="xl" />
            <div>
              <div className="text-2xl font-semibold">
                <ScoreValue score={pr.score} coverage={pr.coverage} incomplete={pr.incomplete} />
                {pr.score !== null ? <span className="text-sm font-normal text-zinc-600 dark:text-zinc-400"> / 100</span> : null}
              </div>
              {pr.cap ? <div className="text-xs font-medium text-orange-700 dark:text-orange-300">{pr.cap}</div> : null}
              <ScoreTrend pipelineId={pr.id} />
            </div>
          </div>
          <dl className="flex flex-1 flex-wrap gap-x-8 gap-y-3 border-l border-zinc-200 pl-6 dark:border-zinc-800">
            <Stat label="Coverage">
              <CoverageBar coverage={pr.coverage} />
            </Stat>
            <Stat label="Fails">
              <FailCounts fails={pr.failsBySeverity} />
            </Stat>
            <Stat label="Team">{pr.team ? <TextLink href={teamHref(pr.team)}>{pr.team}</TextLink> : <span className="font-normal text-zinc-600 dark:text-zinc-400">none</span>}</Stat>
            <Stat label="Service account">
              {sas.length === 0 ? (
                <span className="font-normal text-zinc-600 dark:text-zinc-400">none seen</span>
              ) : (
                <span className="flex flex-wrap gap-x-2">
                  {sas.map((s) => (
                    <TextLink key={s.name} href={serviceAccountHref(pr.namespace, s.name)} className="[overflow-wrap:anywhere]">
                      {s.name}
                    </TextLink>
                  ))}
                </span>
              )}
            </Stat>
            <Stat label="Recognised by">{IDENTITY_SOURCE_LABELS[pr.identitySource] ?? pr.identitySource}</Stat>
            <Stat label="Runs" hint={pr.signingRate === null ? 'no finished run' : `${pct(pr.signingRate)} signed with evidence`}>
              {pr.totalRuns}
            </Stat>
          </dl>
        </div>
      </section>

      {pr.issues.length > 0 ? (
        <section aria-label="Model issues" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 dark:border-amber-800 dark:bg-amber-950/40">
          <h2 className="text-sm font-semibold text-amber-900 dark:text-amber-200">
            <span aria-hidden="true">! </span>
            {plural(pr.issues.length, 'model issue')}
          </h2>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm break-words text-amber-900 dark:text-amber-200">
            {pr.issues.slice(0, 50).map((i, k) => (
              <li key={k}>{i}</li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-label="Pipeline graph" className="mb-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 className="mb-3 text-sm font-semibold">Pipeline graph</h2>
        <PipelineDag pipelineId={pr.id} runName={runParam} />
      </section>

      <h2 className="mb-2 text-base font-semibold">Checklist</h2>
      <p className="mb-3 text-xs text-zinc-600 dark:text-zinc-400">
        {pr.outcomes.fail} fail · {pr.outcomes.warn} warn · {pr.outcomes.unknown} unknown · {pr.outcomes.pass} pass · {pr.outcomes['not-applicable']} not applicable
        {pr.outcomes.waived ? ` · ${pr.outcomes.waived} waived` : ''}. Open a check for its evidence and remediation.
      </p>
      <Checklist findings={pr.findings} pipelineIds={pipelineIds} />

      <div className="mt-6 space-y-4">
        <Card title={`Recent runs (${pm?.runs.length ?? 0} of ${pr.totalRuns})`}>
          <RunsTable runs={pm?.runs ?? []} reportTime={report.generatedAt} />
        </Card>
        {sas.length === 0 ? null : (
          <Card title="Effective permissions of the service account">
            <div className="space-y-5">
              {sas.map((s) => (
                <div key={s.name}>
                  <h3 className="mb-2 text-sm font-semibold">
                    <TextLink href={serviceAccountHref(pr.namespace, s.name)}>
                      {pr.namespace}/{s.name}
                    </TextLink>
                    {s.model ? (
                      <span className="ml-2 text-xs font-normal text-zinc-600 dark:text-zinc-400">
                        {plural(s.model.rules.length, 'rule')} · token automount {s.model.automountServiceAccountToken === false ? 'off' : 'on'}
                        {s.model.object ? '' : ' · no ServiceAccount object in sight'}
                      </span>
                    ) : null}
                  </h3>
                  {s.model ? <EffectiveRules rules={s.model.rules} missingRoles={s.model.missingRoles} /> : <p className="text-sm text-zinc-600 dark:text-zinc-400">This service account is not in sight.</p>}
                </div>
              ))}
            </div>
          </Card>
        )}
      </div>
    </>
  );
}
