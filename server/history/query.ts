/** The history API's query strings (zod): shared by /api/history and /api/changes. Pure. */
import { z } from 'zod';
import { CHANGE_KINDS } from './changes';

const isoTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const historyQuery = z.object({
  pipeline: z.string().min(1).max(1_000),
  since: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

export const changesQuery = z.object({
  since: isoTime.optional(),
  until: isoTime.optional(),
  pipeline: z.string().min(1).max(1_000).optional(),
  kind: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(CHANGE_KINDS)).min(1))
    .optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

/** The query string as an object: a repeated parameter keeps its first value. */
export function paramsOf(url: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URL(url).searchParams) if (!(k in out)) out[k] = v;
  return out;
}
