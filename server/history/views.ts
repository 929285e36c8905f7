import 'server-only';
import { historyStore, within } from './recorder';
import type { ChangesPage, ScorePoint } from './store';

const DAY_MS = 86_400_000;
// A page never waits longer than this for the history: without an answer it renders without it.
const PAGE_WAIT_MS = 500;

/** A subject's score points of the last `days` days and the time they run to; null without history. */
export async function recentScores(pipelineId: string, days: number): Promise<{ points: ScorePoint[]; now: number } | null> {
  const now = Date.now();
  const points = await within(
    historyStore().then((s) => s?.history({ pipeline: pipelineId, since: new Date(now - days * DAY_MS) }) ?? null),
    PAGE_WAIT_MS,
  );
  return points ? { points, now } : null;
}

/** The counts of the last 7 days' changes; null without history. */
export async function lastWeekChanges(): Promise<ChangesPage | null> {
  const now = Date.now();
  return within(
    historyStore().then((s) => s?.changes({ since: new Date(now - 7 * DAY_MS), until: new Date(now), limit: 1 }) ?? null),
    PAGE_WAIT_MS,
  );
}
