'use client';
import { useState, type MouseEvent } from 'react';

/**
 * Copies a text (a remediation snippet) to the clipboard; says so for screen readers too. Without `text` it copies
 * the `<pre>` of its enclosing `[data-copy-block]` element, so a snippet already on the page is not sent twice.
 */
export function CopyButton({ text, label = 'Copy' }: { text?: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy(event: MouseEvent<HTMLButtonElement>) {
    const value = text ?? event.currentTarget.closest('[data-copy-block]')?.querySelector('pre')?.textContent;
    try {
      if (value == null) throw new Error('nothing to copy');
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 1600);
  }
  return (
    <button type="button" onClick={copy} className="copy-button">
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}</span>
    </button>
  );
}
