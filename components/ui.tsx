/**
 * Presentational building blocks (server components): grades, outcomes, severities and run states always show
 * a word or letter next to their colour, so nothing depends on colour alone.
 */
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { Outcome, Severity } from '../lib/checks/types';
import type { ChainsState, RunStatus } from '../lib/model/types';
import type { Grade } from '../lib/score/score';
import { CHAINS_LABELS, OUTCOME_LABELS, RUN_STATUS_LABELS, pct, scoreText } from '../lib/view/format';

const GRADE_CLASS: Record<Grade | 'none', string> = {
  A: 'bg-emerald-700 text-white',
  B: 'bg-teal-700 text-white',
  C: 'bg-amber-400 text-amber-950',
  D: 'bg-orange-700 text-white',
  F: 'bg-red-700 text-white',
  none: 'bg-zinc-300 text-zinc-800 dark:bg-zinc-600 dark:text-zinc-100',
};

/** A grade letter; null (nothing evaluated, or coverage under 80 %: `incomplete`) shows a dash, never a letter. */
export function GradeBadge({ grade, size = 'md', incomplete = false }: { grade: Grade | null; size?: 'sm' | 'md' | 'lg' | 'xl'; incomplete?: boolean }) {
  const dims = {
    sm: 'h-5 min-w-5 text-xs rounded',
    md: 'h-6 min-w-6 text-sm rounded-md',
    lg: 'h-10 min-w-10 text-xl rounded-lg',
    xl: 'h-16 min-w-16 text-4xl rounded-xl',
  }[size];
  return (
    <span
      role="img"
      className={`inline-flex shrink-0 items-center justify-center px-1 font-bold tabular-nums ${dims} ${GRADE_CLASS[grade ?? 'none']}`}
      title={grade ? `Grade ${grade}` : incomplete ? 'No grade: incomplete (under 80 % of the applicable checks evaluated)' : 'No grade: nothing evaluated'}
      aria-label={grade ? `Grade ${grade}` : incomplete ? 'No grade (incomplete)' : 'No grade'}
    >
      {grade ?? '–'}
    </span>
  );
}

const OUTCOME_ICON: Record<Outcome, string> = { fail: '✕', warn: '!', unknown: '?', pass: '✓', waived: '⊘', 'not-applicable': '–' };

/** An outcome as icon and word; its colours are the `outcome-*` classes in globals.css (repeated on every finding). */
export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  return (
    <span className={`badge-outcome outcome-${outcome}`}>
      <span aria-hidden="true" className="w-3 text-center">
        {OUTCOME_ICON[outcome]}
      </span>
      {OUTCOME_LABELS[outcome]}
    </span>
  );
}

/** A severity as a word; its colours are the `severity-*` classes in globals.css. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge-severity severity-${severity}`}>{severity}</span>;
}

const RUN_STATUS_STYLE: Record<RunStatus, { icon: string; cls: string }> = {
  succeeded: { icon: '✓', cls: 'text-emerald-700 dark:text-emerald-300' },
  failed: { icon: '✕', cls: 'text-red-700 dark:text-red-300' },
  cancelled: { icon: '⊘', cls: 'text-zinc-600 dark:text-zinc-400' },
  running: { icon: '◔', cls: 'text-sky-700 dark:text-sky-300' },
  pending: { icon: '…', cls: 'text-zinc-600 dark:text-zinc-400' },
  unknown: { icon: '?', cls: 'text-zinc-600 dark:text-zinc-400' },
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const s = RUN_STATUS_STYLE[status];
  return (
    <span className={`inline-flex items-center gap-1 text-xs font-medium ${s.cls}`}>
      <span aria-hidden="true">{s.icon}</span>
      {RUN_STATUS_LABELS[status]}
    </span>
  );
}

const CHAINS_STYLE: Record<ChainsState, { icon: string; cls: string }> = {
  'signed-verified': { icon: '✓✓', cls: 'text-emerald-700 dark:text-emerald-300' },
  'signed-with-evidence': { icon: '✓', cls: 'text-emerald-700 dark:text-emerald-300' },
  'marked-signed': { icon: '!', cls: 'text-amber-700 dark:text-amber-300' },
  failed: { icon: '✕', cls: 'text-red-700 dark:text-red-300' },
  retrying: { icon: '↻', cls: 'text-amber-700 dark:text-amber-300' },
  pending: { icon: '…', cls: 'text-zinc-600 dark:text-zinc-400' },
  'not-finished': { icon: '◔', cls: 'text-sky-700 dark:text-sky-300' },
  'not-signable': { icon: '–', cls: 'text-zinc-600 dark:text-zinc-400' },
};

/** `label` names the state more precisely when the caller knows more (lib/view/chains.ts signingLabel). */
export function ChainsBadge({ state, label }: { state: ChainsState; label?: string }) {
  const s = CHAINS_STYLE[state];
  return (
    <span className={`inline-flex items-center gap-1 text-xs font-medium ${s.cls}`}>
      <span aria-hidden="true">{s.icon}</span>
      {label ?? CHAINS_LABELS[state]}
    </span>
  );
}

export function ScoreValue({ score, coverage, incomplete }: { score: number | null; coverage: number; incomplete: boolean }) {
  if (score === null) return <span className="text-zinc-600 dark:text-zinc-400">no score</span>;
  return (
    <span className="tabular-nums">
      {scoreText(score)}
      {incomplete ? (
        <span className="ml-1 text-xs font-normal text-violet-700 dark:text-violet-300" title={`Only ${pct(coverage)} of the applicable checks could be evaluated`}>
          incomplete
        </span>
      ) : null}
    </span>
  );
}

export function Card({ title, children, actions, className = '', id, flush = false }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; className?: string; id?: string; flush?: boolean }) {
  return (
    <section id={id} aria-label={typeof title === 'string' ? title : undefined} className={`rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900 ${className}`}>
      {title ? (
        <header className="flex items-center justify-between gap-3 border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
          <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{title}</h2>
          {actions}
        </header>
      ) : null}
      <div tabIndex={flush ? 0 : undefined} className={flush ? 'overflow-x-auto' : 'p-4'}>{children}</div>
    </section>
  );
}

export function PageHeader({ title, kicker, children, actions }: { title: ReactNode; kicker?: ReactNode; children?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="mb-5 flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0">
        {kicker ? <div className="mb-1 text-xs font-medium uppercase tracking-wider text-zinc-600 dark:text-zinc-400">{kicker}</div> : null}
        <h1 className="text-xl font-semibold break-words text-zinc-900 dark:text-zinc-50">{title}</h1>
        {children ? <div className="mt-1.5 text-sm text-zinc-600 dark:text-zinc-400">{children}</div> : null}
      </div>
      {actions ? <div className="flex min-w-0 flex-wrap items-center gap-2">{actions}</div> : null}
    </header>
  );
}

export function Stat({ label, children, hint, className }: { label: string; children: ReactNode; hint?: ReactNode; className?: string }) {
  return (
    <div className={className}>
      <dt className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 text-sm font-semibold text-zinc-900 dark:text-zinc-100">{children}</dd>
      {hint ? <dd className="text-xs text-zinc-600 dark:text-zinc-400">{hint}</dd> : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="text-sm text-zinc-600 dark:text-zinc-400">{children}</p>;
}

export function TextLink({ href, children, className = '' }: { href: string; children: ReactNode; className?: string }) {
  return (
    <Link href={href} prefetch={false} className={`font-medium text-sky-700 underline decoration-sky-700/40 underline-offset-2 hover:decoration-2 dark:text-sky-300 dark:decoration-sky-300/50 ${className}`}>
      {children}
    </Link>
  );
}

/** Coverage as a thin bar plus the number. */
export function CoverageBar({ coverage, compact = false }: { coverage: number; compact?: boolean }) {
  const w = Math.max(0, Math.min(1, coverage)) * 100;
  const tone = coverage >= 0.8 ? 'bg-zinc-500 dark:bg-zinc-400' : 'bg-violet-500';
  if (compact) {
    return (
      <span className={`tabular-nums ${coverage < 0.8 ? 'font-semibold text-violet-700 dark:text-violet-300' : ''}`} title={`${pct(coverage, 1)} of applicable check weight evaluated`}>
        {pct(coverage)}
      </span>
    );
  }
  return (
    <span className="inline-flex items-center gap-2" title={`${pct(coverage, 1)} of applicable check weight evaluated`}>
      <span className="h-1.5 w-12 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700" aria-hidden="true">
        <span className={`block h-full ${tone}`} style={{ width: `${w}%` }} />
      </span>
      <span className="tabular-nums">{pct(coverage)}</span>
    </span>
  );
}

export function FailCounts({ fails, wrap = false }: { fails: Record<Severity, number>; wrap?: boolean }) {
  const total = fails.critical + fails.high + fails.medium + fails.low;
  if (total === 0) return <span className="text-xs text-zinc-600 dark:text-zinc-400">none</span>;
  const cell = (n: number, label: string, cls: string) =>
    n > 0 ? (
      <span className={`inline-flex items-center rounded px-1 text-xs font-semibold tabular-nums ${cls}`} title={`${n} ${label}`}>
        {n}
        <span className="ml-0.5 font-normal">{label[0].toUpperCase()}</span>
      </span>
    ) : null;
  return (
    <span className={`inline-flex gap-1 whitespace-nowrap ${wrap ? 'max-w-[5.5rem] flex-wrap' : 'flex-nowrap'}`} aria-label={`${fails.critical} critical, ${fails.high} high, ${fails.medium} medium, ${fails.low} low`}>
      {cell(fails.critical, 'critical', 'bg-red-700 text-white dark:bg-red-600')}
      {cell(fails.high, 'high', 'bg-orange-100 text-orange-900 dark:bg-orange-950 dark:text-orange-200')}
      {cell(fails.medium, 'medium', 'bg-yellow-100 text-yellow-900 dark:bg-yellow-950 dark:text-yellow-200')}
      {cell(fails.low, 'low', 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300')}
    </span>
  );
}

export function Mono({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <code className={`font-mono text-[12px] [overflow-wrap:anywhere] ${className}`}>{children}</code>;
}
