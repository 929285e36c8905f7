import Link from 'next/link';
import { ChangesSince } from '../components/history/ChangesSince';
import { Card, ChainsBadge, Empty, GradeBadge, OutcomeBadge, PageHeader, ScoreValue, SeverityBadge, Stat, TextLink } from '../components/ui';
import { getState } from '../server/state';
import { CHAINS_LABELS as CHAINS_LABELS_PLAIN, CHAINS_ORDER, GRADES, OUTCOME_RANK, SEVERITIES, SEVERITY_RANK, formatTime, pct, plural, scoreText, timeAgo } from '../lib/view/format';
import { type RunRef, failsBySeverity, gradeDistribution, lowestScores, riskyServiceAccounts, severeFindings, signingStates, topFailingChecks } from '../lib/view/insights';
import { checkHref, pipelineHrefFromId, runHref, serviceAccountHref } from '../lib/view/links';
import { scorecardSearch } from '../lib/view/scorecard';

export const dynamic = 'force-dynamic';

const CHAINS_BAR: Record<string, string> = {
  'signed-verified': 'bg-emerald-700',
  'signed-with-evidence': 'bg-emerald-600',
  'marked-signed': 'bg-amber-400',
  failed: 'bg-red-600',
  retrying: 'bg-amber-500',
  pending: 'bg-zinc-400',
  'not-finished': 'bg-sky-500',
  'not-signable': 'bg-zinc-300',
};

/** Rows of the "Critical and high findings" card before "N more". */
const SEVERE_SHOWN = 10;

const SEVERITY_TILE: Record<string, string> = {
  critical: 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-100',
  high: 'border-orange-300 bg-orange-50 text-orange-900 dark:border-orange-800 dark:bg-orange-950/60 dark:text-orange-100',
  medium: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100',
  low: 'border-zinc-300 bg-white text-zinc-800 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100',
};

const GRADE_BAR: Record<string, string> = {
  A: 'bg-emerald-600',
  B: 'bg-teal-600',
  C: 'bg-amber-400',
  D: 'bg-orange-600',
  F: 'bg-red-600',
  none: 'bg-zinc-400',
};

/** Runs whose only signed statement has no subjects: counted as signed, named apart, linked. */
function AttestationOnly({ runs }: { runs: readonly RunRef[] }) {
  const only = runs.filter((r) => r.label !== CHAINS_LABELS_PLAIN['signed-with-evidence']);
  if (only.length === 0) return null;
  return (
    <p className="mt-1 text-xs text-amber-800 dark:text-amber-200">
      of which {only.length} attestation only (no subjects):{' '}
      {only.slice(0, 3).map((r, i) => (
        <span key={`${r.namespace}/${r.name}`}>
          {i > 0 ? ', ' : ''}
          <Link href={runHref(r.namespace, r.name)} prefetch={false} className="underline">
            {r.name}
          </Link>
        </span>
      ))}
    </p>
  );
}

export default async function OverviewPage() {
  const { report, model, updatedAt, stale } = await getState();
  const { summary, platform } = report;
  const dist = gradeDistribution(report.pipelines);
  const maxDist = Math.max(1, ...Object.values(dist));
  const top = topFailingChecks(report);
  const signing = signingStates(model, report.generatedAt);
  const severe = severeFindings(report);
  const severeHidden = severe.slice(SEVERE_SHOWN);
  const bySeverity = failsBySeverity(report);
  const totalRuns = CHAINS_ORDER.reduce((n, s) => n + signing[s].length, 0);
  const risky = riskyServiceAccounts(report, model).slice(0, 6);
  const worst = lowestScores(report.pipelines, 5);
  const platformSorted = [...platform.findings].sort((a, b) => OUTCOME_RANK[a.outcome] - OUTCOME_RANK[b.outcome] || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);

  return (
    <>
      <PageHeader title="Overview" kicker="Cluster posture">
        {plural(summary.pipelines, 'pipeline')} scored across {plural(model.namespaces.size, 'namespace')} · data of{' '}
        <time dateTime={updatedAt} title={formatTime(updatedAt)}>
          {formatTime(updatedAt)}
        </time>
      </PageHeader>

      <ChangesSince />

      {report.pipelines.length === 0 ? (
        <div role="status" data-testid="empty-source" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100">
          <p className="font-semibold">
            No Tekton objects in the source {report.source.kind}
            {report.source.detail ? <span className="font-mono font-normal [overflow-wrap:anywhere]"> {report.source.detail}</span> : null}.
          </p>
          <p className="mt-1">
            Check that the path or cluster holds Pipelines, PipelineRuns or Tasks (YAML or JSON files, or a cluster with Tekton installed and the read
            role bound), then see <TextLink href="/sources">Data sources</TextLink> for load issues and kinds that could not be read.
          </p>
        </div>
      ) : null}

      <section aria-labelledby="fails-by-severity" className="mb-4">
        <h2 id="fails-by-severity" className="sr-only">
          Failed findings by severity
        </h2>
        <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4" data-testid="severity-strip">
          {SEVERITIES.map((sev) => (
            <li key={sev}>
              <Link
                href={`/pipelines${scorecardSearch({}, { severity: sev, sort: 'fails' })}`}
                prefetch={false}
                className={`block rounded-lg border px-3 py-2 hover:underline ${SEVERITY_TILE[sev]}`}
              >
                <span className="block text-xs font-semibold tracking-wide uppercase">{sev}</span>
                <span className="block text-2xl font-semibold tabular-nums">{bySeverity[sev].findings}</span>
                <span className="block text-xs">
                  {bySeverity[sev].findings === 1 ? 'fail' : 'fails'} in {plural(bySeverity[sev].pipelines, 'pipeline')}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <Card
        flush
        title="Critical and high findings"
        className="mb-4"
        actions={<span className="text-xs text-zinc-600 dark:text-zinc-300">What to fix first, most severe first</span>}
      >
        {severe.length === 0 ? (
          <div className="p-4">
            <Empty>No critical or high check fails on any pipeline.</Empty>
          </div>
        ) : (
          <div tabIndex={0} className="overflow-x-auto">
            <table className="data-table" data-testid="severe-findings">
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Pipeline</th>
                  <th scope="col">Check</th>
                </tr>
              </thead>
              <tbody>
                {severe.slice(0, SEVERE_SHOWN).map((f) => (
                  <tr key={`${f.pipelineId} ${f.checkId}`}>
                    <td>
                      <SeverityBadge severity={f.severity} />
                    </td>
                    <td className="[overflow-wrap:anywhere]">
                      <Link href={pipelineHrefFromId(f.pipelineId)} prefetch={false} className="hover:underline">
                        {f.pipelineId}
                      </Link>
                    </td>
                    <td>
                      <Link href={`${pipelineHrefFromId(f.pipelineId)}#finding-${f.checkId}`} prefetch={false} className="font-medium text-sky-700 hover:underline dark:text-sky-300">
                        <span className="mr-2 font-mono text-xs">{f.checkId}</span>
                        {f.title}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {severeHidden.length > 0 ? (
              <p className="border-t border-zinc-200 px-4 py-2 text-sm dark:border-zinc-800">
                <TextLink href={`/pipelines${scorecardSearch({}, { severity: severeHidden.some((f) => f.severity === 'critical') ? 'critical' : 'high', sort: 'fails' })}`}>
                  {severeHidden.length} more
                </TextLink>{' '}
                <span className="text-zinc-600 dark:text-zinc-300">in the scorecard</span>
              </p>
            ) : null}
          </div>
        )}
      </Card>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card title="Cluster score">
          <div className="flex items-center gap-5">
            <GradeBadge grade={summary.grade} incomplete={summary.incomplete} size="xl" />
            <div>
              <div className="text-3xl font-semibold tracking-tight">
                <ScoreValue score={summary.score} coverage={summary.coverage} incomplete={summary.incomplete} />
                {summary.score !== null ? <span className="text-base font-normal text-zinc-600 dark:text-zinc-400"> / 100</span> : null}
              </div>
              <div className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">Mean of pipeline scores, weighted by how often each runs</div>
            </div>
          </div>
          <dl className="mt-4 grid grid-cols-3 gap-3 border-t border-zinc-200 pt-3 dark:border-zinc-800">
            <Stat label="Coverage">{pct(summary.coverage)}</Stat>
            <Stat label="Pipelines">{summary.pipelines}</Stat>
            <Stat label="Worst">
              {summary.worstPipeline ? (
                <TextLink href={pipelineHrefFromId(summary.worstPipeline)} className="[overflow-wrap:anywhere]">
                  {summary.worstPipeline.split('/').slice(1).join('/')}
                </TextLink>
              ) : (
                '—'
              )}
            </Stat>
          </dl>
        </Card>

        <Card
          title="Platform"
          actions={
            <span className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
              <ScoreValue score={platform.score} coverage={platform.coverage} incomplete={platform.incomplete} />
              <GradeBadge grade={platform.grade} incomplete={platform.incomplete} size="sm" />
            </span>
          }
        >
          {platform.cap ? <p className="mb-2 text-xs text-orange-700 dark:text-orange-300">{platform.cap}</p> : null}
          <ul className="space-y-1.5">
            {platformSorted.map((f) => (
              <li key={f.checkId} className="flex items-start gap-2 text-[13px] leading-snug">
                <span className="w-[5.5rem] shrink-0">
                  <OutcomeBadge outcome={f.outcome} />
                </span>
                <Link href={checkHref(f.checkId)} prefetch={false} className="min-w-0 flex-1 hover:underline" title={f.message}>
                  <span className="mr-1.5 font-mono text-xs text-zinc-600 dark:text-zinc-400">{f.checkId}</span>
                  {f.title}
                </Link>
              </li>
            ))}
          </ul>
        </Card>

        <Card title="Data freshness">
          <dl className="grid grid-cols-2 gap-3">
            <Stat label="Source">
              {report.source.kind}
              {report.source.detail ? <span className="block text-xs font-normal [overflow-wrap:anywhere] text-zinc-600 dark:text-zinc-400">{report.source.detail}</span> : null}
            </Stat>
            <Stat label="Updated">{formatTime(updatedAt)}</Stat>
            <Stat label="Last watch event">{report.source.kind === 'live' ? formatTime(report.source.lastEventAt) : 'n/a (static source)'}</Stat>
            <Stat label="Status">
              {stale ? (
                <span className="text-red-700 dark:text-red-300">✕ Stale since {formatTime(stale.since)}</span>
              ) : (
                <span className="text-emerald-700 dark:text-emerald-300">✓ Current</span>
              )}
            </Stat>
          </dl>
          <div className="mt-4 border-t border-zinc-200 pt-3 text-sm dark:border-zinc-800">
            {report.gaps.length === 0 && report.pipelines.length === 0 ? (
              <p className="text-amber-800 dark:text-amber-200">! Every kind was readable, but none held a Tekton object to score.</p>
            ) : report.gaps.length === 0 ? (
              <p className="text-zinc-600 dark:text-zinc-300">✓ No data gaps: every kind was readable.</p>
            ) : (
              <p className="text-amber-800 dark:text-amber-300">
                ! {plural(report.gaps.length, 'data gap')} make some checks unknown. <TextLink href="/sources">See data sources</TextLink>
              </p>
            )}
            {report.loadIssues.length > 0 ? (
              <p className="mt-1 text-zinc-600 dark:text-zinc-400">
                {plural(report.loadIssues.length, 'load issue')} · <TextLink href="/sources">details</TextLink>
              </p>
            ) : null}
          </div>
        </Card>
      </div>

      <div className="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card title="Grade distribution">
          <ul className="space-y-2">
            {[...GRADES, 'none' as const].map((g) => (
              <li key={g} className="flex items-center gap-3 text-sm">
                <span className="w-16 shrink-0">
                  <GradeBadge grade={g === 'none' ? null : g} size="sm" />
                </span>
                <span className="h-3 flex-1 overflow-hidden rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden="true">
                  <span className={`block h-full ${GRADE_BAR[g]}`} style={{ width: `${(dist[g] / maxDist) * 100}%` }} />
                </span>
                <Link href={`/pipelines${scorecardSearch({}, { grade: g })}`} prefetch={false} className="w-24 text-right tabular-nums hover:underline">
                  {plural(dist[g], 'pipeline')}
                </Link>
              </li>
            ))}
          </ul>
          {worst.length > 0 ? (
            <>
              <h3 className="mt-4 mb-2 border-t border-zinc-200 pt-3 text-xs font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 uppercase dark:border-zinc-800">Lowest scores</h3>
              <ul className="space-y-1">
                {worst.map((p) => (
                  <li key={p.id} className="flex items-center gap-2 text-sm">
                    <GradeBadge grade={p.grade} incomplete={p.incomplete} size="sm" />
                    <Link href={pipelineHrefFromId(p.id)} prefetch={false} className="min-w-0 flex-1 truncate hover:underline">
                      <span className="text-zinc-600 dark:text-zinc-400">{p.namespace}/</span>
                      {p.name}
                    </Link>
                    <span className="tabular-nums text-zinc-600 dark:text-zinc-400">{scoreText(p.score)}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Card>

        <Card flush title="Top failing checks" className="lg:col-span-2" actions={<TextLink href="/checks" className="text-xs">All checks</TextLink>}>
          {top.length === 0 ? (
            <div className="p-4"><Empty>No pipeline check fails.</Empty></div>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col">Severity</th>
                  <th scope="col" className="text-right">
                    Pipelines failing
                  </th>
                  <th scope="col" className="w-40">
                    <span className="sr-only">Share of pipelines</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {top.map((t) => (
                  <tr key={t.checkId}>
                    <td>
                      <Link href={`/pipelines${scorecardSearch({}, { check: t.checkId })}`} prefetch={false} className="hover:underline">
                        <span className="mr-2 font-mono text-xs text-zinc-600 dark:text-zinc-400">{t.checkId}</span>
                        {t.title}
                      </Link>
                    </td>
                    <td>
                      <SeverityBadge severity={t.severity} />
                    </td>
                    <td className="text-right tabular-nums">
                      {t.fail} <span className="text-zinc-600 dark:text-zinc-400">of {summary.pipelines}</span>
                    </td>
                    <td>
                      <span className="block h-2 overflow-hidden rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden="true">
                        <span className="block h-full bg-red-500/80" style={{ width: `${(t.fail / Math.max(1, summary.pipelines)) * 100}%` }} />
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>

      <div className="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card title="Signing of recent runs" actions={<span className="text-xs text-zinc-600 dark:text-zinc-400">Tekton Chains · {plural(totalRuns, 'run')}</span>}>
          {totalRuns === 0 ? (
            <Empty>No runs in sight.</Empty>
          ) : (
            <ul className="space-y-2.5" aria-label="Recent PipelineRuns by Chains state">
              {CHAINS_ORDER.map((s) => (
                <li key={s}>
                  <div className="flex items-center justify-between gap-2">
                    <ChainsBadge state={s} />
                    <span className="text-sm tabular-nums">
                      {signing[s].length} <span className="text-xs text-zinc-600 dark:text-zinc-300">· {pct(signing[s].length / totalRuns)}</span>
                    </span>
                  </div>
                  <span className="mt-1 block h-1.5 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800" aria-hidden="true">
                    <span className={`block h-full ${CHAINS_BAR[s]}`} style={{ width: `${(signing[s].length / totalRuns) * 100}%` }} />
                  </span>
                  {signing[s].length > 0 && s !== 'signed-with-evidence' ? (
                    <ul className="mt-1 space-y-0.5 text-xs" aria-label={`Latest runs: ${s}`}>
                      {signing[s].slice(0, 3).map((r) => (
                        <li key={`${r.namespace}/${r.name}`} className="flex gap-2">
                          <Link href={runHref(r.namespace, r.name)} prefetch={false} className="min-w-0 flex-1 truncate text-sky-700 hover:underline dark:text-sky-300">
                            {r.name}
                          </Link>
                          <span className="shrink-0 text-zinc-600 dark:text-zinc-300">{r.label === CHAINS_LABELS_PLAIN[s] ? timeAgo(r.startTime, report.generatedAt) : r.label}</span>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  {s === 'signed-with-evidence' ? <AttestationOnly runs={signing[s]} /> : null}
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card flush title="Riskiest service accounts" className="lg:col-span-2" actions={<TextLink href="/service-accounts" className="text-xs">All service accounts</TextLink>}>
          {risky.length === 0 ? (
            <div className="p-4"><Empty>No service accounts in sight.</Empty></div>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Service account</th>
                  <th scope="col">Worst</th>
                  <th scope="col" className="text-right">
                    Failed identity checks
                  </th>
                  <th scope="col">Checks</th>
                  <th scope="col" className="text-right">
                    Pipelines
                  </th>
                  <th scope="col" className="text-right">
                    Rules
                  </th>
                </tr>
              </thead>
              <tbody>
                {risky.map((sa) => (
                  <tr key={sa.key}>
                    <td className="[overflow-wrap:anywhere]">
                      <Link href={serviceAccountHref(sa.namespace, sa.name)} prefetch={false} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                        <span className="font-normal text-zinc-600 dark:text-zinc-400">{sa.namespace}/</span>
                        {sa.name}
                      </Link>
                    </td>
                    <td>{sa.worst ? <SeverityBadge severity={sa.worst} /> : <span className="text-xs text-zinc-600 dark:text-zinc-400">none</span>}</td>
                    <td className="text-right tabular-nums">{sa.failedFindings}</td>
                    <td>
                      <span className="flex flex-wrap gap-1">
                        {sa.failedChecks.length === 0 ? <span className="text-xs text-zinc-500 dark:text-zinc-400">—</span> : null}
                        {sa.failedChecks.map((c) => (
                          <Link key={c} href={checkHref(c)} prefetch={false} className="rounded bg-zinc-100 px-1 font-mono text-[11px] text-zinc-700 hover:underline dark:bg-zinc-800 dark:text-zinc-300">
                            {c}
                          </Link>
                        ))}
                      </span>
                    </td>
                    <td className="text-right tabular-nums">{sa.pipelines.length}</td>
                    <td className="text-right tabular-nums">{sa.rules}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}
