'use client';
import { usePathname, useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import { namespaceFromSegment, namespaceLabel } from '../lib/model/types';

interface Props {
  current: { q?: string; ns?: string; team?: string; grade?: string; check?: string; severity?: string; sort?: string; dir?: string };
  namespaces: string[];
  teams: string[];
  checks: { id: string; title: string }[];
}

const KEYS = ['q', 'ns', 'team', 'grade', 'check', 'severity', 'sort', 'dir'] as const;

/**
 * Filters of the scorecard. A plain GET form (works without JavaScript); with it, every change replaces the URL
 * at once, so the address bar always holds the exact view and the server does the filtering.
 */
export function ScorecardControls({ current, namespaces, teams, checks }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [q, setQ] = useState(current.q ?? '');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // When the URL's q changes from elsewhere (back button, a link), show it in the box.
  const [shownFor, setShownFor] = useState(current.q);
  if (shownFor !== current.q) {
    setShownFor(current.q);
    setQ(current.q ?? '');
  }

  function navigate(change: Partial<Record<(typeof KEYS)[number], string>>) {
    const merged: Record<string, string | undefined> = { ...current, ...change };
    const sp = new URLSearchParams();
    for (const k of KEYS) if (merged[k]) sp.set(k, merged[k] as string);
    const s = sp.toString();
    startTransition(() => router.replace(s ? `${pathname}?${s}` : pathname, { scroll: false }));
  }

  const select = 'h-8 max-w-56 rounded-md border border-zinc-300 bg-white px-2 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';
  const label = 'flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400';

  return (
    <form
      method="get"
      action={pathname}
      role="search"
      aria-label="Filter pipelines"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        navigate({ q });
      }}
    >
      {current.sort ? <input type="hidden" name="sort" value={current.sort} /> : null}
      {current.dir ? <input type="hidden" name="dir" value={current.dir} /> : null}
      <label className={label}>
        Search
        <input
          type="search"
          name="q"
          value={q}
          placeholder="Name, namespace, team, SA"
          className={`${select} w-60`}
          onChange={(e) => {
            const v = e.target.value;
            setQ(v);
            if (timer.current) clearTimeout(timer.current);
            timer.current = setTimeout(() => navigate({ q: v }), 350);
          }}
        />
      </label>
      <label className={label}>
        Namespace
        <select name="ns" value={current.ns ?? ''} className={select} onChange={(e) => navigate({ ns: e.target.value })}>
          <option value="">All namespaces</option>
          {namespaces.map((n) => (
            <option key={n} value={n}>
              {namespaceLabel(namespaceFromSegment(n))}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Team
        <select name="team" value={current.team ?? ''} className={select} onChange={(e) => navigate({ team: e.target.value })}>
          <option value="">All teams</option>
          {teams.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Grade
        <select name="grade" value={current.grade ?? ''} className={select} onChange={(e) => navigate({ grade: e.target.value })}>
          <option value="">Any grade</option>
          {['A', 'B', 'C', 'D', 'F'].map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
          <option value="none">No grade</option>
        </select>
      </label>
      <label className={label}>
        Failing check
        <select name="check" value={current.check ?? ''} className={`${select} max-w-72`} onChange={(e) => navigate({ check: e.target.value })}>
          <option value="">Any check</option>
          {checks.map((c) => (
            <option key={c.id} value={c.id}>
              {c.id} · {c.title}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Failing severity
        <select name="severity" value={current.severity ?? ''} className={select} onChange={(e) => navigate({ severity: e.target.value })}>
          <option value="">Any severity</option>
          {['critical', 'high', 'medium', 'low'].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <noscript>
        <button type="submit" className={select}>
          Apply
        </button>
      </noscript>
      <span className="h-8 text-xs leading-8 text-zinc-600 dark:text-zinc-400" aria-live="polite">
        {pending ? 'Updating…' : ''}
      </span>
    </form>
  );
}
