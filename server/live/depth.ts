/**
 * Hostile nesting (a CRD that preserves unknown fields accepts 6,000 levels) must not reach any recursive walk:
 * JSON.stringify, the projection, the model and the checks all recurse, and a RangeError there used to freeze
 * the live source. No Tekton or RBAC field the checks read sits deeper than ~20 levels.
 */
export const MAX_OBJECT_DEPTH = 64;

/** What replaces a subtree deeper than the cap. */
export const TOO_DEEP = '(nested too deep: not read)';

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

/** The nesting depth of a JSON value (a scalar is 0), walked without recursion; stops counting past `limit`. */
export function depthOf(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  if (!isContainer(value)) return 0;
  let max = 0;
  const stack: [Container, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (isContainer(child)) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * The value itself when it is no deeper than `maxDepth` (the common case: no copy), else a copy whose containers
 * below `maxDepth` are replaced by TOO_DEEP. Iterative, so any depth is safe.
 */
export function capDepth(value: unknown, maxDepth: number): { value: unknown; truncated: boolean } {
  if (depthOf(value, maxDepth) <= maxDepth) return { value, truncated: false };
  const root: Container = Array.isArray(value) ? [] : {};
  const stack: [Container, Container, number][] = [[value as Container, root, 1]];
  while (stack.length) {
    const [src, dst, depth] = stack.pop()!;
    const entries: [string | number, unknown][] = Array.isArray(src) ? src.map((v, i) => [i, v]) : Object.entries(src);
    for (const [k, v] of entries) {
      let out: unknown = v;
      if (isContainer(v)) {
        if (depth >= maxDepth) out = TOO_DEEP;
        else {
          out = Array.isArray(v) ? [] : {};
          stack.push([v, out as Container, depth + 1]);
        }
      }
      if (Array.isArray(dst)) dst[k as number] = out;
      // defineProperty: a hostile "__proto__" key stays a plain key instead of replacing the prototype.
      else Object.defineProperty(dst, k as string, { value: out, enumerable: true, writable: true, configurable: true });
    }
  }
  return { value: root, truncated: true };
}
