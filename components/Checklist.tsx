import Link from 'next/link';
import { checkById } from '../lib/checks/registry';
import { CATEGORY_LABELS, type Category, type Finding } from '../lib/checks/types';
import { OUTCOME_RANK, SEVERITY_RANK } from '../lib/view/format';
import { checkHref } from '../lib/view/links';
import { EvidenceList } from './Evidence';
import { Markdownish } from './Markdownish';
import { OutcomeBadge, SeverityBadge } from './ui';

const NEEDS_REMEDIATION: ReadonlySet<Finding['outcome']> = new Set(['fail', 'warn', 'unknown', 'waived']);

function sortFindings(fs: Finding[]): Finding[] {
  return [...fs].sort((a, b) => OUTCOME_RANK[a.outcome] - OUTCOME_RANK[b.outcome] || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.checkId.localeCompare(b.checkId));
}

export function FindingItem({ f, pipelineIds }: { f: Finding; pipelineIds: ReadonlySet<string> }) {
  const meta = checkById(f.checkId);
  return (
    <details id={`finding-${f.checkId}`} className="finding" data-outcome={f.outcome}>
      <summary className="finding-summary">
        <span aria-hidden="true" className="finding-chevron">
          ▶
        </span>
        <span className="w-[5.5rem] shrink-0">
          <OutcomeBadge outcome={f.outcome} />
        </span>
        <span className="finding-id">{f.checkId}</span>
        <span className="min-w-0 flex-1">
          <span className="finding-title">{f.title}</span>
          <span className="finding-preview">{f.message}</span>
        </span>
        <SeverityBadge severity={f.severity} />
      </summary>
      <div className="finding-body">
        <p className="finding-message">{f.message}</p>
        {f.waiver ? (
          <p className="rounded-md bg-sky-50 px-3 py-2 text-xs text-sky-900 dark:bg-sky-950/50 dark:text-sky-200">
            Waived by {f.waiver.owner} until {f.waiver.expires}
            {f.waiver.expired ? ' (expired)' : f.waiver.expiresSoon ? ' (expires soon)' : ''}: {f.waiver.reason}
          </p>
        ) : null}
        {f.evidence.length > 0 ? (
          <div>
            <h4 className="finding-heading">Evidence</h4>
            <EvidenceList evidence={f.evidence} pipelineIds={pipelineIds} />
          </div>
        ) : null}
        {meta ? (
          <>
            <div>
              <h4 className="finding-heading">Why it matters</h4>
              <Markdownish text={meta.rationale} copy={false} />
            </div>
            {/* Passing and not-applicable checks have nothing to remediate: the catalog entry linked below has the
                remediation, and leaving it out here keeps a pipeline's page (54 findings) a third lighter. */}
            {NEEDS_REMEDIATION.has(f.outcome) ? (
              <div data-testid="remediation">
                <h4 className="finding-heading">Remediation</h4>
                <Markdownish text={meta.remediation} />
              </div>
            ) : null}
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              Source: {meta.source} ·{' '}
              <Link href={checkHref(f.checkId)} prefetch={false} className="text-sky-700 underline underline-offset-2 dark:text-sky-300">
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
              <span className="text-xs text-zinc-600 dark:text-zinc-400 tabular-nums dark:text-zinc-400">
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

