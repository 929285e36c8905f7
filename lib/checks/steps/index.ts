import type { Check } from '../types';
import { STP_001 } from './stp-001-runs-as-non-root';
import { STP_002 } from './stp-002-no-privilege-escalation';
import { STP_003 } from './stp-003-drops-all-capabilities';
import { STP_004 } from './stp-004-read-only-root-filesystem';
import { STP_005 } from './stp-005-not-privileged';
import { STP_006 } from './stp-006-bounded-resources';
import { STP_007 } from './stp-007-no-host-access';
import { STP_008 } from './stp-008-seccomp-profile';
import { STP_009 } from './stp-009-rootless-image-builds';

/** Step and pod hardening checks, in catalog order. */
export const stepChecks: Check[] = [STP_001, STP_002, STP_003, STP_004, STP_005, STP_006, STP_007, STP_008, STP_009];
