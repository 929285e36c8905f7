'use client';

export function PrintButton() {
  return (
    <button type="button" onClick={() => window.print()} className="no-print rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium dark:border-zinc-700 dark:bg-zinc-900">
      Print or save as PDF
    </button>
  );
}
