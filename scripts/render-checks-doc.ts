/** Writes docs/CHECKS.md from the check registry (lib/report/checks-doc.ts). */
import { writeFileSync } from 'node:fs';
import { CHECKS } from '../lib/checks/registry';
import { checksDoc } from '../lib/report/checks-doc';

writeFileSync(new URL('../docs/CHECKS.md', import.meta.url), checksDoc(CHECKS));
console.log(`docs/CHECKS.md: ${CHECKS.length} checks`);
