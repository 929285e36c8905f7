/**
 * Where a field of a loaded object is written: evidence paths (`spec.steps[1].image`) → 1-based file lines.
 *
 * Positions are computed lazily. The loader only remembers, per object, the text of the document it came from
 * and where the object sits in it (a `List` item, a JSON array element); the first time an evidence item about
 * that document is located, the document is indexed once by a line scanner (block YAML) or a character scanner
 * (JSON), for the rest of that pass. Documents no evidence points at are never indexed, so a scan pays for the
 * lines it reports, not for every field it read.
 *
 * The scanner only has to find fields js-yaml has already parsed, so it follows the block structure (indentation,
 * `- ` entries, `key:`) and treats what it does not model (flow collections, aliases, complex keys) as a leaf:
 * a path into such a value resolves to the nearest ancestor that has a line, never to a guessed one.
 */
import { isObj } from './access';
import { indexJson } from './positions-json';
import { indexYaml } from './positions-yaml';

export type Segment = string | number;

/** A node of a document's position index: its line, and its children by key (mappings) or index (sequences). */
export interface PosNode {
  line: number;
  keys?: Map<string, PosNode>;
  items?: PosNode[];
}

export interface DocumentText {
  /** The document's text (without its `---` marker). */
  text: string;
  /** File line (1-based) of the text's first line. */
  firstLine: number;
  format: 'yaml' | 'json';
}

/**
 * Indexes built during one pass over a report's evidence. They are not kept on the documents: a long-running
 * server holds its loaded objects for hours, and an index is only needed while lines are being filled in.
 */
export class PositionIndexes {
  private readonly built = new Map<DocumentText, PosNode | null>();

  of(doc: DocumentText): PosNode | null {
    let index = this.built.get(doc);
    if (index === undefined) {
      index = build(doc);
      this.built.set(doc, index);
    }
    return index;
  }
}

interface Origin {
  doc: DocumentText;
  /** Where the object sits inside its document, e.g. ['items', 3] for the fourth item of a List. */
  prefix: Segment[];
}

/** Keyed by the raw object itself, so copies (structuredClone, live projections) simply have no positions. */
const ORIGINS = new WeakMap<object, Origin>();

/** Documents above this size are not indexed (their evidence keeps the document line). */
const MAX_INDEXED_CHARS = 5 * 1024 * 1024;
/** Nodes past this count are not recorded: a path into them resolves to their nearest recorded ancestor. */
const MAX_NODES = 500_000;
/** Nesting past this depth is treated as a leaf (hostile input). */
const MAX_DEPTH = 200;

export function rememberOrigin(raw: object, doc: DocumentText, prefix: Segment[]): void {
  ORIGINS.set(raw, { doc, prefix });
}

export function hasOrigin(raw: object): boolean {
  return ORIGINS.has(raw);
}

/**
 * The concrete keys a path names inside `root`, as far as the value lets it be followed. Keys may contain dots
 * (`data.artifacts.taskrun.format` is the key `artifacts.taskrun.format` of `data`), so a key is matched against
 * the value's real keys, longest first; `["key"]` and `[n]` are understood; anything else (`[]`, `[type=X]`, a
 * trailing note) stops the walk.
 */
export function pathSegments(root: unknown, path: string): Segment[] {
  const out: Segment[] = [];
  let cur: unknown = root;
  let i = 0;
  while (i < path.length) {
    if (path[i] === '.') i++;
    if (path[i] === '[') {
      const step = bracketAt(path, i);
      if (!step) break;
      if (typeof step.seg === 'number') {
        if (!Array.isArray(cur) || step.seg >= cur.length) break;
        cur = cur[step.seg];
      } else {
        if (!isObj(cur) || !Object.hasOwn(cur, step.seg)) break;
        cur = cur[step.seg];
      }
      out.push(step.seg);
      i = step.end;
      continue;
    }
    if (!isObj(cur)) break;
    const key = longestKeyAt(cur, path, i);
    if (key === null) break;
    out.push(key);
    cur = cur[key];
    i += key.length;
    if (i < path.length && path[i] !== '.' && path[i] !== '[') break;
  }
  return out;
}

/** `[3]` or `["a.b/c"]` at `at`: the segment and the index after `]`; null for anything else (`[]`, `[type=X]`). */
function bracketAt(path: string, at: number): { seg: Segment; end: number } | null {
  if (path[at + 1] === '"') {
    let k = at + 2;
    while (k < path.length && path[k] !== '"') k += path[k] === '\\' ? 2 : 1;
    if (path[k + 1] !== ']') return null;
    try {
      return { seg: JSON.parse(path.slice(at + 1, k + 1)) as string, end: k + 2 };
    } catch {
      return null;
    }
  }
  const close = path.indexOf(']', at);
  const inner = path.slice(at + 1, close);
  return close > at && /^\d+$/.test(inner) ? { seg: Number(inner), end: close + 1 } : null;
}

function isKeyEnd(path: string, at: number): boolean {
  if (at === path.length) return true;
  const c = path.charCodeAt(at);
  return c === 46 || c === 91 || c === 32; // . [ space
}

/** The longest key of `o` that the path spells at `at` (a key may itself contain dots). */
function longestKeyAt(o: Record<string, unknown>, path: string, at: number): string | null {
  let end = at;
  while (!isKeyEnd(path, end)) end++;
  const simple = path.slice(at, end);
  let best = Object.hasOwn(o, simple) ? simple : null;
  if (path.charCodeAt(end) === 46) {
    for (const k in o) {
      if (k.length > (best?.length ?? simple.length) && k.charCodeAt(simple.length) === 46 && path.startsWith(k, at) && isKeyEnd(path, at + k.length)) best = k;
    }
  }
  return best;
}

function build(doc: DocumentText): PosNode | null {
  if (doc.text.length > MAX_INDEXED_CHARS) return null;
  try {
    return doc.format === 'json' ? indexJson(doc.text, doc.firstLine, MAX_NODES, MAX_DEPTH) : indexYaml(doc.text, doc.firstLine, MAX_NODES, MAX_DEPTH);
  } catch {
    return null;
  }
}

/**
 * The file line of `path` inside `raw` (a loaded object), or of its nearest ancestor that has one. Undefined
 * when the object has no recorded origin or when not even its own root could be placed.
 */
export function lineOf(raw: object, path: string, indexes: PositionIndexes = new PositionIndexes()): number | undefined {
  const origin = ORIGINS.get(raw);
  if (!origin) return undefined;
  const root = indexes.of(origin.doc);
  if (!root) return undefined;
  let node: PosNode = root;
  for (const seg of origin.prefix) {
    const next = child(node, seg);
    if (!next) return undefined;
    node = next;
  }
  for (const seg of pathSegments(raw, path)) {
    const next = child(node, seg);
    if (!next) break;
    node = next;
  }
  return node.line;
}

/**
 * The file line of line `textLine` inside the text of the field at `fieldLine`: a block scalar (`script: |`) starts
 * on the next line, so its line N is fieldLine + N; an inline value is all on the field's own line.
 */
export function lineInField(raw: object, fieldLine: number, textLine: number): number {
  const origin = ORIGINS.get(raw);
  if (!origin || origin.doc.format !== 'yaml' || textLine < 1) return fieldLine;
  const lines = origin.doc.text.split('\n', fieldLine - origin.doc.firstLine + 1);
  const text = lines[fieldLine - origin.doc.firstLine] ?? '';
  return /:\s*[|>][-+0-9]*\s*(#.*)?$/.test(text) ? fieldLine + textLine : fieldLine;
}

function child(node: PosNode, seg: Segment): PosNode | undefined {
  return typeof seg === 'number' ? node.items?.[seg] : node.keys?.get(seg);
}
