import Link from 'next/link';
import type { ReactNode } from 'react';
import type { Finding } from '../lib/checks/types';
import { checkHref } from '../lib/view/links';
import { EvidenceList } from './Evidence';
import { OutcomeBadge, SeverityBadge } from './ui';

/**
 * One finding in a list of findings (a namespace's guardrails, a service account's identity checks, a check's
 * failing subjects): outcome, `subject` (by default the check: id, title, severity), message, evidence, then
 * `children`. The pipeline page's checklist (Checklist.tsx) is the expandable form.
 */
export function FindingRow({ f, pipelineIds, subject, children }: { f: Finding; pipelineIds: ReadonlySet<string>; subject?: ReactNode; children?: ReactNode }) {
  return (
    <li className="py-2.5">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <OutcomeBadge outcome={f.outcome} />
        {subject ?? (
          <>
            <Link href={checkHref(f.checkId)} prefetch={false} className="font-mono text-xs text-zinc-600 dark:text-zinc-400 hover:underline">
              {f.checkId}
            </Link>
            <span className="font-medium">{f.title}</span>
            <SeverityBadge severity={f.severity} />
          </>
        )}
      </div>
      <p className="mt-1 text-xs break-words text-zinc-700 dark:text-zinc-300">{f.message}</p>
      <div className="mt-1">
        <EvidenceList evidence={f.evidence} pipelineIds={pipelineIds} />
      </div>
      {children}
    </li>
  );
}
