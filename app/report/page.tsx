import type { Metadata } from 'next';
import { PrintButton } from '../../components/PrintButton';
import { GradeBadge, OutcomeBadge, ScoreValue, SeverityBadge } from '../../components/ui';
import { CHECKS } from '../../lib/checks/registry';
import type { Finding } from '../../lib/checks/types';
import { OUTCOME_RANK, SEVERITY_RANK, formatTime, pct } from '../../lib/view/format';
import { filteredReport, isFiltered, parseScorecardQuery } from '../../lib/view/scorecard';
import { getState } from '../../server/state';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Report' };

function notPassing(fs: Finding[]): Finding[] {
  return fs
    .filter((f) => f.outcome === 'fail' || f.outcome === 'warn' || f.outcome === 'unknown' || f.outcome === 'waived')
    .sort((a, b) => OUTCOME_RANK[a.outcome] - OUTCOME_RANK[b.outcome] || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

function FindingRows({ findings }: { findings: Finding[] }) {
  return (
    <div tabIndex={0} className="overflow-x-auto"><table className="data-table mt-2">
      <thead>
        <tr>
          <th scope="col">Outcome</th>
          <th scope="col">Check</th>
          <th scope="col">Severity</th>
          <th scope="col">Finding</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((f) => (
          <tr key={f.checkId}>
            <td>
              <OutcomeBadge outcome={f.outcome} />
            </td>
            <td className="text-xs">
              <span className="font-mono">{f.checkId}</span> {f.title}
            </td>
            <td>
              <SeverityBadge severity={f.severity} />
            </td>
            <td className="text-xs break-words">
              {f.message}
              {f.evidence.slice(0, 3).map((e, i) => (
                <div key={i} className="font-mono text-[11px] [overflow-wrap:anywhere] text-zinc-600 dark:text-zinc-400">
                  {e.kind} {e.namespace ? `${e.namespace}/` : ''}
                  {e.name} {e.path}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table></div>
  );
}

export default async function ReportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [{ report: full }, raw] = await Promise.all([getState(), searchParams]);
  const q = parseScorecardQuery(raw);
  const report = filteredReport(full, q);
  return (
    <article className="mx-auto max-w-5xl bg-white p-8 text-zinc-900 shadow-sm print:p-0 print:shadow-none dark:bg-zinc-900 dark:text-zinc-100">
      <header className="mb-6 flex items-start justify-between gap-4 border-b border-zinc-200 pb-4 dark:border-zinc-800">
        <div>
          <p className="text-xs font-semibold tracking-wider text-zinc-600 dark:text-zinc-400 uppercase">Tekton Posture report</p>
          <h1 className="mt-1 text-2xl font-semibold">Pipeline hardening posture</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Generated {formatTime(report.generatedAt)} · source {report.source.kind}
            {report.source.detail ? ` (${report.source.detail})` : ''} · {report.summary.pipelines} pipelines
            {isFiltered(q) ? ' (filtered)' : ''} · {CHECKS.length} checks
          </p>
        </div>
        <PrintButton />
      </header>

      <section aria-label="Summary" className="mb-6 grid grid-cols-2 gap-6">
        <div className="flex items-center gap-4">
          <GradeBadge grade={report.summary.grade} incomplete={report.summary.incomplete} size="lg" />
          <div>
            <div className="text-xs text-zinc-600 dark:text-zinc-400">Pipelines</div>
            <div className="text-xl font-semibold">
              <ScoreValue score={report.summary.score} coverage={report.summary.coverage} incomplete={report.summary.incomplete} />
            </div>
            <div className="text-xs text-zinc-600 dark:text-zinc-400">coverage {pct(report.summary.coverage)}</div>
          </div>
        </div>
        <div className="flex items-center gap-4">
          <GradeBadge grade={report.platform.grade} incomplete={report.platform.incomplete} size="lg" />
          <div>
            <div className="text-xs text-zinc-600 dark:text-zinc-400">Platform</div>
            <div className="text-xl font-semibold">
              <ScoreValue score={report.platform.score} coverage={report.platform.coverage} incomplete={report.platform.incomplete} />
            </div>
            <div className="text-xs text-zinc-600 dark:text-zinc-400">{report.platform.cap ?? `coverage ${pct(report.platform.coverage)}`}</div>
          </div>
        </div>
      </section>

      <section aria-label="Platform findings" className="mb-6">
        <h2 className="text-lg font-semibold">Platform</h2>
        <FindingRows findings={notPassing(report.platform.findings)} />
      </section>

      <section aria-label="Pipelines">
        <h2 className="mb-2 text-lg font-semibold">Pipelines</h2>
        <div tabIndex={0} className="overflow-x-auto"><table className="data-table mb-6">
          <thead>
            <tr>
              <th scope="col">Pipeline</th>
              <th scope="col">Team</th>
              <th scope="col">Grade</th>
              <th scope="col" className="text-right">
                Score
              </th>
              <th scope="col" className="text-right">
                Coverage
              </th>
              <th scope="col" className="text-right">
                Fails
              </th>
            </tr>
          </thead>
          <tbody>
            {report.pipelines.map((p) => (
              <tr key={p.id}>
                <td className="[overflow-wrap:anywhere]">{p.id}</td>
                <td>{p.team ?? '—'}</td>
                <td>
                  <GradeBadge grade={p.grade} incomplete={p.incomplete} size="sm" />
                </td>
                <td className="text-right">
                  <ScoreValue score={p.score} coverage={p.coverage} incomplete={p.incomplete} />
                </td>
                <td className="text-right">{pct(p.coverage)}</td>
                <td className="text-right">{p.outcomes.fail}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
        {report.pipelines.map((p) => (
          <section key={p.id} aria-label={p.id} className="mb-6 break-inside-avoid-page">
            <h3 className="flex items-center gap-2 text-base font-semibold [overflow-wrap:anywhere]">
              <GradeBadge grade={p.grade} incomplete={p.incomplete} size="sm" /> {p.id}
              <span className="text-sm font-normal text-zinc-600 dark:text-zinc-400">
                <ScoreValue score={p.score} coverage={p.coverage} incomplete={p.incomplete} />
                {p.cap ? ` · ${p.cap}` : ''}
              </span>
            </h3>
            {notPassing(p.findings).length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">Every check passes or does not apply.</p> : <FindingRows findings={notPassing(p.findings)} />}
          </section>
        ))}
      </section>
    </article>
  );
}
