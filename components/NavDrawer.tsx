'use client';
import { usePathname } from 'next/navigation';
import { type ReactNode, useEffect, useRef, useState } from 'react';

/**
 * The sidebar, and below `md` a drawer behind a menu button: Escape and the backdrop close it, focus moves into it
 * when it opens and back to the button when it closes, and a navigation closes it. From `md` up it is the plain
 * sticky sidebar (the button is hidden and the panel always shown).
 */
export function NavDrawer({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const path = usePathname();
  const [pathSeen, setPathSeen] = useState(path);
  if (pathSeen !== path) {
    setPathSeen(path);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('a, button')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <>
      <div className="no-print sticky top-0 z-30 flex items-center gap-2 bg-zinc-900 px-3 py-2 text-zinc-100 md:hidden">
        <button
          ref={button}
          type="button"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen((o) => !o)}
          className="rounded-md border border-zinc-600 px-2.5 py-1 text-sm font-medium hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-sky-400"
        >
          <span aria-hidden="true">☰ </span>Menu
        </button>
        <span className="text-sm font-semibold">Tekton Posture</span>
      </div>
      {open ? <div className="fixed inset-0 z-40 bg-black/50 md:hidden" aria-hidden="true" onClick={() => setOpen(false)} /> : null}
      <div
        ref={panel}
        id="main-nav"
        className={`no-print w-56 shrink-0 bg-zinc-900 dark:border-r dark:border-zinc-800 dark:bg-zinc-950 ${
          open ? 'fixed inset-y-0 left-0 z-50 overflow-y-auto' : 'hidden'
        } md:static md:block`}
      >
        {children}
      </div>
    </>
  );
}
