import type { PipelineCheck } from '../types';
import { IDN_001 } from './idn-001-dedicated-service-account';
import { IDN_002 } from './idn-002-service-account-not-shared';
import { IDN_003 } from './idn-003-no-cluster-admin';
import { IDN_004 } from './idn-004-secrets-only-by-name';
import { IDN_005 } from './idn-005-namespace-scoped-power-only';
import { IDN_006 } from './idn-006-no-escalation-verbs';
import { IDN_007 } from './idn-007-no-workload-creation-or-exec';
import { IDN_008 } from './idn-008-api-token-only-where-needed';
import { IDN_009 } from './idn-009-no-run-creation';
import { IDN_010 } from './idn-010-no-token-minting-or-wildcards';

/** Identity and RBAC checks, in catalog order (IDN-008 follows IDN-010 in the catalog table). */
export const identityChecks: PipelineCheck[] = [IDN_001, IDN_002, IDN_003, IDN_004, IDN_005, IDN_006, IDN_007, IDN_009, IDN_010, IDN_008];
