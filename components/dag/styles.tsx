/**
 * Colours, icons and words of the DAG view, shared by the client canvas and the server-rendered legend (no
 * 'use client' here: server components import these as values, not as client references).
 */
import type { ReactNode } from 'react';
import type { BindingKind, ImagePin, Verdict } from '../../lib/view/dag-layout';
import { CHAINS_LABELS, RUN_STATUS_LABELS } from '../../lib/view/format';

export function KeyIcon({ className = 'h-3.5 w-3.5' }: { className?: string }) {
  return (
    <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className={`shrink-0 ${className}`}>
      <path
        fillRule="evenodd"
        d="M8 7a5 5 0 1 1 3.61 4.804l-1.903 1.903A1 1 0 0 1 9 14H8v1a1 1 0 0 1-1 1H6v1a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1v-2a1 1 0 0 1 .293-.707L8.196 8.39A5.002 5.002 0 0 1 8 7Zm5-3a.75.75 0 0 0 0 1.5A1.5 1.5 0 0 1 14.5 7 .75.75 0 0 0 16 7a3 3 0 0 0-3-3Z"
        clipRule="evenodd"
      />
    </svg>
  );
}

function DiskIcon({ className = 'h-3.5 w-3.5' }: { className?: string }) {
  return (
    <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className={`shrink-0 ${className}`}>
      <path d="M3 4.5C3 3.12 6.13 2 10 2s7 1.12 7 2.5v11c0 1.38-3.13 2.5-7 2.5s-7-1.12-7-2.5v-11Zm1.5 0c0 .5 2.2 1.25 5.5 1.25s5.5-.75 5.5-1.25S13.3 3.25 10 3.25 4.5 4 4.5 4.5Z" />
    </svg>
  );
}

function FolderIcon({ className = 'h-3.5 w-3.5' }: { className?: string }) {
  return (
    <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className={`shrink-0 ${className}`}>
      <path d="M3.75 3A1.75 1.75 0 0 0 2 4.75v10.5c0 .97.78 1.75 1.75 1.75h12.5c.97 0 1.75-.78 1.75-1.75V7.25c0-.97-.78-1.75-1.75-1.75h-5.38l-1.4-1.87A1.75 1.75 0 0 0 8.07 3H3.75Z" />
    </svg>
  );
}

/** Colours, icon and danger level of each binding kind; shared with the legend. */
export const BINDING_STYLE: Record<BindingKind, { box: string; chip: string; icon: (p: { className?: string }) => ReactNode; swatch: string }> = {
  credential: {
    box: 'border-red-500 bg-red-50 text-red-950 dark:border-red-500 dark:bg-red-950/70 dark:text-red-50',
    chip: 'bg-red-600 text-white',
    icon: KeyIcon,
    swatch: '#dc2626',
  },
  'pvc-rwx': {
    box: 'border-orange-500 bg-orange-50 text-orange-950 dark:border-orange-500 dark:bg-orange-950/70 dark:text-orange-50',
    chip: 'bg-orange-600 text-white',
    icon: DiskIcon,
    swatch: '#ea580c',
  },
  pvc: {
    box: 'border-amber-500 bg-amber-50 text-amber-950 dark:border-amber-500 dark:bg-amber-950/60 dark:text-amber-50',
    chip: 'bg-amber-400 text-amber-950',
    icon: DiskIcon,
    swatch: '#f59e0b',
  },
  'claim-template': {
    box: 'border-emerald-500 bg-emerald-50 text-emerald-950 dark:border-emerald-600 dark:bg-emerald-950/60 dark:text-emerald-50',
    chip: 'bg-emerald-700 text-white',
    icon: DiskIcon,
    swatch: '#059669',
  },
  'empty-dir': {
    box: 'border-zinc-400 bg-zinc-50 text-zinc-900 dark:border-zinc-500 dark:bg-zinc-800 dark:text-zinc-100',
    chip: 'bg-zinc-600 text-white',
    icon: FolderIcon,
    swatch: '#71717a',
  },
  'config-map': {
    box: 'border-sky-500 bg-sky-50 text-sky-950 dark:border-sky-500 dark:bg-sky-950/60 dark:text-sky-50',
    chip: 'bg-sky-700 text-white',
    icon: FolderIcon,
    swatch: '#0284c7',
  },
  csi: {
    box: 'border-violet-400 bg-violet-50 text-violet-950 dark:border-violet-500 dark:bg-violet-950/60 dark:text-violet-50',
    chip: 'bg-violet-700 text-white',
    icon: DiskIcon,
    swatch: '#7c3aed',
  },
  projected: {
    box: 'border-violet-400 bg-violet-50 text-violet-950 dark:border-violet-500 dark:bg-violet-950/60 dark:text-violet-50',
    chip: 'bg-violet-700 text-white',
    icon: FolderIcon,
    swatch: '#7c3aed',
  },
  unbound: {
    box: 'border-dashed border-zinc-400 bg-white text-zinc-700 dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-300',
    chip: 'bg-zinc-200 text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200',
    icon: FolderIcon,
    swatch: '#a1a1aa',
  },
  unknown: {
    box: 'border-dashed border-violet-400 bg-white text-zinc-700 dark:border-violet-500 dark:bg-zinc-900 dark:text-zinc-300',
    chip: 'bg-violet-200 text-violet-900 dark:bg-violet-800 dark:text-violet-100',
    icon: FolderIcon,
    swatch: '#a78bfa',
  },
};

export const PIN_STYLE: Record<ImagePin, { label: string; icon: string; cls: string }> = {
  digest: { label: 'digest', icon: '✓', cls: 'text-emerald-700 dark:text-emerald-400' },
  tag: { label: 'tag', icon: '!', cls: 'text-amber-700 dark:text-amber-400' },
  param: { label: 'param', icon: '?', cls: 'text-violet-700 dark:text-violet-400' },
  missing: { label: 'none', icon: '–', cls: 'text-zinc-600 dark:text-zinc-400' },
};

export const VERDICT: Record<Verdict, { icon: string; cls: string; word: string }> = {
  ok: { icon: '✓', cls: 'text-emerald-700 dark:text-emerald-400', word: 'yes' },
  bad: { icon: '✕', cls: 'text-red-700 dark:text-red-400', word: 'no' },
  unset: { icon: '?', cls: 'text-amber-700 dark:text-amber-400', word: 'not set' },
  unknown: { icon: '–', cls: 'text-zinc-600 dark:text-zinc-400', word: 'unknown' },
};

export const RUN_ICON: Record<string, { icon: string; cls: string }> = {
  succeeded: { icon: '✓', cls: 'text-emerald-700 dark:text-emerald-400' },
  failed: { icon: '✕', cls: 'text-red-700 dark:text-red-400' },
  cancelled: { icon: '⊘', cls: 'text-zinc-600 dark:text-zinc-400' },
  running: { icon: '◔', cls: 'text-sky-700 dark:text-sky-400' },
  pending: { icon: '…', cls: 'text-zinc-600 dark:text-zinc-400' },
  unknown: { icon: '?', cls: 'text-zinc-600 dark:text-zinc-400' },
  'not-run': { icon: '–', cls: 'text-zinc-600 dark:text-zinc-400' },
};

export const CHAINS_ICON: Record<string, { icon: string; cls: string }> = {
  'signed-verified': { icon: '✓✓', cls: 'text-emerald-700 dark:text-emerald-400' },
  'signed-with-evidence': { icon: '✓', cls: 'text-emerald-700 dark:text-emerald-400' },
  'marked-signed': { icon: '!', cls: 'text-amber-700 dark:text-amber-400' },
  failed: { icon: '✕', cls: 'text-red-700 dark:text-red-400' },
  retrying: { icon: '↻', cls: 'text-amber-700 dark:text-amber-400' },
  pending: { icon: '…', cls: 'text-zinc-600 dark:text-zinc-400' },
  'not-finished': { icon: '◔', cls: 'text-sky-700 dark:text-sky-400' },
  'not-signable': { icon: '–', cls: 'text-zinc-600 dark:text-zinc-400' },
};

export function runStatusLabel(s: string): string {
  return s === 'not-run' ? 'Not run' : (RUN_STATUS_LABELS as Record<string, string>)[s] ?? s;
}

export function chainsLabel(s: string): string {
  return (CHAINS_LABELS as Record<string, string>)[s] ?? s;
}

/** `registry.example.com/team/app:1.2@sha256:abcd…` → `team/app:1.2@sha256:abcd…` shortened for a node line. */
export function shortImage(image: string): string {
  const at = image.indexOf('@');
  let name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : '';
  const parts = name.split('/');
  if (parts.length > 2 && (parts[0].includes('.') || parts[0].includes(':'))) name = parts.slice(1).join('/');
  return digest ? `${name}@${digest.slice(0, 14)}…` : name;
}

