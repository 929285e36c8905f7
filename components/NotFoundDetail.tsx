'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { describeMissing } from '../lib/view/not-found';

/** Next renders not-found pages without the route's params: the address says what was looked for. */
export function NotFoundDetail() {
  const m = describeMissing(usePathname());
  return (
    <>
      <h1 className="mt-2 text-2xl font-semibold [overflow-wrap:anywhere]" data-testid="not-found-what">
        No {m.what}
      </h1>
      <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">{m.hint}</p>
      <p className="mt-6 flex justify-center gap-4 text-sm">
        <Link href={m.back.href} className="font-medium text-sky-700 hover:underline dark:text-sky-300">
          {m.back.label}
        </Link>
        {m.back.href !== '/' ? (
          <Link href="/" className="font-medium text-sky-700 hover:underline dark:text-sky-300">
            Overview
          </Link>
        ) : null}
      </p>
    </>
  );
}
