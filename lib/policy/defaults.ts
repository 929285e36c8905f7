import type { Policy } from './types';

export function defaultPolicy(overrides: Partial<Policy> = {}): Policy {
  return {
    trustedRegistries: [],
    team: { labelKey: 'team', namespaces: {} },
    severityOverrides: {},
    disabledChecks: [],
    waivers: [],
    recentRuns: 5,
    allowAnnotationWaivers: false,
    chains: { publicKeys: [] },
    ...overrides,
  };
}
