import type { PlatformCheck } from '../types';
import { PLT_001 } from './plt-001-chains-installed';
import { PLT_002 } from './plt-002-slsa-provenance';
import { PLT_003 } from './plt-003-transparency-log';
import { PLT_004 } from './plt-004-signing-key-custody';
import { PLT_005 } from './plt-005-unmatched-resources-rejected';
import { PLT_006 } from './plt-006-security-context-injected';
import { PLT_007 } from './plt-007-non-falsifiable-provenance';
import { PLT_008 } from './plt-008-risky-resolvers-off';
import { PLT_009 } from './plt-009-run-history-bounded';

/** Platform checks (cluster-wide Tekton and Chains configuration), in catalog order. */
export const platformChecks: PlatformCheck[] = [PLT_001, PLT_002, PLT_003, PLT_004, PLT_005, PLT_006, PLT_007, PLT_008, PLT_009];
