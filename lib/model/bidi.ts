/**
 * "Trojan Source" defence: bidirectional control characters (U+202A–U+202E embeddings and overrides, U+2066–U+2069
 * isolates, U+200E/U+200F/U+061C marks) in a cluster string make a browser or terminal show text in an order other
 * than the one a shell or Tekton reads it, so `evil‮lmay.hs` can pass for something harmless. Objects that carry
 * them are rewritten at load with a visible `⟨U+202E⟩` marker in place of each character, before any check, page
 * or export sees them, and the loader records a load issue saying so.
 */

const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const BIDI_CONTROLS_ALL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function hasBidiControls(text: string): boolean {
  return BIDI_CONTROLS.test(text);
}

export function neutralizeBidi(text: string): string {
  return text.replace(BIDI_CONTROLS_ALL, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/**
 * Rewrites every string (keys too) of a parsed document in place and returns how many were changed. Iterative, so a
 * hostile 6,000-deep document cannot overflow the stack; objects seen twice (YAML aliases) are visited once.
 */
export function neutralizeBidiDeep(root: unknown): number {
  let changed = 0;
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i];
        if (typeof v === 'string') {
          if (hasBidiControls(v)) {
            node[i] = neutralizeBidi(v);
            changed++;
          }
        } else stack.push(v);
      }
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      let v = record[key];
      if (typeof v === 'string' && hasBidiControls(v)) {
        v = neutralizeBidi(v);
        changed++;
      }
      if (hasBidiControls(key)) {
        delete record[key];
        record[neutralizeBidi(key)] = v;
        changed++;
      } else record[key] = v;
      if (typeof v === 'object') stack.push(v);
    }
  }
  return changed;
}
