import type { Metadata } from 'next';
import Link from 'next/link';
import { Markdownish } from '../../components/Markdownish';
import { Card, PageHeader, SeverityBadge } from '../../components/ui';
import { CHECKS } from '../../lib/checks/registry';
import { CATEGORY_LABELS, type Category } from '../../lib/checks/types';
import { INCOMPLETE_BELOW, SEVERITY_WEIGHT } from '../../lib/score/score';
import { checkTallies } from '../../lib/view/insights';
import { checkHref } from '../../lib/view/links';
import { getState } from '../../server/state';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Checks' };

function Count({ n, label, cls }: { n: number; label: string; cls: string }) {
  return <span className={`tabular-nums ${n > 0 ? cls : 'text-zinc-500 dark:text-zinc-400'}`}>{n > 0 ? `${n} ${label}` : `0 ${label}`}</span>;
}

export default async function ChecksPage() {
  const { report } = await getState();
  const tallies = checkTallies(report);
  const categories = Object.keys(CATEGORY_LABELS) as Category[];
  return (
    <>
      <PageHeader title="Checks" kicker="Catalog">
        {CHECKS.length} checks. Pipeline checks run once per pipeline ({report.pipelines.length} here); platform checks run once for the cluster.
      </PageHeader>

      <Card title="How the score is computed" className="mb-4" id="formula">
        <div className="grid grid-cols-1 gap-4 text-sm lg:grid-cols-2">
          <div className="space-y-2 text-zinc-700 dark:text-zinc-300">
            <pre tabIndex={0} className="overflow-x-auto rounded-md bg-zinc-50 p-3 font-mono text-[12px] leading-relaxed dark:bg-zinc-950">
              {`score    = 100 × Σ weight(pass) / Σ weight(pass + fail)
coverage = Σ weight(evaluated) / Σ weight(applicable)
grade    = A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F`}
            </pre>
            <p>Warn, unknown, not-applicable and waived outcomes count on neither side of the score. Evaluated = pass, fail, warn, waived; applicable = evaluated + unknown.</p>
            <p>An unwaived failed critical check caps the grade at D, a failed high-severity check at B.</p>
            <p>
              A namespace, team or cluster score is the mean of its pipelines&apos; scores weighted by how often they run, shown with its worst pipeline. Its grade is
              never better than the best grade its capped pipelines allow (one pipeline capped at D caps the roll-up at D).
            </p>
          </div>
          <div className="space-y-2 text-zinc-700 dark:text-zinc-300">
            <p>
              Weights follow OpenSSF Scorecard:{' '}
              {Object.entries(SEVERITY_WEIGHT)
                .map(([s, w]) => `${s} ${w}`)
                .join(', ')}
              .
            </p>
            <p>
              Under {Math.round(INCOMPLETE_BELOW * 100)}% coverage the score is marked <em>incomplete</em> and shows no letter (cards and roll-ups alike); with nothing evaluated there is no score at all, never a 100.
            </p>
            <p>Team, namespace and cluster scores are the mean of their pipelines&apos; scores weighted by how often each runs (a pipeline with no runs in sight weighs as one run).</p>
          </div>
        </div>
      </Card>

      <div className="space-y-4">
        {categories.map((cat) => {
          const checks = CHECKS.filter((c) => c.category === cat);
          if (checks.length === 0) return null;
          return (
            <section key={cat} aria-labelledby={`cat-${cat}`} className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
              <h2 id={`cat-${cat}`} className="border-b border-zinc-200 bg-zinc-50 px-4 py-2 text-sm font-semibold dark:border-zinc-800 dark:bg-zinc-900/60">
                {CATEGORY_LABELS[cat]}
              </h2>
              {checks.map((c) => {
                const t = tallies.get(c.id);
                return (
                  <details key={c.id} id={c.id} className="group border-t border-zinc-100 first-of-type:border-t-0 dark:border-zinc-800">
                    <summary className="flex cursor-pointer list-none items-center gap-3 px-4 py-2 hover:bg-zinc-50 dark:hover:bg-zinc-800/50 [&::-webkit-details-marker]:hidden">
                      <span aria-hidden="true" className="w-3 text-xs text-zinc-500 dark:text-zinc-400 transition-transform group-open:rotate-90">
                        ▶
                      </span>
                      <span className="w-16 shrink-0 font-mono text-xs text-zinc-600 dark:text-zinc-400">{c.id}</span>
                      <span className="min-w-0 flex-1 text-sm font-medium">{c.title}</span>
                      <SeverityBadge severity={t?.severity ?? c.severity} />
                      <span className="flex w-72 shrink-0 justify-end gap-3 text-xs">
                        <Count n={t?.fail ?? 0} label="fail" cls="font-semibold text-red-700 dark:text-red-300" />
                        <Count n={t?.warn ?? 0} label="warn" cls="text-amber-700 dark:text-amber-300" />
                        <Count n={t?.unknown ?? 0} label="unknown" cls="text-violet-700 dark:text-violet-300" />
                      </span>
                    </summary>
                    <div className="space-y-3 px-4 pt-1 pb-4 pl-[7.5rem]">
                      <div>
                        <h3 className="mb-1 text-xs font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">Why it matters</h3>
                        <Markdownish text={c.rationale} copy={false} />
                      </div>
                      <div>
                        <h3 className="mb-1 text-xs font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">Remediation</h3>
                        <Markdownish text={c.remediation} />
                      </div>
                      <p className="text-xs text-zinc-600 dark:text-zinc-400">
                        Source: {c.source} · scope: {c.scope} · {c.needs.length ? `needs ${c.needs.join(', ')}` : 'needs no extra kinds'} ·{' '}
                        <Link href={checkHref(c.id)} prefetch={false} className="text-sky-700 underline underline-offset-2 dark:text-sky-300">
                          Pipelines and outcomes
                        </Link>
                      </p>
                    </div>
                  </details>
                );
              })}
            </section>
          );
        })}
      </div>
    </>
  );
}
