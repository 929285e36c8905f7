import { z } from 'zod';
import { handleApiError, jsonError } from '../../../../../../lib/view/api';
import { pipelineGraphBody } from '../../../../../../lib/view/dag-wire';
import { routeParam } from '../../../../../../lib/view/params';
import { getState } from '../../../../../../server/state';
import { findPipelineByRoute } from '../../../../../../lib/view/links';

export const dynamic = 'force-dynamic';

const params = z.object({ namespace: z.string().min(1).max(253), name: z.string().min(1).max(512), run: z.string().min(1).max(253).optional() });

/** GET /api/pipelines/:namespace/:name/graph?run=<name>: the laid-out task graph the pipeline page's canvas draws. */
export async function GET(req: Request, ctx: { params: Promise<{ namespace: string; name: string }> }): Promise<Response> {
  const raw = await ctx.params;
  const run = new URL(req.url).searchParams.get('run') ?? undefined;
  const p = params.safeParse({ namespace: routeParam(raw.namespace), name: routeParam(raw.name), run });
  if (!p.success) return jsonError(400, 'invalid pipeline or run reference');
  try {
    const { model, report } = await getState();
    const pr = findPipelineByRoute(report.pipelines, p.data.namespace, p.data.name);
    const pipeline = pr && model.pipelines.find((x) => x.id === pr.id);
    if (!pr || !pipeline) return jsonError(404, 'no such pipeline');
    // Encoded once per pipeline, run and engine state (lib/view/dag-wire.ts): no render turn needed.
    return new Response(pipelineGraphBody(pipeline, pr.findings, p.data.run), { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
  } catch (e) {
    return handleApiError(e);
  }
}
