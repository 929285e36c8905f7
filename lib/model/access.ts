/**
 * Total accessors for untrusted JSON: every field of a loaded object may be missing or of another type,
 * so builders read through these and never throw.
 */
export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function objArr(v: unknown): Obj[] {
  return arr(v).filter(isObj);
}
/** A string, or null. Numbers and booleans are stringified (YAML turns `on`, `1` into non-strings). */
export function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}
export function strOr(v: unknown, fallback: string): string {
  return str(v) ?? fallback;
}
export function strArr(v: unknown): string[] {
  return arr(v).map(str).filter((s): s is string => s !== null);
}
export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}
export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) {
    const s = str(val);
    if (s !== null) out[k] = s;
  }
  return out;
}
/**
 * Any value as display text: strings as is, the rest JSON-encoded (params can be arrays/objects). A value that
 * cannot be encoded (cyclic, or too large for one string) reads as empty: `String(v)` would only say
 * "[object Object]", and retrying a value that has just failed to encode doubles the time it wasted.
 */
export function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}
