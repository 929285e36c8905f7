/** Namespace guardrail summaries (Pod Security labels, NetworkPolicies, quotas, limit ranges) from raw objects. */
import type { K8sObject, NamespaceModel } from '../model/types';

export const PSA_PREFIX = 'pod-security.kubernetes.io/';

export function psaLabels(ns: NamespaceModel): { mode: string; level: string; version: string | null }[] {
  const out: { mode: string; level: string; version: string | null }[] = [];
  for (const mode of ['enforce', 'audit', 'warn']) {
    const level = ns.labels[`${PSA_PREFIX}${mode}`];
    if (level !== undefined) out.push({ mode, level: String(level), version: ns.labels[`${PSA_PREFIX}${mode}-version`] ?? null });
  }
  return out;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One line per NetworkPolicy: which pods, which directions, and whether egress is open to all. */
export function netpolSummary(o: K8sObject): { selector: string; types: string[]; egress: string; ingress: string } {
  const spec = isObj(o.raw.spec) ? o.raw.spec : {};
  const sel = isObj(spec.podSelector) ? spec.podSelector : {};
  const selector = Object.keys(sel).length === 0 || (isObj(sel.matchLabels) && Object.keys(sel.matchLabels).length === 0 && !sel.matchExpressions) ? 'all pods' : JSON.stringify(sel).slice(0, 160);
  const types = Array.isArray(spec.policyTypes) ? spec.policyTypes.map(String).slice(0, 4) : [];
  const describe = (rules: unknown, key: 'to' | 'from') => {
    if (!Array.isArray(rules)) return 'not restricted by this policy';
    if (rules.length === 0) return 'deny all';
    if (rules.some((r) => isObj(r) && (!Array.isArray(r[key]) || r[key].length === 0) && !Array.isArray(r.ports))) return 'allow all';
    return `${rules.length} ${rules.length === 1 ? 'rule' : 'rules'}`;
  };
  const egressTyped = types.includes('Egress') || Array.isArray(spec.egress);
  const ingressTyped = types.includes('Ingress') || types.length === 0 || Array.isArray(spec.ingress);
  return {
    selector,
    types,
    egress: egressTyped ? describe(spec.egress ?? [], 'to') : 'not restricted by this policy',
    ingress: ingressTyped ? describe(spec.ingress ?? [], 'from') : 'not restricted by this policy',
  };
}

/** `cpu=4, memory=8Gi` from a quota's spec.hard. */
export function quotaSummary(o: K8sObject): string {
  const spec = isObj(o.raw.spec) ? o.raw.spec : {};
  const hard = isObj(spec.hard) ? spec.hard : {};
  const parts = Object.entries(hard)
    .slice(0, 12)
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(', ') : 'no hard limits';
}

export function limitRangeSummary(o: K8sObject): string[] {
  const spec = isObj(o.raw.spec) ? o.raw.spec : {};
  const limits = Array.isArray(spec.limits) ? spec.limits.slice(0, 10) : [];
  return limits.map((l) => {
    if (!isObj(l)) return '?';
    const kv = (x: unknown) =>
      isObj(x)
        ? Object.entries(x)
            .slice(0, 6)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(' ')
        : '';
    const parts = [`type ${String(l.type ?? '?')}`];
    if (l.default) parts.push(`default ${kv(l.default)}`);
    if (l.defaultRequest) parts.push(`defaultRequest ${kv(l.defaultRequest)}`);
    if (l.max) parts.push(`max ${kv(l.max)}`);
    return parts.join(' · ');
  });
}
