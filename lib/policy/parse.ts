import yaml from 'js-yaml';
import { z } from 'zod';
import { parsePublicKey } from '../model/chains-verify';
import { defaultPolicy } from './defaults';
import type { Policy } from './types';

const CHECK_ID = /^[A-Z]{3}-\d{3}$/;

/**
 * YAML 1.1 reads an unquoted `expires: 2027-01-31` as a timestamp, and js-yaml would hand over a Date (rolling
 * 2027-02-31 over to March 3). The policy is read without the timestamp type, so a date stays the text the user
 * wrote and is checked here, strictly, where a date is meant.
 */
// `types` is exported by js-yaml 4 but missing from its typings; merge keys (`<<: *anchor`) stay supported.
const MERGE_TYPE = (yaml as unknown as { types: { merge: yaml.Type } }).types.merge;
const POLICY_SCHEMA = yaml.CORE_SCHEMA.extend([MERGE_TYPE]);

// A time of day must carry its zone: JavaScript reads a bare `T10:00` in the server's local time.
const DATE_PART = /^(\d{4}-\d{2}-\d{2})([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2}))?$/;

/** A real calendar day (no 02-31), optionally with a time of day and zone. */
function isCalendarTime(s: string): boolean {
  const m = DATE_PART.exec(s.trim());
  if (!m) return false;
  const day = new Date(`${m[1]}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== m[1]) return false;
  return Number.isFinite(Date.parse(s.trim().replace(' ', 'T')));
}

const DATE_MESSAGE = 'must be a date (YYYY-MM-DD)';
const TIME_MESSAGE = 'must be an ISO time such as 2026-11-22T12:00:00Z';
const dateText = z.string({ error: DATE_MESSAGE }).refine(isCalendarTime, DATE_MESSAGE);
const timeText = z.string({ error: TIME_MESSAGE }).refine(isCalendarTime, TIME_MESSAGE);

const waiverSchema = z.strictObject({
  checkId: z.string().regex(CHECK_ID, 'must be a check ID like IDN-003'),
  subject: z.string().min(1, 'must name a pipeline (namespace/name), a namespace (namespace/*) or "platform"'),
  reason: z.string().min(1, 'must say why'),
  owner: z.string().min(1, 'must name who owns the exception'),
  expires: dateText,
});

const policySchema = z.strictObject({
  trustedRegistries: z.array(z.string().min(1)).optional(),
  team: z
    .strictObject({
      labelKey: z.string().min(1).optional(),
      namespaces: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  severityOverrides: z.record(z.string().regex(CHECK_ID, 'keys must be check IDs'), z.enum(['critical', 'high', 'medium', 'low'])).optional(),
  disabledChecks: z.array(z.string().regex(CHECK_ID, 'must be a check ID like IDN-003')).optional(),
  waivers: z.array(waiverSchema).optional(),
  recentRuns: z.number().int().min(1).max(1000).optional(),
  allowAnnotationWaivers: z.boolean().optional(),
  chains: z
    .strictObject({
      publicKeys: z
        .array(
          z.string().superRefine((pem, ctx) => {
            const k = parsePublicKey(pem);
            if (typeof k === 'string') ctx.addIssue({ code: 'custom', message: k });
          }),
        )
        .max(50)
        .optional(),
    })
    .optional(),
  /** Pins the report time (reproducible reports); absent = the time of the scan. */
  now: timeText.optional(),
});

export class PolicyError extends Error {}

/** Parses a policy config (YAML or JSON text). Invalid config is rejected with a message naming the field. */
export function parsePolicy(text: string, origin = 'policy'): Policy {
  let raw: unknown;
  try {
    raw = yaml.load(text, { json: true, schema: POLICY_SCHEMA }) ?? {};
  } catch (e) {
    throw new PolicyError(`${origin}: not valid YAML: ${String((e as Error).message).split('\n')[0]}`);
  }
  // A ConfigMap holding the policy under data["policy.yaml"] is accepted as is.
  if (raw && typeof raw === 'object' && (raw as { kind?: unknown }).kind === 'ConfigMap') {
    const data = (raw as { data?: Record<string, unknown> }).data ?? {};
    const inner = data['policy.yaml'];
    if (typeof inner !== 'string') throw new PolicyError(`${origin}: ConfigMap has no data["policy.yaml"]`);
    return parsePolicy(inner, `${origin} data["policy.yaml"]`);
  }
  const result = policySchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
    throw new PolicyError(`${origin} is invalid: ${problems.join('; ')}`);
  }
  const p = result.data;
  const base = defaultPolicy();
  return {
    ...base,
    trustedRegistries: p.trustedRegistries ?? base.trustedRegistries,
    team: { labelKey: p.team?.labelKey ?? base.team.labelKey, namespaces: p.team?.namespaces ?? {} },
    severityOverrides: p.severityOverrides ?? {},
    disabledChecks: p.disabledChecks ?? [],
    waivers: p.waivers ?? [],
    recentRuns: p.recentRuns ?? base.recentRuns,
    allowAnnotationWaivers: p.allowAnnotationWaivers ?? false,
    chains: { publicKeys: p.chains?.publicKeys ?? [] },
    ...(p.now ? { now: new Date(p.now.trim().replace(' ', 'T')).toISOString() } : {}),
  };
}
