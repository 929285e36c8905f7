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
    readonly reason: KubeErrorReason,
    /** 429: how long the server asked us to wait (Retry-After), when it said. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/**
 * `unreachable`: no answer (connection refused or cut, timeout, 502/503/504: the apiserver or its proxy is down);
 * `throttled`: 429, the server is up but sheds load — retried after its Retry-After, never mistaken for "down";
 * `error`: any other failure (500, a body that is not JSON). Only `forbidden` and `not-installed` are answers about
 * the kind itself; the others say nothing about what the cluster holds.
 */
export type KubeErrorReason = 'forbidden' | 'not-installed' | 'gone' | 'unreachable' | 'throttled' | 'error';

export interface ClientOptions {
  kubeconfig?: string;
  context?: string;
  /** A LIST or GET that has not answered after this long is abandoned as unreachable (a frozen apiserver). */
  requestTimeoutMs?: number;
  /** How many times a 429 is retried (after its Retry-After) before it is reported as `throttled`. */
  throttleRetries?: number;
}

/** What the live source needs of a client; tests give a fake one. */
export interface KubeReader {
  readonly server: string;
  listPage(path: string, limit: number, continueToken: string | null): Promise<ListPage>;
  listAll(path: string, onPage: (items: Record<string, unknown>[]) => void, limit?: number): Promise<string>;
  watch(path: string, resourceVersion: string, onEvent: (e: WatchEvent) => void, done: (err: KubeError | null) => void, opts?: WatchOptions): Promise<{ abort(): void }>;
}

export interface WatchOptions {
  /** The server ends the watch normally after this long (and sends a bookmark first when it can). */
  timeoutSeconds?: number;
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

export function classify(status: number): KubeErrorReason {
  if (status === 403 || status === 401) return 'forbidden';
  if (status === 404) return 'not-installed';
  if (status === 410) return 'gone';
  if (status === 429) return 'throttled';
  if (status === 502 || status === 503 || status === 504) return 'unreachable';
  return 'error';
}

/** Retry-After in ms (seconds or an HTTP date); null when absent or unreadable. Capped: a hostile value cannot park us. */
export function retryAfterMs(header: string | null, nowMs: number, capMs = 60_000): number | null {
  if (!header) return null;
  const secs = Number(header.trim());
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(header) - nowMs;
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(ms, 0), capMs);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

export class ReadOnlyKubeClient implements KubeReader {
  readonly server: string;
  private readonly watcher: Watch;

  constructor(
    private readonly kc: KubeConfig,
    private readonly opts: Pick<ClientOptions, 'requestTimeoutMs' | 'throttleRetries'> = {},
  ) {
    this.server = kc.getCurrentCluster()?.server ?? '';
    if (!this.server) throw new Error('no cluster in the kubeconfig (set KUBECONFIG or --kubeconfig)');
    this.watcher = new Watch(kc);
  }

  /** One request; a 429 is retried after the server's Retry-After (or a short backoff), then reported as throttled. */
  private async request(verb: string, path: string, query: Record<string, string | number | undefined>): Promise<Record<string, unknown>> {
    const retries = this.opts.throttleRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.requestOnce(verb, path, query);
      } catch (e) {
        if (!(e instanceof KubeError) || e.reason !== 'throttled' || attempt >= retries) throw e;
        await sleep(e.retryAfterMs ?? 250 * 2 ** attempt);
      }
    }
  }

  private async requestOnce(verb: string, path: string, query: Record<string, string | number | undefined>): Promise<Record<string, unknown>> {
    assertReadVerb(verb);
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const init = await this.kc.applyToFetchOptions({});
    let res;
    // A frozen apiserver accepts the connection and never answers: without a deadline the first sync never ends.
    const timeoutMs = this.opts.requestTimeoutMs ?? 30_000;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    timer.unref?.();
    try {
      try {
        // client-node hands back a Headers instance (the credentials live there): copy it, never spread it.
        const headers = new Headers((init as { headers?: ConstructorParameters<typeof Headers>[0] }).headers);
        headers.set('Accept', 'application/json');
        res = await fetch(url.toString(), { ...(init as object), method: 'GET', headers, signal: controller.signal as never });
      } catch (e) {
        const why = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : (e as Error).message;
        throw new KubeError(`cannot reach the API server: ${why}`, null, 'unreachable');
      }
      return await this.readBody(res, verb, path, controller, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  private async readBody(res: Awaited<ReturnType<typeof fetch>>, verb: string, path: string, controller: AbortController, timeoutMs: number): Promise<Record<string, unknown>> {
    if (!res.ok) {
      let detail = '';
      try {
        detail = String(((await res.json()) as { message?: string }).message ?? '');
      } catch {
        // the body is not JSON; the status says enough
      }
      const wait = res.status === 429 ? retryAfterMs(res.headers.get('retry-after'), Date.now()) : null;
      throw new KubeError(`${verb} ${path}: HTTP ${res.status}${detail ? ` ${detail}` : ''}`, res.status, classify(res.status), wait);
    }
    try {
      return (await res.json()) as Record<string, unknown>;
    } catch (e) {
      // A connection cut (or frozen) mid-body is the server being gone, not a malformed answer.
      if (controller.signal.aborted) throw new KubeError(`${verb} ${path}: body not complete within ${timeoutMs} ms`, null, 'unreachable');
      const msg = (e as Error).message ?? String(e);
      const cut = /premature|socket|ECONNRESET|aborted|terminated/i.test(msg);
      throw new KubeError(`${verb} ${path}: ${cut ? 'connection lost while reading: ' : 'unreadable answer: '}${msg}`, null, cut ? 'unreachable' : 'error');
    }
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

  /**
   * A WATCH from `resourceVersion`, with bookmarks (the server's periodic "still here, at version N": silence is
   * then evidence of trouble, see Reflector); `done` is called once when it ends (null error: the server closed it).
   */
  async watch(path: string, resourceVersion: string, onEvent: (e: WatchEvent) => void, done: (err: KubeError | null) => void, opts: WatchOptions = {}): Promise<{ abort(): void }> {
    assertReadVerb('watch');
    const query: Record<string, string | number | boolean> = { resourceVersion, allowWatchBookmarks: true };
    if (opts.timeoutSeconds) query.timeoutSeconds = Math.max(1, Math.round(opts.timeoutSeconds));
    const controller = await this.watcher.watch(
      path,
      query,
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
