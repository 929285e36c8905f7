import { SSE_HEADERS, jsonError, sameOrigin, versionEventStream } from '../../../lib/view/api';
import { ensureStarted, peekState, subscribe } from '../../../server/state';

export const dynamic = 'force-dynamic';

/** GET /api/events: Server-Sent Events, `event: update` / `data: {"version":N}` on every engine change. */
export async function GET(req: Request): Promise<Response> {
  if (!sameOrigin(req)) return jsonError(403, 'cross-origin event streams are not allowed');
  await ensureStarted().catch(() => undefined);
  const stream = versionEventStream({ current: () => peekState()?.version ?? null, subscribe }, req.signal);
  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}
