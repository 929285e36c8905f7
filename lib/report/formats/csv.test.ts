import { describe, expect, it } from 'vitest';
import { csvField } from './csv';

describe('csvField', () => {
  it('neutralises formulas, control characters and bidi overrides from cluster strings', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('a\u001b[31mred\u0000')).toBe('a\uFFFD[31mred\uFFFD');
    expect(csvField('evil\u202Etxt.exe')).toBe('evil⟨U+202E⟩txt.exe');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });
});
