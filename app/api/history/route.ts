import { handleApiError, json, jsonError } from '../../../lib/view/api';
import { historyQuery, paramsOf } from '../../../server/history/query';
import { historyStore } from '../../../server/history/recorder';

export const dynamic = 'force-dynamic';

/** GET /api/history?pipeline=<id>[&since=ISO][&limit=N]: a subject's score, grade and coverage series. */
export async function GET(req: Request): Promise<Response> {
  const q = historyQuery.safeParse(paramsOf(req.url));
  if (!q.success) return jsonError(400, 'invalid query', q.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  try {
    const store = await historyStore();
    if (!store) return jsonError(503, 'history is not available');
    const points = await store.history(q.data);
    return json({ cluster: store.cluster, pipeline: q.data.pipeline, since: q.data.since?.toISOString() ?? null, points });
  } catch (e) {
    return handleApiError(e);
  }
}
