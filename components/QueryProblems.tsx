import type { QueryProblem } from '../lib/view/scorecard';

/** Says which URL parameters were ignored and what they may be, instead of silently showing everything. */
export function QueryProblems({ problems }: { problems: readonly QueryProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <div role="alert" data-testid="query-problems" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100">
      <p className="font-semibold">{problems.length === 1 ? 'One filter was ignored' : `${problems.length} filters were ignored`}: the rows below do not apply it.</p>
      <ul className="mt-1 list-disc pl-5">
        {problems.map((p) => (
          <li key={p.param} className="[overflow-wrap:anywhere]">
            <code className="font-mono text-xs">
              {p.param}={p.value}
            </code>{' '}
            is not a known value; {p.param} takes {p.valid}.
          </li>
        ))}
      </ul>
    </div>
  );
}
