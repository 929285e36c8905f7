/**
 * VerificationPolicy patterns are Go (RE2) regular expressions, which run in linear time. JavaScript's RegExp
 * backtracks, so a hostile pattern (`(a+)+$`) could hang the scan. Patterns are therefore screened before they are
 * compiled: too long, nested or alternating quantified groups, too many unbounded quantifiers, backreferences or
 * lookarounds (not RE2 anyway) → not evaluated (the caller reports `unknown`). Subjects are capped too, so what is
 * compiled runs in bounded polynomial time.
 */

export const MAX_PATTERN = 256;
export const MAX_SUBJECT = 300;
const MAX_UNBOUNDED = 2;

export type CompiledPattern =
  | { ok: true; anchored: RegExp; unanchored: RegExp }
  | { ok: false; reason: string };

/** Quantifier starting at `i` (`*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}`): its length and whether it repeats (max > 1), unbounded (no max or max > 10). */
function quantifierAt(p: string, i: number): { len: number; repeats: boolean; unbounded: boolean } | null {
  const c = p[i];
  let len = 0;
  let repeats = false;
  let unbounded = false;
  if (c === '*' || c === '+') {
    len = 1;
    repeats = true;
    unbounded = true;
  } else if (c === '?') len = 1;
  else if (c === '{') {
    const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(p.slice(i, i + 12));
    if (!m) return null;
    len = m[0].length;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    repeats = max > 1;
    unbounded = max > 10;
  } else return null;
  if (p[i + len] === '?' || p[i + len] === '+') len++; // lazy / possessive marker
  return { len, repeats, unbounded };
}

/** Why a pattern is unsafe to run with a backtracking engine, or null when it is fine. */
export function unsafeReason(p: string): string | null {
  if (p.length > MAX_PATTERN) return `longer than ${MAX_PATTERN} characters`;
  const groups: { hasQuantifier: boolean; hasAlternation: boolean }[] = [];
  let unbounded = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      if (/[1-9]/.test(p[i + 1] ?? '')) return 'uses a backreference';
      i++;
      continue;
    }
    if (c === '[') {
      // character class: skip to its closing bracket (a leading `]` or `^]` is literal; `[:alpha:]` inside is fine)
      let j = i + 1;
      if (p[j] === '^') j++;
      if (p[j] === ']') j++;
      for (; j < p.length && p[j] !== ']'; j++) {
        if (p[j] === '\\') j++;
        else if (p[j] === '[' && p[j + 1] === ':') {
          const end = p.indexOf(':]', j + 2);
          if (end > 0) j = end + 1;
        }
      }
      i = j;
      continue;
    }
    if (c === '(') {
      if (p[i + 1] === '?' && (p[i + 2] === '=' || p[i + 2] === '!' || (p[i + 2] === '<' && (p[i + 3] === '=' || p[i + 3] === '!')))) return 'uses a lookaround';
      groups.push({ hasQuantifier: false, hasAlternation: false });
      continue;
    }
    if (c === '|') {
      if (groups.length > 0) groups[groups.length - 1].hasAlternation = true;
      continue;
    }
    if (c === ')') {
      const g = groups.pop();
      if (!g) return 'has unbalanced parentheses';
      const q = quantifierAt(p, i + 1);
      if (q) {
        if (q.repeats && (g.hasQuantifier || g.hasAlternation)) return 'repeats a group that itself repeats or alternates (catastrophic backtracking)';
        if (q.unbounded) unbounded++;
        if (groups.length > 0) groups[groups.length - 1].hasQuantifier = true;
        i += q.len;
      } else if (g.hasQuantifier && groups.length > 0) groups[groups.length - 1].hasQuantifier = true;
      continue;
    }
    const q = quantifierAt(p, i);
    if (q) {
      if (q.unbounded) unbounded++;
      if (groups.length > 0) groups[groups.length - 1].hasQuantifier = true;
      i += q.len - 1;
    }
  }
  if (groups.length > 0) return 'has unbalanced parentheses';
  if (unbounded > MAX_UNBOUNDED) return `has more than ${MAX_UNBOUNDED} unbounded repetitions`;
  return null;
}

const POSIX: Record<string, string> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  digit: '0-9',
  lower: 'a-z',
  upper: 'A-Z',
  space: '\\s',
  word: '\\w',
  xdigit: '0-9A-Fa-f',
  punct: '!-\\/:-@\\[-`{-~',
};

/** Translates the Go syntax JavaScript lacks (leading flags, `(?P<…>`, `\A`, `\z`, `\Q…\E`, POSIX classes). */
function translate(pattern: string): { source: string; flags: string } | { error: string } {
  let p = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(p);
  if (lead) {
    if (lead[1].includes('U')) return { error: 'uses the ungreedy flag (?U)' };
    flags = [...new Set(lead[1].split(''))].join('');
    p = p.slice(lead[0].length);
  }
  if (/\(\?[imsU-]+[):]/.test(p)) return { error: 'uses inline flags JavaScript cannot express' };
  p = p.replace(/\\Q([\s\S]*?)(\\E|$)/g, (_, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  p = p.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '$');
  let unsupported: string | null = null;
  p = p.replace(/\[:(\^?)([a-z]+):\]/g, (whole, neg: string, name: string) => {
    const cls = POSIX[name];
    if (!cls || neg) {
      unsupported = whole;
      return whole;
    }
    return cls;
  });
  if (unsupported) return { error: `uses the POSIX class ${unsupported}` };
  return { source: p, flags };
}

/** Compiles a Go pattern for JavaScript, or says why it will not be evaluated. Never throws. */
export function compileGoPattern(pattern: string): CompiledPattern {
  const unsafe = unsafeReason(pattern);
  if (unsafe) return { ok: false, reason: unsafe };
  const t = translate(pattern);
  if ('error' in t) return { ok: false, reason: t.error };
  try {
    return { ok: true, anchored: new RegExp(`^(?:${t.source})$`, t.flags), unanchored: new RegExp(t.source, t.flags) };
  } catch (e) {
    return { ok: false, reason: `is not a valid pattern (${String((e as Error).message ?? e).slice(0, 100)})` };
  }
}

/** How a compiled pattern matches a subject: whole (Tekton ≥ v1.12 anchors patterns), only as a substring, or not. */
export function matchKind(c: Extract<CompiledPattern, { ok: true }>, subject: string): 'full' | 'substring' | 'none' {
  const s = subject.length > MAX_SUBJECT ? subject.slice(0, MAX_SUBJECT) : subject;
  if (c.anchored.test(s)) return 'full';
  return c.unanchored.test(s) ? 'substring' : 'none';
}
