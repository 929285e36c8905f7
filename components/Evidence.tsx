import Link from 'next/link';
import type { Evidence } from '../lib/model/types';
import { clip } from '../lib/view/format';
import { evidenceHref } from '../lib/view/links';

/** Evidence objects with their path; an object with a page in the app links to it, the rest is plain text. */
export function EvidenceList({ evidence, pipelineIds }: { evidence: Evidence[]; pipelineIds: ReadonlySet<string> }) {
  if (evidence.length === 0) return null;
  const shown = evidence.slice(0, 50);
  return (
    <ul className="space-y-1 text-[13px]">
      {shown.map((e, i) => {
        const href = evidenceHref(e, pipelineIds);
        const label = `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}`;
        return (
          <li key={i} className="flex min-w-0 flex-wrap items-baseline gap-x-2 gap-y-0.5">
            {href ? (
              <Link href={href} prefetch={false} className="font-medium [overflow-wrap:anywhere] text-sky-700 hover:underline dark:text-sky-400">
                {label}
              </Link>
            ) : (
              <span className="font-medium [overflow-wrap:anywhere] text-zinc-800 dark:text-zinc-200">{label}</span>
            )}
            {e.path ? <code className="rounded bg-zinc-100 px-1 font-mono text-[12px] [overflow-wrap:anywhere] text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">{clip(e.path, 200)}</code> : null}
            {e.value ? (
              <span className="min-w-0 font-mono text-[12px] [overflow-wrap:anywhere] text-zinc-600 dark:text-zinc-400" title={e.value.length > 160 ? e.value.slice(0, 2000) : undefined}>
                = {clip(e.value, 160)}
              </span>
            ) : null}
            {e.file ? (
              <span className="text-[11px] [overflow-wrap:anywhere] text-zinc-500">
                {e.file}
                {e.line ? `:${e.line}` : ''}
              </span>
            ) : null}
          </li>
        );
      })}
      {evidence.length > shown.length ? <li className="text-xs text-zinc-500">… and {evidence.length - shown.length} more</li> : null}
    </ul>
  );
}
