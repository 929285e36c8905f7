import { z } from 'zod';
import { handleApiError, json, jsonError } from '../../../../../lib/view/api';
import { routeParam } from '../../../../../lib/view/params';
import { waitForRenderTurn } from '../../../../../server/render-turn';
import { getState } from '../../../../../server/state';
import { findPipelineByRoute } from '../../../../../lib/view/links';

export const dynamic = 'force-dynamic';

const params = z.object({ namespace: z.string().min(1).max(253), name: z.string().min(1).max(512) });

/** GET /api/pipelines/:namespace/:name: the full PipelineReport (findings included). */
export async function GET(_req: Request, ctx: { params: Promise<{ namespace: string; name: string }> }): Promise<Response> {
  const raw = await ctx.params;
  const p = params.safeParse({ namespace: routeParam(raw.namespace), name: routeParam(raw.name) });
  if (!p.success) return jsonError(400, 'invalid pipeline reference');
  await waitForRenderTurn(); // all findings with their evidence: served in turn with the pages
  try {
    const { report, version } = await getState();
    const pr = findPipelineByRoute(report.pipelines, p.data.namespace, p.data.name);
    return pr ? json({ version, pipeline: pr }) : jsonError(404, 'no such pipeline');
  } catch (e) {
    return handleApiError(e);
  }
}
