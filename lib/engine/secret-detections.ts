/**
 * WSP-005's detections over a set of loaded objects, one row per evidence item: what the corpus precision test
 * and `npm run bench:secrets` compare with the hand-classified list (lib/checks/workspaces/testdata/WSP-005/corpus-secrets.json).
 */
import { detectSecret, findKeyPattern, type SecretMatch } from '../checks/workspaces/secrets';
import { paramStrings } from '../checks/workspaces/wsp-005-no-plaintext-secrets-in-specs';
import type { K8sObject } from '../model/types';

export interface SecretDetection {
  file: string;
  /** `Kind namespace/name`. */
  object: string;
  path: string;
  /** The evidence text: label, kind, the redacted value and the recogniser in brackets. */
  value: string;
  /** The recogniser, from the trailing `[rule]`. */
  rule: string;
}

export interface ExpectedSecret {
  file: string;
  path: string;
  /** Whether WSP-005 should report this value. */
  detect: boolean;
  why: string;
}

const SKIPPED_KINDS = new Set(['Secret']);

/**
 * The recogniser over every place WSP-005 looks, in every loaded document whether or not it is a scored pipeline
 * (a catalog Task or a direct TaskRun is not a WSP-005 subject, but its values are the real-world sample the
 * precision figure needs): `env[].value` (name = the variable), `params[].default|value` (name = the param; JSON
 * objects by key, arrays by item), and `script`/`command`/`args` strings (shapes only). Secrets are skipped: that
 * is where credentials belong.
 */
export function secretDetections(objects: K8sObject[]): SecretDetection[] {
  const rows = new Map<string, SecretDetection>();
  for (const o of objects) {
    if (SKIPPED_KINDS.has(o.kind)) continue;
    const file = o.source.file ?? '';
    const object = `${o.kind} ${o.namespace ?? '-'}/${o.name}`;
    const add = (path: string, label: string, m: SecretMatch | null) => {
      if (!m) return;
      rows.set(`${file}|${object}|${path}`, { file, object, path, value: `${label}: ${m.kind}, ${m.redacted} [${m.rule}]`, rule: m.rule });
    };
    walk(o.raw, '', 0, add);
  }
  return [...rows.values()].sort((a, b) => (a.file + a.path).localeCompare(b.file + b.path));
}

type Add = (path: string, label: string, m: SecretMatch | null) => void;

function named(x: unknown): x is { name: string } & Record<string, unknown> {
  return !!x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string';
}

function walk(v: unknown, path: string, depth: number, add: Add): void {
  if (depth > 40 || !v || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1, add));
    return;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const at = path ? `${path}.${k}` : k;
    if ((k === 'env' || k === 'params') && Array.isArray(x)) {
      x.forEach((e, i) => {
        if (!named(e)) return;
        for (const field of ['value', 'default']) {
          if (e[field] === undefined) continue;
          for (const s of paramStrings(e.name, e[field])) add(`${at}[${i}].${field}`, `${k === 'env' ? 'env' : 'param'} ${e.name}`, detectSecret(s.value, s.name));
        }
      });
    } else if (k === 'script' && typeof x === 'string') {
      add(at, 'script', findKeyPattern(x));
    } else if ((k === 'command' || k === 'args') && Array.isArray(x)) {
      x.forEach((a, i) => typeof a === 'string' && add(`${at}[${i}]`, k, findKeyPattern(a)));
    }
    walk(x, at, depth + 1, add);
  }
}

/** Precision and recall of `found` against the classified list; an unclassified detection counts as a false one. */
export function scoreDetections(found: SecretDetection[], expected: ExpectedSecret[]) {
  const key = (x: { file: string; path: string }) => `${x.file}|${x.path}`;
  const truth = new Map(expected.map((x) => [key(x), x]));
  const truePositives = found.filter((d) => truth.get(key(d))?.detect === true);
  const falsePositives = found.filter((d) => truth.get(key(d))?.detect !== true);
  const foundKeys = new Set(found.map(key));
  const missed = expected.filter((x) => x.detect && !foundKeys.has(key(x)));
  const relevant = expected.filter((x) => x.detect).length;
  return {
    detections: found.length,
    truePositives: truePositives.length,
    falsePositives,
    missed,
    precision: found.length === 0 ? 1 : truePositives.length / found.length,
    recall: relevant === 0 ? 1 : (relevant - missed.length) / relevant,
  };
}
