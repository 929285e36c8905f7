'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

// Drawn, not font glyphs: symbols like ⚿ or ⇅ are missing from many system fonts and render as empty boxes.
const ICON_PATHS = {
  overview: 'M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM8 5a3 3 0 1 0 0 6 3 3 0 0 0 0-6Z',
  pipelines: 'M2 4h12M2 8h12M2 12h12',
  teams: 'M5.5 7a2 2 0 1 0 0-4 2 2 0 0 0 0 4ZM1.5 13c0-2.2 1.8-4 4-4s4 1.8 4 4M11 7a1.7 1.7 0 1 0 0-3.4M12 9.2c1.4.4 2.5 1.9 2.5 3.8',
  key: 'M6 10a3.5 3.5 0 1 1 2.9-1.5L14 13.6V15h-2v-1.3h-1.4v-1.4H9.2L7.5 10.6A3.5 3.5 0 0 1 6 10ZM4.5 6.5h.01',
  namespaces: 'M2.5 2.5h11v11h-11z',
  checks: 'M3 8.5l3.2 3L13 4.5',
  sources: 'M5 13.5v-11M2.5 5 5 2.5 7.5 5M11 2.5v11M8.5 11l2.5 2.5 2.5-2.5',
} as const;

function NavIcon({ d }: { d: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className="h-4 w-4 shrink-0 opacity-80" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round">
      <path d={d} />
    </svg>
  );
}

const ITEMS = [
  { href: '/', label: 'Overview', icon: ICON_PATHS.overview },
  { href: '/pipelines', label: 'Pipelines', icon: ICON_PATHS.pipelines },
  { href: '/teams', label: 'Teams', icon: ICON_PATHS.teams },
  { href: '/service-accounts', label: 'Service accounts', icon: ICON_PATHS.key },
  { href: '/namespaces', label: 'Namespaces', icon: ICON_PATHS.namespaces },
  { href: '/checks', label: 'Checks', icon: ICON_PATHS.checks },
  { href: '/sources', label: 'Data sources', icon: ICON_PATHS.sources },
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
              <NavIcon d={it.icon} />
              {it.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
