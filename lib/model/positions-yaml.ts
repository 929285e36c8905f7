/**
 * Position index of a block-YAML document, built by a line scanner: indentation, `- ` entries and `key:` lines,
 * with block scalars, quoted scalars and flow collections skipped as whole values (so text inside a script that
 * looks like `privileged: true` is never taken for a field). The document has already been parsed by js-yaml;
 * the scanner only locates, and whatever it does not model (flow contents, complex keys, merged keys) stays a
 * leaf, so a path into it resolves to the nearest ancestor rather than to a guessed line.
 */
import type { PosNode } from './positions';

interface Parsed {
  node: PosNode;
  /** Index of the first line after the node. */
  next: number;
}

function isDashAt(line: string, col: number): boolean {
  return line[col] === '-' && (col + 1 === line.length || line[col + 1] === ' ' || line[col + 1] === '\t');
}

/** Indentation of each line, or -1 for a blank or comment-only line (they never start or end a node). */
function indentsOf(lines: readonly string[]): Int32Array {
  const out = new Int32Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let n = 0;
    while (n < line.length && line.charCodeAt(n) === 32) n++;
    let k = n;
    while (k < line.length && line.charCodeAt(k) === 9) k++;
    out[i] = k === line.length || line.charCodeAt(k) === 35 ? -1 : n;
  }
  return out;
}

/** Indexes a block-YAML document; lines are 0-based inside the scanner and mapped to file lines at the end. */
export function indexYaml(text: string, firstLine: number, maxNodes = 500_000, maxDepth = 200): PosNode | null {
  const scanner = new BlockScanner(text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)), firstLine, maxNodes, maxDepth);
  return scanner.document();
}

class BlockScanner {
  private nodes = 0;
  private readonly indents: Int32Array;

  constructor(
    private readonly lines: string[],
    private readonly firstLine: number,
    private readonly maxNodes: number,
    private readonly maxDepth: number,
  ) {
    this.indents = indentsOf(lines);
  }

  document(): PosNode | null {
    let i = this.nextContent(0);
    while (i >= 0 && this.lines[i].startsWith('%')) i = this.nextContent(i + 1);
    if (i < 0) return null;
    return this.node(i, this.indents[i], -1, 0).node;
  }

  private fileLine(i: number): number {
    return this.firstLine + i;
  }

  private nextContent(from: number): number {
    for (let i = from; i < this.lines.length; i++) if (this.indents[i] >= 0) return i;
    return -1;
  }

  /** First line at or after `from` that is content indented at most `indent`. */
  private skipDeeper(from: number, indent: number): number {
    let i = from;
    while (i < this.lines.length && (this.indents[i] < 0 || this.indents[i] > indent)) i++;
    return i;
  }

  private leaf(i: number): PosNode {
    this.nodes++;
    return { line: this.fileLine(i) };
  }

  /** A node whose content starts on line `i` at column `col`, inside a parent block indented `parent`. */
  private node(i: number, col: number, parent: number, depth: number): Parsed {
    const line = this.lines[i];
    if (depth > this.maxDepth || this.nodes > this.maxNodes) return { node: this.leaf(i), next: this.skipDeeper(i + 1, parent) };
    if (isDashAt(line, col)) return this.sequence(i, col, depth);
    const firstKey = keyAt(line, col);
    if (firstKey) return this.mapping(i, col, depth, firstKey);
    const valueCol = skipProps(line, col);
    if (valueCol < 0 || line[valueCol] === '#') {
      // `--- !!map`, `- &anchor`: only a tag or anchor here, the node itself starts on the next line.
      const j = this.nextContent(i + 1);
      if (j >= 0 && this.indents[j] > parent) return this.node(j, this.indents[j], parent, depth + 1);
      return { node: this.leaf(i), next: i + 1 };
    }
    return { node: this.leaf(i), next: this.scalarEnd(i, valueCol, parent) };
  }

  private sequence(i: number, col: number, depth: number): Parsed {
    const items: PosNode[] = [];
    const node: PosNode = { line: this.fileLine(i), items };
    this.nodes++;
    let at = i;
    for (;;) {
      const line = this.lines[at];
      const inline = firstNonSpace(line, col + 1);
      let item: Parsed;
      if (inline < 0 || line[inline] === '#') {
        const j = this.nextContent(at + 1);
        item = j >= 0 && this.indents[j] > col ? this.node(j, this.indents[j], col, depth + 1) : { node: this.leaf(at), next: at + 1 };
      } else {
        item = this.node(at, inline, col, depth + 1);
      }
      item.node.line = this.fileLine(at);
      items.push(item.node);
      const j = this.nextContent(item.next);
      if (j < 0 || this.indents[j] !== col || !isDashAt(this.lines[j], col)) return { node, next: j < 0 ? this.lines.length : j };
      at = j;
    }
  }

  private mapping(i: number, col: number, depth: number, firstKey: { key: string; after: number }): Parsed {
    const keys = new Map<string, PosNode>();
    const node: PosNode = { line: this.fileLine(i), keys };
    this.nodes++;
    let at = i;
    for (;;) {
      const line = this.lines[at];
      const key = at === i ? firstKey : keyAt(line, col);
      if (!key) return { node, next: this.skipDeeper(at + 1, col) };
      const valueCol = skipProps(line, key.after);
      let value: Parsed;
      if (valueCol < 0 || line[valueCol] === '#') {
        const j = this.nextContent(at + 1);
        const nested = j >= 0 && (this.indents[j] > col || (this.indents[j] === col && isDashAt(this.lines[j], col)));
        value = nested ? this.node(j, this.indents[j], col, depth + 1) : { node: this.leaf(at), next: at + 1 };
      } else {
        value = { node: this.leaf(at), next: this.scalarEnd(at, valueCol, col) };
      }
      value.node.line = this.fileLine(at);
      keys.set(key.key, value.node);
      const j = this.nextContent(value.next);
      if (j < 0 || this.indents[j] !== col || isDashAt(this.lines[j], col)) return { node, next: j < 0 ? this.lines.length : j };
      at = j;
    }
  }

  /** The line after a scalar (or flow collection, alias…) that starts on line `i` at `col`. */
  private scalarEnd(i: number, col: number, parent: number): number {
    const line = this.lines[i];
    const c = col < 0 ? '' : line[col];
    let last = i;
    if (c === '"' || c === "'") last = this.quotedEnd(i, col);
    else if (c === '[' || c === '{') last = this.flowEnd(i, col);
    return this.skipDeeper(last + 1, parent);
  }

  /** Line of the quote closing the quoted scalar opened at (`i`, `col`). */
  private quotedEnd(i: number, col: number): number {
    const q = this.lines[i][col];
    let k = col + 1;
    for (let at = i; at < this.lines.length; at++, k = 0) {
      const line = this.lines[at];
      while (k < line.length) {
        const ch = line[k];
        if (q === '"' && ch === '\\') k += 2;
        else if (ch === q && q === "'" && line[k + 1] === "'") k += 2;
        else if (ch === q) return at;
        else k++;
      }
    }
    return this.lines.length - 1;
  }

  /** Line of the bracket closing the flow collection opened at (`i`, `col`). */
  private flowEnd(i: number, col: number): number {
    let depth = 0;
    let quote = '';
    for (let at = i, k = col; at < this.lines.length; at++, k = 0) {
      const line = this.lines[at];
      let prev = ' ';
      for (; k < line.length; k++) {
        const ch = line[k];
        if (quote) {
          if (quote === '"' && ch === '\\') k++;
          else if (ch === quote && quote === "'" && line[k + 1] === "'") k++;
          else if (ch === quote) {
            quote = '';
            prev = ch;
          }
          continue;
        }
        // A quote opens a quoted scalar only where a token starts (`[it's]` is a plain scalar).
        if ((ch === '"' || ch === "'") && ' \t[{,:'.includes(prev)) {
          quote = ch;
          continue;
        }
        if (ch === '#' && (prev === ' ' || prev === '\t')) break;
        if (ch === '[' || ch === '{') depth++;
        else if ((ch === ']' || ch === '}') && --depth === 0) return at;
        prev = ch;
      }
    }
    return this.lines.length - 1;
  }
}

function firstNonSpace(line: string, from: number): number {
  for (let k = from; k < line.length; k++) if (line[k] !== ' ' && line[k] !== '\t') return k;
  return -1;
}

/** Skips anchors and tags (`&a`, `!!str`) before a value; -1 when nothing else follows on the line. */
function skipProps(line: string, from: number): number {
  let k = firstNonSpace(line, from);
  while (k >= 0 && (line[k] === '&' || line[k] === '!')) {
    const space = line.slice(k).search(/[ \t]/);
    if (space < 0) return -1;
    k = firstNonSpace(line, k + space);
  }
  return k;
}

function closingQuoteOnLine(line: string, open: number): number {
  const q = line[open];
  let k = open + 1;
  while (k < line.length) {
    if (q === '"' && line[k] === '\\') k += 2;
    else if (q === "'" && line[k] === "'" && line[k + 1] === "'") k += 2;
    else if (line[k] === q) return k;
    else k++;
  }
  return line.length;
}

/** A block mapping key starting at `col`: its text and the column after its `:`; null when the line is not one. */
export function keyAt(line: string, col: number): { key: string; after: number } | null {
  const c = line[col];
  if (c === undefined || c === '#' || c === '[' || c === '{' || c === '*' || c === '&' || c === '!' || c === '|' || c === '>' || c === '%' || c === '@' || c === '`') return null;
  if ((c === '?' || c === '-') && (col + 1 === line.length || line[col + 1] === ' ' || line[col + 1] === '\t')) return null;
  let end: number;
  let key: string;
  if (c === '"' || c === "'") {
    end = closingQuoteOnLine(line, col);
    if (end >= line.length) return null;
    const body = line.slice(col + 1, end);
    key = c === "'" ? body.replace(/''/g, "'") : unescapeDouble(body);
    end++;
    while (line[end] === ' ' || line[end] === '\t') end++;
    if (line[end] !== ':') return null;
  } else {
    end = col;
    for (;;) {
      end = line.indexOf(':', end);
      if (end < 0) return null;
      const next = line[end + 1];
      if (next === undefined || next === ' ' || next === '\t') break;
      end++;
    }
    const hash = line.indexOf(' #', col);
    if (hash >= 0 && hash < end) return null;
    key = line.slice(col, end).trimEnd();
    if (key === '') return null;
  }
  const after = end + 1;
  if (after < line.length && line[after] !== ' ' && line[after] !== '\t') return null;
  return { key, after };
}

function unescapeDouble(body: string): string {
  if (!body.includes('\\')) return body;
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return body;
  }
}
