/**
 * The moment the demo snapshot was taken. The demo is always scored at this time (unless the policy pins another
 * `now`), so its verdicts do not drift with the calendar: a run that "finished 3 minutes ago" stays 3 minutes old.
 * It is a little after the newest timestamp in lib/demo/snapshot (2026-11-22T11:58:37Z); lib/demo/clock.test.ts
 * keeps the two in step.
 */
export const DEMO_SNAPSHOT_TIME = '2026-11-22T12:00:00.000Z';
