import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileGoPattern, matchKind, unsafeReason } from './go-regex';

function kind(pattern: string, subject: string): string {
  const c = compileGoPattern(pattern);
  return c.ok ? matchKind(c, subject) : `unsafe: ${c.reason}`;
}

describe('compileGoPattern', () => {
  it('matches like Tekton (anchored) and reports substring-only matches', () => {
    expect(kind('https://github.com/tektoncd/catalog.git', 'https://github.com/tektoncd/catalog.git')).toBe('full');
    expect(kind('^https://github.com/acme/.*$', 'https://github.com/acme/tasks')).toBe('full');
    expect(kind('github.com/acme', 'git+https://github.com/acme/tasks')).toBe('substring');
    expect(kind('gcr.io/acme/.*', 'quay.io/other/x')).toBe('none');
    expect(kind('.*', 'anything')).toBe('full');
  });
  it('translates Go syntax', () => {
    expect(kind('(?i)HTTPS://GITHUB.COM/ACME/.*', 'https://github.com/acme/x')).toBe('full');
    expect(kind('\\Ahttps://x\\.io/(?P<repo>[[:alnum:]-]+)\\z', 'https://x.io/repo-1')).toBe('full');
    expect(kind('\\Qa.b\\E', 'a.b')).toBe('full');
    expect(kind('\\Qa.b\\E', 'axb')).toBe('none');
  });
  it('refuses patterns that could backtrack catastrophically, and invalid ones', () => {
    for (const p of ['(a+)+$', '(a|aa)*b', '(.*)*', '(?:x+y?)+', '(a{2,})*', 'a.*b.*c.*d', '(\\w+)\\1', '(?=x)y', '(', 'a)', '[', '(?U)a+', 'x'.repeat(300)]) {
      expect(compileGoPattern(p).ok, p).toBe(false);
    }
    expect(unsafeReason('^https://github\\.com/(acme|beta)/.*$')).toBeNull();
    expect(unsafeReason('[(]+')).toBeNull();
  });
  it('never throws and stays fast on random patterns and subjects', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: fc.constantFrom('a', '(', ')', '*', '+', '?', '|', '.', '[', ']', '\\', '{', '}', '1', ',', '^', '$') }), fc.string({ maxLength: 400 }), (p, s) => {
        const c = compileGoPattern(p);
        if (c.ok) matchKind(c, s);
      }),
      { numRuns: 2000 },
    );
    const t0 = Date.now();
    for (const p of ['(a|b)+c', 'a*a*b', '(ab?)+c', '.*.*x', '[a-z]+[a-z]{0,9}.*x']) {
      const c = compileGoPattern(p);
      if (c.ok) matchKind(c, 'a'.repeat(5000));
    }
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});
