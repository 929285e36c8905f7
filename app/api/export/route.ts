import { CHECKS } from '../../../lib/checks/registry';
import { CONTENT_TYPES, renderReport } from '../../../lib/report/render';
import { EXPORT_FORMATS, exportFilename, exportFormat, handleApiError, jsonError } from '../../../lib/view/api';
import { filteredReport, parseScorecardQuery } from '../../../lib/view/scorecard';
import { waitForRenderTurn } from '../../../server/render-turn';
import { currentPolicy, getState } from '../../../server/state';

export const dynamic = 'force-dynamic';

/** GET /api/export?format=json|sarif|csv|junit|table&<scorecard filters>: the filtered report as a download. */
export async function GET(req: Request): Promise<Response> {
  const sp = new URL(req.url).searchParams;
  const format = exportFormat.safeParse(sp.get('format') ?? undefined);
  if (!format.success) return jsonError(400, `format must be one of ${EXPORT_FORMATS.join(', ')}`);
  await waitForRenderTurn(); // a whole report: served in turn with the pages
  try {
    const report = filteredReport((await getState()).report, parseScorecardQuery(sp));
    const body = renderReport(report, format.data, CHECKS, { sarif: { severityOverrides: currentPolicy().severityOverrides } });
    const headers = { 'Content-Type': CONTENT_TYPES[format.data], 'Content-Disposition': `attachment; filename="${exportFilename(format.data, report.generatedAt)}"`, 'Cache-Control': 'no-store' };
    return new Response(body, { status: 200, headers });
  } catch (e) {
    return handleApiError(e);
  }
}
