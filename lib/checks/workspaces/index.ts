import type { PipelineCheck } from '../types';
import { WSP_001 } from './wsp-001-credentials-reach-only-the-tasks-that-use-them';
import { WSP_002 } from './wsp-002-no-credential-hand-off-through-shared-volumes';
import { WSP_003 } from './wsp-003-fresh-volume-per-run';
import { WSP_004 } from './wsp-004-no-readwritemany-sharing';
import { WSP_005 } from './wsp-005-no-plaintext-secrets-in-specs';
import { WSP_006 } from './wsp-006-secrets-not-broadcast-to-every-step';

/** Workspaces and credentials checks, in catalog order. */
export const workspaceChecks: PipelineCheck[] = [WSP_001, WSP_002, WSP_003, WSP_004, WSP_005, WSP_006];

export { redactSecret } from './secrets';
