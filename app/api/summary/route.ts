import { handleApiError, json } from '../../../lib/view/api';
import { getState } from '../../../server/state';

export const dynamic = 'force-dynamic';

/** GET /api/summary: cluster summary, platform card score, data freshness and the engine version. */
export async function GET(): Promise<Response> {
  try {
    const { report, version, updatedAt, stale } = await getState();
    const { findings: _f, ...platform } = report.platform;
    return json({ version, updatedAt, stale, generatedAt: report.generatedAt, source: report.source, summary: report.summary, platform, gaps: report.gaps.length, loadIssues: report.loadIssues.length });
  } catch (e) {
    return handleApiError(e);
  }
}
