import { parseBlocks, type Inline } from '../lib/view/markdown';
import { CopyButton } from './CopyButton';

function Inlines({ inlines }: { inlines: Inline[] }) {
  return (
    <>
      {inlines.map((s, i) =>
        s.code ? (
          <code key={i} className="md-code">
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
    <div className="md">
      {blocks.map((b, i) => {
        if (b.type === 'code') {
          return (
            <div key={i} className="relative" data-copy-block>
              <pre tabIndex={0} className="md-pre">
                <code>{b.text}</code>
              </pre>
              {copy ? (
                <div className="absolute top-2 right-2">
                  {/* Copies the <pre> above from the page rather than from a prop: the snippet is sent once. */}
                  <CopyButton label="Copy" />
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
