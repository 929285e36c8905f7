import type { Metadata } from 'next';
import Link from 'next/link';
import { Card, Empty, FailCounts, GradeBadge, PageHeader, ScoreValue } from '../../components/ui';
import { rollUp } from '../../lib/score/score';
import { plural, scoreText } from '../../lib/view/format';
import { teamsOf } from '../../lib/view/insights';
import { pipelineHrefFromId, teamHref } from '../../lib/view/links';
import { getState } from '../../server/state';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Teams' };

export default async function TeamsPage() {
  const { report } = await getState();
  const teams = teamsOf(report);
  const unowned = report.pipelines.filter((p) => !p.team);
  return (
    <>
      <PageHeader title="Teams" kicker="Team lead view">
        Teams come from the team label on namespaces or pipelines, or from the policy&apos;s namespace mapping.
      </PageHeader>
      {teams.length === 0 ? (
        <Empty>No pipeline has a team.</Empty>
      ) : (
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3">
          {teams.map(({ team, pipelines }) => {
            const roll = rollUp(pipelines);
            const fails = pipelines.reduce(
              (acc, p) => ({
                critical: acc.critical + p.failsBySeverity.critical,
                high: acc.high + p.failsBySeverity.high,
                medium: acc.medium + p.failsBySeverity.medium,
                low: acc.low + p.failsBySeverity.low,
              }),
              { critical: 0, high: 0, medium: 0, low: 0 },
            );
            return (
              <Link key={team} href={teamHref(team)} prefetch={false} className="block rounded-lg focus-visible:outline-2">
                <Card className="h-full transition hover:border-zinc-400 dark:hover:border-zinc-600">
                  <div className="flex items-center gap-4">
                    <GradeBadge grade={roll.grade} incomplete={roll.incomplete} size="lg" />
                    <div className="min-w-0">
                      <div className="text-base font-semibold [overflow-wrap:anywhere]">{team}</div>
                      <div className="text-sm text-zinc-600 dark:text-zinc-400">
                        <ScoreValue score={roll.score} coverage={roll.coverage} incomplete={roll.incomplete} /> · {plural(pipelines.length, 'pipeline')}
                      </div>
                      {roll.worst ? (
                        <div className="text-xs text-zinc-600 dark:text-zinc-400 [overflow-wrap:anywhere]" data-testid="team-worst">
                          Worst: {roll.worst.name} ({roll.worst.grade ?? '—'}, {scoreText(roll.worst.score)})
                        </div>
                      ) : null}
                      {roll.cap ? <div className="text-xs text-orange-700 dark:text-orange-300">{roll.cap}</div> : null}
                    </div>
                  </div>
                  <div className="mt-3 flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
                    Fails <FailCounts fails={fails} />
                  </div>
                </Card>
              </Link>
            );
          })}
        </div>
      )}
      {unowned.length > 0 ? (
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
          {plural(unowned.length, 'pipeline')} without a team:{' '}
          {unowned.map((p, i) => (
            <span key={p.id}>
              {i > 0 ? ', ' : ''}
              <Link href={pipelineHrefFromId(p.id)} prefetch={false} className="text-sky-700 underline underline-offset-2 dark:text-sky-300">
                {p.id}
              </Link>
            </span>
          ))}
        </p>
      ) : null}
    </>
  );
}
