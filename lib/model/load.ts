import yaml from 'js-yaml';
import { hasBidiControls, neutralizeBidiDeep } from './bidi';
import { KINDS } from '../kinds';
import { arr, isObj, obj, str, strArr, strMap } from './access';
import { rememberOrigin, type DocumentText, type Segment } from './positions';
import type { K8sObject, LoadIssue, RawObject, SourceLocation } from './types';

const KIND_GROUPS = new Map<string, string>(KINDS.map((k) => [k.kind, k.group]));
const CONFIGMAP_NAMES = new Set(KINDS.find((k) => k.kind === 'ConfigMap')?.onlyNames ?? []);

export interface LoadResult {
  objects: K8sObject[];
  issues: LoadIssue[];
  /** Documents of kinds the engine does not read (Deployments, CRDs…): counted, not errors. */
  ignored: number;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Splits a YAML stream on `---` document markers, keeping each document's first line number (1-based). */
function splitDocuments(text: string): { body: string; line: number }[] {
  const docs: { body: string; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  let start = 0;
  let current: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^---(\s|$)/.test(l) || /^\.\.\.\s*$/.test(l)) {
      docs.push({ body: current.join('\n'), line: start + 1 });
      current = [];
      start = i + 1;
      const rest = l.startsWith('---') ? l.slice(3).trim() : '';
      if (rest && !rest.startsWith('#')) {
        // `--- {...}` or `--- !tag`: the document starts on the marker's own line.
        current.push(rest);
        start = i;
      }
      continue;
    }
    current.push(l);
  }
  docs.push({ body: current.join('\n'), line: start + 1 });
  return docs.filter((d) => hasContent(d.body));
}

/** Whether a document has a line that is neither blank nor a comment; stops at the first such line. */
function hasContent(body: string): boolean {
  let from = 0;
  while (from <= body.length) {
    const end = body.indexOf('\n', from);
    const line = (end < 0 ? body.slice(from) : body.slice(from, end)).trimStart();
    if (line !== '' && !line.startsWith('#')) return true;
    if (end < 0) return false;
    from = end + 1;
  }
  return false;
}

/** Where a parsed value sits in its document's text, for field positions (lib/model/positions.ts). */
export interface TextOrigin {
  doc: DocumentText;
  prefix: Segment[];
}

/**
 * Turns one parsed document into objects: a `List` flattens into its items; Secrets keep only their name,
 * type and annotations (their data is dropped here, before anything else can see it).
 */
export function toObjects(doc: unknown, source: SourceLocation, out: LoadResult, origin?: TextOrigin): void {
  if (doc === null || doc === undefined) return;
  if (!isObj(doc)) {
    out.issues.push({ ...source, message: `document is a ${Array.isArray(doc) ? 'list' : typeof doc}, not a Kubernetes object` });
    return;
  }
  const kind = str(doc.kind);
  if (kind && /List$/.test(kind) && Array.isArray(doc.items)) {
    arr(doc.items).forEach((item, i) => toObjects(item, source, out, origin && { doc: origin.doc, prefix: [...origin.prefix, 'items', i] }));
    return;
  }
  if (!kind) {
    out.issues.push({ ...source, message: 'document has no `kind`' });
    return;
  }
  const apiVersion = str(doc.apiVersion) ?? '';
  if (kind === 'Secret' && groupOf(apiVersion) === '') {
    if (!str(obj(doc.metadata).name)) {
      out.issues.push({ ...source, message: 'Secret has no `metadata.name`: skipped' });
      return;
    }
    out.objects.push(remembered(secretMetadataOnly(doc, source), origin));
    return;
  }
  const group = KIND_GROUPS.get(kind);
  if (group === undefined || groupOf(apiVersion) !== group) {
    out.ignored++;
    return;
  }
  const meta = doc.metadata;
  if (!isObj(meta)) {
    out.issues.push({ ...source, message: `${kind} has no \`metadata\`: skipped` });
    return;
  }
  const name = str(meta.name) ?? str(meta.generateName);
  if (!name) {
    out.issues.push({ ...source, message: `${kind} has no \`metadata.name\`: skipped` });
    return;
  }
  if (kind === 'ConfigMap' && !CONFIGMAP_NAMES.has(name)) {
    out.ignored++;
    return;
  }
  out.objects.push(remembered(makeObject(doc as RawObject, kind, apiVersion, name, source), origin));
}

function remembered(o: K8sObject, origin: TextOrigin | undefined): K8sObject {
  if (origin) rememberOrigin(o.raw, origin.doc, origin.prefix);
  return o;
}

function isNamespaced(kind: string): boolean {
  return KINDS.find((k) => k.kind === kind)?.namespaced ?? true;
}

export function makeObject(raw: RawObject, kind: string, apiVersion: string, name: string, source: SourceLocation): K8sObject {
  const meta = obj(raw.metadata);
  return {
    apiVersion,
    kind,
    // No namespace in a file is *unspecified*, not `default` (catalog v1.1); live objects always carry one.
    namespace: isNamespaced(kind) ? str(meta.namespace) || null : null,
    name,
    uid: str(meta.uid),
    labels: strMap(meta.labels),
    annotations: strMap(meta.annotations),
    creationTimestamp: str(meta.creationTimestamp),
    generateName: str(meta.generateName),
    finalizers: strArr(meta.finalizers),
    ownerReferences: arr(meta.ownerReferences)
      .filter(isObj)
      .map((o) => ({ kind: str(o.kind) ?? '', name: str(o.name) ?? '', uid: str(o.uid) })),
    raw,
    source,
  };
}

function secretMetadataOnly(doc: Record<string, unknown>, source: SourceLocation): K8sObject {
  const meta = obj(doc.metadata);
  const raw: RawObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: meta.name, namespace: meta.namespace, annotations: meta.annotations },
    type: doc.type,
  };
  return makeObject(raw, 'Secret', 'v1', str(meta.name) ?? '(unnamed)', source);
}

function yamlErrorLine(e: unknown): number | undefined {
  const mark = (e as { mark?: { line?: number } }).mark;
  return typeof mark?.line === 'number' ? mark.line : undefined;
}

/**
 * Values an alias-expanded document may hold before it is refused. js-yaml shares an anchored value between
 * its aliases, so a few hundred bytes can stand for 10^9 values ("billion laughs"); everything downstream that
 * walks or stringifies the object would pay for all of them. A real document holds fewer values than it has
 * characters, so the budget is generous for anything written by hand.
 */
function aliasBudget(body: string): number {
  return 10 * body.length + 10_000;
}

/** Whether walking `value` (aliases expanded) visits more than `budget` values; stops as soon as it does. */
function expandsBeyond(value: unknown, budget: number): boolean {
  const stack: unknown[] = [value];
  let visited = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (++visited > budget) return true;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) stack.push(x);
  }
  return false;
}

/** Loads a YAML or JSON text (multi-document, `List`s). A document that fails to parse is reported and skipped. */
export function loadYamlText(text: string, file?: string): LoadResult {
  const out: LoadResult = { objects: [], issues: [], ignored: 0 };
  // One scan of the text; only a file that has bidi controls pays for rewriting its documents.
  const bidi = hasBidiControls(text);
  const neutralize = (doc: unknown, line: number) => {
    const n = neutralizeBidiDeep(doc);
    if (n > 0) out.issues.push({ file, line, message: `${n} string${n === 1 ? '' : 's'} hold bidirectional control characters ("Trojan Source"): shown as ⟨U+202E⟩-style markers` });
  };
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (bidi) neutralize(parsed, 1);
      const json: DocumentText = { text, firstLine: 1, format: 'json' };
      if (Array.isArray(parsed)) parsed.forEach((doc, i) => toObjects(doc, { file, line: 1 }, out, { doc: json, prefix: [i] }));
      else toObjects(parsed, { file, line: 1 }, out, { doc: json, prefix: [] });
      return out;
    } catch {
      // not strict JSON: YAML is a superset, fall through
    }
  }
  for (const { body, line } of splitDocuments(text)) {
    let doc: unknown;
    try {
      doc = yaml.load(body, { json: true });
    } catch (e) {
      const rel = yamlErrorLine(e);
      const reason = String((e as Error).message ?? e).split('\n')[0];
      out.issues.push({ file, line: rel !== undefined ? line + rel : line, message: `YAML parse error: ${reason}` });
      continue;
    }
    // Without both an anchor and an alias nothing is shared, so the walk is skipped for most documents.
    if (body.includes('&') && body.includes('*') && expandsBeyond(doc, aliasBudget(body))) {
      out.issues.push({ file, line, message: `YAML aliases expand to more than ${aliasBudget(body)} values (an alias bomb?): skipped` });
      continue;
    }
    if (bidi && hasBidiControls(body)) neutralize(doc, line);
    toObjects(doc, { file, line }, out, { doc: { text: body, firstLine: line, format: 'yaml' }, prefix: [] });
  }
  return out;
}

export function mergeLoadResults(results: LoadResult[]): LoadResult {
  return {
    objects: results.flatMap((r) => r.objects),
    issues: results.flatMap((r) => r.issues),
    ignored: results.reduce((n, r) => n + r.ignored, 0),
  };
}

