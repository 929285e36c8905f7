import 'server-only';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import fetch, { Headers } from 'node-fetch';
import type { KindInfo } from '../../lib/kinds';

/**
 * The only door to the Kubernetes API. It is read-only by construction: every request names its verb, and any
 * verb but get, list and watch is refused before a byte leaves the process; the HTTP method is always GET.
 */
export const ALLOWED_VERBS = new Set(['get', 'list', 'watch']);

export class ReadOnlyViolation extends Error {}

export function assertReadVerb(verb: string): void {
  if (!ALLOWED_VERBS.has(verb)) throw new ReadOnlyViolation(`refused: the "${verb}" verb is not allowed (Tekton Posture only reads: get, list, watch)`);
}

export class KubeError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly reason: 'forbidden' | 'not-installed' | 'gone' | 'unreachable' | 'error',
  ) {
    super(message);
  }
}

export interface ClientOptions {
  kubeconfig?: string;
  context?: string;
}

export interface ListPage {
  items: Record<string, unknown>[];
  resourceVersion: string;
  continueToken: string | null;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

export function loadKubeConfig(opts: ClientOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else kc.loadFromDefault();
  if (opts.context) kc.setCurrentContext(opts.context);
  return kc;
}

/** `/api/v1/namespaces/ns/pods` or `/apis/tekton.dev/v1/pipelineruns`. */
export function collectionPath(kind: Pick<KindInfo, 'group' | 'version' | 'plural' | 'namespaced'>, namespace: string | null): string {
  const base = kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`;
  return kind.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}` : `${base}/${kind.plural}`;
}

function classify(status: number): KubeError['reason'] {
  if (status === 403 || status === 401) return 'forbidden';
  if (status === 404) return 'not-installed';
  if (status === 410) return 'gone';
  return 'error';
}

export class ReadOnlyKubeClient {
  readonly server: string;
  private readonly watcher: Watch;

  constructor(private readonly kc: KubeConfig) {
    this.server = kc.getCurrentCluster()?.server ?? '';
    if (!this.server) throw new Error('no cluster in the kubeconfig (set KUBECONFIG or --kubeconfig)');
    this.watcher = new Watch(kc);
  }

  private async request(verb: string, path: string, query: Record<string, string | number | undefined>): Promise<Record<string, unknown>> {
    assertReadVerb(verb);
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const init = await this.kc.applyToFetchOptions({});
    let res;
    try {
      // client-node hands back a Headers instance (the credentials live there): copy it, never spread it.
      const headers = new Headers((init as { headers?: ConstructorParameters<typeof Headers>[0] }).headers);
      headers.set('Accept', 'application/json');
      res = await fetch(url.toString(), { ...(init as object), method: 'GET', headers });
    } catch (e) {
      throw new KubeError(`cannot reach the API server: ${(e as Error).message}`, null, 'unreachable');
    }
    if (!res.ok) {
      let detail = '';
      try {
        detail = String(((await res.json()) as { message?: string }).message ?? '');
      } catch {
        // the body is not JSON; the status says enough
      }
      throw new KubeError(`${verb} ${path}: HTTP ${res.status}${detail ? ` ${detail}` : ''}`, res.status, classify(res.status));
    }
    return (await res.json()) as Record<string, unknown>;
  }

  async get(path: string): Promise<Record<string, unknown>> {
    return this.request('get', path, {});
  }

  async listPage(path: string, limit: number, continueToken: string | null): Promise<ListPage> {
    const body = await this.request('list', path, { limit, continue: continueToken ?? undefined });
    const meta = (body.metadata ?? {}) as { resourceVersion?: string; continue?: string };
    return { items: Array.isArray(body.items) ? (body.items as Record<string, unknown>[]) : [], resourceVersion: meta.resourceVersion ?? '', continueToken: meta.continue || null };
  }

  /**
   * A paged LIST; an expired continue token (410) restarts the list from the beginning. The next page is requested
   * before the current one is handed to `onPage`, so the API server works while this process digests.
   */
  async listAll(path: string, onPage: (items: Record<string, unknown>[]) => void, limit = 500): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      let next: Promise<ListPage> | null = this.listPage(path, limit, null);
      try {
        for (;;) {
          const page: ListPage = await next;
          next = page.continueToken ? this.listPage(path, limit, page.continueToken) : null;
          onPage(page.items);
          if (!next) return page.resourceVersion;
        }
      } catch (e) {
        next?.catch(() => undefined); // a prefetch still in flight when onPage threw: its outcome no longer matters
        if (e instanceof KubeError && e.reason === 'gone' && attempt < 3) continue;
        throw e;
      }
    }
  }

  /** A WATCH from `resourceVersion`; `done` is called once when it ends (null error: the server closed it). */
  async watch(path: string, resourceVersion: string, onEvent: (e: WatchEvent) => void, done: (err: KubeError | null) => void): Promise<{ abort(): void }> {
    assertReadVerb('watch');
    const controller = await this.watcher.watch(
      path,
      { resourceVersion, allowWatchBookmarks: true },
      (type: string, object: Record<string, unknown>) => onEvent({ type: type as WatchEvent['type'], object }),
      (err: unknown) => {
        if (!err) return done(null);
        const status = (err as { statusCode?: number }).statusCode;
        if (typeof status === 'number') return done(new KubeError(`watch ${path}: HTTP ${status}`, status, classify(status)));
        const msg = (err as Error).message ?? String(err);
        done(new KubeError(`watch ${path}: ${msg}`, null, /abort/i.test(msg) ? 'error' : 'unreachable'));
      },
    );
    return { abort: () => controller.abort() };
  }
}
