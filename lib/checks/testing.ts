import { buildClusterModel } from '../model/build';
import { loadYamlText } from '../model/load';
import { defaultPolicy } from '../policy/defaults';
import type { Policy } from '../policy/types';
import type { Check, CheckResult } from './types';

/** Test helper: evaluates one check over a YAML fixture, per pipeline (pipeline checks) or for the platform. */
export function evaluateYaml(
  check: Check,
  yamlText: string,
  policy: Policy = defaultPolicy({ now: '2026-11-22T12:00:00Z' }),
): { pipelines: { id: string; result: CheckResult }[]; platform?: CheckResult } {
  const loaded = loadYamlText(yamlText, 'fixture.yaml');
  if (loaded.issues.length > 0) throw new Error(`fixture does not load: ${loaded.issues.map((i) => i.message).join('; ')}`);
  const cluster = buildClusterModel(loaded.objects, { sourceKind: 'files', policy });
  if (check.scope === 'platform') return { pipelines: [], platform: check.evaluate({ cluster, policy }) };
  return { pipelines: cluster.pipelines.map((pipeline) => ({ id: pipeline.id, result: check.evaluate({ pipeline, cluster, policy }) })) };
}
