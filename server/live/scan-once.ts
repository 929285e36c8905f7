import 'server-only';
import type { Policy } from '../../lib/policy/types';
import type { Report } from '../../lib/report/types';
import { LiveSource } from './source';

/** `scan --live`: one paged LIST of every kind the engine reads, then one scan. Never watches, never writes. */
export async function scanLiveOnce(opts: { kubeconfig?: string; context?: string; namespaces?: string[]; policy: Policy }): Promise<Report> {
  let report: Report | null = null;
  const source = new LiveSource(opts.policy, { kubeconfig: opts.kubeconfig, context: opts.context, namespaces: opts.namespaces }, (s) => {
    report = s.report;
  });
  await source.listOnce();
  if (!report) throw new Error('the live scan produced no report');
  return report;
}
