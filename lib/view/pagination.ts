/**
 * Server-side pagination of long tables (the scorecard at 2,000 pipelines would otherwise render, serialise and
 * hydrate every row). Pure: the page number comes from the URL and the links are built by the caller.
 */

export interface PageSlice<T> {
  items: T[];
  /** The page shown, 1-based, clamped to the pages that exist. */
  page: number;
  /** Number of pages; at least 1, so an empty table is "page 1 of 1". */
  pages: number;
  total: number;
  /** 1-based positions of the first and last item shown; both 0 when there is none. */
  first: number;
  last: number;
}

/** A `page` search parameter as a page number: 1 when absent or not a positive integer. */
export function parsePageParam(value: string | string[] | null | undefined): number {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !/^\d{1,7}$/.test(v)) return 1;
  return Math.max(1, Number(v));
}

/** The rows of one page; a page past the end shows the last page (a link kept from a longer result set). */
export function paginate<T>(rows: readonly T[], page: number, pageSize: number): PageSlice<T> {
  const size = Math.max(1, Math.floor(pageSize));
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const start = (current - 1) * size;
  const items = rows.slice(start, start + size);
  return { items, page: current, pages, total: rows.length, first: items.length ? start + 1 : 0, last: start + items.length };
}

/**
 * The page numbers a pager shows: the first and last page, `around` pages either side of the current one, and
 * 'gap' where numbers are left out — `1 … 4 5 6 … 20`. A gap of a single page shows that page instead.
 */
export function pageNumbers(current: number, pages: number, around = 1): (number | 'gap')[] {
  const shown = new Set<number>([1, pages]);
  for (let p = current - around; p <= current + around; p++) if (p >= 1 && p <= pages) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const out: (number | 'gap')[] = [];
  for (const p of sorted) {
    const prev = out.length ? (out[out.length - 1] as number) : 0;
    if (p - prev === 2) out.push(p - 1);
    else if (p - prev > 2) out.push('gap');
    out.push(p);
  }
  return out;
}
