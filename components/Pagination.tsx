import Link from 'next/link';
import { pageNumbers, type PageSlice } from '../lib/view/pagination';

const ITEM = 'inline-flex h-8 min-w-8 items-center justify-center rounded-md px-2 text-sm tabular-nums';
const LINK = `${ITEM} text-zinc-700 ring-1 ring-zinc-300 ring-inset hover:bg-zinc-50 dark:text-zinc-200 dark:ring-zinc-700 dark:hover:bg-zinc-800`;
const CURRENT = `${ITEM} bg-sky-700 font-semibold text-white dark:bg-sky-400 dark:text-zinc-950`;
const DISABLED = `${ITEM} text-zinc-500 dark:text-zinc-400 ring-1 ring-zinc-200 ring-inset dark:text-zinc-600 dark:ring-zinc-800`;

/**
 * Where a paginated table is, and plain links to its other pages (they work without JavaScript, and the URL
 * names the page, so a page can be shared). `label` names the navigation landmark, e.g. "Scorecard pages".
 */
export function Pagination({ slice, hrefFor, label, noun }: { slice: PageSlice<unknown>; hrefFor: (page: number) => string; label: string; noun: string }) {
  const { page, pages, first, last, total } = slice;
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 px-4 py-3 dark:border-zinc-800">
      <p className="text-sm text-zinc-600 tabular-nums dark:text-zinc-400" data-testid="page-range">
        {total === 0 ? `No ${noun}` : `${first.toLocaleString('en-US')}–${last.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${noun}`}
      </p>
      {pages > 1 ? (
        <nav aria-label={label}>
          <ul className="flex flex-wrap items-center gap-1">
            <li>
              {page > 1 ? (
                <Link href={hrefFor(page - 1)} prefetch={false} rel="prev" className={LINK}>
                  <span aria-hidden="true">‹&nbsp;</span>Previous<span className="sr-only"> page</span>
                </Link>
              ) : (
                <span aria-disabled="true" className={DISABLED}>
                  <span aria-hidden="true">‹&nbsp;</span>Previous<span className="sr-only"> page</span>
                </span>
              )}
            </li>
            {pageNumbers(page, pages).map((p, i) =>
              p === 'gap' ? (
                <li key={`gap-${i}`} aria-hidden="true" className="px-1 text-sm text-zinc-500 dark:text-zinc-400">
                  …
                </li>
              ) : (
                <li key={p}>
                  {p === page ? (
                    <span aria-current="page" className={CURRENT}>
                      <span className="sr-only">Page </span>
                      {p}
                    </span>
                  ) : (
                    <Link href={hrefFor(p)} prefetch={false} className={LINK}>
                      <span className="sr-only">Page </span>
                      {p}
                    </Link>
                  )}
                </li>
              ),
            )}
            <li>
              {page < pages ? (
                <Link href={hrefFor(page + 1)} prefetch={false} rel="next" className={LINK}>
                  Next<span className="sr-only"> page</span>
                  <span aria-hidden="true">&nbsp;›</span>
                </Link>
              ) : (
                <span aria-disabled="true" className={DISABLED}>
                  Next<span className="sr-only"> page</span>
                  <span aria-hidden="true">&nbsp;›</span>
                </span>
              )}
            </li>
          </ul>
        </nav>
      ) : null}
    </div>
  );
}
