import Link from 'next/link';
import type { Evidence, ObjectRef } from '../lib/model/types';
import { groupEvidence, type EvidenceGroup } from '../lib/view/evidence';
import { clip } from '../lib/view/format';
import { evidenceHref } from '../lib/view/links';

/**
 * At most this many entries per finding (the JSON and SARIF exports carry them all): on a 150-task pipeline ten
 * places make the point, and every line is sent twice (HTML and RSC payload). Classes: globals.css.
 */
const SHOWN_MAX = 10;

function ObjectLabel({ object, pipelineIds }: { object: ObjectRef; pipelineIds: ReadonlySet<string> }) {
  const href = evidenceHref(object, pipelineIds);
  const label = `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
  return href ? (
    <Link href={href} prefetch={false} className="evidence-object">
      {label}
    </Link>
  ) : (
    <span className="evidence-object">{label}</span>
  );
}

/** Path, value and where in the file of one entry; `withFile` false when its group's heading names the file. */
function Entry({ item, file, withFile }: { item: EvidenceGroup['items'][number]; file?: string; withFile: boolean }) {
  return (
    <>
      {item.path ? <code className="evidence-path">{clip(item.path, 200)}</code> : null}
      {item.value ? (
        <span className="evidence-value" title={item.value.length > 160 ? item.value.slice(0, 2000) : undefined}>
          = {clip(item.value, 160)}
        </span>
      ) : null}
      {file && withFile ? (
        <span className="evidence-where">
          {file}
          {item.line ? `:${item.line}` : ''}
        </span>
      ) : null}
      {file && !withFile && item.line ? <span className="evidence-where">line {item.line}</span> : null}
    </>
  );
}

/**
 * Evidence objects with their paths; an object with a page in the app links to it, the rest is plain text.
 * Consecutive entries about one object are listed under it once (lib/view/evidence.ts).
 */
export function EvidenceList({ evidence, pipelineIds }: { evidence: Evidence[]; pipelineIds: ReadonlySet<string> }) {
  if (evidence.length === 0) return null;
  const shown = evidence.slice(0, SHOWN_MAX);
  return (
    <ul className="space-y-1 text-[13px]">
      {groupEvidence(shown).map((g, i) =>
        g.items.length === 1 ? (
          <li key={i} className="evidence-line">
            <ObjectLabel object={g.object} pipelineIds={pipelineIds} />
            <Entry item={g.items[0]} file={g.file} withFile />
          </li>
        ) : (
          <li key={i} className="min-w-0">
            <div className="evidence-line">
              <ObjectLabel object={g.object} pipelineIds={pipelineIds} />
              {g.file ? <span className="evidence-where">{g.file}</span> : null}
            </div>
            <ul className="mt-0.5 space-y-0.5 border-l border-zinc-200 pl-3 dark:border-zinc-700">
              {g.items.map((item, j) => (
                <li key={j} className="evidence-line">
                  <Entry item={item} file={g.file} withFile={false} />
                </li>
              ))}
            </ul>
          </li>
        ),
      )}
      {evidence.length > shown.length ? <li className="text-xs text-zinc-600 dark:text-zinc-400">… and {evidence.length - shown.length} more in the JSON and SARIF exports</li> : null}
    </ul>
  );
}
