import type { Metadata } from 'next';
import Link from 'next/link';
import { Pagination } from '../../components/Pagination';
import { QueryProblems } from '../../components/QueryProblems';
import { ScorecardControls } from '../../components/ScorecardControls';
import { SortHeader } from '../../components/SortHeader';
import { ChainsBadge, CoverageBar, Empty, FailCounts, GradeBadge, PageHeader, RunStatusBadge, ScoreValue } from '../../components/ui';
import { CHECKS } from '../../lib/checks/registry';
import { formatShort, pct } from '../../lib/view/format';
import { namespaceHref, pipelineHrefFromId, teamHref } from '../../lib/view/links';
import { paginate, parsePageParam } from '../../lib/view/pagination';
import { SCORECARD_PAGE_SIZE, applyScorecard, isFiltered, parseScorecardQuery, scorecardFacets, scorecardQueryProblems, scorecardSearch } from '../../lib/view/scorecard';
import { getState } from '../../server/state';
import { namespaceLabel } from '../../lib/model/types';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Pipelines' };

const PIPELINE_CHECKS = CHECKS.filter((c) => c.scope === 'pipeline').map((c) => ({ id: c.id, title: c.title }));
const CHECK_IDS: ReadonlySet<string> = new Set(CHECKS.map((c) => c.id));

const FORMATS = [
  { f: 'json', label: 'JSON' },
  { f: 'sarif', label: 'SARIF' },
  { f: 'csv', label: 'CSV' },
  { f: 'junit', label: 'JUnit' },
] as const;

export default async function PipelinesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [{ report }, raw] = await Promise.all([getState(), searchParams]);
  const q = parseScorecardQuery(raw);
  const problems = scorecardQueryProblems(raw, CHECK_IDS);
  const rows = applyScorecard(report.pipelines, q);
  // Only one page of rows is rendered: at thousands of pipelines the whole table is megabytes of HTML and RSC
  // payload per request. Exports and the printable report below still take the whole filtered set.
  const shown = paginate(rows, parsePageParam(raw.page), SCORECARD_PAGE_SIZE);
  const { namespaces, teams } = scorecardFacets(report.pipelines);
  const search = scorecardSearch(q);
  const exportQs = (f: string) => `/api/export${search}${search ? '&' : '?'}format=${f}`;

  return (
    <>
      <PageHeader
        title="Pipelines"
        kicker="Scorecard"
        actions={
          <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Export the filtered report">
            <span className="mr-1 text-xs text-zinc-600 dark:text-zinc-400">Export</span>
            {FORMATS.map(({ f, label }) => (
              <a
                key={f}
                href={exportQs(f)}
                download
                className="rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
              >
                {label}
              </a>
            ))}
            <Link
              href={`/report${search}`}
              prefetch={false}
              className="rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
            >
              Printable report
            </Link>
          </div>
        }
      >
        {rows.length === report.pipelines.length ? `${rows.length} pipelines` : `${rows.length} of ${report.pipelines.length} pipelines`}
        {isFiltered(q) ? (
          <>
            {' · '}
            <Link href={`/pipelines${scorecardSearch({ sort: q.sort, dir: q.dir })}`} prefetch={false} className="text-sky-700 underline underline-offset-2 dark:text-sky-300">
              Clear filters
            </Link>
          </>
        ) : null}
      </PageHeader>

      <QueryProblems problems={problems} />
      <div className="mb-4 rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
        <ScorecardControls current={q} namespaces={namespaces} teams={teams} checks={PIPELINE_CHECKS} />
      </div>

      <div tabIndex={0} className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        {rows.length === 0 ? (
          <div className="p-6">
            {report.pipelines.length === 0 ? (
              <Empty>
                No Tekton objects in the source {report.source.kind}
                {report.source.detail ? ` (${report.source.detail})` : ''}: check that it holds Pipelines, PipelineRuns or Tasks, and see{' '}
                <Link href="/sources" prefetch={false} className="text-sky-700 underline dark:text-sky-300">
                  Data sources
                </Link>{' '}
                for load issues and unreadable kinds.
              </Empty>
            ) : (
              <Empty>No pipeline matches these filters{q.severity ? ` (a failed ${q.severity} finding)` : ''}. Clear a filter to see more.</Empty>
            )}
          </div>
        ) : (
          <table className="data-table" data-testid="scorecard">
            <caption className="sr-only">
              Pipelines with their grade, score, coverage, failed checks, last run and signing rate. Column headers sort.
              {shown.pages > 1 ? ` Page ${shown.page} of ${shown.pages}.` : ''}
            </caption>
            <thead>
              <tr>
                <SortHeader q={q} k="pipeline" label="Pipeline" />
                <SortHeader q={q} k="namespace" label="Namespace" />
                <SortHeader q={q} k="team" label="Team" />
                <SortHeader q={q} k="grade" label="Grade" />
                <SortHeader q={q} k="score" label="Score" className="text-right" />
                <SortHeader q={q} k="coverage" label="Coverage" />
                <SortHeader q={q} k="fails" label="Fails" />
                <SortHeader q={q} k="lastRun" label="Last run (UTC)" />
                <SortHeader q={q} k="signing" label="Signed" className="text-right" />
              </tr>
            </thead>
            <tbody>
              {shown.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row" className="min-w-40">
                    <Link href={pipelineHrefFromId(p.id)} prefetch={false} className="font-medium [overflow-wrap:anywhere] text-sky-700 hover:underline dark:text-sky-400">
                      {p.name}
                    </Link>
                    {p.subjectKind ? <span className="ml-1.5 rounded bg-zinc-100 px-1 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">{p.subjectKind === 'stepaction' ? 'StepAction' : 'Task'}</span> : null}
                    {p.issues.length > 0 ? (
                      <span className="ml-1.5 text-xs text-amber-700 dark:text-amber-300" title={p.issues.join('\n')}>
                        ! {p.issues.length} model {p.issues.length === 1 ? 'issue' : 'issues'}
                      </span>
                    ) : null}
                  </th>
                  <td>
                    <Link href={namespaceHref(p.namespace)} prefetch={false} className="[overflow-wrap:anywhere] hover:underline">
                      {namespaceLabel(p.namespace)}
                    </Link>
                  </td>
                  <td className="min-w-16">
                    {p.team ? (
                      <Link href={teamHref(p.team)} prefetch={false} className="[overflow-wrap:anywhere] hover:underline">
                        {p.team}
                      </Link>
                    ) : (
                      <span className="text-zinc-500 dark:text-zinc-400">—</span>
                    )}
                  </td>
                  <td>
                    <GradeBadge grade={p.grade} incomplete={p.incomplete} />
                    {p.cap ? (
                      <span className="ml-1 text-[11px] text-orange-700 dark:text-orange-300" title={p.cap}>
                        capped
                      </span>
                    ) : null}
                  </td>
                  <td className="text-right font-medium">
                    <ScoreValue score={p.score} coverage={p.coverage} incomplete={p.incomplete} />
                  </td>
                  <td>
                    <CoverageBar coverage={p.coverage} compact />
                  </td>
                  <td>
                    <FailCounts fails={p.failsBySeverity} wrap />
                  </td>
                  <td className="text-xs">
                    {p.lastRun ? (
                      <div className="space-y-0.5 whitespace-nowrap">
                        <RunStatusBadge status={p.lastRun.status} />
                        <div className="text-zinc-600 dark:text-zinc-400 tabular-nums">{formatShort(p.lastRun.startTime)}</div>
                        <ChainsBadge state={p.lastRun.chains} />
                      </div>
                    ) : (
                      <span className="text-zinc-500 dark:text-zinc-400">no runs</span>
                    )}
                  </td>
                  <td className="text-right tabular-nums">{p.signingRate === null ? <span className="text-zinc-500 dark:text-zinc-400">—</span> : pct(p.signingRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {rows.length > 0 ? <Pagination slice={shown} hrefFor={(page) => `/pipelines${scorecardSearch(q, {}, page)}`} label="Scorecard pages" noun="pipelines" /> : null}
      </div>
      <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
        Signed: share of recent finished runs signed by Tekton Chains with evidence (payload, signature or transparency entry).
      </p>
    </>
  );
}
