import type { PipelineCheck } from '../types';
import { SUP_001 } from './sup-001-images-pinned-by-digest';
import { SUP_002 } from './sup-002-no-floating-tags';
import { SUP_003 } from './sup-003-trusted-registries';
import { SUP_004 } from './sup-004-remote-tasks-pinned';
import { SUP_005 } from './sup-005-runs-signed-by-chains';
import { SUP_006 } from './sup-006-signatures-carry-evidence';
import { SUP_007 } from './sup-007-build-outputs-signable';
import { SUP_008 } from './sup-008-task-definitions-verified';
import { SUP_009 } from './sup-009-images-scanned';
import { SUP_010 } from './sup-010-signatures-verify';

/** Supply chain, signing and provenance checks, in catalog order. */
export const supplyChainChecks: PipelineCheck[] = [SUP_001, SUP_002, SUP_003, SUP_004, SUP_005, SUP_006, SUP_007, SUP_008, SUP_009, SUP_010];
