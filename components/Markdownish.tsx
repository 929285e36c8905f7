import { parseBlocks, type Inline } from '../lib/view/markdown';
import { CopyButton } from './CopyButton';

function Inlines({ inlines }: { inlines: Inline[] }) {
  return (
    <>
      {inlines.map((s, i) =>
        s.code ? (
          <code key={i} className="rounded bg-zinc-100 px-1 font-mono text-[12px] break-words text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
            {s.text}
          </code>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

/** Rationale and remediation text: paragraphs, lists, and code blocks with a copy button. Text only. */
export function Markdownish({ text, copy = true }: { text: string; copy?: boolean }) {
  const blocks = parseBlocks(text);
  return (
    <div className="space-y-2 text-[13px] leading-relaxed text-zinc-700 dark:text-zinc-300">
      {blocks.map((b, i) => {
        if (b.type === 'code') {
          return (
            <div key={i} className="relative">
              <pre className="overflow-x-auto rounded-md border border-zinc-200 bg-zinc-50 p-3 pr-16 font-mono text-[12px] leading-snug text-zinc-800 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-200">
                <code>{b.text}</code>
              </pre>
              {copy ? (
                <div className="absolute top-2 right-2">
                  <CopyButton text={b.text} label="Copy" />
                </div>
              ) : null}
            </div>
          );
        }
        if (b.type === 'list') {
          return (
            <ul key={i} className="list-disc space-y-0.5 pl-5">
              {b.items.map((it, j) => (
                <li key={j}>
                  <Inlines inlines={it} />
                </li>
              ))}
            </ul>
          );
        }
        return (
          <p key={i}>
            <Inlines inlines={b.inlines} />
          </p>
        );
      })}
    </div>
  );
}
