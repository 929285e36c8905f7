import { lastWeekChanges } from '../../server/history/views';

/** "Since last week: N new critical, M fixed" from the history; nothing when there is no history to tell. */
export async function ChangesSince() {
  const page = await lastWeekChanges();
  if (!page) return null;
  return (
    <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400" data-testid="changes-since">
      Since last week:{' '}
      <span className={page.newCritical > 0 ? 'font-medium text-red-700 dark:text-red-300' : undefined}>{page.newCritical} new critical</span>,{' '}
      <span className={page.counts.fixed > 0 ? 'font-medium text-emerald-700 dark:text-emerald-300' : undefined}>{page.counts.fixed} fixed</span>
    </p>
  );
}
