import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { ChainsPanel } from '../../../../components/ChainsPanel';
import { PipelineDag } from '../../../../components/dag/PipelineDag';
import { TrustedBadge } from '../../../../components/RunsTable';
import { TaskRunSteps } from '../../../../components/TaskRunSteps';
import { Card, ChainsBadge, PageHeader, RunStatusBadge, Stat, TextLink } from '../../../../components/ui';
import type { TaskRunModel } from '../../../../lib/model/types';
import { displayRedaction } from '../../../../lib/checks/workspaces/secrets';
import { CHAINS_LABELS, duration, formatTime } from '../../../../lib/view/format';
import { signingLabel } from '../../../../lib/view/chains';
import { findRun } from '../../../../lib/view/insights';
import { namespaceHref, pipelineHrefFromId, runHref, serviceAccountHref } from '../../../../lib/view/links';
import { routeParam } from '../../../../lib/view/params';
import { getState } from '../../../../server/state';
import { namespaceFromSegment } from '../../../../lib/model/types';
import { notFoundTitle } from '../../../../lib/view/not-found';

export const dynamic = 'force-dynamic';

type Params = Promise<{ namespace: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const p = await params;
  const { model } = await getState();
  if (!findRun(model, namespaceFromSegment(routeParam(p.namespace)), routeParam(p.name))) return { title: notFoundTitle(`/runs/${p.namespace}/${p.name}`) };
  return { title: `Run ${routeParam(p.name)}` };
}

/**
 * A run parameter's value: shown redacted when WSP-005 recognises a credential in it, or when it sits under a
 * secret-sounding name (lib/checks/workspaces/secrets.ts, displayRedaction).
 */
function ParamValue({ name, value }: { name: string; value: string }) {
  const secret = displayRedaction(value, name);
  if (secret) {
    return (
      <span className="font-sans text-red-700 dark:text-red-300">
        ✕ redacted: looks like {secret.kind} ({secret.redacted})
      </span>
    );
  }
  return <>{value.length > 300 ? `${value.slice(0, 300)}… (${value.length} characters)` : value}</>;
}

function TaskRunCard({ tr, open }: { tr: TaskRunModel; open: boolean }) {
  return (
    <details open={open} className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <summary className="flex cursor-pointer flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2.5">
        <span className="font-mono text-sm font-medium [overflow-wrap:anywhere]">{tr.pipelineTaskName ?? tr.name}</span>
        <RunStatusBadge status={tr.status} />
        <ChainsBadge state={tr.chains.state} />
        <span className="text-xs text-zinc-600 dark:text-zinc-400">{duration(tr.startTime, tr.completionTime)}</span>
        <span className="ml-auto text-xs [overflow-wrap:anywhere] text-zinc-600 dark:text-zinc-400">{tr.name}</span>
      </summary>
      <div className="space-y-3 border-t border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Stat label="Service account">{tr.serviceAccountName}</Stat>
          <Stat label="Started">{formatTime(tr.startTime)}</Stat>
          <Stat label="Trusted resources">
            <TrustedBadge value={tr.trustedResourcesVerified} />
          </Stat>
          <Stat label="Results">{tr.results.length}</Stat>
        </dl>
        <TaskRunSteps tr={tr} />
        {tr.chains.state !== 'not-signable' || tr.chains.payloadKeys.length > 0 ? (
          <details className="text-sm">
            <summary className="cursor-pointer text-xs font-semibold text-zinc-600 dark:text-zinc-400">Chains annotations of this TaskRun</summary>
            <div className="mt-2">
              <ChainsPanel chains={tr.chains} object={tr.object} />
            </div>
          </details>
        ) : null}
      </div>
    </details>
  );
}

export default async function RunPage({ params, searchParams }: { params: Params; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [p, sp] = await Promise.all([params, searchParams]);
  const namespace = namespaceFromSegment(routeParam(p.namespace));
  const name = routeParam(p.name);
  const { model, report } = await getState();
  const found = findRun(model, namespace, name);
  if (!found) notFound();

  if (found.kind === 'TaskRun') {
    const tr = found.taskRun;
    return (
      <>
        <PageHeader kicker="TaskRun" title={tr.name}>
          {found.parent ? (
            <>
              Part of PipelineRun <TextLink href={runHref(found.parent.namespace, found.parent.name)}>{found.parent.name}</TextLink>
            </>
          ) : (
            <>Created directly, outside any pipeline (see NSG-005)</>
          )}
          {found.pipeline ? (
            <>
              {' '}
              · pipeline <TextLink href={pipelineHrefFromId(found.pipeline.id)}>{found.pipeline.name}</TextLink>
            </>
          ) : null}{' '}
          · namespace <TextLink href={namespaceHref(tr.namespace)}>{tr.namespace}</TextLink>
        </PageHeader>
        <div className="space-y-4">
          <Card title="Tekton Chains">
            <ChainsPanel chains={tr.chains} object={tr.object} />
          </Card>
          <TaskRunCard tr={tr} open />
        </div>
      </>
    );
  }

  const { run, pipeline } = found;
  // The graph's run picker links to `?run=<name>`: on a run page that means "show that run".
  if (typeof sp.run === 'string' && sp.run !== run.name && pipeline.runs.some((r) => r.name === sp.run)) redirect(`${runHref(run.namespace, sp.run)}#dag`);
  return (
    <>
      <PageHeader
        kicker="PipelineRun"
        title={run.name}
        actions={
          <span className="flex items-center gap-3">
            <RunStatusBadge status={run.status} />
            <ChainsBadge state={run.chains.state} label={signingLabel(run, report.generatedAt, CHAINS_LABELS[run.chains.state])} />
          </span>
        }
      >
        Pipeline <TextLink href={pipelineHrefFromId(pipeline.id)}>{pipeline.name}</TextLink> · namespace{' '}
        <TextLink href={namespaceHref(run.namespace)}>{run.namespace}</TextLink>
      </PageHeader>

      <section aria-label="Run summary" className="mb-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <dl className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-6">
          <Stat label="Status">
            <RunStatusBadge status={run.status} />
          </Stat>
          <Stat label="Started">{formatTime(run.startTime ?? run.object.creationTimestamp)}</Stat>
          <Stat label="Completed">{formatTime(run.completionTime)}</Stat>
          <Stat label="Duration">{duration(run.startTime, run.completionTime)}</Stat>
          <Stat label="Service account">
            <Link href={serviceAccountHref(run.namespace, run.serviceAccountName)} prefetch={false} className="[overflow-wrap:anywhere] text-sky-700 hover:underline dark:text-sky-400">
              {run.serviceAccountName}
            </Link>
            {run.serviceAccountExplicit ? null : <span className="block text-xs font-normal text-zinc-600 dark:text-zinc-400">not set: Tekton uses default</span>}
          </Stat>
          <Stat label="TrustedResourcesVerified">
            <TrustedBadge value={run.trustedResourcesVerified} />
          </Stat>
        </dl>
      </section>

      <div className="space-y-4">
        <Card title="Tekton Chains">
          <ChainsPanel chains={run.chains} object={run.object} />
        </Card>
        <section aria-label="Pipeline graph" className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 className="mb-3 text-sm font-semibold">Pipeline graph</h2>
          <PipelineDag pipelineId={pipeline.id} runName={run.name} />
        </section>
        {run.params.length > 0 ? (
          <Card flush title={`Parameters (${run.params.length})`}>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {run.params.slice(0, 100).map((pa) => (
                  <tr key={pa.path}>
                    <td className="font-mono text-xs [overflow-wrap:anywhere]">{pa.name}</td>
                    <td className="font-mono text-xs [overflow-wrap:anywhere]">
                      <ParamValue name={pa.name} value={pa.value} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        ) : null}
        <h2 className="pt-2 text-base font-semibold">TaskRuns ({run.taskRuns.length})</h2>
        {run.taskRuns.length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">No TaskRuns in sight.</p> : null}
        {run.taskRuns.map((tr, i) => (
          <TaskRunCard key={tr.name} tr={tr} open={i === 0} />
        ))}
      </div>
    </>
  );
}
