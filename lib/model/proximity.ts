/**
 * Proximity between documents of a scanned repository (catalog v1.1 "Subjects and files"). Files carry no
 * cluster: a name means what a user applying that folder would mean by it, so references resolve to the nearest
 * candidate (the same file, then the same directory, then the nearest common ancestor directory), and ambient
 * objects (guardrails, bindings) apply only to documents beside or below them. Objects without a file (live,
 * demo) are all equally near: there the namespace alone decides, as on a cluster.
 */
import type { K8sObject, SourceLocation } from './types';

function segments(file: string): string[] {
  return file.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
}

/** The directory segments of a file path (`a/b/c.yaml` → `['a','b']`). */
function dirSegments(file: string): string[] {
  return segments(file).slice(0, -1);
}

/** The directory of a file path, `''` for a file at the top (or no file). */
export function dirOf(file: string | undefined): string {
  return file ? dirSegments(file).join('/') : '';
}

function commonPrefix(a: string[], b: string[]): number {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k;
}

/**
 * How near `candidate` is to `from`: 0 the same file, 1 the same directory, then 2 + how many directories up
 * from `from` their nearest common ancestor is (a subdirectory of `from`'s own directory is 2). Lower is nearer.
 */
export function proximityRank(from: SourceLocation | undefined, candidate: SourceLocation | undefined): number {
  const a = from?.file;
  const b = candidate?.file;
  if (!a || !b) return 1;
  if (a === b) return 0;
  const da = dirSegments(a);
  const db = dirSegments(b);
  const k = commonPrefix(da, db);
  if (k === da.length && k === db.length) return 1;
  return 2 + (da.length - k);
}

/** Depth of a candidate below the common ancestor: the tie-breaker for which of equally near candidates is used. */
function depthBelow(from: SourceLocation | undefined, candidate: SourceLocation | undefined): number {
  if (!from?.file || !candidate?.file) return 0;
  const da = dirSegments(from.file);
  const db = dirSegments(candidate.file);
  return db.length - commonPrefix(da, db);
}

/**
 * Whether an ambient object (a LimitRange, a binding…) plausibly applies to a document: it sits in the same file,
 * the same directory, or a directory above it. One in a sibling example folder does not.
 */
export function coversDocument(ambient: SourceLocation | undefined, doc: SourceLocation | undefined): boolean {
  const a = ambient?.file;
  const d = doc?.file;
  if (!a || !d) return true;
  if (a === d) return true;
  const da = dirSegments(a);
  const dd = dirSegments(d);
  return commonPrefix(da, dd) === da.length;
}

export interface NearestPick<T> {
  chosen: T;
  /** Every candidate as near as the chosen one (the chosen first); more than one is an ambiguity. */
  tied: T[];
}

const VERSION = /^v?\d+(\.\d+)*$/;

function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Path order, except that version folders (`0.9`, `0.10`, `v2`) put the newest first. */
function locationOrder(a: SourceLocation, b: SourceLocation): number {
  const sa = segments(a.file ?? '');
  const sb = segments(b.file ?? '');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    if (sa[i] === sb[i]) continue;
    if (VERSION.test(sa[i]) && VERSION.test(sb[i])) {
      const d = compareVersions(sb[i], sa[i]);
      if (d !== 0) return d;
    }
    return sa[i] < sb[i] ? -1 : 1;
  }
  return sa.length - sb.length || (a.line ?? 0) - (b.line ?? 0);
}

/**
 * The nearest of `candidates` to `from`. Among equally near ones, the one least deep below the common ancestor is
 * used (a catalog's `task/x/0.1/x.yaml` before a sample's copy), then the newest version folder, then path
 * order, so the choice never depends on the order files were read in.
 */
export function nearest<T extends { source: SourceLocation }>(from: SourceLocation | undefined, candidates: readonly T[]): NearestPick<T> | null {
  if (candidates.length === 0) return null;
  if (candidates.length === 1) return { chosen: candidates[0], tied: [candidates[0]] };
  const ranked = candidates.map((c) => ({ c, rank: proximityRank(from, c.source), depth: depthBelow(from, c.source) }));
  ranked.sort((x, y) => x.rank - y.rank || x.depth - y.depth || locationOrder(x.c.source, y.c.source));
  const best = ranked[0].rank;
  return { chosen: ranked[0].c, tied: ranked.filter((r) => r.rank === best).map((r) => r.c) };
}

export function locationLabel(o: { source: SourceLocation }): string {
  const { file, line } = o.source;
  if (!file) return '(no file)';
  return line && line > 1 ? `${file}:${line}` : file;
}

/** Same-kind objects indexed by namespace and name, every candidate kept (a later document never shadows another). */
export class NearIndex {
  private readonly byKey = new Map<string, K8sObject[]>();
  private readonly byName = new Map<string, K8sObject[]>();

  constructor(objects: readonly K8sObject[]) {
    const push = (m: Map<string, K8sObject[]>, key: string, o: K8sObject) => {
      const list = m.get(key);
      if (list) list.push(o);
      else m.set(key, [o]);
    };
    for (const o of objects) {
      push(this.byKey, NearIndex.key(o.kind, o.namespace ?? '', o.name), o);
      push(this.byName, `${o.kind}\u0000${o.name}`, o);
    }
  }

  static key(kind: string, namespace: string, name: string): string {
    return `${kind}\u0000${namespace}\u0000${name}`;
  }

  candidates(kind: string, namespace: string | null, name: string): readonly K8sObject[] {
    return this.byKey.get(NearIndex.key(kind, namespace ?? '', name)) ?? [];
  }

  find(kind: string, namespace: string | null, name: string, from: SourceLocation | undefined): NearestPick<K8sObject> | null {
    const exact = nearest(from, this.candidates(kind, namespace, name));
    if (exact || namespace === null || !from?.file) return exact;
    // A folder that names a namespace for one document and none for the next is usually applied as one (a
    // catalog sample's run in `default` using the task of the folder above): from the referrer's own file,
    // directory or a directory above it, an explicit namespace may use an unspecified-namespace candidate and
    // the other way round. A sibling folder's never.
    const other = (this.byName.get(`${kind}\u0000${name}`) ?? []).filter(
      (o) => (namespace === '' ? o.namespace !== null : o.namespace === null) && coversDocument(o.source, from),
    );
    return nearest(from, other);
  }
}

/** The sentence saying which of several equally near candidates was used. */
export function ambiguityMessage(kind: string, name: string, from: SourceLocation | undefined, pick: NearestPick<K8sObject>): string {
  const where = from?.file ? ` from ${from.file}` : '';
  return (
    `Ambiguous reference: ${kind} "${name}"${where} matches ${pick.tied.length} equally near candidates ` +
    `(${pick.tied.map(locationLabel).join(', ')}); using ${locationLabel(pick.chosen)}.`
  );
}

/** FNV-1a, 32 bits, as 8 hex digits: a short, stable tag of an identity key (not a security hash). */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
