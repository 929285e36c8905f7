import type { Policy } from '../policy/types';

/**
 * The report time: the one instant every time-based verdict of a scan (waiver expiry, SUP-005's signing grace,
 * PLT-009's run age, the report's generatedAt) is measured against. Checks read it from `policy.now`; this file
 * holds the engine's only read of the system clock, used when neither the caller nor the policy pins a time.
 */
export type Clock = () => string;

export const systemClock: Clock = () => new Date().toISOString();

/** The policy with `now` set: the caller's time wins, then the policy's own, then the clock (read once). */
export function pinReportTime(policy: Policy, now?: string, clock: Clock = systemClock): Policy {
  const t = now ?? policy.now ?? clock();
  return policy.now === t ? policy : { ...policy, now: t };
}

/** The pinned report time in milliseconds; NaN when it is missing or not a time. */
export function reportTimeMs(policy: Policy): number {
  return policy.now ? Date.parse(policy.now) : NaN;
}
