/**
 * Position index of a JSON text (already accepted by JSON.parse, so the scanner needs no error handling beyond
 * not looping): one pass over the characters, counting newlines.
 */
import type { PosNode } from './positions';

export function indexJson(text: string, firstLine: number, maxNodes: number, maxDepth: number): PosNode | null {
  let at = 0;
  let line = firstLine;
  let nodes = 0;

  const skipSpace = () => {
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13) return;
      at++;
    }
  };

  /** Reads the string starting at `at` (a quote); returns its value. */
  const readString = (): string => {
    const start = at;
    at++;
    let escaped = false;
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\\') {
        escaped = true;
        at++;
      }
      at++;
    }
    at++;
    const body = text.slice(start + 1, at - 1);
    if (!escaped) return body;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      return body;
    }
  };

  /** Skips a whole value without recording it (past the depth or node cap), iteratively. */
  const skipValue = () => {
    let depth = 0;
    do {
      skipSpace();
      const c = text[at];
      if (c === '"') readString();
      else if (c === '{' || c === '[') {
        depth++;
        at++;
      } else if (c === '}' || c === ']') {
        depth--;
        at++;
      } else if (c === ',' || c === ':') at++;
      else while (at < text.length && !',]}'.includes(text[at]) && !/\s/.test(text[at])) at++;
    } while (depth > 0 && at < text.length);
  };

  const value = (depth: number): PosNode => {
    skipSpace();
    const node: PosNode = { line };
    nodes++;
    const c = text[at];
    if ((c !== '{' && c !== '[') || depth > maxDepth || nodes > maxNodes) {
      skipValue();
      return node;
    }
    at++;
    const close = c === '{' ? '}' : ']';
    if (c === '{') node.keys = new Map();
    else node.items = [];
    for (;;) {
      skipSpace();
      if (at >= text.length) return node;
      if (text[at] === close) {
        at++;
        return node;
      }
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (node.keys) {
        const keyLine = line;
        const key = readString();
        skipSpace();
        at++; // ':'
        const child = value(depth + 1);
        child.line = keyLine;
        node.keys.set(key, child);
      } else {
        node.items!.push(value(depth + 1));
      }
    }
  };

  skipSpace();
  return at < text.length ? value(0) : null;
}
