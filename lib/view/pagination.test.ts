import { describe, expect, it } from 'vitest';
import { pageNumbers, paginate, parsePageParam } from './pagination';

const rows = Array.from({ length: 250 }, (_, i) => i + 1);

describe('parsePageParam', () => {
  it('accepts positive integers and falls back to page 1', () => {
    expect(parsePageParam('3')).toBe(3);
    expect(parsePageParam(['2', '5'])).toBe(2);
    for (const bad of [undefined, null, '', '0', '-1', '1.5', 'x', '1e3', ' 2', '99999999']) expect(parsePageParam(bad)).toBe(1);
  });
});

describe('paginate', () => {
  it('slices one page and says where it is', () => {
    expect(paginate(rows, 1, 100)).toMatchObject({ page: 1, pages: 3, total: 250, first: 1, last: 100 });
    const third = paginate(rows, 3, 100);
    expect(third).toMatchObject({ page: 3, first: 201, last: 250 });
    expect(third.items).toHaveLength(50);
    expect(third.items[0]).toBe(201);
  });
  it('clamps pages past the end to the last page, and below 1 to the first', () => {
    expect(paginate(rows, 9, 100)).toMatchObject({ page: 3, first: 201 });
    expect(paginate(rows, 0, 100)).toMatchObject({ page: 1, first: 1 });
  });
  it('gives an empty table one empty page', () => {
    expect(paginate([], 4, 100)).toEqual({ items: [], page: 1, pages: 1, total: 0, first: 0, last: 0 });
  });
  it('is exact at page boundaries', () => {
    expect(paginate(rows.slice(0, 200), 2, 100)).toMatchObject({ pages: 2, first: 101, last: 200 });
  });
});

describe('pageNumbers', () => {
  it('shows the ends, the neighbours of the current page and gaps', () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(1, 20)).toEqual([1, 2, 'gap', 20]);
    expect(pageNumbers(5, 20)).toEqual([1, 'gap', 4, 5, 6, 'gap', 20]);
    expect(pageNumbers(20, 20)).toEqual([1, 'gap', 19, 20]);
  });
  it('fills a one-page gap with the page itself', () => {
    expect(pageNumbers(4, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(pageNumbers(3, 5)).toEqual([1, 2, 3, 4, 5]);
  });
});
