import type { Check } from './types';
import { identityChecks } from './identity';
import { workspaceChecks } from './workspaces';
import { stepChecks } from './steps';
import { supplyChainChecks } from './supply-chain';
import { injectionChecks } from './injection';
import { namespaceChecks } from './namespace';
import { platformChecks } from './platform';

/** Every check, in catalog order. IDs are stable: reports, waivers and SARIF rules key on them. */
export const CHECKS: readonly Check[] = [
  ...identityChecks,
  ...workspaceChecks,
  ...stepChecks,
  ...supplyChainChecks,
  ...injectionChecks,
  ...namespaceChecks,
  ...platformChecks,
];

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
