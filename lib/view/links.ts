/**
 * Internal links built from cluster names. Every segment is percent-encoded, so a hostile name can only ever
 * produce a path inside this app; the only external links are validated http(s) URLs (safeExternalUrl).
 */
import type { Evidence } from '../model/types';
import { namespaceFromSegment, namespaceSegment } from '../model/types';
import { httpUrlOrNull } from '../model/chains';
import type { PipelineReport } from '../report/types';
import { memoByIdentity } from './memo';

const enc = encodeURIComponent;

/** The unspecified namespace of files (`''`) is written as the reserved segment `_` in every URL. */
export function pipelineHref(namespace: string, name: string): string {
  return `/pipelines/${enc(namespaceSegment(namespace))}/${enc(name)}`;
}

/**
 * The pipeline (or Task subject) a `/pipelines/:ns/:name` URL names: by id first (ids of same-named subjects
 * carry a `~…` suffix in their name segment), else the first with that namespace and name.
 */
export function findPipelineByRoute<T extends { id: string; namespace: string; name: string }>(pipelines: readonly T[], nsSegment: string, name: string): T | undefined {
  const id = `${nsSegment}/${name}`;
  const namespace = namespaceFromSegment(nsSegment);
  return pipelines.find((x) => x.id === id) ?? pipelines.find((x) => x.namespace === namespace && x.name === name);
}

/** From an id `<namespace>/<name>` (the name may itself contain `/` only in theory; split at the first one). */
export function pipelineHrefFromId(id: string): string {
  const i = id.indexOf('/');
  return i < 0 ? `/pipelines/${enc(id)}` : pipelineHref(id.slice(0, i), id.slice(i + 1));
}

export function runHref(namespace: string, name: string): string {
  return `/runs/${enc(namespaceSegment(namespace))}/${enc(name)}`;
}

export function serviceAccountHref(namespace: string, name: string): string {
  return `/service-accounts/${enc(namespaceSegment(namespace))}/${enc(name)}`;
}

/** From a key `<namespace>/<name>`. */
export function serviceAccountHrefFromKey(key: string): string {
  const i = key.indexOf('/');
  return serviceAccountHref(key.slice(0, i), key.slice(i + 1));
}

export function namespaceHref(name: string): string {
  return `/namespaces/${enc(namespaceSegment(name))}`;
}

export function checkHref(id: string): string {
  return `/checks/${enc(id)}`;
}

export function teamHref(team: string): string {
  return `/teams/${enc(team)}`;
}

/** Kinds whose objects are shown on their namespace's page. */
const NAMESPACE_PAGE_KINDS = new Set(['NetworkPolicy', 'ResourceQuota', 'LimitRange', 'VerificationPolicy']);

/** The ids of the scored pipelines (what `evidenceHref` needs), built once per report. */
export const pipelineIdSet = memoByIdentity((pipelines: readonly PipelineReport[]): ReadonlySet<string> => new Set(pipelines.map((p) => p.id)));

/**
 * Where an evidence object is shown in the app, or null (plain text). `pipelineIds` holds the ids of the
 * scored pipelines, so a Pipeline object links only when it has a page.
 */
export function evidenceHref(e: Pick<Evidence, 'kind' | 'namespace' | 'name'>, pipelineIds: ReadonlySet<string>): string | null {
  if (typeof e.name !== 'string' || e.name === '') return null;
  switch (e.kind) {
    case 'Pipeline':
      return e.namespace && pipelineIds.has(`${e.namespace}/${e.name}`) ? pipelineHref(e.namespace, e.name) : null;
    case 'PipelineRun':
    case 'TaskRun':
      return e.namespace ? runHref(e.namespace, e.name) : null;
    case 'ServiceAccount':
      return e.namespace ? serviceAccountHref(e.namespace, e.name) : null;
    case 'Namespace':
      return namespaceHref(e.name);
    default:
      return e.namespace && NAMESPACE_PAGE_KINDS.has(e.kind) ? namespaceHref(e.namespace) : null;
  }
}

/** A URL safe to put in an href: absolute http(s) only, else null. */
export function safeExternalUrl(value: string | null | undefined): string | null {
  const v = httpUrlOrNull(value);
  if (!v) return null;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}
