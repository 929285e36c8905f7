import { handleApiError, json } from '../../../lib/view/api';
import { applyScorecard, parseScorecardQuery, withoutFindings } from '../../../lib/view/scorecard';
import { getState } from '../../../server/state';

export const dynamic = 'force-dynamic';

/** GET /api/pipelines?<scorecard filters>: the filtered, sorted pipeline list without findings. */
export async function GET(req: Request): Promise<Response> {
  try {
    const q = parseScorecardQuery(new URL(req.url).searchParams);
    const { report, version } = await getState();
    return json({ version, generatedAt: report.generatedAt, query: q, pipelines: applyScorecard(report.pipelines, q).map(withoutFindings) });
  } catch (e) {
    return handleApiError(e);
  }
}
