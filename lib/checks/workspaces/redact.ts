/** `AK…XY (20 chars)`: never more than 4 characters of a credential, fewer for short ones. */
export function redactSecret(s: string): string {
  const chars = [...s];
  const n = chars.length;
  const size = `(${n} ${n === 1 ? 'char' : 'chars'})`;
  if (n >= 16) return `${chars.slice(0, 2).join('')}…${chars.slice(-2).join('')} ${size}`;
  if (n >= 8) return `${chars[0]}…${chars[n - 1]} ${size}`;
  return `… ${size}`;
}
