import { handleApiError, json, jsonError } from '../../../lib/view/api';
import { changesQuery, paramsOf } from '../../../server/history/query';
import { historyStore } from '../../../server/history/recorder';

export const dynamic = 'force-dynamic';

const WEEK_MS = 7 * 86_400_000;

/** GET /api/changes?since=ISO[&until=ISO][&kind=new,fixed][&pipeline=<id>]: findings new, regressed, fixed, waived. */
export async function GET(req: Request): Promise<Response> {
  const q = changesQuery.safeParse(paramsOf(req.url));
  if (!q.success) return jsonError(400, 'invalid query', q.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  try {
    const store = await historyStore();
    if (!store) return jsonError(503, 'history is not available');
    const until = q.data.until ?? new Date();
    const since = q.data.since ?? new Date(until.getTime() - WEEK_MS);
    if (since > until) return jsonError(400, 'since is after until');
    const page = await store.changes({ since, until, kinds: q.data.kind, pipeline: q.data.pipeline, limit: q.data.limit });
    return json({ cluster: store.cluster, ...page });
  } catch (e) {
    return handleApiError(e);
  }
}
