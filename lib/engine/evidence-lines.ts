/**
 * The engine's last pass over a scan of files: every evidence item gets the line of the exact field it names
 * (`spec.steps[1].securityContext.privileged` → the `privileged: true` line), instead of its document's first
 * line. Checks only say which object and path; the object is found again here by kind, namespace and name (and
 * file and document line when the evidence carries them), and the line comes from lib/model/positions.ts.
 * Objects without a recorded text (live clusters, generated objects) are left alone.
 */
import type { Finding } from '../checks/types';
import { hasOrigin, lineInField, lineOf, PositionIndexes } from '../model/positions';
import type { Evidence, K8sObject } from '../model/types';
import type { Report } from '../report/types';

export class EvidenceLocator {
  /** Objects by name (names are short and already hashed; kind, namespace and file are compared after). */
  private readonly byName = new Map<string, K8sObject[]>();
  private readonly cache = new Map<K8sObject, Map<string, number | undefined>>();
  private readonly indexes = new PositionIndexes();
  /**
   * Checks share evidence objects between findings, and once placed an item's line no longer names its
   * document; only an item that needs that line (namesakes in one file) is remembered here.
   */
  private readonly placed = new Set<Evidence>();

  constructor(objects: readonly K8sObject[]) {
    for (const o of objects) {
      if (!hasOrigin(o.raw)) continue;
      const list = this.byName.get(o.name);
      if (list) list.push(o);
      else this.byName.set(o.name, [o]);
    }
  }

  get empty(): boolean {
    return this.byName.size === 0;
  }

  /**
   * The object an evidence item is about: same kind, namespace and name, in the file it names (then the one at
   * the document line it names); without a file, only an object that has no namesake. Null when not loaded.
   */
  private objectOf(e: Evidence): K8sObject | null {
    const named = this.byName.get(e.name);
    if (!named) return null;
    let first: K8sObject | null = null;
    let atLine: K8sObject | null = null;
    let count = 0;
    for (const o of named) {
      if (o.kind !== e.kind || (o.namespace ?? null) !== (e.namespace ?? null)) continue;
      if (e.file !== undefined && o.source.file !== e.file) continue;
      count++;
      first ??= o;
      if (atLine === null && e.line !== undefined && o.source.line === e.line) atLine = o;
    }
    if (e.file === undefined) return count === 1 ? first : null;
    if (count > 1) {
      if (this.placed.has(e)) return null;
      this.placed.add(e);
    }
    return atLine ?? first;
  }

  locate(e: Evidence): void {
    const o = this.objectOf(e);
    if (!o) return;
    let lines = this.cache.get(o);
    if (!lines) this.cache.set(o, (lines = new Map()));
    let line = lines.get(e.path);
    if (!lines.has(e.path)) {
      try {
        line = lineOf(o.raw, e.path, this.indexes);
      } catch {
        // a line is a convenience: a document the scanner trips on keeps its document line, the scan goes on
        line = undefined;
      }
      lines.set(e.path, line);
    }
    if (line === undefined) return;
    if (e.file === undefined && o.source.file !== undefined) e.file = o.source.file;
    e.line = e.textLine ? lineInField(o.raw, line, e.textLine) : line;
  }

  locateAll(findings: readonly Finding[]): void {
    for (const f of findings) for (const e of f.evidence) this.locate(e);
  }
}

/**
 * Fills `Evidence.line` in every finding of the report: the platform card, the pipelines, and any other list of
 * subjects with findings the report carries (so a new kind of subject is covered without touching this pass).
 */
export function fillEvidenceLines(report: Report, objects: readonly K8sObject[]): void {
  const locator = new EvidenceLocator(objects);
  if (locator.empty) return;
  locator.locateAll(report.platform.findings);
  for (const value of Object.values(report)) {
    if (!Array.isArray(value)) continue;
    for (const subject of value as unknown[]) {
      const findings = (subject as { findings?: unknown } | null)?.findings;
      if (Array.isArray(findings)) locator.locateAll(findings as Finding[]);
    }
  }
}
