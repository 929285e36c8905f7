import type { Severity } from '../checks/types';

export interface Waiver {
  checkId: string;
  /** `namespace/name` of a pipeline, `namespace/*` for a namespace, or `platform`. */
  subject: string;
  reason: string;
  owner: string;
  /** ISO date (YYYY-MM-DD). */
  expires: string;
}

export interface Policy {
  /** Registry host (and optional path prefix) allowlist, e.g. `ghcr.io/acme`, `registry.example.com`. Empty = not configured. */
  trustedRegistries: string[];
  team: {
    /** Label key on the namespace or pipeline that names the team. */
    labelKey: string;
    /** Namespace → team, consulted when no label is present. */
    namespaces: Record<string, string>;
  };
  severityOverrides: Record<string, Severity>;
  disabledChecks: string[];
  waivers: Waiver[];
  /** How many recent runs per pipeline count for run-based checks. */
  recentRuns: number;
  /** Honour `tekton-posture.dev/waive-<CHECK>` annotations on pipelines (off by default). */
  allowAnnotationWaivers: boolean;
  /** Public keys (PEM: ECDSA P-256, ed25519, RSA) Chains signs with; SUP-010 verifies stored signatures offline. */
  chains: { publicKeys: string[] };
  /** "Now", injectable for tests and reproducible reports (ISO time). */
  now?: string;
}
