import yaml from 'js-yaml';
import { z } from 'zod';
import { defaultPolicy } from './defaults';
import type { Policy } from './types';

const CHECK_ID = /^[A-Z]{3}-\d{3}$/;

const waiverSchema = z.strictObject({
  checkId: z.string().regex(CHECK_ID, 'must be a check ID like IDN-003'),
  subject: z.string().min(1, 'must name a pipeline (namespace/name), a namespace (namespace/*) or "platform"'),
  reason: z.string().min(1, 'must say why'),
  owner: z.string().min(1, 'must name who owns the exception'),
  expires: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be a date (YYYY-MM-DD)'),
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
});

export class PolicyError extends Error {}

/** Parses a policy config (YAML or JSON text). Invalid config is rejected with a message naming the field. */
export function parsePolicy(text: string, origin = 'policy'): Policy {
  let raw: unknown;
  try {
    raw = yaml.load(text, { json: true }) ?? {};
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
  };
}
