import { fillEvidenceLines } from './evidence-lines';
import { CHECKS } from '../checks/registry';
import type { Check } from '../checks/types';
import { ModelBuilder, type BuildOptions } from '../model/build';
import type { ClusterModel, DataGap, K8sObject, LoadIssue } from '../model/types';
import type { Policy } from '../policy/types';
import type { PipelineReport, SourceInfo } from '../report/types';
import { pinReportTime, systemClock, type Clock } from './clock';
import { assembleReport, pipelineReport, type ScanResult } from './scan';

/**
 * A scan that can take run changes one by one: a new or changed PipelineRun/TaskRun re-builds only its
 * pipeline's model and re-scores the pipelines of its namespace (shared service accounts and direct TaskRuns are
 * namespace-wide facts), instead of the whole cluster. Anything else (RBAC, namespaces, definitions) calls for a
 * full scan: those change rarely.
 *
 * Each re-score is measured at its own report time (policy.now when pinned, else the clock at that moment), so a
 * pipeline that was not re-scored keeps the verdicts of the time it was last scored.
 */
export class IncrementalScan {
  private builder: ModelBuilder;
  private model: ClusterModel;
  private reports = new Map<string, PipelineReport>();
  private result: ScanResult;

  constructor(
    objects: K8sObject[],
    private readonly opts: {
      policy: Policy;
      source: SourceInfo;
      gaps?: DataGap[];
      loadIssues?: LoadIssue[];
      runTotals?: BuildOptions['runTotals'];
      runsSeenByPipeline?: BuildOptions['runsSeenByPipeline'];
      checks?: readonly Check[];
      clock?: Clock;
    },
  ) {
    this.builder = new ModelBuilder(objects, { sourceKind: opts.source.kind, policy: opts.policy, gaps: opts.gaps, loadIssues: opts.loadIssues, runTotals: opts.runTotals, runsSeenByPipeline: opts.runsSeenByPipeline });
    this.model = this.builder.build();
    const policy = this.policyNow();
    for (const p of this.model.pipelines) this.reports.set(p.id, pipelineReport(p, this.model, policy, this.checks));
    this.result = this.assemble(policy);
  }

  private policyNow(): Policy {
    return pinReportTime(this.opts.policy, undefined, this.opts.clock ?? systemClock);
  }

  private get checks(): readonly Check[] {
    return this.opts.checks ?? CHECKS;
  }

  private assemble(policy: Policy): ScanResult {
    const pipelines = this.model.pipelines.map((p) => this.reports.get(p.id)).filter((r): r is PipelineReport => r !== undefined);
    const report = assembleReport(this.model, pipelines, policy, this.opts.source, this.checks);
    // As scan() does: files-loaded objects get field lines; live objects carry no text, so the walk is skipped.
    if (this.model.sourceKind !== 'live') fillEvidenceLines(report, this.model.objects);
    return { model: this.model, report };
  }

  current(): ScanResult {
    return this.result;
  }

  /** Applies run changes and returns the ids of the pipelines whose findings were re-computed. */
  applyRuns(changes: { object: K8sObject; deleted: boolean }[], source?: SourceInfo): string[] {
    if (source) this.opts.source = source;
    const groups: string[] = [];
    const namespaces = new Set<string>();
    for (const c of changes) {
      const touched = this.builder.applyRun(c.object, c.deleted);
      groups.push(...touched.groups);
      namespaces.add(touched.namespace);
    }
    const { model, removed } = this.builder.rebuild(groups);
    this.model = model;
    for (const id of removed) this.reports.delete(id);
    const rescored: string[] = [];
    const policy = this.policyNow();
    for (const p of model.pipelines) {
      if (!namespaces.has(p.namespace)) continue;
      this.reports.set(p.id, pipelineReport(p, model, policy, this.checks));
      rescored.push(p.id);
    }
    this.result = this.assemble(policy);
    return rescored;
  }
}
