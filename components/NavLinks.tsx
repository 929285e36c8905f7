'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const ITEMS = [
  { href: '/', label: 'Overview', icon: '◎' },
  { href: '/pipelines', label: 'Pipelines', icon: '≡' },
  { href: '/teams', label: 'Teams', icon: '◫' },
  { href: '/service-accounts', label: 'Service accounts', icon: '⚿' },
  { href: '/namespaces', label: 'Namespaces', icon: '▢' },
  { href: '/checks', label: 'Checks', icon: '✓' },
  { href: '/sources', label: 'Data sources', icon: '⇅' },
] as const;

export function NavLinks() {
  const path = usePathname() ?? '/';
  const active = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`) || (href === '/pipelines' && path.startsWith('/runs/')));
  return (
    <ul className="space-y-0.5">
      {ITEMS.map((it) => {
        const on = active(it.href);
        return (
          <li key={it.href}>
            <Link
              href={it.href}
              aria-current={on ? 'page' : undefined}
              className={`flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm ${
                on
                  ? 'bg-zinc-800 font-semibold text-white dark:bg-zinc-200 dark:text-zinc-900'
                  : 'text-zinc-300 hover:bg-zinc-800/70 hover:text-white dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100'
              }`}
            >
              <span aria-hidden="true" className="w-4 text-center text-xs opacity-80">
                {it.icon}
              </span>
              {it.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
