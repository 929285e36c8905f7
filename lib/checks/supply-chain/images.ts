/**
 * Container image references: parsing (registry, repository, tag, digest) and resolving `$(params.x)` images
 * through the pipeline task's params, the pipeline's params (run values or defaults) and task param defaults.
 * Pure and total: hostile or huge strings never throw and never backtrack.
 */
import type { PipelineModel, PipelineRunModel, PipelineTaskModel, TaskSpecModel } from '../../model/types';

export const DEFAULT_REGISTRY = 'docker.io';

export interface ParsedImage {
  raw: string;
  /** Registry host (with port), `docker.io` when the reference names none. */
  registry: string;
  /** Repository path without registry, tag or digest (`library/alpine` for `alpine`). */
  repository: string;
  tag: string | null;
  /** `sha256:<64 hex>` (or another `alg:hex`) when the reference carries `@…`. */
  digest: string | null;
  /** True when the digest is a full `sha256:` digest (64 hex). */
  pinned: boolean;
  /** False when the reference is empty or malformed (spaces, empty parts). */
  valid: boolean;
}

const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** True when `d` is a full sha256 digest (`sha256:` + 64 lowercase hex). */
export function isSha256Digest(d: string | null | undefined): boolean {
  return typeof d === 'string' && SHA256_DIGEST.test(d);
}

/** True when a string contains a Tekton substitution (`$(…)`). */
export function hasSubstitution(s: string): boolean {
  return s.includes('$(');
}

/**
 * Parses an image reference the way the container runtime does: the first path component is a registry host when
 * it contains a `.` or a `:` or is `localhost`; otherwise the image lives on Docker Hub (`docker.io`), and a
 * single-component name gets the `library/` prefix. A tag follows the last `:` after the last `/`; a digest follows `@`.
 */
export function parseImage(input: string): ParsedImage {
  const raw = input;
  const ref = input.trim();
  let name = ref;
  let digest: string | null = null;
  const at = ref.indexOf('@');
  if (at >= 0) {
    name = ref.slice(0, at);
    digest = ref.slice(at + 1) || null;
  }
  let tag: string | null = null;
  const lastSlash = name.lastIndexOf('/');
  const lastColon = name.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = name.slice(lastColon + 1) || null;
    name = name.slice(0, lastColon);
  }
  let registry = DEFAULT_REGISTRY;
  let repository = name;
  const firstSlash = name.indexOf('/');
  if (firstSlash >= 0) {
    const first = name.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first.toLowerCase();
      repository = name.slice(firstSlash + 1);
    }
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io' || registry === 'registry.hub.docker.com') registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && repository !== '' && !repository.includes('/')) repository = `library/${repository}`;
  const valid =
    ref.length > 0 &&
    !/\s/.test(ref) &&
    repository.length > 0 &&
    !repository.split('/').some((p) => p === '') &&
    (at < 0 || digest !== null) &&
    !(lastColon > lastSlash && tag === null);
  return { raw, registry, repository, tag, digest, pinned: isSha256Digest(digest), valid };
}

/** `registry/repository`, the name a registry allowlist is matched against. */
export function fullName(p: ParsedImage): string {
  return `${p.registry}/${p.repository}`;
}

/**
 * Whether an image is covered by an allowlist entry. Entries are a host (`ghcr.io`, `localhost:5000`) or a host and
 * path prefix (`ghcr.io/acme`, `ghcr.io/acme/`); prefixes match on path-segment boundaries only, so `ghcr.io/acme`
 * covers `ghcr.io/acme/tool` but not `ghcr.io/acme-evil/tool`. `docker.io/library` covers `alpine`.
 */
export function registryAllowed(p: ParsedImage, entries: string[]): string | null {
  const name = fullName(p);
  for (const entry of entries) {
    const e = normalizeEntry(entry);
    if (!e) continue;
    if (name === e || name.startsWith(`${e}/`)) return entry;
  }
  return null;
}

function normalizeEntry(entry: string): string {
  let e = entry.trim().replace(/^[a-z]+:\/\//i, '');
  while (e.endsWith('/')) e = e.slice(0, -1);
  if (e === '') return '';
  const slash = e.indexOf('/');
  let host = (slash < 0 ? e : e.slice(0, slash)).toLowerCase();
  if (host === 'index.docker.io' || host === 'registry-1.docker.io' || host === 'registry.hub.docker.com') host = DEFAULT_REGISTRY;
  return slash < 0 ? host : `${host}${e.slice(slash)}`;
}

// ------------------------------------------------------------------ substitution

/** One concrete value an image (or another string) takes, and where it came from. */
export interface Candidate {
  value: string;
  /** How the value was obtained, e.g. `param builderImage default` or `run build-run-1`; null when literal. */
  via: string | null;
}

export interface Resolution {
  raw: string;
  /** Distinct concrete values (no `$(` left). */
  candidates: Candidate[];
  /** Why some context could not be resolved; null when every context resolved. */
  unresolved: string | null;
}

/** Matches one `$(…)` expression; the body has no parentheses, so matching is linear. */
const SUBST = /\$\(([^()]*)\)/g;

/** The param name of a `params.x` / `params["x"]` / `params['x']` / `inputs.params.x` expression, else null. */
export function paramName(expr: string): string | null {
  const e = expr.trim();
  let m = /^(?:inputs\.)?params\.([A-Za-z0-9_.-]+)$/.exec(e);
  if (m) return m[1];
  m = /^params\[\s*(?:"([^"]*)"|'([^']*)')\s*\]$/.exec(e);
  if (m) return m[1] ?? m[2] ?? null;
  return null;
}

function defaultText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** Replaces each `$(…)` in `s` via `lookup`; returns null (and the failing expression) when one cannot be resolved. */
function substitute(s: string, lookup: (expr: string) => string | null): { value: string | null; failed: string | null } {
  let failed: string | null = null;
  const value = s.replace(SUBST, (whole, expr: string) => {
    if (failed) return whole;
    const v = lookup(expr);
    if (v === null) {
      failed = whole;
      return whole;
    }
    return v;
  });
  return failed ? { value: null, failed } : { value, failed: null };
}

/** Values of pipeline-level params in one run context (the run's value, else the pipeline's default). */
function pipelineParamValue(pipeline: PipelineModel, run: PipelineRunModel | null, name: string): { value: string; via: string } | null {
  if (run) {
    const p = run.params.find((x) => x.name === name);
    if (p) return { value: p.value, via: `run ${run.name}` };
  }
  const decl = pipeline.spec?.params.find((x) => x.name === name);
  const d = decl ? defaultText(decl.default) : null;
  if (d !== null) return { value: d, via: `pipeline param ${name} default` };
  return null;
}

/**
 * Resolves a string written in a task spec (an image, a resolver param) to concrete values, once per recent run
 * (or once with defaults when there are no runs). A task's `$(params.x)` takes the pipeline task's param value (which
 * may name pipeline params, resolved from the run or the pipeline default), else the task param's default, else — for
 * inline specs, which see pipeline params propagated — the pipeline param.
 */
export function resolveInTask(raw: string, pipeline: PipelineModel, task: PipelineTaskModel | null, spec: TaskSpecModel | null): Resolution {
  if (!hasSubstitution(raw)) return { raw, candidates: [{ value: raw, via: null }], unresolved: null };
  const contexts: (PipelineRunModel | null)[] = pipeline.runs.length > 0 ? pipeline.runs : [null];
  const byValue = new Map<string, Candidate>();
  let unresolved: string | null = null;
  for (const run of contexts) {
    const vias: string[] = [];
    const pipelineLookup = (expr: string): string | null => {
      const n = paramName(expr);
      if (n === null) return null;
      const v = pipelineParamValue(pipeline, run, n);
      if (!v) return null;
      vias.push(v.via);
      return v.value;
    };
    const taskLookup = (expr: string): string | null => {
      const n = paramName(expr);
      if (n === null) return null;
      const passed = task?.params.find((p) => p.name === n);
      if (passed) {
        if (!hasSubstitution(passed.value)) {
          vias.push(`param ${n} of task ${task?.name}`);
          return passed.value;
        }
        const inner = substitute(passed.value, pipelineLookup);
        return inner.value;
      }
      const decl = spec?.params.find((p) => p.name === n);
      const d = decl ? defaultText(decl.default) : null;
      if (d !== null && !hasSubstitution(d)) {
        vias.push(`param ${n} default`);
        return d;
      }
      if (task?.specSource === 'inline' || task === null) return pipelineLookup(expr);
      return null;
    };
    const r = task === null && spec === null ? substitute(raw, pipelineLookup) : substitute(raw, taskLookup);
    if (r.value === null || hasSubstitution(r.value)) {
      unresolved ??= `${r.failed ?? raw} has no value in sight${run ? ` (run ${run.name})` : ''}`;
      continue;
    }
    if (!byValue.has(r.value)) byValue.set(r.value, { value: r.value, via: [...new Set(vias)].join(', ') || null });
  }
  return { raw, candidates: [...byValue.values()], unresolved };
}

/** Extracts the sha256 digest from a TaskRun step `imageID` (`docker-pullable://repo@sha256:…`, `repo@sha256:…`). */
export function digestOfImageID(imageID: string | null | undefined): string | null {
  if (!imageID) return null;
  const i = imageID.lastIndexOf('sha256:');
  if (i < 0) return null;
  const d = imageID.slice(i, i + 71);
  return isSha256Digest(d) ? d : null;
}
