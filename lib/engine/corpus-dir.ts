import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The shared corpus of ~1,900 real Tekton documents, read in place (never copied into the project): TEKTON_CORPUS,
 * else `../shared/corpus` beside the checkout, else the workplace's `/work/shared/corpus` (a clone elsewhere).
 * Null when none exists; the corpus tests then say so loudly instead of passing.
 */
export function corpusDir(): string | null {
  if (process.env.TEKTON_CORPUS) return process.env.TEKTON_CORPUS;
  return [join(process.cwd(), '..', 'shared', 'corpus'), '/work/shared/corpus'].find((d) => existsSync(d)) ?? null;
}
