import type { ClusterModel, Evidence, PipelineModel } from '../model/types';
import type { Policy } from '../policy/types';

export type Outcome = 'pass' | 'fail' | 'warn' | 'unknown' | 'not-applicable' | 'waived';
export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type Category = 'identity' | 'workspaces' | 'steps' | 'supply-chain' | 'injection' | 'namespace' | 'platform';

export const CATEGORY_LABELS: Record<Category, string> = {
  identity: 'Identity and RBAC',
  workspaces: 'Workspaces and credentials',
  steps: 'Step and pod hardening',
  'supply-chain': 'Supply chain, signing and provenance',
  injection: 'Parameters and scripts',
  namespace: 'Namespace guardrails',
  platform: 'Platform',
};

export interface CheckMeta {
  id: string;
  title: string;
  category: Category;
  severity: Severity;
  /** Pipeline checks run once per pipeline; platform checks once for the cluster. */
  scope: 'pipeline' | 'platform';
  /** Why it matters, in a sentence or three a reviewer reads. */
  rationale: string;
  /** What to do, with a YAML snippet where one helps (markdown). */
  remediation: string;
  /** The source document (../shared/seeds short name and section) or tool that motivates it. */
  source: string;
  /** Kinds whose absence (403, CRD missing) makes this check unknown. */
  needs: string[];
}

/** What a check's evaluate returns; the engine adds metadata, waivers and severity overrides. */
export interface CheckResult {
  outcome: Exclude<Outcome, 'waived'>;
  message: string;
  evidence: Evidence[];
  /** Set by the engine, never by a check: unknown because these kinds could not be read (a data gap). */
  blindedBy?: string[];
}

export interface PipelineCheckContext {
  pipeline: PipelineModel;
  cluster: ClusterModel;
  policy: Policy;
}

export interface PlatformCheckContext {
  cluster: ClusterModel;
  policy: Policy;
}

export interface PipelineCheck extends CheckMeta {
  scope: 'pipeline';
  evaluate(ctx: PipelineCheckContext): CheckResult;
}

export interface PlatformCheck extends CheckMeta {
  scope: 'platform';
  evaluate(ctx: PlatformCheckContext): CheckResult;
}

export type Check = PipelineCheck | PlatformCheck;

export interface Finding {
  checkId: string;
  title: string;
  category: Category;
  severity: Severity;
  outcome: Outcome;
  message: string;
  evidence: Evidence[];
  /** Set when a waiver applies or applied: its reason, owner and expiry. */
  waiver?: { reason: string; owner: string; expires: string; expired: boolean; expiresSoon: boolean };
  /** Unknown because these kinds could not be read (forbidden, unreachable…): the score counts it as failed. */
  blindedBy?: string[];
}
