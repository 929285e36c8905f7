/**
 * How platform checks read the Tekton and Chains ConfigMaps, and whether Chains is there at all.
 *
 * - A ConfigMap the source could not read (a `ConfigMap` gap in its namespace, or cluster-wide) → the check is
 *   `unknown`.
 * - A ConfigMap absent from a live cluster (or the demo snapshot, which stands for one) → Tekton's defaults apply
 *   (TEKTON-FACTS.md §8, §9, §11).
 * - A ConfigMap absent from scanned files → `unknown`: a file scan cannot tell "not installed" from "not exported".
 * - A key missing from a present ConfigMap → its default.
 */
import type { ClusterModel, Evidence, K8sObject } from '../../model/types';
import type { CheckResult } from '../types';
import { evidenceAt, gapMessage, notApplicable, unknown } from '../util';

export type ConfigName = 'featureFlags' | 'resolverFlags' | 'clusterResolverConfig' | 'chainsConfig' | 'configDefaults';

export const CONFIG_MAPS: Record<ConfigName, { name: string; namespace: string }> = {
  featureFlags: { name: 'feature-flags', namespace: 'tekton-pipelines' },
  resolverFlags: { name: 'resolvers-feature-flags', namespace: 'tekton-pipelines-resolvers' },
  clusterResolverConfig: { name: 'cluster-resolver-config', namespace: 'tekton-pipelines-resolvers' },
  chainsConfig: { name: 'chains-config', namespace: 'tekton-chains' },
  configDefaults: { name: 'config-defaults', namespace: 'tekton-pipelines' },
};

export interface ConfigView {
  which: ConfigName;
  /** `present`: read; `defaults`: absent from a live cluster; `gap`: could not be read; `not-in-input`: absent from files. */
  state: 'present' | 'defaults' | 'gap' | 'not-in-input';
  object: K8sObject | null;
  data: Record<string, string>;
  /** Why it could not be read (state `gap`). */
  gapText: string;
  /** `namespace/name` of the ConfigMap, for messages. */
  label: string;
}

export function configView(cluster: ClusterModel, which: ConfigName): ConfigView {
  const meta = CONFIG_MAPS[which];
  const cm = cluster.platform[which];
  const label = `${meta.namespace}/${meta.name}`;
  const gaps = cluster.gaps.filter((g) => g.kind === 'ConfigMap' && (g.namespace === null || g.namespace === meta.namespace));
  if (cm.object) return { which, state: 'present', object: cm.object, data: cm.data, gapText: '', label };
  if (gaps.length > 0) return { which, state: 'gap', object: null, data: {}, gapText: gapMessage(gaps), label };
  return { which, state: cluster.sourceKind === 'files' ? 'not-in-input' : 'defaults', object: null, data: {}, gapText: '', label };
}

/** A key's value (trimmed), or `fallback` when the key is missing. */
export function configValue(view: ConfigView, key: string, fallback: string): { value: string; isDefault: boolean } {
  const v = view.data[key];
  return typeof v === 'string' ? { value: v.trim(), isDefault: false } : { value: fallback, isDefault: true };
}

/** Evidence at `data.<key>` of the ConfigMap (the object when present, its well-known name otherwise). */
export function configEvidence(view: ConfigView, key: string, value: string, isDefault: boolean): Evidence {
  const shown = isDefault ? `(not set: default ${value === '' ? '""' : value})` : value;
  if (view.object) {
    const o = view.object;
    return evidenceAt({ kind: o.kind, namespace: o.namespace, name: o.name, ...o.source }, `data.${key}`, shown);
  }
  const meta = CONFIG_MAPS[view.which];
  return { kind: 'ConfigMap', namespace: meta.namespace, name: meta.name, path: `data.${key}`, value: `(ConfigMap absent: default ${value === '' ? '""' : value})` };
}

/** Go's strconv.ParseBool, which Tekton uses for its flags; null when the value is not a boolean. */
export function parseGoBool(v: string): boolean | null {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return null;
}

/** The `unknown` result for a ConfigMap that cannot be judged, or null when it can. */
export function unreadable(view: ConfigView, defaultNote?: string): CheckResult | null {
  if (view.state === 'gap') return unknown(`The ConfigMap ${view.label} could not be read (${view.gapText}).`);
  if (view.state === 'not-in-input') {
    return unknown(
      `The scanned files hold no ConfigMap ${view.label}, so its settings are not known` +
        (defaultNote ? ` (on a cluster without it, ${defaultNote}).` : '.'),
    );
  }
  return null;
}

// ------------------------------------------------------------------ Chains presence

export type ChainsPresence =
  /** chains-config is there (Chains' install creates it). */
  | { state: 'configured'; view: ConfigView }
  /** No chains-config in sight, but runs carry Chains annotations or finalizers: Chains runs with defaults or its config is elsewhere. */
  | { state: 'observed'; view: ConfigView }
  /** Neither config nor any Chains mark on runs (and both were readable). */
  | { state: 'absent'; view: ConfigView; why: string }
  /** Cannot tell (config unreadable and no marks on runs, or runs unreadable and no config, or a file scan with neither). */
  | { state: 'unknown'; view: ConfigView; why: string };

const RUN_KINDS = ['PipelineRun', 'TaskRun'];

export function chainsPresence(cluster: ClusterModel): ChainsPresence {
  const view = configView(cluster, 'chainsConfig');
  if (view.state === 'present') return { state: 'configured', view };
  if (cluster.platform.chainsObserved) return { state: 'observed', view };
  if (view.state === 'gap') return { state: 'unknown', view, why: `the ConfigMap ${view.label} could not be read (${view.gapText}) and no run carries a Chains annotation or finalizer` };
  const runGaps = cluster.gaps.filter((g) => RUN_KINDS.includes(g.kind));
  if (runGaps.length > 0) return { state: 'unknown', view, why: `there is no ${view.label} ConfigMap, and runs could not all be read (${gapMessage(runGaps)})` };
  const runs = cluster.platform.totalPipelineRuns + cluster.platform.totalTaskRuns;
  if (view.state === 'not-in-input' && runs === 0) {
    return { state: 'unknown', view, why: `the scanned files hold neither the ${view.label} ConfigMap nor any run` };
  }
  const where = view.state === 'not-in-input' ? 'the scanned files hold no' : 'the cluster has no';
  return {
    state: 'absent',
    view,
    why: `${where} ${view.label} ConfigMap and none of its ${runs} runs carries a Chains annotation (chains.tekton.dev/…) or finalizer`,
  };
}

/** For PLT-002…PLT-004: `not-applicable` when Chains is absent (PLT-001 is the one loud failure), `unknown` when unclear. */
export function chainsGate(cluster: ClusterModel): { result: CheckResult | null; view: ConfigView } {
  const p = chainsPresence(cluster);
  if (p.state === 'absent') return { result: notApplicable(`Tekton Chains is not installed or not watching (see PLT-001): ${p.why}.`), view: p.view };
  if (p.state === 'unknown') return { result: unknown(`Cannot tell whether Tekton Chains runs: ${p.why}.`), view: p.view };
  if (p.view.state === 'not-in-input') {
    return { result: unknown(`Runs carry Chains annotations, but the scanned files hold no ConfigMap ${p.view.label}, so its settings are not known.`), view: p.view };
  }
  return { result: null, view: p.view };
}
