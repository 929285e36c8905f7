import Link from 'next/link';
import { checkById } from '../lib/checks/registry';
import { CATEGORY_LABELS, type Category, type Finding } from '../lib/checks/types';
import { OUTCOME_RANK, SEVERITY_RANK } from '../lib/view/format';
import { checkHref } from '../lib/view/links';
import { EvidenceList } from './Evidence';
import { Markdownish } from './Markdownish';
import { OutcomeBadge, SeverityBadge } from './ui';

function sortFindings(fs: Finding[]): Finding[] {
  return [...fs].sort((a, b) => OUTCOME_RANK[a.outcome] - OUTCOME_RANK[b.outcome] || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.checkId.localeCompare(b.checkId));
}

export function FindingItem({ f, pipelineIds }: { f: Finding; pipelineIds: ReadonlySet<string> }) {
  const meta = checkById(f.checkId);
  return (
    <details id={`finding-${f.checkId}`} className="group border-t border-zinc-200 first:border-t-0 dark:border-zinc-800" data-outcome={f.outcome}>
      <summary className="flex cursor-pointer list-none items-start gap-3 px-4 py-2.5 hover:bg-zinc-50 dark:hover:bg-zinc-800/50 [&::-webkit-details-marker]:hidden">
        <span aria-hidden="true" className="mt-0.5 w-3 text-xs text-zinc-400 transition-transform group-open:rotate-90">
          ▶
        </span>
        <span className="w-[5.5rem] shrink-0">
          <OutcomeBadge outcome={f.outcome} />
        </span>
        <span className="w-[3.75rem] shrink-0 pt-0.5 font-mono text-xs text-zinc-500 dark:text-zinc-400">{f.checkId}</span>
        <span className="min-w-0 flex-1">
          <span className="block text-sm font-medium text-zinc-900 dark:text-zinc-100">{f.title}</span>
          <span className="line-clamp-1 text-xs [overflow-wrap:anywhere] text-zinc-600 group-open:hidden dark:text-zinc-400">{f.message}</span>
        </span>
        <SeverityBadge severity={f.severity} />
      </summary>
      <div className="space-y-4 px-4 pt-1 pb-4 pl-[8.9rem]">
        <p className="text-sm break-words whitespace-pre-wrap text-zinc-800 dark:text-zinc-200">{f.message}</p>
        {f.waiver ? (
          <p className="rounded-md bg-sky-50 px-3 py-2 text-xs text-sky-900 dark:bg-sky-950/50 dark:text-sky-200">
            Waived by {f.waiver.owner} until {f.waiver.expires}
            {f.waiver.expired ? ' (expired)' : f.waiver.expiresSoon ? ' (expires soon)' : ''}: {f.waiver.reason}
          </p>
        ) : null}
        {f.evidence.length > 0 ? (
          <div>
            <h4 className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Evidence</h4>
            <EvidenceList evidence={f.evidence} pipelineIds={pipelineIds} />
          </div>
        ) : null}
        {meta ? (
          <>
            <div>
              <h4 className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Why it matters</h4>
              <Markdownish text={meta.rationale} copy={false} />
            </div>
            <div data-testid="remediation">
              <h4 className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Remediation</h4>
              <Markdownish text={meta.remediation} />
            </div>
            <p className="text-xs text-zinc-500">
              Source: {meta.source} ·{' '}
              <Link href={checkHref(f.checkId)} prefetch={false} className="text-sky-700 hover:underline dark:text-sky-400">
                {f.checkId} in the catalog
              </Link>
            </p>
          </>
        ) : null}
      </div>
    </details>
  );
}

/** The checklist grouped by category (CATEGORY_LABELS order), failing checks first within each. */
export function Checklist({ findings, pipelineIds }: { findings: Finding[]; pipelineIds: ReadonlySet<string> }) {
  const categories = Object.keys(CATEGORY_LABELS) as Category[];
  return (
    <div className="space-y-4">
      {categories.map((cat) => {
        const fs = sortFindings(findings.filter((f) => f.category === cat));
        if (fs.length === 0) return null;
        const n = (o: Finding['outcome']) => fs.filter((f) => f.outcome === o).length;
        return (
          <section key={cat} aria-labelledby={`cat-${cat}`} className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
            <header className="flex items-center justify-between border-b border-zinc-200 bg-zinc-50 px-4 py-2 dark:border-zinc-800 dark:bg-zinc-900/60">
              <h3 id={`cat-${cat}`} className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">
                {CATEGORY_LABELS[cat]}
              </h3>
              <span className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
                {n('fail')} fail · {n('warn')} warn · {n('unknown')} unknown · {n('pass')} pass
                {n('not-applicable') ? ` · ${n('not-applicable')} n/a` : ''}
                {n('waived') ? ` · ${n('waived')} waived` : ''}
              </span>
            </header>
            <div>
              {fs.map((f) => (
                <FindingItem key={f.checkId} f={f} pipelineIds={pipelineIds} />
              ))}
            </div>
          </section>
        );
      })}
    </div>
  );
}

