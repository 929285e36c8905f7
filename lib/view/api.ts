/** Helpers shared by the thin route handlers under app/api: one error shape, one SSE stream builder. */
import { z } from 'zod';
import { isSameOrigin } from '../ops/hosts';

export const EXPORT_FORMATS = ['json', 'sarif', 'csv', 'junit', 'table', 'codequality'] as const;
export const exportFormat = z.enum(EXPORT_FORMATS).default('json');
const EXTENSIONS: Record<(typeof EXPORT_FORMATS)[number], string> = { json: 'json', sarif: 'sarif', csv: 'csv', junit: 'xml', table: 'txt', codequality: 'codequality.json' };

export function exportFilename(format: (typeof EXPORT_FORMATS)[number], generatedAt: string): string {
  const stamp = (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.exec(generatedAt)?.[0] ?? 'report').replace(/[:T]/g, '-');
  return `tekton-posture-${stamp}.${EXTENSIONS[format]}`;
}

const NO_STORE = { 'Cache-Control': 'no-store' };

export function jsonError(status: number, error: string, details?: unknown): Response {
  return Response.json(details === undefined ? { error } : { error, details }, { status, headers: NO_STORE });
}

/** Maps anything thrown by the engine to a response without leaking internals. */
export function handleApiError(e: unknown): Response {
  const message = e instanceof Error ? e.message : String(e);
  console.error(JSON.stringify({ level: 'error', msg: 'api error', error: message }));
  if (/no data yet/.test(message)) return jsonError(503, 'the engine has no data yet');
  return jsonError(500, 'internal error');
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  return Response.json(body, { ...init, headers: { ...NO_STORE, ...(init.headers as Record<string, string> | undefined) } });
}

/** Same-origin check for the event stream: a browser sends Origin on cross-origin requests. */
export function sameOrigin(req: Request): boolean {
  // The Host header only: X-Forwarded-Host is whatever the client chose to send.
  return isSameOrigin(req.headers.get('origin'), req.headers.get('host'));
}

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

export interface VersionSource {
  current: () => number | null;
  subscribe: (listener: (s: { version: number }) => void) => () => void;
}

/** Server-Sent Events: `event: update` with `{version}` now and on every change, `: ping` every 15 s. */
export function versionEventStream(src: VersionSource, signal: AbortSignal, pingMs = 15_000): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (chunk: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          cleanup();
        }
      };
      const update = (version: number) => send(`id: ${version}\nevent: update\ndata: ${JSON.stringify({ version })}\n\n`);
      send('retry: 5000\n\n');
      const v = src.current();
      if (v !== null) update(v);
      const unsubscribe = src.subscribe((s) => update(s.version));
      const ping = setInterval(() => send(': ping\n\n'), pingMs);
      cleanup = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(ping);
        signal.removeEventListener('abort', cleanup);
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      if (signal.aborted) cleanup();
      else signal.addEventListener('abort', cleanup);
    },
    cancel() {
      cleanup();
    },
  });
}
