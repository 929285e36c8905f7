import { describe, expect, it } from 'vitest';
import { hasBidiControls, neutralizeBidi, neutralizeBidiDeep } from './bidi';

describe('bidi controls (Trojan Source)', () => {
  it('replaces each control with a visible marker and leaves other text alone', () => {
    expect(neutralizeBidi('evil\u202Elmay.hs')).toBe('evil⟨U+202E⟩lmay.hs');
    expect(neutralizeBidi('a\u2066b\u2069c\u200F')).toBe('a⟨U+2066⟩b⟨U+2069⟩c⟨U+200F⟩');
    expect(neutralizeBidi('שלום مرحبا 🚀 plain')).toBe('שלום مرحبا 🚀 plain');
    expect(hasBidiControls('ordinary RTL text: שלום')).toBe(false);
  });

  it('rewrites strings and keys of a whole document, deep and with shared nodes, without recursion', () => {
    const shared = { v: 'x\u202Ey' };
    const doc: Record<string, unknown> = { metadata: { name: 'p\u202Eq', ['k\u202D']: 1 }, a: [shared, shared, 'ok', 'z\u2067'] };
    let deep: Record<string, unknown> = { s: 'd\u202E' };
    for (let i = 0; i < 20_000; i++) deep = { n: deep };
    doc.deep = deep;
    expect(neutralizeBidiDeep(doc)).toBe(5);
    expect(doc.metadata).toEqual({ name: 'p⟨U+202E⟩q', 'k⟨U+202D⟩': 1 });
    expect(shared.v).toBe('x⟨U+202E⟩y');
    expect((doc.a as unknown[])[3]).toBe('z⟨U+2067⟩');
  });
});
