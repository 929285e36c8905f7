import type { PipelineCheck } from '../types';
import { NSG_001 } from './nsg-001-pod-security-enforced';
import { NSG_002 } from './nsg-002-egress-restricted';
import { NSG_003 } from './nsg-003-resource-quota';
import { NSG_004 } from './nsg-004-default-limits';
import { NSG_005 } from './nsg-005-no-direct-taskruns';
import { NSG_006 } from './nsg-006-not-in-the-default-namespace';

/** Namespace guardrail checks, in catalog order (NSG-006 precedes NSG-005 in the catalog table). */
export const namespaceChecks: PipelineCheck[] = [NSG_001, NSG_002, NSG_003, NSG_004, NSG_006, NSG_005];
