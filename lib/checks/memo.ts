/**
 * A bounded memo keyed by text (scripts, env values). The same Task, and so the same script, is scored once per
 * pipeline that uses it and by several checks: analysing each distinct text once is what keeps a corpus scan under
 * a second. Cleared when full, so a long-running watch over a huge cluster keeps its memory flat.
 */
export function textMemo<T>(compute: (text: string) => T, limit = 4096): (text: string) => T {
  const memo = new Map<string, T>();
  return (text) => {
    const hit = memo.get(text);
    if (hit !== undefined) return hit;
    const value = compute(text);
    if (memo.size >= limit) memo.clear();
    memo.set(text, value);
    return value;
  };
}
