import type { Report } from '../../../lib/report/types';
import { handleApiError } from '../../../lib/view/api';
import { memoByIdentity } from '../../../lib/view/memo';
import { applyScorecard, parseScorecardQuery, scorecardSearch, withoutFindings } from '../../../lib/view/scorecard';
import { getState } from '../../../server/state';

export const dynamic = 'force-dynamic';

/**
 * Encoded bodies per engine state, by query. At 2,000 pipelines the list is ~1 MB of JSON: filtering, copying,
 * stringifying and encoding it on every request made the endpoint allocation-bound under load, while the answer
 * only changes with the state. A new state (report object or version) starts an empty cache; it keeps the first
 * QUERIES_KEPT distinct queries, others are built per request.
 */
const QUERIES_KEPT = 16;
const bodiesOf = memoByIdentity((_report: Report, _version: number) => new Map<string, Uint8Array<ArrayBuffer>>());
const encoder = new TextEncoder();

/** GET /api/pipelines?<scorecard filters>: the filtered, sorted pipeline list without findings. */
export async function GET(req: Request): Promise<Response> {
  try {
    const q = parseScorecardQuery(new URL(req.url).searchParams);
    const { report, version } = await getState();
    const bodies = bodiesOf(report, version);
    const key = scorecardSearch(q);
    let body = bodies.get(key);
    if (!body) {
      body = encoder.encode(JSON.stringify({ version, generatedAt: report.generatedAt, query: q, pipelines: applyScorecard(report.pipelines, q).map(withoutFindings) }));
      if (bodies.size < QUERIES_KEPT) bodies.set(key, body);
    }
    return new Response(body, { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
  } catch (e) {
    return handleApiError(e);
  }
}
