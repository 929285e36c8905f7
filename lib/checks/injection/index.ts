import type { PipelineCheck } from '../types';
import { INJ_001 } from './inj-001-no-parameter-interpolation-in-scripts';
import { INJ_002 } from './inj-002-free-text-parameters-constrained';
import { INJ_003 } from './inj-003-webhook-payloads-kept-out-of-scripts';
import { INJ_004 } from './inj-004-untrusted-pull-requests-kept-away-from-credentials';

/** Parameters and scripts checks, in catalog order (INJ-003 precedes INJ-002 in the catalog table, INJ-004 follows). */
export const injectionChecks: PipelineCheck[] = [INJ_001, INJ_003, INJ_002, INJ_004];
